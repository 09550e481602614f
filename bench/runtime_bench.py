"""What the PDF render's use of the Python runtime buys: the collector and the frame stack.

    python bench/runtime_bench.py [--reps 40] [--rounds 2]

On a generated workspace (`generate.py`, every field used) it renders every plan and
scorecard, as the PDF worker does, in a fresh process for each of four ways of running
the same `PdfRenderer`, one after another, `--rounds` times:

* python: Python's defaults (the collector at its own pace, a plain call);
* collector: one collection after each document (`pdf._collected_after`);
* stack room: the render called from a frame with room after it (`stack_room.py`);
* reportgen: both, as shipped.

For each it prints the process's CPU seconds in user and system mode, the seconds the
cyclic collector ran (timed through `gc.callbacks`), the minor page faults (each new
chunk of CPython's frame stack costs some), and the ratio of CPU time to Python's
defaults; each the median of the rounds. CPU time, not wall time: a shared machine
inflates both sides of a comparison alike only in CPU time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

REPO = Path(__file__).resolve().parent.parent
MODES = ("python", "collector", "stack room", "reportgen")

# Run in a fresh interpreter: argv[1] the mode, argv[2] the workspace.
_ONE_MODE = r'''
import contextlib, gc, json, os, sys, time
from datetime import date
from pathlib import Path
import reportgen.pdf as pdf_module
from reportgen.analysis import analyse
from reportgen.pdf import PdfRenderer
from reportgen.render import Renderer
from reportgen.workspace import load_workspace

mode, workspace = sys.argv[1], Path(sys.argv[2])
as_of = date(2026, 11, 26)
renderer = Renderer(workspace, target="pdf")
documents = []
for team in analyse(load_workspace(workspace), as_of, None).teams:
    documents += [renderer.plan(as_of, team, rep).html for rep in team.reps]
    documents.append(renderer.scorecard(as_of, team).html)
if mode in ("python", "stack room"):
    pdf_module._collected_after = contextlib.nullcontext
pdf = PdfRenderer([folder / "assets" for folder in renderer.folders])
render = pdf.render if mode in ("stack room", "reportgen") else pdf._render
for html in documents[:3]:  # fonts, caches
    render(html)
collecting = [0.0, 0.0]

def timed(phase, info):
    if phase == "start":
        collecting[1] = time.process_time()
    else:
        collecting[0] += time.process_time() - collecting[1]

def faults():
    return int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[7])

gc.callbacks.append(timed)
started, faults_before = os.times(), faults()
for html in documents:
    render(html)
ended = os.times()
print(json.dumps({"documents": len(documents), "user": ended.user - started.user,
                  "system": ended.system - started.system, "collector": collecting[0],
                  "faults": faults() - faults_before}))
'''


def run_mode(mode: str, workspace: Path) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", _ONE_MODE, mode, str(workspace)],
                            capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="runtime-bench-") as temp:
        workspace = generate(options.reps, Path(temp) / "ws")
        runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
        for _ in range(options.rounds):
            for mode in MODES:
                runs[mode].append(run_mode(mode, workspace))
    documents = int(runs["python"][0]["documents"])
    print(f"{documents} documents ({options.reps} reps), median of {options.rounds} rounds;"
          " seconds of CPU for all of them")
    print(f"{'':12} {'user':>7} {'system':>7} {'collector':>9} {'faults':>8}"
          f" {'CPU ms/doc':>10} {'× python':>8}")
    base = statistics.median(run["user"] + run["system"] for run in runs["python"])
    for mode in MODES:
        figures = {key: statistics.median(run[key] for run in runs[mode])
                   for key in ("user", "system", "collector", "faults")}
        cpu = statistics.median(run["user"] + run["system"] for run in runs[mode])
        print(f"{mode:12} {figures['user']:7.2f} {figures['system']:7.2f}"
              f" {figures['collector']:9.2f} {figures['faults']:8.0f}"
              f" {1000 * cpu / documents:10.0f} {cpu / base:8.2f}")


if __name__ == "__main__":
    main()
