"""The coaching figures: pure functions from models and a date to numbers and priorities.

No I/O here. Ratios are exact `Fraction`s so that "on pace" (attainment ≥ period
elapsed) is decided without float ties; callers turn them into floats for display and
JSON. Warnings come back as `Finding`s (a field path and a message) that the caller
places in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from reportgen.i18n import N_, Text, ngettext
from reportgen.model import Action, Fix, Rep, Roadblock, SkillDefinition, Team
from reportgen.yamlfile import NodePath

Amount = int | float


@dataclass(frozen=True)
class Finding:
    """A warning about one place in a rep file."""

    path: NodePath
    message: str | Text  # a Text: shown on the scorecard in the team's language


@dataclass(frozen=True)
class SkillStanding:
    skill: SkillDefinition
    order: int  # position in the team's framework: breaks ties
    rating: int | None
    target: int
    assessed: date | None
    evidence: str | None
    stale: bool
    gap: int | None
    impact: float | None
    # True when `assessed` is the date of the commit that set a bare rating.
    assessed_from_history: bool = False

    @property
    def assessed_yet(self) -> bool:
        return self.rating is not None


@dataclass(frozen=True)
class ActionStatus:
    action: Action
    overdue: bool


@dataclass(frozen=True)
class FixView:
    """A fix with what the plan needs to show about it."""

    index: int  # position in the rep's file
    fix: Fix
    skill: SkillDefinition | None
    actions: tuple[ActionStatus, ...]

    @property
    def done_actions(self) -> int:
        return sum(1 for status in self.actions if status.action.done)

    @property
    def overdue_actions(self) -> int:
        return sum(1 for status in self.actions if status.overdue)


@dataclass(frozen=True)
class RepFigures:
    quota: Amount
    closed: Amount
    pipeline: Amount
    remaining: Amount
    attainment: Fraction | None
    elapsed: Fraction
    on_pace: bool | None
    projected: Fraction | None
    needed_per_week: float | None
    coverage: Fraction | None
    coverage_target: float
    quota_met: bool
    needs_attention: bool
    skills: tuple[SkillStanding, ...]
    next_fixes: tuple[SkillStanding, ...]
    fixes: tuple[FixView, ...]
    open_roadblocks: tuple[Roadblock, ...]
    findings: tuple[Finding, ...]
    # Left the team on or before as_of: no plan, no coaching warnings, not in the
    # performance × capability chart; their closed business still counts.
    departed: bool = False

    def fixes_with(self, *statuses: str) -> tuple[FixView, ...]:
        return tuple(view for view in self.fixes if view.fix.status in statuses)

    @property
    def active_fixes(self) -> tuple[FixView, ...]:
        return self.fixes_with("active")

    @property
    def unassessed(self) -> tuple[SkillStanding, ...]:
        return tuple(standing for standing in self.skills if not standing.assessed_yet)


@dataclass(frozen=True)
class TeamGap:
    skill: SkillDefinition
    rated: int
    below_target: tuple[str, ...]  # rep ids


@dataclass(frozen=True)
class ManagerRoadblock:
    rep_id: str
    rep_name: str
    roadblock: Roadblock
    age_days: int | None


@dataclass(frozen=True)
class TeamFigures:
    quota: Amount
    closed: Amount
    pipeline: Amount
    attainment: Fraction | None
    gap: Amount
    elapsed: Fraction
    on_pace: bool | None
    projected: Fraction | None
    team_wide_gaps: tuple[TeamGap, ...]
    manager_roadblocks: tuple[ManagerRoadblock, ...]


# ------------------------------------------------------------------------------ numbers

def exact(amount: Amount | Fraction) -> Fraction:
    """An amount as the exact number written: 0.3 is 3/10, not the nearest binary float.

    A float's repr is the shortest text that reads back as the same float, which for
    anything a person writes in a YAML file is what they wrote.
    """
    if isinstance(amount, Fraction):
        return amount
    if isinstance(amount, float):
        return Fraction(repr(amount))
    return Fraction(amount)


def plain_number(value: Fraction) -> Amount:
    """An exact sum or difference back as an int when whole, else a float."""
    return value.numerator if value.denominator == 1 else float(value)


def attainment(closed: Amount, quota: Amount) -> Fraction | None:
    """closed ÷ quota; not applicable (None) for a quota of 0."""
    if quota == 0:
        return None
    return exact(closed) / exact(quota)


def period_elapsed(start: date, end: date, as_of: date) -> Fraction:
    """Share of the period gone by on `as_of`, counting both ends, clipped to 0…1."""
    total_days = (end - start).days + 1
    if total_days <= 0:
        return Fraction(0)
    elapsed = Fraction((as_of - start).days + 1, total_days)
    return min(max(elapsed, Fraction(0)), Fraction(1))


def rep_period_start(team: Team, rep: Rep) -> date:
    """A mid-period hire is judged from their start date."""
    if rep.start_date is not None and rep.start_date > team.period.start:
        return rep.start_date
    return team.period.start


def remaining(quota: Amount, closed: Amount) -> Amount:
    return plain_number(max(exact(quota) - exact(closed), Fraction(0)))


def coverage(pipeline: Amount, remaining_quota: Amount) -> Fraction | None:
    """pipeline ÷ remaining; None once the quota is met (nothing left to cover)."""
    if remaining_quota == 0:
        return None
    return exact(pipeline) / exact(remaining_quota)


def on_pace(attainment_ratio: Fraction | None, elapsed: Fraction) -> bool | None:
    if attainment_ratio is None:
        return None
    return attainment_ratio >= elapsed


def projected(attainment_ratio: Fraction | None, elapsed: Fraction) -> Fraction | None:
    """Attainment at the period's end if the rep keeps this rate."""
    if attainment_ratio is None or elapsed == 0:
        return None
    return attainment_ratio / elapsed


