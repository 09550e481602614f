"""Which workspace a command works on, found like git finds its repository.

A workspace is a folder holding `teams/`. Run from any folder inside one (a team's
`reps/` folder, say), a command walks up to it. `validate FILE…` (as pre-commit calls
it) finds the workspace of the files and checks only their teams. Team and rep ids for
shell completion come from here too: it reads folder names only, never a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.layout import TEAMS_FOLDER


class NotInWorkspace(Exception):
    """A path given on the command line is not inside any workspace (a usage error)."""


def is_workspace(folder: Path) -> bool:
    return (folder / TEAMS_FOLDER).is_dir()


def find_workspace(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds `teams/`, or None."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        # Inside teams/<team>/, teams/ itself holds no `teams/`: the walk goes on to
        # the workspace, so a team called "teams" cannot confuse it.
        if is_workspace(candidate) and candidate.name != TEAMS_FOLDER:
            return candidate
    return None


def default_workspace(cwd: Path | None = None) -> tuple[Path, bool]:
    """The workspace for a command given none: (its path, whether it is not cwd).

    Outside any workspace the current folder is returned, so the usual "no teams/
    folder" error names it.
    """
    here = (cwd or Path.cwd()).resolve()
    found = find_workspace(here)
    if found is None:
        return Path("."), False
    return (Path(".") if found == here else found), found != here


@dataclass(frozen=True)
class FileSelection:
    """What `validate FILE…` checks: the teams of the files, and which files to report."""

    root: Path
    team_dirs: tuple[Path, ...]
    files: frozenset[str]  # relative to root, forward slashes


def select_files(paths: list[Path]) -> FileSelection:
    """The workspace and teams of the given files. Raises NotInWorkspace.

    Files outside `teams/` (a hook configured broadly) are not team or rep files: they
    are left out. A file must be inside a team folder to be checked with its team.
    """
    root: Path | None = None
    team_dirs: dict[str, Path] = {}
    files: set[str] = set()
    for path in paths:
        found = find_workspace(path.parent if not path.is_dir() else path)
        if found is None:
            raise NotInWorkspace(f"{path} is not inside a workspace (no teams/ folder above it)")
        if root is not None and found != root:
            raise NotInWorkspace(f"{path} is in another workspace ({found}) than the files"
                                 f" before it ({root}); run validate once per workspace")
        root = found
        # The folder resolved, not the file: a symlinked rep file is named by its link.
        where = path.resolve() if path.is_dir() else path.parent.resolve() / path.name
        relative = where.relative_to(found).parts
        if len(relative) < 2 or relative[0] != TEAMS_FOLDER:
            continue
        team_dirs[relative[1]] = found / TEAMS_FOLDER / relative[1]
        if path.is_dir():
            files.add("/".join(relative[:2]) + "/")
        else:
            files.add("/".join(relative))
    assert root is not None
    return FileSelection(root, tuple(sorted(team_dirs.values())), frozenset(files))


def selected(problem_file: str, selection: FileSelection) -> bool:
    """Is a problem in one of the files asked for (or in a folder asked for)?"""
    return any(problem_file == wanted or (wanted.endswith("/") and
                                          problem_file.startswith(wanted))
               for wanted in selection.files)


# ------------------------------------------------------------- shell completion

def team_ids(root: Path | None = None) -> list[str]:
    root = root or find_workspace(Path.cwd())
    if root is None:
        return []
    teams = root / TEAMS_FOLDER
    return sorted(entry.name for entry in teams.iterdir()
                  if entry.is_dir() and (entry / "team.yaml").is_file())


def rep_ids(root: Path | None = None) -> list[tuple[str, str]]:
    """(team id, rep id) of every rep file."""
    root = root or find_workspace(Path.cwd())
    if root is None:
        return []
    return [(team, path.stem) for team in team_ids(root)
            for path in sorted((root / TEAMS_FOLDER / team / "reps").glob("*.yaml"))]
