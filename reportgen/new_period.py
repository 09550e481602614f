"""Starting a new selling period for a team, safely (`reportgen new-period`).

Editing `period` by hand keeps last quarter's `closed`, so a rep reads "16 % on pace,
projected 291 %", and goals and fixes due last quarter raise nothing. This sets the new
period in team.yaml and, in every rep file of the team: `closed`, `commit` and
`best_case` to 0 (the other figures, `pipeline` first, keep their values: they are
still true on day one and the manager updates them); skills and one-on-ones as they
are; open fixes, goals and roadblocks carried, finished ones removed (git keeps them).

Files are edited with a round-trip YAML library, so comments, order and quoting stay as
the manager wrote them. Everything is checked before anything is written: either every
file of the team is updated, or none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reportgen import atomic
from reportgen.layout import TEAMS_FOLDER
from reportgen.problems import DataError, Problem, Severity
from reportgen.yaml_roundtrip import dump_text, keep_section_spacing, load_text

# Figures that count what was closed or forecast *in* the period: they restart at 0.
RESET_FIGURES = ("closed", "commit", "best_case")
OPEN_FIX_STATUSES = ("planned", "active")
# Goal statuses are free text; these words mean the goal is finished.
FINISHED_GOAL_WORDS = ("done", "met", "achieved", "complete", "completed", "closed",
                       "dropped", "missed", "cancelled", "canceled", "abandoned")


class NewPeriodRefused(Exception):
    """The team is already in that period, or the period is not usable: nothing changed."""


@dataclass
class FileChange:
    file: str  # relative to the workspace
    text: str  # the new content
    changes: list[str] = field(default_factory=list)


@dataclass
class NewPeriodPlan:
    team_id: str
    root: Path
    files: list[FileChange]
    warnings: list[Problem]

    def write(self) -> int:
        """Write every changed file (all or none); return how many."""
        # Every file is written to a temporary first, then all are renamed into place.
        changed = [change for change in self.files
                   if (self.root / change.file).read_text(encoding="utf-8") != change.text]
        temporaries: list[tuple[Path, Path]] = []
        try:
            for change in changed:
                target = self.root / change.file
                temporaries.append((atomic.write_temporary(target, change.text.encode("utf-8")),
                                    target))
        except BaseException:
            for temporary, _ in temporaries:
                temporary.unlink(missing_ok=True)
            raise
        for temporary, target in temporaries:
            atomic.commit(temporary, target)
        return len(changed)


def _period_words(name: object, start: object, end: object) -> str:
    return f"{name} ({start} – {end})"


def plan_new_period(root: Path, team_id: str, name: str, start: date, end: date,
                    as_of: date) -> NewPeriodPlan:
    """What `new-period` would change. Raises DataError, NewPeriodRefused."""
    from reportgen.workspace import load_team

    team_dir = root / TEAMS_FOLDER / team_id
    if not (team_dir / "team.yaml").is_file():
        raise NewPeriodRefused(f"no team '{team_id}' in this workspace"
                               f" ({TEAMS_FOLDER}/{team_id}/team.yaml does not exist)")
    if start > end:
        raise NewPeriodRefused(f"the period starts ({start}) after it ends ({end})")
    team_file, problems = load_team(root, team_dir)
    if team_file is None or any(problem.is_error for problem in problems):
        # Never rewrite files that do not validate: fix them first.
        raise DataError(problems, "; nothing was changed (fix these first).")
    current = team_file.team.period
    if current.name == name or (current.start, current.end) == (start, end):
        raise NewPeriodRefused(
            f"{team_file.file} is already in the period"
            f" {_period_words(current.name, current.start, current.end)}; nothing was changed")

    team_change = _new_team_text(team_file.file, (root / team_file.file).read_text("utf-8"),
                                 name, start, end)
    team_change.changes.insert(0, "period " + _period_words(current.name, current.start,
                                                              current.end)
                               + " → " + _period_words(name, start, end))
    files = [team_change]
    for rep in team_file.reps:
        files.append(_new_rep_text(rep.file, (root / rep.file).read_text("utf-8")))
    warnings = _check_new_files(files, team_id, start, end, as_of)
    return NewPeriodPlan(team_id, root, files, warnings)


def _new_team_text(file: str, text: str, name: str, start: date, end: date) -> FileChange:
    data = load_text(text)
    period = data["period"]
    period["name"] = name
    period["start"] = start
    period["end"] = end
    return FileChange(file, dump_text(data))


def _new_rep_text(file: str, text: str) -> FileChange:
    data = load_text(text)
    change = FileChange(file, "")
    results = data.get("results")
    reset = []
    for figure in RESET_FIGURES:
        if isinstance(results, dict) and figure in results and results[figure] not in (0, None):
            reset.append(f"{figure} {results[figure]} → 0")
            results[figure] = 0
    if reset:
        change.changes.append(", ".join(reset))
    kept = [key for key in (results or {}) if key not in RESET_FIGURES]
    if kept:
        change.changes.append("kept " + ", ".join(kept) + " (update for the new period)")
    carried, removed = [], []
    for key, is_open, noun, label in (
            ("fixes", _fix_is_open, "fix", "skill"),
            ("goals", _goal_is_open, "goal", "goal"),
            ("roadblocks", _roadblock_is_open, "roadblock", "issue")):
        items = data.get(key)
        if not isinstance(items, list) or not items:
            continue
        still_open = [index for index, item in enumerate(items) if is_open(item)]
        gone = [items[index] for index in range(len(items)) if index not in still_open]
        for index in reversed(range(len(items))):
            if index not in still_open:
                del items[index]
        if still_open:
            carried.append(_count(len(still_open), noun))
        if gone:
            removed.append(f"{_count(len(gone), 'finished ' + noun)}"
                           f" ({'; '.join(_short(item.get(label)) for item in gone)})")
        if not items:
            del data[key]
    if carried:
        change.changes.append("carried open " + ", ".join(carried))
    if removed:
        change.changes.append("removed " + ", ".join(removed) + " (git keeps them)")
    change.text = keep_section_spacing(text, dump_text(data))
    return change


def _fix_is_open(fix: Any) -> bool:
    status = fix.get("status") if isinstance(fix, dict) else None
    return status is None or str(status).strip().lower() in OPEN_FIX_STATUSES


def _goal_is_open(goal: Any) -> bool:
    status = goal.get("status") if isinstance(goal, dict) else None
    return status is None or str(status).strip().lower() not in FINISHED_GOAL_WORDS


def _roadblock_is_open(roadblock: Any) -> bool:
    return not isinstance(roadblock, dict) or roadblock.get("resolved") in (None, "")


def _short(text: object, limit: int = 40) -> str:
    words = " ".join(str(text).split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 'es' if noun.endswith('x') else 's'}"


def _check_new_files(files: list[FileChange], team_id: str, start: date, end: date,
                     as_of: date) -> list[Problem]:
    """The new files must still validate; warn about dates that no longer fit."""
    from pydantic import ValidationError

    from reportgen.model import Rep, Team
    from reportgen.validation_errors import problems_from
    from reportgen.workspace import check_rep, check_team
    from reportgen.yamlfile import parse_document

    problems: list[Problem] = []
    team_document = parse_document(files[0].text, files[0].file)
    try:
        team = Team.model_validate(team_document.data)
    except ValidationError as error:
        raise DataError(problems_from(error, Team, team_document),
                        "; nothing was changed.") from None
    problems.extend(check_team(team, team_document))
    if as_of > end:
        problems.append(team_document.problem(
            ("period", "end"), f"the new period ended on {end}, before {as_of} (the --as-of"
            " date): every figure will read as a finished period", severity=Severity.WARNING))
    for change in files[1:]:
        document = parse_document(change.text, change.file)
        rep_id = Path(change.file).stem
        problems.extend(check_rep(document.data, team, document, rep_id))
        try:
            rep = Rep.model_validate(document.data)
        except ValidationError as error:
            problems.extend(problems_from(error, Rep, document, rep=rep_id))
            continue
        if rep.departed is not None and rep.departed < start:
            # Their closed business counted last period; in the new one they have no
            # number to carry, and their plan stays off the outputs anyway.
            problems.append(document.problem(
                ("departed",), f"{rep.name} left on {rep.departed}, before the new period:"
                " remove this file (git keeps it) unless they are coming back",
                severity=Severity.WARNING, rep=rep_id))
        for kind, items in (("goals", rep.goals), ("fixes", rep.fixes)):
            for index, item in enumerate(items):
                if item.due is not None and item.due < start:
                    what = "goal" if kind == "goals" else "fix"
                    problems.append(document.problem(
                        (kind, index, "due"), f"this {what} was due {item.due}, before the"
                        f" new period starts ({start}): set a new due date or close it",
                        severity=Severity.WARNING, rep=rep_id))
    if any(problem.is_error for problem in problems):
        raise DataError(problems, "; nothing was changed.")
    return sorted(problems)
