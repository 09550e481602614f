"""Where things are in a workspace: its team folders and their rep files.

Kept apart from the loader (and free of the models) so that a build can plan its
outputs, and start its PDF workers, before it imports or reads anything heavier.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.links import check_top_folder
from reportgen.problems import DataError, Problem, Severity

TEAMS_FOLDER = "teams"


def builtin_templates() -> Path:
    """The templates shipped with reportgen (inside the wheel, or the source checkout)."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def template_folders(workspace: Path) -> list[Path]:
    """Where templates are looked up, first match wins: the workspace, then built-in."""
    builtin = builtin_templates()
    own = workspace / "templates"
    if own.is_dir() and own.resolve() != builtin.resolve():
        return [own.resolve(), builtin]
    return [builtin]


def _whole_folder(message: str) -> Problem:
    return Problem(f"{TEAMS_FOLDER}/", 1, 1, Severity.ERROR, "-", message)


def team_folders(root: Path) -> list[Path]:
    """The team folders of a workspace, sorted. Raises DataError when there are none."""
    teams_dir = root / TEAMS_FOLDER
    if not teams_dir.is_dir():
        raise DataError([_whole_folder("no teams/ folder in this workspace;"
                                       " create teams/<team-id>/team.yaml")])
    check_top_folder(root, TEAMS_FOLDER)
    # A linked team folder is listed (is_dir follows links) so that loading it can say
    # it is refused.
    team_dirs = sorted(entry for entry in teams_dir.iterdir()
                       if entry.is_dir() and not entry.name.startswith("."))
    if not team_dirs:
        raise DataError([_whole_folder("teams/ holds no team folders;"
                                       " create teams/<team-id>/team.yaml")])
    return team_dirs


def rep_paths(team_dir: Path) -> list[Path]:
    """The files in a team's reps/ folder, sorted, hidden ones left out (the loader
    reads those ending in .yaml and reports the ones that nearly do)."""
    reps_dir = team_dir / "reps"
    if not reps_dir.is_dir() or reps_dir.is_symlink() or team_dir.is_symlink():
        return []  # a linked folder is refused by the loader, never listed
    return [path for path in sorted(reps_dir.iterdir())
            if not path.name.startswith(".") and (path.is_file() or path.is_symlink())]