def needed_per_week(remaining_quota: Amount, period_start: date, end: date,
                    as_of: date) -> float | None:
    """What the rep must close per week from tomorrow to reach the number."""
    # From tomorrow, or from the period's first day if it has not begun (computed
    # without stepping before it: a period may start on 0001-01-01).
    days_left = (end - as_of).days if as_of >= period_start else (end - period_start).days + 1
    if days_left <= 0:
        return None
    return float(exact(remaining_quota) / Fraction(days_left, 7))


def is_stale(assessed: date | None, as_of: date, stale_after_days: int) -> bool:
    return assessed is not None and (as_of - assessed).days > stale_after_days


# ------------------------------------------------------------------------------- skills

def skill_standings(rep: Rep, team: Team, as_of: date,
                    implicit_assessed: dict[str, date] | None = None
                    ) -> tuple[SkillStanding, ...]:
    """`implicit_assessed`: the date git says each bare rating was set (history.py)."""
    implicit_assessed = implicit_assessed or {}
    standings = []
    target = team.scale.target
    for order, skill in enumerate(team.skills):
        assessment = rep.skills.get(skill.id)
        if assessment is None:
            standings.append(SkillStanding(skill, order, None, target, None, None, False,
                                           None, None))
            continue
        gap = max(0, target - assessment.rating)
        assessed = assessment.assessed or implicit_assessed.get(skill.id)
        standings.append(SkillStanding(
            skill, order, assessment.rating, target, assessed,
            assessment.evidence, is_stale(assessed, as_of, team.stale_after_days),
            gap, round(skill.weight * gap, 6),
            assessment.assessed is None and assessed is not None))
    return tuple(standings)


def next_fixes(standings: tuple[SkillStanding, ...], fixes: tuple[Fix, ...],
               limit: int = 2) -> tuple[SkillStanding, ...]:
    """The biggest-impact skills no planned or active fix covers yet, at most `limit`."""
    covered = {fix.skill for fix in fixes if fix.in_flight}
    candidates = [standing for standing in standings
                  if standing.impact and standing.impact > 0 and standing.skill.id not in covered]
    candidates.sort(key=lambda standing: (-(standing.impact or 0), standing.order))
    return tuple(candidates[:limit])


def is_overdue(action: Action, fix: Fix, as_of: date) -> bool:
    return (not action.done and fix.in_flight and action.due is not None
            and action.due < as_of)


def fix_views(rep: Rep, team: Team, as_of: date) -> tuple[FixView, ...]:
    return tuple(
        FixView(index, fix, team.skill(fix.skill),
                tuple(ActionStatus(action, is_overdue(action, fix, as_of))
                      for action in fix.actions))
        for index, fix in enumerate(rep.fixes))


# ----------------------------------------------------------------------------- warnings

def rep_findings(rep: Rep, team: Team, standings: tuple[SkillStanding, ...],
                 fixes: tuple[FixView, ...], as_of: date) -> tuple[Finding, ...]:
    findings = []
    unassessed = [standing.skill.name for standing in standings if not standing.assessed_yet]
    if unassessed:
        findings.append(Finding(("skills",), N_("not yet assessed: %(skills)s",
                                                skills=", ".join(unassessed))))
    for standing in standings:
        if standing.stale and standing.assessed is not None:
            age = (as_of - standing.assessed).days
            stale = dict(skill=standing.skill.name, day=standing.assessed,
                         stale=team.stale_after_days)
            findings.append(Finding(
                ("skills", standing.skill.id, "assessed"),
                ngettext("%(skill)s was rated %(count)s day ago (in the commit of %(day)s)"
                         " (stale after %(stale)s); reassess it",
                         "%(skill)s was rated %(count)s days ago (in the commit of %(day)s)"
                         " (stale after %(stale)s); reassess it", age, **stale)
                if standing.assessed_from_history else
                ngettext("%(skill)s was assessed %(count)s day ago (stale after %(stale)s);"
                         " reassess it",
                         "%(skill)s was assessed %(count)s days ago (stale after %(stale)s);"
                         " reassess it", age, **stale)))
    for view in fixes:
        for action_index, status in enumerate(view.actions):
            if status.overdue:
                findings.append(Finding(
                    ("fixes", view.index, "actions", action_index, "due"),
                    N_("action overdue since %(day)s: %(action)s", day=status.action.due,
                       action=_short(status.action.do))))
    active = sum(1 for view in fixes if view.fix.status == "active")
    if active > 2:
        findings.append(Finding(("fixes",), N_("%(count)s active fixes; focus on one or two"
                                               " (set the others to planned)", count=active)))
    if rep.start_date is not None and rep.start_date > team.period.end:
        findings.append(Finding(("start_date",), N_("the rep starts after the period ends")))
    return tuple(findings)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------- rep, team

