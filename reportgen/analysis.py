"""The figures for a whole workspace on one date, with every warning placed in its file.

This joins the loaded workspace (files, positions) to the pure coaching functions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

from reportgen import meetings
from reportgen.capability import PersonPoint, people
from reportgen.coaching import RepFigures, TeamFigures, exact, rep_figures, team_figures
from reportgen.forecast import (
    RepForecast,
    TeamForecast,
    forecast_findings,
    rep_forecast,
    team_forecast,
)
from reportgen.forked_pool import forked_pool
from reportgen.history import History, unavailable
from reportgen.i18n import Text, ngettext
from reportgen.initiatives import GapResponse, gap_responses, initiative_findings
from reportgen.layout import team_folders
from reportgen.problems import Problem, Severity
from reportgen.roadblocks import OwnerGroup, roadblocks_by_owner
from reportgen.timeline import (
    Baseline,
    CoachingRecord,
    cadence_message,
    coaching_record,
    progress,
)
from reportgen.workspace import RepFile, TeamFile, Workspace, load_team

# Analyses made without asking git (history not wanted): nothing over time, no warning.
NO_HISTORY = unavailable("")


@dataclass(frozen=True)
class RepAnalysis:
    file: RepFile
    figures: RepFigures
    warnings: tuple[Problem, ...]
    forecast: RepForecast
    record: CoachingRecord | None = None

    @property
    def id(self) -> str:
        return self.file.id


@dataclass(frozen=True)
class TeamAnalysis:
    file: TeamFile
    figures: TeamFigures
    reps: tuple[RepAnalysis, ...]
    forecast: TeamForecast
    people: tuple[PersonPoint, ...]  # the performance × capability chart
    roadblocks: tuple[OwnerGroup, ...]  # every open roadblock, by owner
    gap_responses: tuple[GapResponse, ...]  # each team-wide gap and its initiatives
    warnings: tuple[Problem, ...]  # on team.yaml

    @property
    def active_reps(self) -> tuple[RepAnalysis, ...]:
        """The reps still on the team (not departed)."""
        return tuple(rep for rep in self.reps if not rep.figures.departed)

    @property
    def coverage(self) -> Fraction | None:
        """Open pipeline ÷ the gap to the manager's number; None once the number is met."""
        if self.figures.quota == 0 or self.figures.gap == 0:
            return None
        return exact(self.figures.pipeline) / exact(self.figures.gap)
    # The burn-up: (date, closed summed over the team's reps) per week end, then as_of.
    progress: tuple[tuple[date, int | float], ...] = ()
    # One line for the scorecard when some or all of the team has no git history.
    history_note: Text | str | None = None  # shown on the scorecard, translated

    @property
    def id(self) -> str:
        return self.file.id

    def rep(self, rep_id: str) -> RepAnalysis | None:
        return next((rep for rep in self.reps if rep.id == rep_id), None)


@dataclass(frozen=True)
class Analysis:
    as_of: date
    teams: tuple[TeamAnalysis, ...]
    # Load-time warnings and coaching warnings together, sorted.
    warnings: tuple[Problem, ...]


def analyse_team(team_file: TeamFile, as_of: date, history: History | None = None,
                 since: Baseline | None = None) -> TeamAnalysis:
    team = team_file.team
    history = history or NO_HISTORY
    reps = []
    histories = []
    for rep_file in team_file.reps:
        file_history = history.file(rep_file.file)
        histories.append(file_history)
        record = coaching_record(rep_file.rep, team, as_of, history, file_history, since)
        figures = rep_figures(rep_file.rep, team, as_of, record.implicit_assessed)
        findings = (*figures.findings, *forecast_findings(rep_file.rep, figures))
        warnings = [
            rep_file.document.problem(finding.path, finding.message,
                                      severity=Severity.WARNING, rep=rep_file.id)
            for finding in (*findings, *meetings.overdue_findings(rep_file.rep, as_of))]
        # A rep who has left is not coached any more: no cadence to keep.
        if record.cadence.overdue and not figures.departed:
            warnings.append(rep_file.document.problem(
                ("one_on_ones",), cadence_message(record.cadence, as_of),
                severity=Severity.WARNING, rep=rep_file.id))
        reps.append(RepAnalysis(rep_file, figures, tuple(warnings),
                                rep_forecast(rep_file.rep), record))
    figures = team_figures(team, [(rep.id, rep.file.rep, rep.figures) for rep in reps], as_of)
    forecast = team_forecast(figures.quota, [(rep.file.rep, rep.forecast) for rep in reps])
    here = [rep for rep in reps if not rep.figures.departed]
    responses = gap_responses(team, figures.team_wide_gaps)
    team_warnings = tuple(
        team_file.document.problem(finding.path, finding.message, severity=Severity.WARNING)
        for finding in initiative_findings(team, responses, as_of))
    return TeamAnalysis(
        team_file, figures, tuple(reps), forecast,
        people([(rep.id, rep.file.rep, rep.figures) for rep in reps], team.scale.target, as_of),
        roadblocks_by_owner(team.manager, [(rep.file.rep.name, rep.file.rep) for rep in here],
                            as_of),
        responses, team_warnings,
        progress=progress(team, history, histories, figures.closed, as_of),
        history_note=_history_note(history, sum(1 for file in histories if file is None)))


