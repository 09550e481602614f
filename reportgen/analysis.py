"""The figures for a whole workspace on one date, with every warning placed in its file.

This joins the loaded workspace (files, positions) to the pure coaching functions.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportgen.coaching import RepFigures, TeamFigures, rep_figures, team_figures
from reportgen.layout import team_folders
from reportgen.problems import Problem, Severity
from reportgen.workspace import RepFile, TeamFile, Workspace, load_team


@dataclass(frozen=True)
class RepAnalysis:
    file: RepFile
    figures: RepFigures
    warnings: tuple[Problem, ...]

    @property
    def id(self) -> str:
        return self.file.id


@dataclass(frozen=True)
class TeamAnalysis:
    file: TeamFile
    figures: TeamFigures
    reps: tuple[RepAnalysis, ...]

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


def analyse_team(team_file: TeamFile, as_of: date) -> TeamAnalysis:
    team = team_file.team
    reps = []
    for rep_file in team_file.reps:
        figures = rep_figures(rep_file.rep, team, as_of)
        warnings = tuple(
            rep_file.document.problem(finding.path, finding.message,
                                      severity=Severity.WARNING, rep=rep_file.id)
            for finding in figures.findings)
        reps.append(RepAnalysis(rep_file, figures, warnings))
    figures = team_figures(team, [(rep.id, rep.file.rep, rep.figures) for rep in reps], as_of)
    return TeamAnalysis(team_file, figures, tuple(reps))


def analyse(workspace: Workspace, as_of: date) -> Analysis:
    teams = tuple(analyse_team(team_file, as_of) for team_file in workspace.teams)
    warnings = [*workspace.problems]
    for team in teams:
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


def _check_team(job: tuple[Path, Path, date]) -> tuple[int, int, list[Problem]]:
    root, team_dir, as_of = job
    team_file, problems = load_team(root, team_dir)
    if team_file is None:
        return 0, 0, problems
    if not any(problem.is_error for problem in problems):
        for rep in analyse_team(team_file, as_of).reps:
            problems.extend(rep.warnings)
    return 1, len(team_file.reps), problems


def check_workspace(root: Path, as_of: date, workers: int | None = None) -> CheckResult:
    """Load and analyse every team, returning all problems (for `validate`).

    Unlike `load_workspace` + `analyse`, only problems come back from each team, so a
    large workspace can be spread over worker processes (one team each) at little cost.
    """
    team_dirs = team_folders(root)
    jobs = [(root, team_dir, as_of) for team_dir in team_dirs]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    rep_files = sum(1 for team_dir in team_dirs for _ in team_dir.glob("reps/*.yaml"))
    if workers > 1 and len(jobs) > 1 and rep_files >= PARALLEL_FROM_REPS:
        # fork: the workers inherit the imported modules, so they start in milliseconds.
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        with context.Pool(min(workers, len(jobs))) as pool:
            results = pool.map(_check_team, jobs, chunksize=max(1, len(jobs) // (4 * workers)))
    else:
        results = [_check_team(job) for job in jobs]
    problems = sorted(problem for _, _, found in results for problem in found)
    return CheckResult(sum(teams for teams, _, _ in results),
                       sum(reps for _, reps, _ in results), tuple(problems))


def check_teams(root: Path, team_dirs: list[Path], as_of: date) -> CheckResult:
    """Like `check_workspace`, for some team folders only (`validate FILE…`)."""
    results = [_check_team((root, team_dir, as_of)) for team_dir in team_dirs]
    problems = sorted(problem for _, _, found in results for problem in found)
    return CheckResult(sum(teams for teams, _, _ in results),
                       sum(reps for _, reps, _ in results), tuple(problems))
