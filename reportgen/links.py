"""Symbolic links in a workspace: never a way to read or write outside it.

A link arrives in a pull request as easily as a file, and can point anywhere
(`/etc/passwd`, a secrets file, another team's folder). The rules:

* under `teams/`, no link is followed at all: a linked team folder, `reps/` folder,
  team or rep file is an error naming it, and is never read (a linked folder would
  also escape the fingerprints and the watch);
* `teams/` and `templates/` themselves may be links, to folders inside the workspace;
* under `templates/`, a linked file may point inside the workspace (it is read like
  any template); a linked folder, or a link pointing outside, is an error.

The output folder has its own rule, in build.py: nothing is written through a link.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.problems import DataError, Problem, Severity

LINK_ADVICE = ("reportgen does not follow links here (one can point anywhere once it arrives"
               " in a pull request); put the file or folder itself here")


def link_problem(file: str, what: str = "a symbolic link") -> Problem:
    return Problem(file, 1, 1, Severity.ERROR, "-", f"{what}: {LINK_ADVICE}")


def inside(path: Path, root: Path) -> bool:
    """`path`, with every link resolved, is in the workspace `root`."""
    return path.resolve().is_relative_to(root.resolve())


def check_top_folder(root: Path, name: str) -> None:
    """`root/name` (teams/ or templates/) is a folder of the workspace, or a link to one.
    Raises DataError."""
    folder = root / name
    if folder.is_symlink() and not inside(folder, root):
        raise DataError([link_problem(f"{name}/", "a symbolic link to a folder outside the"
                                      " workspace")])


def check_template_links(root: Path) -> None:
    """Every link under the workspace's templates/ points to a file inside it.
    Raises DataError naming each one that does not."""
    folder = root / "templates"
    if not folder.is_dir():
        return
    check_top_folder(root, "templates")
    problems = []
    for current, folders, files in os.walk(folder):
        for name in [*folders, *files]:
            path = Path(current, name)
            if not path.is_symlink():
                continue
            file = "templates/" + path.relative_to(folder).as_posix()
            if name in folders or path.is_dir():
                problems.append(link_problem(file + "/", "a symbolic link to a folder"))
            elif not inside(path, root):
                problems.append(link_problem(file, "a symbolic link to a file outside the"
                                             " workspace"))
    if problems:
        raise DataError(problems, "; nothing was written.")