def _history_note(history: History, uncommitted: int) -> Text | str | None:
    if history.unavailable == "":
        return None
    if not history.available:
        return history.unavailable
    if uncommitted:
        return ngettext("%(count)s of this team's rep files is not committed to git yet: no"
                        " earlier record for it until it is",
                        "%(count)s of this team's rep files are not committed to git yet: no"
                        " earlier record for them until they are", uncommitted)
    return None


class SinceError(Exception):
    """A --since that names no date and no commit of the line (a usage error)."""


def since_baseline(workspace: Path, history: History, text: str | None) -> Baseline | None:
    """--since DATE|REV as a baseline for every rep. Raises SinceError."""
    if text is None:
        return None
    try:
        return Baseline(date.fromisoformat(text))
    except ValueError:
        pass
    if not history.available:
        raise SinceError(f"--since {text}: not a date (YYYY-MM-DD), and there is no git"
                         " history to find a commit in")
    from reportgen.history import resolve_revision

    sha = resolve_revision(workspace, text)
    index = history.index_of(sha) if sha else None
    if index is None:
        raise SinceError(f"--since {text}: neither a date (YYYY-MM-DD) nor a commit on the"
                         " first-parent line of HEAD")
    return Baseline(history.commits[index].day, index)


def history_problems(history: History | None, rep_files: list[str]) -> list[Problem]:
    """At most one warning about history: why there is none, or which rep files are not
    committed yet (their plans have no earlier record)."""
    if history is None or history.unavailable == "":
        return []
    if not history.available:
        return [Problem("teams/", 1, 1, Severity.WARNING, "-", str(history.unavailable or ""))]
    missing = [file for file in rep_files if history.file(file) is None]
    if not missing:
        return []
    others = f" and {len(missing) - 1} more rep files" if len(missing) > 1 else ""
    return [Problem(missing[0], 1, 1, Severity.WARNING, "-",
                    f"not committed to git yet{others}: the plan shows no earlier record"
                    " until it is (git add, git commit)")]


def analyse(workspace: Workspace, as_of: date, history: History | None = None,
            since: Baseline | None = None) -> Analysis:
    teams = tuple(analyse_team(team_file, as_of, history, since)
                  for team_file in workspace.teams)
    warnings = [*workspace.problems, *history_problems(
        history, [rep.file for team in workspace.teams for rep in team.reps])]
    for team in teams:
        warnings.extend(team.warnings)
        for rep in team.reps:
            warnings.extend(rep.warnings)
    return Analysis(as_of, teams, tuple(sorted(warnings)))


# Below this many rep files one process is faster than starting workers.
PARALLEL_FROM_REPS = 300


@dataclass(frozen=True)
class CheckResult:
    """What `validate` reports: every problem, and how much was checked."""

    teams: int
    reps: int
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if not problem.is_error)


def _check_team(job: tuple[Path, Path, date, History | None]
                ) -> tuple[int, int, list[Problem]]:
    root, team_dir, as_of, history = job
    team_file, problems = load_team(root, team_dir)
    if team_file is None:
        return 0, 0, problems
    if not any(problem.is_error for problem in problems):
        from reportgen.views import note_warnings

        analysis = analyse_team(team_file, as_of, history)
        problems.extend(analysis.warnings)
        for rep in analysis.reps:
            problems.extend(rep.warnings)
            problems.extend(note_warnings(analysis, rep, as_of))
    return 1, len(team_file.reps), problems


def check_workspace(root: Path, as_of: date, workers: int | None = None,
                    history: History | None = None) -> CheckResult:
    """Load and analyse every team, returning all problems (for `validate`).

    Unlike `load_workspace` + `analyse`, only problems come back from each team, so a
    large workspace can be spread over worker processes (one team each) at little cost.
    """
    team_dirs = team_folders(root)
    jobs = [(root, team_dir, as_of,
             history.only(f"teams/{team_dir.name}/") if history is not None else None)
            for team_dir in team_dirs]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    rep_files = sum(1 for team_dir in team_dirs for _ in team_dir.glob("reps/*.yaml"))
    if workers > 1 and len(jobs) > 1 and rep_files >= PARALLEL_FROM_REPS:
        # fork: the workers inherit the imported modules, so they start in milliseconds.
        with forked_pool(min(workers, len(jobs))) as pool:
            results = pool.map(_check_team, jobs, chunksize=max(1, len(jobs) // (4 * workers)))
    else:
        results = [_check_team(job) for job in jobs]
    current_files = sorted(path.relative_to(root).as_posix() for team_dir in team_dirs
                           for path in team_dir.glob("reps/*.yaml"))
    problems = sorted([*(problem for _, _, found in results for problem in found),
                       *history_problems(history, current_files)])
    return CheckResult(sum(teams for teams, _, _ in results),
                       sum(reps for _, reps, _ in results), tuple(problems))


def check_teams(root: Path, team_dirs: list[Path], as_of: date,
                history: History | None = None) -> CheckResult:
    """Like `check_workspace`, for some team folders only (`validate FILE…`)."""
    results = [_check_team((root, team_dir, as_of, history.only(
        f"teams/{team_dir.name}/") if history is not None else None))
        for team_dir in team_dirs]
    problems = sorted(problem for _, _, found in results for problem in found)
    return CheckResult(sum(teams for teams, _, _ in results),
                       sum(reps for _, reps, _ in results), tuple(problems))
