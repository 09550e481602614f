"""How long the worst notes take to format: every note up to 1 MiB, within 2 s.

Each case repeats one pattern Python-Markdown handles slowly (most are quadratic
without reportgen's work budget) to a given size, and prints the time `render_markdown`
takes and whether the note was formatted or shown as written. Run:

    python bench/markdown_bench.py            # sizes 8 KiB, 32 KiB, 1 MiB
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportgen.markdown_safe import render_markdown

CASES = {
    "emphasis *a": "*a", "backslashes": "\\", "code spans `a": "`a ", "entities &lt;": "&lt;",
    "strong **a": "**a", "mixed *_": "*_", "mixed _*": "_*", "list items": "- a\n",
    "nested quotes > ": "> ", "numbered items": "1. a\n", "headers": "# a\n",
    "fences": "```\n", "rules ---": "---\n", "paragraphs": "a\n\n", "autolinks": "<http://a> ",
    "char refs &#1;": "&#1;", "words": "Walked through the Meridian deal; next step CFO. ",
    "realistic": "Walked through **Meridian**; next: the *CFO* call, `stage 3`.\n\n",
}
SIZES = (8 * 1024, 32 * 1024, 1024 * 1024)


def main() -> None:
    worst = 0.0
    print(f"{'case':18} {'size':>9} {'seconds':>8}  result")
    for size in SIZES:
        for name, unit in CASES.items():
            text = (unit * (size // len(unit) + 1))[:size]
            started = time.perf_counter()
            rendered = render_markdown(text)
            seconds = time.perf_counter() - started
            worst = max(worst, seconds)
            result = "as written" if rendered.as_plain_text else "formatted"
            print(f"{name:18} {size:9} {seconds:8.3f}  {result}", flush=True)
    print(f"worst: {worst:.3f} s")


if __name__ == "__main__":
    main()
