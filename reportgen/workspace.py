"""Finding and loading a workspace: every team folder, every rep file, every problem.

`load_workspace` reads all files, validates each against its model, then checks what
needs a team and its reps together (skill ids against the framework, ratings against
the scale). It reports every problem in one go, sorted; it raises `DataError` only after
looking at everything.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from reportgen.encrypted import check_encryption
from reportgen.fields import SLUG
from reportgen.layout import rep_paths, team_folders
from reportgen.links import link_problem
from reportgen.model import Rep, Team
from reportgen.private_text import Zones, redact
from reportgen.problems import DataError, Problem, Severity
from reportgen.validation_errors import did_you_mean, looks_like_text, problems_from
from reportgen.yamlfile import Document, Scalar, YamlFileError, read_document


@dataclass(frozen=True)
class RepFile:
    id: str
    team_id: str
    document: Document
    rep: Rep

    @property
    def file(self) -> str:
        return self.document.file


@dataclass(frozen=True)
class TeamFile:
    id: str
    document: Document
    team: Team
    reps: tuple[RepFile, ...]

    @property
    def file(self) -> str:
        return self.document.file


@dataclass(frozen=True)
class Workspace:
    root: Path
    teams: tuple[TeamFile, ...]
    # Warnings found while loading (errors raise instead).
    problems: tuple[Problem, ...] = field(default=())

    def team(self, team_id: str) -> TeamFile | None:
        return next((team for team in self.teams if team.id == team_id), None)


def _whole_file(file: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(file, 1, 1, severity, "-", message)


def _slug_problem(file: str, name: str, what: str) -> Problem:
    suggestion = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
    hint = f" (such as '{suggestion}')" if suggestion and SLUG.fullmatch(suggestion) else ""
    return _whole_file(file, f"{what} '{name}' is not an id: use lowercase letters, digits"
                       f" and dashes{hint}")


def load_workspace(root: Path) -> Workspace:
    """Load and check every team and rep under `root/teams`. Raises DataError."""
    problems: list[Problem] = []
    teams = []
    for team_dir in team_folders(root):
        team_file, team_problems = load_team(root, team_dir)
        problems.extend(team_problems)
        if team_file is not None:
            teams.append(team_file)
    if any(problem.is_error for problem in problems):
        raise DataError(problems)
    return Workspace(root, tuple(teams), tuple(sorted(problems)))


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _read(path: Path, file: str, problems: list[Problem], zones: dict[str, Zones]
          ) -> Document | None:
    try:
        document = read_document(path, file)
    except YamlFileError as error:
        problems.append(error.problem)
        return None
    problems.extend(document.problems)
    zones[file] = document.private_zones
    return document


def load_team(root: Path, team_dir: Path) -> tuple[TeamFile | None, list[Problem]]:
    """One team folder: its team file and rep files, and every problem found in them."""
    problems: list[Problem] = []
    zones: dict[str, Zones] = {}  # file → its private zones
    team_id = team_dir.name
    folder = _relative(root, team_dir) + "/"
    if not SLUG.fullmatch(team_id):
        return None, [_slug_problem(folder, team_id, "team folder")]
    if team_dir.is_symlink():
        return None, [link_problem(folder, "a symbolic link to a folder")]
    if (team_dir / "reps").is_symlink():
        problems.append(link_problem(folder + "reps/", "a symbolic link to a folder"))
    team_path = team_dir / "team.yaml"
    team: Team | None = None
    document: Document | None = None
    if not team_path.is_file():
        if (team_dir / "team.yml").is_file():
            problems.append(_whole_file(folder + "team.yml", "rename to team.yaml"))
        else:
            problems.append(_whole_file(folder + "team.yaml", "missing: every team folder needs"
                                        " a team.yaml (name, manager, period)"))
    else:
        document = _read(team_path, folder + "team.yaml", problems, zones)
        if document is not None:
            try:
                team = Team.model_validate(document.data)
            except ValidationError as error:
                problems.extend(problems_from(error, Team, document))
            else:
                problems.extend(check_team(team, document))
                problems.extend(check_encryption(document, "plain"))
                if document.problems:
                    team = None
    reps, rep_files = _load_reps(root, team_dir, team_id, team, problems, zones)
    problems = _without_private_text(problems, zones)
    if team is None or document is None:
        return None, problems
    if not rep_files:
        problems.append(_whole_file(folder + "team.yaml", "the team has no reps yet; add"
                                    f" {folder}reps/<rep-id>.yaml", Severity.WARNING))
    return TeamFile(team_id, document, team, tuple(reps)), problems


def _without_private_text(problems: list[Problem], zones: dict[str, Zones]) -> list[Problem]:
    """Every problem redacted by the private zones of its file (see private_text.py):
    the documents' own messages are already; this catches any made elsewhere."""
    return [redact(problem, zones.get(problem.file, ())) for problem in problems]


