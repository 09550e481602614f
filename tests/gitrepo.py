"""Real git repositories for tests: files written, committed with set dates."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path


def git_environment(day: str | None = None, offset: str = "+00:00") -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("GIT_")}
    environment.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
                       GIT_AUTHOR_NAME="Dana", GIT_AUTHOR_EMAIL="dana@example.com",
                       GIT_COMMITTER_NAME="Dana", GIT_COMMITTER_EMAIL="dana@example.com")
    if day is not None:
        stamp = f"{day}T12:00:00{offset}"
        environment.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    return environment


class Repo:
    """A git repository in a folder; `commit` stages everything and sets both dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *arguments: str, day: str | None = None, offset: str = "+00:00") -> str:
        return subprocess.run(["git", "-c", "commit.gpgsign=false", *arguments],
                              cwd=self.root, env=git_environment(day, offset), check=True,
                              capture_output=True, text=True).stdout

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")

    def remove(self, path: str) -> None:
        (self.root / path).unlink()

    def commit(self, day: str, message: str = "edit", offset: str = "+00:00") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, day=day, offset=offset)
        return self.git("rev-parse", "HEAD").strip()
