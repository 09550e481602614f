"""From an edit to the PDF: `reportgen watch` and a cold `reportgen build`, and a full build.

    python bench/edit_bench.py [--reps 10] [--full-reps 100] [--baseline-rev REV]
                               [--no-baseline] [--saves 5]

On a generated workspace (`generate.py`, every field used) it prints, for this checkout
and for the reportgen tree of `--baseline-rev` (exported from git; default: the commit
issue 13 started from), run alternately:

* watch: a rep file saved (written beside and renamed over, as editors do) under a
  running `reportgen watch` (its default --interval) with --reps reps, until that rep's
  PDF has been renamed into place (polled every 2 ms), wall time, best and median of 5 saves;
* cold: a fresh `reportgen build` after one rep changed, best of 3; beside it the time
  of `python -c 'import weasyprint'` (best of 3), which the target adds 0.8 s to;
* full: `reportgen build --force` of --full-reps reps with the default jobs (one per
  CPU), once, and what 500 reps would take at that rate (linear: the build renders
  documents one after another in each worker, so the time grows with the count);
  `--full-reps 0` skips it.

`--no-baseline` measures this checkout only (quicker, for trying a change).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from build_bench import AS_OF, first_rep, touch_one_rep
from generate import generate
from render_bench import BASELINE_REV, REPO, export_tree


def reportgen(tree: Path, args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    # -P: `python -m` would otherwise put the current folder (this checkout, when run
    # from it) ahead of PYTHONPATH, and the baseline would run this code.
    return subprocess.Popen([sys.executable, "-P", "-m", "reportgen", *args], env=environment,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)


def timed(tree: Path, args: list[str]) -> float:
    started = time.perf_counter()
    process = reportgen(tree, args)
    if process.wait() != 0:
        raise SystemExit(f"reportgen {' '.join(args)} failed with {tree}")
    return time.perf_counter() - started


def pdf_of(workspace: Path, out: Path) -> Path:
    rep = first_rep(workspace)
    return out / rep.parent.parent.name / "reps" / f"{rep.stem}.pdf"


def watch_seconds(tree: Path, workspace: Path, out: Path, saves: int = 5
                  ) -> tuple[float, float]:
    """Best and median of `saves` saves."""
    pdf = pdf_of(workspace, out)
    # The default --interval, as a new user runs it.
    process = reportgen(tree, ["watch", str(workspace), "--as-of", AS_OF, "--out", str(out)])
    seconds: list[float] = []
    try:
        deadline = time.monotonic() + 120
        while not pdf.exists():  # the first build
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("watch made no PDF")
            time.sleep(0.05)
        for save in range(saves):
            time.sleep(1.5)  # the first build's tail, the last round's settling
            before = pdf.stat().st_ino
            touch_one_rep(workspace, 50 + save)
            started = time.perf_counter()
            while pdf.stat().st_ino == before:  # a rename gives the path a new inode
                if time.perf_counter() - started > 60:
                    raise SystemExit("watch did not rebuild the PDF")
                time.sleep(0.002)
            seconds.append(time.perf_counter() - started)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    return min(seconds), statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--full-reps", type=int, default=100)
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--saves", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="edit-bench-") as temp:
        root = Path(temp)
        trees = {"current": REPO}
        if not options.no_baseline:
            baseline = root / "baseline"
            baseline.mkdir()
            export_tree(options.baseline_rev, baseline)
            trees = {"baseline": baseline, **trees}
        for tree in trees.values():
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "reportgen")],
                           check=True)
        small = generate(options.reps, root / "small")
        results: dict[str, dict[str, float]] = {label: {} for label in trees}
        for label, tree in trees.items():
            out = root / f"out-small-{label}"
            best, median = watch_seconds(tree, small, out, options.saves)
            results[label].update({"watch": best, "watch median": median})
        imports = min(_import_weasyprint() for _ in range(3))
        for label, tree in trees.items():
            out = root / f"out-small-{label}"
            common = [str(small), "--as-of", AS_OF, "--out", str(out), "-q"]
            timed(tree, ["build", *common])
            best = 1e9
            for round_number in range(3):
                touch_one_rep(small, 80 + round_number)
                best = min(best, timed(tree, ["build", *common]))
            results[label]["cold"] = best
        large = generate(options.full_reps, root / "large") if options.full_reps else None
        for label, tree in trees.items():
            out = root / f"out-large-{label}"
            results[label]["full"] = timed(tree, ["build", str(large), "--as-of", AS_OF,
                                                  "--out", str(out), "-q", "--force"]
                                           ) if large else float("nan")
    print(f"CPUs {os.cpu_count()}; seconds; baseline {options.baseline_rev} vs this checkout")
    print(f"{'':9} {'watch save→PDF best / median':>30} {'cold one-rep':>13}"
          f" {f'full {options.full_reps}':>9}"
          f" {'→ 500 (×' + format(500 / max(1, options.full_reps), 'g') + ')':>12}")
    for label, figures in results.items():
        watch = f"{figures['watch']:.2f} / {figures['watch median']:.2f}"
        print(f"{label:9} {watch:>30} {figures['cold']:>13.2f}"
              f" {figures['full']:>9.2f}"
              f" {figures['full'] * 500 / max(1, options.full_reps):>12.1f}")
    print(f"python -c 'import weasyprint': {imports:.2f} s; cold target ≤ {imports + 0.8:.2f} s")


def _import_weasyprint() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import weasyprint"], check=True)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
