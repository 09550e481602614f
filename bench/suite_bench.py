"""Time the README's test command (the one .ci/run runs), and the suite without xdist.

    python bench/suite_bench.py            # the README command's pytest, once
    python bench/suite_bench.py --serial   # and the same suite in one process

Prints wall-clock seconds, the CPU seconds of the whole process tree, and the load
average before each run: on a shared machine the load says how much the figure is
worth. Never run as a test.
"""

from __future__ import annotations

import os
import re
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def readme_pytest_command() -> list[str]:
    """The pytest part of the README's test command (after the install)."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    marker = next(index for index, line in enumerate(lines) if "test-command" in line)
    command = next(line for line in lines[marker:] if re.match(r"^(python|pip)", line))
    command = command.split("#", 1)[0]
    pytest_part = next(part for part in command.split("&&") if "pytest" in part)
    arguments = shlex.split(pytest_part)
    return [sys.executable if arguments[0] == "python" else arguments[0], *arguments[1:]]


def timed(command: list[str]) -> tuple[float, float, int]:
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    print(f"  load before {load:.1f}; {summary}")
    return seconds, cpu, result.returncode


def main() -> None:
    command = readme_pytest_command()
    runs = [("README command", command)]
    if "--serial" in sys.argv[1:]:
        serial = [part for part in command
                  if part not in ("-n", "auto", "2", "--dist", "loadgroup")]
        runs.append(("one process", [*serial, "-p", "no:xdist"]))
    for label, arguments in runs:
        print(f"{label}: {' '.join(arguments[1:])}")
        seconds, cpu, status = timed(arguments)
        print(f"  {seconds:.1f} s wall, {cpu:.1f} s CPU, exit {status}")


if __name__ == "__main__":
    main()