def _load_reps(root: Path, team_dir: Path, team_id: str, team: Team | None,
               problems: list[Problem], zones: dict[str, Zones]) -> tuple[list[RepFile], int]:
    reps: list[RepFile] = []
    rep_files = 0
    for path in rep_paths(team_dir):
        file = _relative(root, path)
        if path.suffix in (".yml", ".YML", ".YAML", ".Yaml"):
            problems.append(_whole_file(file, f"rename to {path.stem}.yaml (rep files end in"
                                        " .yaml)"))
            continue
        if path.suffix != ".yaml":
            continue
        rep_files += 1
        if not SLUG.fullmatch(path.stem):
            problems.append(_slug_problem(file, path.stem, "rep file name"))
            continue
        document = _read(path, file, problems, zones)
        if document is None:
            continue
        if team is not None:
            problems.extend(check_rep(document.data, team, document, path.stem))
        problems.extend(check_encryption(document, team.private_notes if team else "plain",
                                         path.stem))
        try:
            rep = Rep.model_validate(document.data)
        except ValidationError as error:
            problems.extend(problems_from(error, Rep, document, rep=path.stem))
            continue
        if document.problems:
            continue
        reps.append(RepFile(path.stem, team_id, document, rep))
    return reps, rep_files


def check_team(team: Team, document: Document) -> list[Problem]:
    """What the team model cannot check on one field: unique skill ids, level ratings."""
    problems = []
    seen: set[str] = set()
    for index, skill in enumerate(team.skills):
        if skill.id in seen:
            problems.append(document.problem(("skills", index, "id"),
                                             f"skill id '{skill.id}' is listed twice"))
        seen.add(skill.id)
        for rating in skill.levels:
            if not team.scale.min <= rating <= team.scale.max:
                problems.append(document.problem(
                    ("skills", index, "levels", str(rating)),
                    f"level {rating} is outside the scale {team.scale.min}–{team.scale.max}",
                    key=True))
    for index, initiative in enumerate(team.initiatives):
        if initiative.skill not in team.skills_by_id:
            skill_ids = [skill.id for skill in team.skills]
            problems.append(document.problem(
                ("initiatives", index, "skill"),
                f"unknown skill '{initiative.skill}'{did_you_mean(initiative.skill, skill_ids)}"
                " (the team's framework lists: " + ", ".join(skill_ids) + ")"))
    untranslated = untranslated_locale(team.locale)
    if untranslated:
        problems.append(document.problem(("locale",), untranslated,
                                         severity=Severity.WARNING))
    return problems


def untranslated_locale(locale: str) -> str | None:
    """The one warning of a team whose language reportgen has no catalogue for: its pages'
    words stay English (the language of the templates), its figures and dates do not."""
    from babel import Locale

    from reportgen.translations import catalogue_file

    if Locale.parse(locale).language == "en" or catalogue_file(locale) is not None:
        return None
    return (f"no translation of the pages into '{Locale.parse(locale).language}' yet: their"
            f" words stay in English, figures and dates read as {locale}")


