"""Coaching over time: pure figures from a rep file's past versions and its state now.

No git here (history.py reads it): these functions take snapshots, commit dates and a
date, like coaching.py takes models. Definitions are SPEC's "Coaching over time".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from reportgen.coaching import exact, plain_number, rep_period_start
from reportgen.history import Commit, FileHistory, History
from reportgen.i18n import N_, Text
from reportgen.model import Rep, Team
from reportgen.snapshot import EMPTY, FixState, Snapshot

Amount = int | float
# A skill's trend shows its latest points only: a plan has room for a few marks.
HISTORY_POINTS = 8
DEFAULT_EVERY_DAYS = 14


# ------------------------------------------------------------------------------ since

@dataclass(frozen=True)
class FixChange:
    skill: str
    focus: str | None
    before: str | None  # status in the baseline; None: the fix is new
    after: str


@dataclass(frozen=True)
class GoalChange:
    goal: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Since:
    """What changed in a rep file from the baseline to now."""

    base_date: date
    base_commit: str | None  # None: the file did not exist at the baseline
    ratings: tuple[tuple[str, int | None, int | None], ...]  # (skill, from, to)
    closed_delta: Amount
    pipeline_delta: Amount
    actions_done: tuple[str, ...]
    fixes: tuple[FixChange, ...]
    goals: tuple[GoalChange, ...]
    roadblocks_raised: tuple[str, ...]
    roadblocks_resolved: tuple[str, ...]

    @property
    def nothing_changed(self) -> bool:
        return not (self.ratings or self.closed_delta or self.pipeline_delta
                    or self.actions_done or self.fixes or self.goals
                    or self.roadblocks_raised or self.roadblocks_resolved)


def last_one_on_one_before(rep: Rep, team: Team, as_of: date) -> date:
    """SPEC's `last`: the latest one-on-one strictly before as_of (one dated as_of is
    today's meeting); none: the later of period.start and start_date."""
    earlier = [meeting.date for meeting in rep.one_on_ones if meeting.date < as_of]
    return max(earlier) if earlier else rep_period_start(team, rep)


def compare(base_date: date, base_commit: str | None, baseline: Snapshot, now: Snapshot
            ) -> Since:
    """The "since" lists: what `now` has that `baseline` did not (SPEC's settled rules)."""
    ratings = []
    for state in now.ratings:
        before = baseline.rating(state.skill)
        if before != state.rating:
            ratings.append((state.skill, before, state.rating))
    now_skills = {state.skill for state in now.ratings}
    ratings.extend((state.skill, state.rating, None) for state in baseline.ratings
                   if state.skill not in now_skills)

    base_fixes: dict[tuple[str, str | None], FixState] = {}
    for fix in baseline.fixes:
        base_fixes.setdefault(fix.identity, fix)
    fixes, actions_done = [], []
    for fix in now.fixes:
        before = base_fixes.get(fix.identity)
        if before is None or before.status != fix.status:
            fixes.append(FixChange(fix.skill, fix.focus, before.status if before else None,
                                   fix.status))
        done_before = {action.do for action in (before.actions if before else ())
                       if action.done}
        actions_done.extend(action.do for action in fix.actions
                            if action.done and action.do not in done_before)

    base_goals: dict[str, str | None] = {}
    for goal in baseline.goals:
        base_goals.setdefault(goal.goal, goal.status)
    goals = [GoalChange(goal.goal, base_goals.get(goal.goal), goal.status)
             for goal in now.goals if base_goals.get(goal.goal) != goal.status]

    base_blocks = {}
    for block in baseline.roadblocks:
        base_blocks.setdefault(block.issue, block)
    raised = [block.issue for block in now.roadblocks if block.issue not in base_blocks]
    resolved = [block.issue for block in now.roadblocks if block.resolved is not None and (
        block.issue not in base_blocks or base_blocks[block.issue].resolved is None)]
    return Since(
        base_date, base_commit, tuple(ratings),
        plain_number(exact(now.closed) - exact(baseline.closed)),
        plain_number(exact(now.pipeline) - exact(baseline.pipeline)),
        tuple(actions_done), tuple(fixes), tuple(goals), tuple(_unique(raised)),
        tuple(_unique(resolved)))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class Baseline:
    """`--since`: a date, or a commit of the line (its index and id)."""

    day: date
    commit_index: int | None = None


def since(history: History, file: FileHistory, now: Snapshot, base: Baseline) -> Since:
    index = base.commit_index if base.commit_index is not None else history.commit_at(
        base.day)
    state = file.state_at(index)
    if state is None:
        return compare(base.day, None, EMPTY, now)
    assert index is not None
    return compare(base.day, history.commits[index].sha, state, now)


# ----------------------------------------------------------------------------- trends

def skill_history(commits: tuple[Commit, ...], file: FileHistory, now: Snapshot,
                  as_of: date) -> dict[str, tuple[tuple[date, int], ...]]:
    """Per skill rated now: (date, rating) at each commit where the rating differs from
    the commit before (dated its `assessed`, else the commit date), then now if it
    differs from the last commit; the latest HISTORY_POINTS."""
    trends = {}
    head = file.versions[-1][1] if file.versions else None
    for state in now.ratings:
        points: list[tuple[date, int]] = []
        previous: int | None = None
        for index, snapshot in file.versions:
            rated = snapshot.rating_state(state.skill) if snapshot else None
            rating = rated.rating if rated else None
            if rated is not None and rating != previous:
                points.append((rated.assessed or commits[index].day, rated.rating))
            previous = rating
        if head is None or head.rating(state.skill) != state.rating:
            points.append((state.assessed or as_of, state.rating))
        trends[state.skill] = tuple(points[-HISTORY_POINTS:])
    return trends


