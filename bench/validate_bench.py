"""Time `reportgen validate` on generated workspaces of 100, 500 and 2000 reps.

Run: python bench/validate_bench.py [SIZES...]
Prints wall time (best of 3, as a fresh process each time, like a user's run), the
time per rep, and whether WeasyPrint was imported (it must not be).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

TARGET_SECONDS_2000 = 2.0


def time_validate(workspace: Path) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "reportgen", "validate", str(workspace),
                        "--as-of", "2026-11-26"], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def imports_weasyprint(workspace: Path) -> bool:
    code = ("import sys\nfrom reportgen.cli import main\nsys.argv=['reportgen','validate',"
            f"{str(workspace)!r},'--as-of','2026-11-26']\ntry: main()\nexcept SystemExit: pass\n"
            "print('weasyprint' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return result.stderr.strip().endswith("True")


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [100, 500, 2000]
    # As an installed package would be: compiled once, not at every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    str(Path(__file__).resolve().parent.parent / "reportgen")], check=True)
    baseline_start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reportgen", "--version"], check=True,
                   capture_output=True)
    startup = time.perf_counter() - baseline_start
    print(f"interpreter + reportgen startup: {startup:.3f} s")
    print(f"{'reps':>6} {'validate s':>11} {'ms/rep':>8}")
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            workspace = generate(size, Path(scratch) / f"ws{size}")
            seconds = time_validate(workspace)
            print(f"{size:>6} {seconds:>11.3f} {1000 * seconds / size:>8.2f}")
            if size == 2000:
                print(f"target: 2000 reps under {TARGET_SECONDS_2000:.1f} s -> ratio"
                      f" {seconds / TARGET_SECONDS_2000:.2f} of the budget")
        print("validate imports WeasyPrint:", imports_weasyprint(workspace))


if __name__ == "__main__":
    main()
