"""Time the history reader and the over-time figures on generated orgs with git history.

Run: python bench/history_bench.py [REPS...]      (default: 50 500; 300 commits each)

For each size: a repository of REPS reps with 300 commits on the line (each editing one
team's rep files, 20 of them also renaming or moving a rep file) is written with
bench/history_repo.py. It prints the history read cold (no cache: `git log`, `cat-file`,
parsing every version), the figures on top (since, trends, implicit dates, burn-up,
cadence: the analysis with history minus without), warm (cache, same HEAD), and after
one more commit (cache, one new commit read); then `reportgen build --format html`
full and after one rep changed and committed, with history and without (the same files
outside any repository). Each figure is the best of three runs.

Targets on the 2-core machine (500 reps × 300 commits): all history figures ≤ 3 s cold;
a rebuild after one new commit ≤ 0.3 s more than without history.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from history_repo import make_history_repo

AS_OF = date(2026, 11, 26)
COMMITS = 300


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def one_more_commit(root: Path, number: int) -> None:
    rep = sorted((root / "teams").glob("*/reps/*.yaml"))[0]
    rep.write_text(rep.read_text().replace("closed: ", f"closed: {number}", 1))
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=Dana", "-c", "user.email=d@example.com",
                    "commit", "-q", "-m", "one more"], cwd=root, check=True,
                   env={"GIT_COMMITTER_DATE": "2026-11-25T12:00:00+00:00",
                        "GIT_AUTHOR_DATE": "2026-11-25T12:00:00+00:00", "PATH": "/usr/bin:/bin"})


def build_seconds(root: Path, out: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reportgen", "build", str(root), "--out", str(out),
                    "--as-of", AS_OF.isoformat(), "--format", "html", "-q", *extra],
                   check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def bench(reps: int, folder: Path) -> None:
    from reportgen.analysis import analyse
    from reportgen.history import read_history, write_cache
    from reportgen.workspace import load_workspace

    root = folder / f"org-{reps}"
    renames = make_history_repo(root, reps, COMMITS, 20)
    workspace = load_workspace(root)
    cache = folder / f"cache-{reps}.json"

    cold_read = best_of(3, lambda: read_history(root))
    # CPU seconds (this process and its parse workers): on a shared, loaded machine the
    # wall-clock figure mostly says how busy the others were.
    before = _cpu_seconds()
    read_history(root)
    cold_cpu = _cpu_seconds() - before
    history = read_history(root)
    without = best_of(3, lambda: analyse(workspace, AS_OF))
    with_history = best_of(3, lambda: analyse(workspace, AS_OF, history))
    figures = with_history - without
    write_cache(cache, history)
    warm = best_of(3, lambda: read_history(root, cache))

    after = []
    for number in range(3):
        write_cache(cache, read_history(root))
        one_more_commit(root, number + 1)
        started = time.perf_counter()
        read_history(root, cache)
        after.append(time.perf_counter() - started)
    print(f"{reps} reps × {COMMITS} commits ({len(renames)} renames,"
          f" {sum(len(f.versions) for f in history.files.values())} file versions):")
    print(f"  history read, cold        {cold_read:6.2f} s   ({cold_cpu:.2f} s of CPU in all)")
    print(f"  figures over time         {figures:6.2f} s   (analysis {without:.2f} s"
          f" without history, {with_history:.2f} s with)")
    print(f"  cold total                {cold_read + figures:6.2f} s")
    print(f"  warm, same HEAD           {warm:6.2f} s")
    print(f"  warm, one new commit      {min(after):6.2f} s")

    plain = folder / f"plain-{reps}"
    shutil.copytree(root / "teams", plain / "teams")
    for label, workspace_root in (("with history", root), ("without git", plain)):
        out = folder / f"out-{label.replace(' ', '-')}-{reps}"
        full = build_seconds(workspace_root, out)
        rep = sorted((workspace_root / "teams").glob("*/reps/*.yaml"))[1]
        rep.write_text(rep.read_text().replace("closed: ", "closed: 1", 1))
        if workspace_root == root:
            subprocess.run(["git", "add", "-A"], cwd=root, check=True)
            subprocess.run(["git", "-c", "user.name=Dana", "-c", "user.email=d@example.com",
                            "commit", "-q", "-m", "one rep"], cwd=root, check=True)
        one = build_seconds(workspace_root, out)
        print(f"  build --format html, {label:<13} full {full:6.2f} s, one rep changed"
              f" {one:5.2f} s")


def main() -> None:
    sizes = [int(size) for size in sys.argv[1:]] or [50, 500]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).parent.parent
                                                                   / "reportgen")], check=True)
    with tempfile.TemporaryDirectory() as temporary:
        for size in sizes:
            bench(size, Path(temporary))


if __name__ == "__main__":
    main()