@functools.lru_cache(maxsize=1024)
def _edit_distance(a: str, b: str) -> int:
    if abs(len(a) - len(b)) > 2:
        return abs(len(a) - len(b))  # more than two apart: exact count not needed
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


# The results reportgen computes on; a key a typo away from one of them is an error.
KNOWN_RESULTS = ("closed", "pipeline", "commit", "best_case")


def check_rep(data: object, team: Team, document: Document, rep_id: str) -> list[Problem]:
    """Checks of a rep file against its team: framework skill ids, the scale, typos.

    Works on the file's raw data rather than the model, so these problems are reported
    together with the model's own, not only once the file is otherwise valid.
    """
    if not isinstance(data, dict):
        return []
    problems = []
    skill_ids = [skill.id for skill in team.skills]
    skills = data.get("skills")
    if isinstance(skills, dict):
        for skill_id, assessment in skills.items():
            if skill_id not in skill_ids and looks_like_text(skill_id):
                # Text that lost its indentation (maybe a private note): not repeated.
                problems.append(document.problem(
                    ("skills", skill_id), "this line reads as a skill id; check the"
                    " indentation of the text above it", key=True, rep=rep_id,
                    shown_path="skills.?"))
                continue
            if skill_id not in skill_ids:
                problems.append(document.problem(
                    ("skills", skill_id),
                    f"unknown skill '{skill_id}'{did_you_mean(skill_id, skill_ids)} (the"
                    " team's framework lists: " + ", ".join(skill_ids) + ")", key=True,
                    rep=rep_id))
                continue
            raw_rating = assessment.get("rating") if isinstance(assessment, dict) else (
                assessment)
            problem = _rating_out_of_scale(raw_rating, team)
            if problem:
                problems.append(document.problem(("skills", skill_id, "rating"), problem,
                                                 rep=rep_id))
            raw_self = assessment.get("self") if isinstance(assessment, dict) else None
            problem = _rating_out_of_scale(raw_self, team, "self-rating")
            if problem:
                problems.append(document.problem(("skills", skill_id, "self"), problem,
                                                 rep=rep_id))
    fixes = data.get("fixes")
    for index, fix in enumerate(fixes if isinstance(fixes, list) else []):
        skill = fix.get("skill") if isinstance(fix, dict) else None
        if isinstance(skill, Scalar) and skill.raw not in skill_ids:
            problems.append(document.problem(
                ("fixes", index, "skill"),
                f"unknown skill '{skill.raw}'{did_you_mean(skill.raw, skill_ids)}",
                rep=rep_id))
    results = data.get("results")
    for key in results if isinstance(results, dict) else {}:
        if key in KNOWN_RESULTS:
            continue
        if key.lower().startswith("priv"):
            # Other results are shown on the plan as written: never a private one.
            problems.append(document.problem(
                ("results", key), "results are shown on the plan; a private note belongs in"
                " a skill's or a one-on-one's `private` field", key=True, rep=rep_id,
                shown_path="results.private"))
            continue
        for known in KNOWN_RESULTS:
            if _edit_distance(key.lower(), known) <= 2:
                problems.append(document.problem(
                    ("results", key), f"unknown figure '{key}'; did you mean '{known}'?",
                    key=True, rep=rep_id))
                break
    return problems


def _rating_out_of_scale(raw_rating: object, team: Team, what: str = "rating") -> str | None:
    rating = raw_rating.number() if isinstance(raw_rating, Scalar) else None
    if not isinstance(rating, int) or isinstance(rating, bool):
        return None  # the model reports the type error
    if rating > team.scale.max:
        return f"{what} {rating} is above the scale maximum {team.scale.max}"
    if rating < team.scale.min:
        return f"{what} {rating} is below the scale minimum {team.scale.min}"
    return None