def has_departed(rep: Rep, as_of: date) -> bool:
    """A rep who leaves later this period is still coached until that day."""
    return rep.departed is not None and rep.departed <= as_of


def rep_figures(rep: Rep, team: Team, as_of: date,
                implicit_assessed: dict[str, date] | None = None) -> RepFigures:
    quota, closed, pipeline = rep.quota, rep.results.closed, rep.results.pipeline
    departed = has_departed(rep, as_of)
    start = rep_period_start(team, rep)
    elapsed = period_elapsed(start, team.period.end, as_of)
    ratio = attainment(closed, quota)
    left = remaining(quota, closed)
    cover = coverage(pipeline, left) if quota != 0 else None
    pace = on_pace(ratio, elapsed)
    quota_met = quota != 0 and left == 0
    needs_attention = quota != 0 and not departed and (
        not pace or (not quota_met and cover is not None
                     and cover < exact(team.coverage_target)))
    standings = skill_standings(rep, team, as_of, implicit_assessed)
    fixes = fix_views(rep, team, as_of)
    return RepFigures(
        quota=quota, closed=closed, pipeline=pipeline, remaining=left,
        attainment=ratio, elapsed=elapsed, on_pace=pace, projected=projected(ratio, elapsed),
        needed_per_week=needed_per_week(left, start, team.period.end, as_of)
        if quota != 0 else None,
        coverage=cover, coverage_target=team.coverage_target, quota_met=quota_met,
        needs_attention=needs_attention, skills=standings,
        next_fixes=next_fixes(standings, rep.fixes), fixes=fixes,
        open_roadblocks=tuple(block for block in rep.roadblocks if block.is_open),
        # Nobody coaches a rep who has left: their file keeps only the record.
        findings=() if departed else rep_findings(rep, team, standings, fixes, as_of),
        departed=departed,
    )


def team_wide_gaps(team: Team, standings_by_rep: dict[str, tuple[SkillStanding, ...]]
                   ) -> tuple[TeamGap, ...]:
    """Skills rated on two reps or more where half or more are below target."""
    gaps = []
    for order, skill in enumerate(team.skills):
        rated = {rep_id: standings[order] for rep_id, standings in standings_by_rep.items()
                 if standings[order].rating is not None}
        below = tuple(rep_id for rep_id, standing in sorted(rated.items())
                      if (standing.rating or 0) < team.scale.target)
        if len(rated) >= 2 and 2 * len(below) >= len(rated):
            gaps.append(TeamGap(skill, len(rated), below))
    return tuple(gaps)


def is_managers(roadblock: Roadblock, team: Team) -> bool:
    owner = (roadblock.owner or "").strip().casefold()
    return owner in ("manager", team.manager.strip().casefold())


def manager_roadblocks(team: Team, reps: list[tuple[str, Rep]], as_of: date
                       ) -> tuple[ManagerRoadblock, ...]:
    found = [
        ManagerRoadblock(rep_id, rep.name, block,
                         (as_of - block.raised).days if block.raised else None)
        for rep_id, rep in reps for block in rep.roadblocks
        if block.is_open and is_managers(block, team)
    ]
    # Oldest first; undated ones last, as nobody knows how long they have waited.
    found.sort(key=lambda item: (item.roadblock.raised is None,
                                 item.roadblock.raised or date.min, item.rep_id))
    return tuple(found)


def team_figures(team: Team, reps: list[tuple[str, Rep, RepFigures]], as_of: date
                 ) -> TeamFigures:
    closed = plain_number(sum((exact(figures.closed) for _, _, figures in reps), Fraction(0)))
    pipeline = plain_number(sum((exact(figures.pipeline) for _, _, figures in reps),
                                Fraction(0)))
    quota = team.quota if team.quota is not None else plain_number(
        sum((exact(figures.quota) for _, _, figures in reps), Fraction(0)))
    ratio = attainment(closed, quota)
    elapsed = period_elapsed(team.period.start, team.period.end, as_of)
    return TeamFigures(
        quota=quota, closed=closed, pipeline=pipeline, attainment=ratio,
        gap=remaining(quota, closed), elapsed=elapsed, on_pace=on_pace(ratio, elapsed),
        projected=projected(ratio, elapsed),
        # Reps who have left are no longer part of the team's skills or roadblocks.
        team_wide_gaps=team_wide_gaps(team, {rep_id: figures.skills
                                             for rep_id, _, figures in reps
                                             if not figures.departed}),
        manager_roadblocks=manager_roadblocks(
            team, [(rep_id, rep) for rep_id, rep, figures in reps if not figures.departed],
            as_of),
    )
