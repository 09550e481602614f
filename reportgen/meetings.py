"""One-on-ones as a working agreement: pure figures from a rep file and a date.

A one-on-one dated before `as_of` is an earlier meeting, one dated `as_of` is today's,
and the first one dated after is the next meeting (an entry may be written ahead: it
holds the date and perhaps an agenda). From the actions agreed at them:

- *open from last time*: actions of earlier meetings not done yet, carried forward
  meeting after meeting until someone ticks them off (`done: true`);
- *you owe*: the manager's own open actions across the team, oldest promise first;
- *overdue*: an open action whose `due` is before `as_of` (a warning on the file).

And from the rep's self-ratings: a *self-rating gap* is a skill where the rep's own
rating and the manager's differ by `SELF_GAP` points or more, a topic to talk through.
No I/O here; warnings come back as `Finding`s that analysis.py places in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportgen.coaching import Finding
from reportgen.i18n import N_
from reportgen.model import MeetingAction, OneOnOne, Rep, SkillDefinition, Team

SELF_GAP = 2


@dataclass(frozen=True)
class MeetingItem:
    """An action agreed at a one-on-one, with where it is in the file."""

    meeting_index: int
    action_index: int
    agreed_on: date
    action: MeetingAction
    overdue: bool

    @property
    def by_manager(self) -> bool:
        return self.action.owner == "manager"


@dataclass(frozen=True)
class OwedItem:
    rep_id: str
    rep_name: str
    item: MeetingItem
    age_days: int


@dataclass(frozen=True)
class SelfGap:
    skill: SkillDefinition
    self_rating: int
    manager_rating: int

    @property
    def rated_higher_by_rep(self) -> bool:
        return self.self_rating > self.manager_rating


def earlier(rep: Rep, as_of: date) -> list[tuple[int, OneOnOne]]:
    """Meetings before `as_of`, oldest first (file order among equal dates)."""
    return sorted(((index, meeting) for index, meeting in enumerate(rep.one_on_ones)
                   if meeting.date < as_of), key=lambda item: item[1].date)


def held(rep: Rep, as_of: date) -> list[tuple[int, OneOnOne]]:
    """Meetings up to and including today's, oldest first."""
    return sorted(((index, meeting) for index, meeting in enumerate(rep.one_on_ones)
                   if meeting.date <= as_of), key=lambda item: item[1].date)


def today(rep: Rep, as_of: date) -> list[tuple[int, OneOnOne]]:
    return [(index, meeting) for index, meeting in enumerate(rep.one_on_ones)
            if meeting.date == as_of]


def last_meeting(rep: Rep, as_of: date) -> OneOnOne | None:
    """The latest one-on-one strictly before `as_of` (a future entry is never the last)."""
    meetings = earlier(rep, as_of)
    return meetings[-1][1] if meetings else None


def next_meeting(rep: Rep, as_of: date) -> tuple[int, OneOnOne] | None:
    """The first one-on-one dated after `as_of`: the next meeting, already booked."""
    upcoming = [(index, meeting) for index, meeting in enumerate(rep.one_on_ones)
                if meeting.date > as_of]
    return min(upcoming, key=lambda item: item[1].date) if upcoming else None


def _items(meetings: list[tuple[int, OneOnOne]], as_of: date) -> list[MeetingItem]:
    return [MeetingItem(index, action_index, meeting.date, action,
                        not action.done and action.due is not None and action.due < as_of)
            for index, meeting in meetings
            for action_index, action in enumerate(meeting.actions)]


def open_from_last_time(rep: Rep, as_of: date) -> tuple[MeetingItem, ...]:
    """Open actions of earlier one-on-ones, oldest meeting first."""
    return tuple(item for item in _items(earlier(rep, as_of), as_of) if not item.action.done)


def agreed_today(rep: Rep, as_of: date) -> tuple[MeetingItem, ...]:
    """Every action written down at today's one-on-one (done or not)."""
    return tuple(_items(today(rep, as_of), as_of))


def for_next_meeting(rep: Rep, as_of: date) -> tuple[MeetingItem, ...]:
    """Open actions to do before the next meeting: today's, and any written on the next
    meeting's entry ahead of time."""
    meetings = today(rep, as_of)
    upcoming = next_meeting(rep, as_of)
    if upcoming is not None:
        meetings.append(upcoming)
    return tuple(item for item in _items(meetings, as_of) if not item.action.done)


def open_actions(rep: Rep, as_of: date) -> tuple[MeetingItem, ...]:
    """Every open action of every one-on-one in the file, in file order."""
    return tuple(item for item in _items(list(enumerate(rep.one_on_ones)), as_of)
                 if not item.action.done)


def overdue_findings(rep: Rep, as_of: date) -> tuple[Finding, ...]:
    findings = []
    for item in open_actions(rep, as_of):
        if item.overdue:
            where = ("one_on_ones", item.meeting_index, "actions", item.action_index, "due")
            values = dict(day=item.action.due, action=_short(item.action.do))
            findings.append(Finding(where, N_(
                "manager's one-on-one action overdue since %(day)s: %(action)s", **values)
                if item.by_manager else N_(
                "rep's one-on-one action overdue since %(day)s: %(action)s", **values)))
    return tuple(findings)


def manager_owes(reps: list[tuple[str, Rep]], as_of: date) -> tuple[OwedItem, ...]:
    """The manager's open actions across the team, oldest promise first."""
    owed = [OwedItem(rep_id, rep.name, item, (as_of - item.agreed_on).days)
            for rep_id, rep in reps for item in open_actions(rep, as_of) if item.by_manager]
    owed.sort(key=lambda owed_item: (owed_item.item.agreed_on,
                                     owed_item.item.action.due or date.max,
                                     owed_item.rep_id, owed_item.item.meeting_index,
                                     owed_item.item.action_index))
    return tuple(owed)


def self_gaps(rep: Rep, team: Team) -> tuple[SelfGap, ...]:
    """Skills where the rep's own rating and the manager's differ by SELF_GAP or more,
    in framework order."""
    gaps = []
    for skill in team.skills:
        assessment = rep.skills.get(skill.id)
        if assessment is None or assessment.self is None:
            continue
        if abs(assessment.self - assessment.rating) >= SELF_GAP:
            gaps.append(SelfGap(skill, assessment.self, assessment.rating))
    return tuple(gaps)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
