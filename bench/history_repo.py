"""A generated org as a git repository with a quarter of history, for benchmarks and tests.

    python bench/history_repo.py REPS COMMITS DIR

The first commit adds every team (bench/generate.py's reps, teams of 8); each later
commit edits one team's rep files (closed grows, a rating moves, sometimes an action is
done), dated through the quarter, and `renames` of them also rename a rep file or move
it to another team, with a small edit (git sees a rename: similarity well above 50 %).
Written with `git fast-import`, so a 500-rep × 300-commit history takes a second or two.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

START = datetime(2026, 9, 28, 9, 0, tzinfo=UTC)


def make_history_repo(root: Path, reps: int, commits: int, renames: int = 20,
                      seed: int = 7) -> list[tuple[int, str, str]]:
    """Write the repository; returns the renames as (commit number, old path, new path)."""
    generate(reps, root)
    rng = random.Random(seed)
    files = {path.relative_to(root).as_posix(): path.read_text()
             for path in sorted((root / "teams").rglob("*.yaml"))}
    teams = sorted({path.split("/")[1] for path in files})
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    stream: list[bytes] = []

    def commit(number: int, changes: list[bytes], message: str) -> None:
        moment = START + timedelta(hours=int(number * 90 * 24 / max(commits, 1)))
        stamp = f"{int(moment.timestamp())} +0000"
        text = message.encode()
        stream.append(f"commit refs/heads/main\nmark :{number + 1}\n"
                      f"author Dana <dana@example.com> {stamp}\n"
                      f"committer Dana <dana@example.com> {stamp}\n"
                      f"data {len(text)}\n".encode() + text + b"\n")
        if number:
            stream.append(f"from :{number}\n".encode())
        stream.extend(changes)

    def modify(path: str) -> bytes:
        data = files[path].encode()
        return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"

    commit(0, [modify(path) for path in files], "Q4 2026: every team")
    rename_every = max(1, (commits - 1) // max(renames, 1))
    done: list[tuple[int, str, str]] = []
    for number in range(1, commits):
        team = teams[number % len(teams)]
        prefix = f"teams/{team}/reps/"
        changes: list[bytes] = []
        members = sorted(path for path in files if path.startswith(prefix))
        for path in members:
            text = files[path]
            text = re.sub(r"closed: (\d+)", lambda m: f"closed: {int(m.group(1)) + 5000}",
                          text, count=1)
            ratings = list(re.finditer(r"rating: (\d)", text))
            if ratings:
                chosen = ratings[rng.randrange(len(ratings))]
                new = 1 + (int(chosen.group(1)) % 5)
                text = text[:chosen.start()] + f"rating: {new}" + text[chosen.end():]
            if rng.random() < 0.2:
                text = text.replace("done: false", "done: true", 1)
            files[path] = text
        # A rename that cannot happen here (the name is taken) is tried on the next commit.
        if members and len(done) < renames and number >= (len(done) + 1) * rename_every:
            old = members[rng.randrange(len(members))]
            if rng.random() < 0.5:
                other = teams[(teams.index(team) + 1 + rng.randrange(len(teams) - 1))
                              % len(teams)] if len(teams) > 1 else team
                new = f"teams/{other}/reps/{old.rsplit('/', 1)[1]}"
            else:
                new = old[:-len(".yaml")] + "-r.yaml"
            if new not in files:
                files[new] = files.pop(old)
                changes.append(f"R {old} {new}\n".encode())
                done.append((number, old, new))
                members = [new if path == old else path for path in members]
        changes.extend(modify(path) for path in members)
        commit(number, changes, f"{team}: weekly update")
    data = b"".join(stream) + b"done\n"
    subprocess.run(["git", "fast-import", "--quiet", "--done"], cwd=root, input=data,
                   check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
    subprocess.run(["git", "clean", "-q", "-f", "-d", "teams"], cwd=root, check=True)
    return done


if __name__ == "__main__":
    count, commit_count, folder = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    found = make_history_repo(folder, count, commit_count)
    print(f"wrote {count} reps × {commit_count} commits ({len(found)} renames) in {folder}")
