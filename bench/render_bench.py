"""Warm per-document PDF render time, baseline against current, side by side in one run.

    python bench/render_bench.py [--baseline-rev REV] [--current-rev REV] [--rounds N]
                                 [--profile DOC]
                                 [--pages DIR] [--no-chromium]
                                 [--workspace DIR]

The example workspace with its quarter of history (`scripts/make_example_history.py`)
is rendered by two worker-like processes (`render_worker.py`): one runs this checkout,
the other the reportgen tree (code, templates and stylesheet) of `--baseline-rev`
(default: the commit this work started from), exported from git. Each loads WeasyPrint,
parses its stylesheet once and renders every plan and scorecard once to warm up, as a
build's worker does; then the two are timed in turn, document by document, round by
round (interleaved, so a machine busy with other work slows both alike). Printed per
document: the median and best of the rounds for each, current ÷ baseline, the page
count of each PDF, and, where a Chromium is installed, headless Chromium's time to
print the same HTML (this checkout's, the stylesheets linked) to PDF: one warm browser
(started once, like a build's worker; its start-up shown apart), one tab, navigate and
`Page.printToPDF`, the median of the same number of rounds, with its page count
(reference only: Chromium is no dependency).

`--profile DOC` writes cProfile stats of one render of document DOC (a number from the
list) for each side to /tmp/render-{baseline,current}.prof. `--pages DIR` writes both
PDFs of every document there (for page images).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The commit issue 13 started from: the templates, stylesheet and charts before it.
BASELINE_REV = "dd2c1c8"
AS_OF = "2026-11-26"
sys.path.insert(0, str(REPO))
from tests.browser import Chromium, find_chromium  # noqa: E402  (the tests' DevTools pipe)


class Side:
    def __init__(self, label: str, tree: Path, workspace: Path, html_dir: Path) -> None:
        self.label = label
        html_dir.mkdir(parents=True)
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "bench" / "render_worker.py"), str(tree),
             str(workspace), AS_OF, str(html_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.documents = json.loads(self.process.stdout.readline())

    def ask(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def export_tree(rev: str, dest: Path) -> None:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "reportgen", "templates"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def chromium_times(documents: list[dict[str, str]], rounds: int,
                   out: Path) -> tuple[float, list[tuple[float, int]]]:
    """Start-up seconds of a headless Chromium, then for each document the median
    seconds of `rounds` prints (navigate, load, print to PDF) in one warm tab, and the
    page count of its PDF."""
    import base64

    executable = find_chromium()
    assert executable is not None
    started = time.perf_counter()
    with Chromium(executable) as browser:
        target = browser.call("Target.createTarget", url="about:blank")["targetId"]
        session = browser.call("Target.attachToTarget", targetId=target,
                               flatten=True)["sessionId"]
        browser.call("Page.enable", session)
        start_up = time.perf_counter() - started
        results = []
        for document in documents:
            url = Path(document["html"]).as_uri()
            seconds = []
            for _ in range(rounds + 1):  # the first one warms this document's fonts up
                began = time.perf_counter()
                browser.call("Page.navigate", session, url=url)
                browser.wait_for("Page.loadEventFired", session)
                data = browser.call("Page.printToPDF", session, preferCSSPageSize=True,
                                    printBackground=True)["data"]
                seconds.append(time.perf_counter() - began)
            out.write_bytes(base64.b64decode(data))
            results.append((statistics.median(seconds[1:]), page_count(out)))
        browser.call("Target.closeTarget", targetId=target)
    return start_up, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--current-rev", default=None, metavar="REV",
                        help="render the tree of REV instead of this checkout (to measure"
                             " one change: --baseline-rev REV~1 --current-rev REV)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=None, metavar="DOC")
    parser.add_argument("--pages", type=Path, default=None, metavar="DIR")
    parser.add_argument("--no-chromium", action="store_true")
    parser.add_argument("--workspace", type=Path, default=None,
                        help="render this workspace instead of the example with its history")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="render-bench-") as temp:
        root = Path(temp)
        workspace = options.workspace or root / "example"
        if options.workspace is None:
            subprocess.run([sys.executable, str(REPO / "scripts" / "make_example_history.py"),
                            str(workspace)], check=True, capture_output=True)
        baseline_tree = root / "baseline"
        baseline_tree.mkdir()
        export_tree(options.baseline_rev, baseline_tree)
        current_tree = REPO
        if options.current_rev is not None:
            current_tree = root / "current"
            current_tree.mkdir()
            export_tree(options.current_rev, current_tree)
        sides = [Side("baseline", baseline_tree, workspace, root / "html-baseline"),
                 Side("current", current_tree, workspace, root / "html-current")]
        try:
            names = [document["name"] for document in sides[1].documents]
            assert names == [document["name"] for document in sides[0].documents]
            times: dict[str, list[list[float]]] = {side.label: [[] for _ in names]
                                                   for side in sides}
            for round_number in range(options.rounds):
                for number in range(len(names)):
                    # Alternate which side goes first, so neither always follows the other.
                    order = sides if (round_number + number) % 2 == 0 else sides[::-1]
                    for side in order:
                        times[side.label][number].append(float(side.ask(f"time {number}")))
            pages_dir = options.pages or root / "pdf"
            pages_dir.mkdir(parents=True, exist_ok=True)
            pages: dict[str, list[int]] = {side.label: [] for side in sides}
            for side in sides:
                for number in range(len(names)):
                    target = pages_dir / f"{number:02d}-{side.label}.pdf"
                    side.ask(f"pdf {number} {target}")
                    pages[side.label].append(page_count(target))
                if options.profile is not None:
                    side.ask(f"profile {options.profile} /tmp/render-{side.label}.prof")
        finally:
            for side in sides:
                side.close()

        chromium: list[tuple[float, int] | None] = [None] * len(names)
        chromium_start = None
        if find_chromium() is not None and not options.no_chromium:
            chromium_start, found = chromium_times(sides[1].documents, options.rounds,
                                                   root / "chromium.pdf")
            chromium = list(found)

    current = options.current_rev or "this checkout"
    print(f"warm render, {options.rounds} rounds interleaved; baseline {options.baseline_rev}"
          f" vs {current} (seconds; pages in brackets)")
    header = (f"{'#':>2} {'document':34} {'base med':>8} {'best':>6} {'cur med':>8} {'best':>6}"
              f" {'ratio':>6} {'pages':>7} {'chromium':>9} {'pages':>5}")
    print(header)
    ratios: dict[str, list[float]] = {"plan": [], "scorecard": []}
    medians: dict[str, dict[str, list[float]]] = {"plan": {"baseline": [], "current": []},
                                                  "scorecard": {"baseline": [], "current": []}}
    for number, name in enumerate(names):
        base = statistics.median(times["baseline"][number])
        cur = statistics.median(times["current"][number])
        kind = "scorecard" if name.endswith("/scorecard") else "plan"
        ratios[kind].append(cur / base)
        medians[kind]["baseline"].append(base)
        medians[kind]["current"].append(cur)
        found = chromium[number]
        chrome = f"{found[0]:9.3f} {found[1]:>5}" if found is not None else f"{'-':>9}"
        print(f"{number:2d} {name:34} {base:8.3f} {min(times['baseline'][number]):6.3f}"
              f" {cur:8.3f} {min(times['current'][number]):6.3f} {cur / base:6.2f}"
              f" {pages['baseline'][number]:>3}/{pages['current'][number]:<3} {chrome}")
    for kind in ("plan", "scorecard"):
        if not ratios[kind]:
            continue
        base_median = statistics.median(medians[kind]["baseline"])
        print(f"{kind}s: median of medians baseline {base_median:.3f} s,"
              f" current {statistics.median(medians[kind]['current']):.3f} s;"
              f" ratio median {statistics.median(ratios[kind]):.2f}, worst {max(ratios[kind]):.2f}")
    if chromium_start is not None:
        for kind in ("plan", "scorecard"):
            seconds = [found[0] for found, name in zip(chromium, names, strict=True)
                       if found is not None
                       and name.endswith("/scorecard") == (kind == "scorecard")]
            if seconds:
                print(f"chromium, warm (one browser, one tab), {kind}s: median"
                      f" {statistics.median(seconds):.3f} s")
        print(f"chromium start-up (once, not in the figures above): {chromium_start:.3f} s")
    if options.profile is not None:
        print("profiles: /tmp/render-baseline.prof /tmp/render-current.prof"
              f" (document {options.profile})")


if __name__ == "__main__":
    main()
