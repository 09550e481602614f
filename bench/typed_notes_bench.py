"""Time the rewrite of typed notes (markdown_typed.as_typed) and the whole safe render.

    python bench/typed_notes_bench.py [--render]

Prints, for each 1 MiB hostile note of tests/test_markdown_typed.py, the rewrite's time
(best of three) and the output's size; with `--render`, also one full `render_markdown`
(Python-Markdown and nh3: much slower, and bounded by markdown_safe.py, not here).
A note twice as long should take twice as long: the last column shows the ratio for
half the note.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportgen.markdown_safe import render_markdown
from reportgen.markdown_typed import as_typed
from tests.test_markdown_typed import ADVERSARIAL


def best_of_three(text: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        as_typed(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    render = "--render" in sys.argv
    print(f"{'note':40} {'size':>9} {'rewrite':>9} {'out/in':>7} {'full/half':>9}"
          + ("  render" if render else ""))
    for name, text in ADVERSARIAL.items():
        full = best_of_three(text)
        half = best_of_three(text[: len(text) // 2])
        ratio = len(as_typed(text)) / len(text)
        line = (f"{name:40} {len(text):9,} {full * 1000:7.1f}ms {ratio:7.2f}"
                f" {full / half if half else 0:9.2f}")
        if render:
            start = time.perf_counter()
            render_markdown(text)
            line += f"  {time.perf_counter() - start:6.2f}s"
        print(line, flush=True)


if __name__ == "__main__":
    main()
