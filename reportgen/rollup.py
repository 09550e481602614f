"""The VP's roll-up on the index: one row per team, totals only where they add up.

`team_rollup` turns one analysed team into plain JSON values (amounts, ISO dates,
ratios as "n/d" text), which the build keeps in the manifest with the team's summary,
so an index made after a one-rep change is the same byte for byte as a full one.
`org_view` makes the index's figures from those: the team rows, one total per group of
teams sharing period start, period end and currency (teams are never added across
periods or currencies), the skill gaps teams share, and every open roadblock by owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from reportgen.coaching import exact, plain_number
from reportgen.roadblocks import MANAGER

if TYPE_CHECKING:
    from reportgen.analysis import TeamAnalysis
    from reportgen.summary import TeamSummary

Number = int | float


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def team_rollup(team: TeamAnalysis) -> dict[str, Any]:
    model, figures, forecast = team.file.team, team.figures, team.forecast
    return {
        "period_start": model.period.start.isoformat(),
        "period_end": model.period.end.isoformat(),
        "elapsed": _fraction_text(figures.elapsed),
        "pipeline": figures.pipeline,
        "gap": figures.gap,
        "rep_quota_sum": forecast.rep_quota_sum,
        "forecast_commit": forecast.forecast_commit,
        "forecast_best_case": forecast.forecast_best_case,
        "coverage_target": model.coverage_target,
        # Reps still on the team whose one-on-one cadence is overdue (the seed's first
        # duty, constant work with each person, seen from the VP's chair).
        "cadence_overdue": [rep.file.rep.name for rep in team.active_reps
                            if rep.record is not None and rep.record.cadence.overdue],
        "gaps": [{
            "skill": response.gap.skill.id, "name": response.gap.skill.name,
            "below": len(response.gap.below_target), "rated": response.gap.rated,
            "answered": response.answered,
            "initiatives": [initiative.what for _, initiative in response.initiatives
                            if initiative.is_open],
        } for response in team.gap_responses],
        "roadblocks": [{
            "owner": group.owner, "kind": group.kind,
            "roadblocks": [{"issue": block.issue,
                            "raised": block.raised.isoformat() if block.raised else None,
                            "age_days": block.age_days, "reps": list(block.reps)}
                           for block in group.roadblocks],
        } for group in team.roadblocks],
    }


# ------------------------------------------------------------------------------ the org

def ratio(part: Number | Fraction, whole: Number | Fraction) -> Fraction | None:
    return None if whole == 0 else exact(part) / exact(whole)


def _sum(amounts: list[Number]) -> Number:
    return plain_number(sum((exact(amount) for amount in amounts), Fraction(0)))


@dataclass(frozen=True)
class Figures:
    """The roll-up figures of one team or one group of comparable teams."""

    quota: Number
    closed: Number
    pipeline: Number
    gap: Number
    forecast_commit: Number
    forecast_best_case: Number
    rep_quota_sum: Number
    elapsed: Fraction
    attention: int
    reps: int

    @property
    def attainment(self) -> Fraction | None:
        return ratio(self.closed, self.quota)

    @property
    def commit_attainment(self) -> Fraction | None:
        return ratio(self.forecast_commit, self.quota)

    @property
    def best_case_attainment(self) -> Fraction | None:
        return ratio(self.forecast_best_case, self.quota)

    @property
    def projected(self) -> Fraction | None:
        share = self.attainment
        return None if share is None or self.elapsed == 0 else share / self.elapsed

    @property
    def coverage(self) -> Fraction | None:
        """Open pipeline ÷ the gap to the number; None once the number is met."""
        return None if self.quota == 0 or self.gap == 0 else ratio(self.pipeline, self.gap)

    @property
    def on_pace(self) -> bool | None:
        share = self.attainment
        return None if share is None else share >= self.elapsed

    @property
    def quota_met(self) -> bool:
        return self.quota != 0 and self.gap == 0


@dataclass(frozen=True)
class TeamRow:
    team: TeamSummary
    figures: Figures
    attention_names: tuple[str, ...]
    coverage_target: float


@dataclass(frozen=True)
class Group:
    """Teams that can be added up: same period start, period end and currency."""

    period_names: tuple[str, ...]
    start: date
    end: date
    currency: str
    rows: tuple[TeamRow, ...]
    total: Figures


def _team_figures(team: TeamSummary) -> Figures:
    rollup = team.rollup
    here = [rep for rep in team.reps if not rep.departed]
    return Figures(
        quota=team.quota, closed=team.closed, pipeline=rollup["pipeline"],
        gap=rollup["gap"], forecast_commit=rollup["forecast_commit"],
        forecast_best_case=rollup["forecast_best_case"],
        rep_quota_sum=rollup["rep_quota_sum"], elapsed=Fraction(rollup["elapsed"]),
        attention=sum(1 for rep in here if rep.needs_attention), reps=len(here))


def _total(rows: list[TeamRow]) -> Figures:
    figures = [row.figures for row in rows]
    quota = _sum([f.quota for f in figures])
    closed = _sum([f.closed for f in figures])
    return Figures(
        quota=quota, closed=closed, pipeline=_sum([f.pipeline for f in figures]),
        # The group's gap is to the sum of the numbers, not the sum of the teams' gaps:
        # one team over its number offsets another under it, as the VP's number does.
        gap=plain_number(max(exact(quota) - exact(closed), Fraction(0))),
        forecast_commit=_sum([f.forecast_commit for f in figures]),
        forecast_best_case=_sum([f.forecast_best_case for f in figures]),
        rep_quota_sum=_sum([f.rep_quota_sum for f in figures]),
        elapsed=figures[0].elapsed, attention=sum(f.attention for f in figures),
        reps=sum(f.reps for f in figures))


def team_groups(teams: list[TeamSummary]) -> list[Group]:
    """Teams grouped by (period start, period end, currency), earliest period first."""
    grouped: dict[tuple[str, str, str], list[TeamRow]] = {}
    for team in sorted(teams, key=lambda team: team.id):
        rollup = team.rollup
        row = TeamRow(team, _team_figures(team),
                      tuple(rep.name for rep in team.reps
                            if rep.needs_attention and not rep.departed),
                      rollup["coverage_target"])
        grouped.setdefault((rollup["period_start"], rollup["period_end"], team.currency),
                           []).append(row)
    groups = []
    for (start, end, currency), rows in sorted(grouped.items()):
        names = tuple(dict.fromkeys(row.team.period for row in rows))
        groups.append(Group(names, date.fromisoformat(start), date.fromisoformat(end), currency,
                            tuple(rows), _total(rows)))
    return groups


@dataclass(frozen=True)
class SharedGap:
    skill: str
    name: str
    teams: tuple[tuple[str, int, int, bool], ...]  # (team name, below, rated, answered)

    @property
    def unanswered(self) -> int:
        return sum(1 for *_, answered in self.teams if not answered)


def shared_gaps(teams: list[TeamSummary]) -> list[SharedGap]:
    """Each skill that is a team-wide gap somewhere, the most widely shared first.

    Skills are matched across teams by id (each team has its own framework)."""
    by_skill: dict[str, tuple[str, list[tuple[str, int, int, bool]]]] = {}
    for team in sorted(teams, key=lambda team: team.id):
        for gap in team.rollup["gaps"]:
            _, found = by_skill.setdefault(gap["skill"], (gap["name"], []))
            found.append((team.name, gap["below"], gap["rated"], gap["answered"]))
    gaps = [SharedGap(skill, name, tuple(found)) for skill, (name, found) in by_skill.items()]
    gaps.sort(key=lambda gap: (-len(gap.teams), -sum(below for _, below, _, _ in gap.teams),
                               gap.name.casefold()))
    return gaps


@dataclass(frozen=True)
class OrgRoadblock:
    issue: str
    raised: str | None
    age_days: int | None
    blocked: tuple[str, ...]  # "Rep (Team)"


@dataclass(frozen=True)
class OrgOwner:
    owner: str
    kind: str  # "manager" (a team's manager), "no owner", "rep", "other"
    roadblocks: tuple[OrgRoadblock, ...]
    teams: tuple[str, ...] = ()  # the teams whose reps it blocks


def org_roadblocks(teams: list[TeamSummary]) -> list[OrgOwner]:
    """Every open roadblock in the org by owner: the managers first (each by name), then
    unowned, then the rest; within an owner the oldest first. A roadblock the reps own
    themselves stays with their team's manager to chase, so it is listed as "The rep"."""
    owners: dict[tuple[int, str], tuple[str, str, dict[str, list[Any]]]] = {}
    teams_of: dict[tuple[int, str], list[str]] = {}
    for team in sorted(teams, key=lambda team: team.id):
        for group in team.rollup["roadblocks"]:
            order = {MANAGER: 0, "no owner": 1}.get(group["kind"], 2)
            key = (order, " ".join(group["owner"].split()).casefold())
            _, _, issues = owners.setdefault(key, (group["owner"], group["kind"], {}))
            if team.name not in teams_of.setdefault(key, []):
                teams_of[key].append(team.name)
            for block in group["roadblocks"]:
                issue_key = " ".join(block["issue"].split()).casefold()
                entry = issues.setdefault(issue_key, [block["issue"], block["raised"],
                                                      block["age_days"], []])
                if block["raised"] is not None and (entry[1] is None
                                                    or block["raised"] < entry[1]):
                    entry[1], entry[2] = block["raised"], block["age_days"]
                entry[3].extend(f"{rep} ({team.name})" for rep in block["reps"])
    result = []
    for (order, name_key), (owner, kind, issues) in owners.items():
        blocks = [OrgRoadblock(issue, raised, age, tuple(blocked))
                  for issue, raised, age, blocked in issues.values()]
        blocks.sort(key=lambda block: (block.raised is None, block.raised or "",
                                       block.issue.casefold()))
        oldest = max((block.age_days or 0 for block in blocks), default=0)
        result.append(((order, -oldest, name_key),
                       OrgOwner(owner, kind, tuple(blocks), tuple(teams_of[(order, name_key)]))))
    result.sort(key=lambda item: item[0])
    return [owner for _, owner in result]