def fix_history(commits: tuple[Commit, ...], file: FileHistory | None, now: Snapshot,
                as_of: date) -> tuple[tuple[FixState, tuple[tuple[date, str], ...]], ...]:
    """Per fix present now (file order): (date, status) each time its status changed
    along the line (first seen counts as a change), then now if it differs from HEAD."""
    moves = []
    for fix in now.fixes:
        points: list[tuple[date, str]] = []
        previous: str | None = None
        for index, snapshot in (file.versions if file else ()):
            found = next((old for old in (snapshot.fixes if snapshot else ())
                          if old.identity == fix.identity), None)
            status = found.status if found else None
            if status is not None and status != previous:
                points.append((commits[index].day, status))
            previous = status
        if previous != fix.status:
            points.append((as_of, fix.status))
        moves.append((fix, tuple(points)))
    return tuple(moves)


def implicit_assessed(commits: tuple[Commit, ...], file: FileHistory, now: Snapshot,
                      as_of: date) -> dict[str, date]:
    """The date of each bare rating: the newest commit whose rating differs from its
    first parent's; as_of when the working tree differs from HEAD."""
    dates = {}
    head = file.versions[-1][1] if file.versions else None
    for state in now.ratings:
        if state.assessed is not None:
            continue
        if head is None or head.rating(state.skill) != state.rating:
            dates[state.skill] = as_of
            continue
        for position in range(len(file.versions) - 1, -1, -1):
            index, snapshot = file.versions[position]
            rating = snapshot.rating(state.skill) if snapshot else None
            previous = file.versions[position - 1][1] if position else None
            if rating != (previous.rating(state.skill) if previous else None):
                dates[state.skill] = commits[index].day
                break
    return dates


def week_ends(team: Team, as_of: date) -> list[date]:
    """period.start + 6 + 7k, before as_of and within the period."""
    days = []
    day = team.period.start + timedelta(days=6)
    while day < as_of and day <= team.period.end:
        days.append(day)
        day += timedelta(days=7)
    return days


def progress(team: Team, history: History, files: list[FileHistory | None],
             closed_now: Amount, as_of: date) -> tuple[tuple[date, Amount], ...]:
    """The burn-up: closed summed over the team's current rep files at each week's end,
    then as_of with now's figures. Unavailable history: only the now point."""
    points: list[tuple[date, Amount]] = []
    if history.available:
        for day in week_ends(team, as_of):
            index = history.commit_at(day)
            total = sum((exact(state.closed) for file in files if file is not None
                         and (state := file.state_at(index)) is not None), Fraction(0))
            points.append((day, plain_number(total)))
    points.append((as_of, closed_now))
    return tuple(points)


# ---------------------------------------------------------------------------- cadence

@dataclass(frozen=True)
class Cadence:
    every_days: int
    last: date | None  # latest one-on-one ≤ as_of
    days_since: int
    overdue: bool
    this_period: int
    longest_gap_days: int | None  # None before the rep's period has begun
    dates: tuple[date, ...] = field(default=())  # de-duplicated, ≤ as_of, oldest first


def cadence(rep: Rep, team: Team, as_of: date) -> Cadence:
    every = rep.one_on_one_every_days or team.one_on_one_every_days
    dates = sorted({meeting.date for meeting in rep.one_on_ones if meeting.date <= as_of})
    start = rep_period_start(team, rep)
    end = min(team.period.end, as_of)
    last = dates[-1] if dates else None
    days_since = max(0, (as_of - (last or start)).days)
    within = [day for day in dates if start <= day <= end]
    gap = None
    if start <= end:
        marks = [start, *within, end]
        gap = max(later - earlier for earlier, later in itertools.pairwise(marks)).days
    return Cadence(every, last, days_since, days_since > every, len(within), gap,
                   tuple(dates))


def cadence_message(value: Cadence, as_of: date) -> Text:
    if value.last is None:
        return N_("no one-on-one yet: %(days)s days without one (every %(every)s days is the"
                  " cadence); book one", days=value.days_since, every=value.every_days)
    return N_("one-on-one overdue: the last was %(day)s, %(days)s days ago (every %(every)s"
              " days is the cadence); book the next one", day=value.last,
              days=value.days_since, every=value.every_days)


# ------------------------------------------------------------------------ per rep

@dataclass(frozen=True)
class CoachingRecord:
    """Everything over time about one rep, as the pages and export show it."""

    history_available: bool
    since: Since | None
    skill_history: dict[str, tuple[tuple[date, int], ...]]
    implicit_assessed: dict[str, date]
    cadence: Cadence
    fix_history: tuple[tuple[FixState, tuple[tuple[date, str], ...]], ...] = ()
    # Ratings in the file at the later of period.start and start_date (the scorecard's
    # ▲/▼); None: unknown (no history).
    ratings_at_start: dict[str, int] | None = None


def coaching_record(rep: Rep, team: Team, as_of: date, history: History,
                    file: FileHistory | None, since_override: Baseline | None = None
                    ) -> CoachingRecord:
    now_cadence = cadence(rep, team, as_of)
    if not history.available or file is None:
        return CoachingRecord(False, None, {}, {}, now_cadence)
    from reportgen.snapshot import snapshot_of

    now = snapshot_of(rep)
    base = since_override or Baseline(last_one_on_one_before(rep, team, as_of))
    at_start = file.state_at(history.commit_at(rep_period_start(team, rep)))
    return CoachingRecord(
        True, since(history, file, now, base),
        skill_history(history.commits, file, now, as_of),
        implicit_assessed(history.commits, file, now, as_of), now_cadence,
        fix_history(history.commits, file, now, as_of),
        {state.skill: state.rating for state in at_start.ratings} if at_start else {})
