"""What the coaching record needs from one version of a rep file, and nothing private.

A `Snapshot` is the part of a rep file that history compares: results, ratings, fixes
with their actions, goals and roadblocks. It is made from the same `Rep` model as the
working tree, so a file means the same thing now and in the past; historical versions
are read leniently (a field that no longer validates is left out, a version that does
not parse or has no numeric `closed` counts as absent). Snapshots are plain data and
turn into JSON for the history cache: no `private` field, no note, no evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from reportgen.model import Rep
from reportgen.yamlfile import Scalar

Amount = int | float


@dataclass(frozen=True, slots=True)
class RatingState:
    skill: str
    rating: int
    assessed: date | None


@dataclass(frozen=True, slots=True)
class ActionState:
    do: str
    done: bool


@dataclass(frozen=True, slots=True)
class FixState:
    skill: str
    focus: str | None
    status: str
    actions: tuple[ActionState, ...]

    @property
    def identity(self) -> tuple[str, str | None]:
        # SPEC: a fix is the same fix when its skill and focus match.
        return self.skill, self.focus


@dataclass(frozen=True, slots=True)
class GoalState:
    goal: str
    status: str | None


@dataclass(frozen=True, slots=True)
class RoadblockState:
    issue: str
    resolved: date | None


class Snapshot:
    """One version of a rep file. Made from a model (`snapshot_of`) or from the cache
    (`from_json`); from the cache, ratings, fixes, goals and roadblocks are decoded only
    when asked for, since most versions are only asked for `closed` and ratings."""

    __slots__ = (
        "_by_skill",
        "_fixes",
        "_goals",
        "_ratings",
        "_raw",
        "_roadblocks",
        "closed",
        "pipeline",
    )

    def __init__(self, closed: Amount, pipeline: Amount,
                 ratings: tuple[RatingState, ...] = (), fixes: tuple[FixState, ...] = (),
                 goals: tuple[GoalState, ...] = (),
                 roadblocks: tuple[RoadblockState, ...] = ()) -> None:
        self.closed, self.pipeline = closed, pipeline
        self._ratings: tuple[RatingState, ...] | None = ratings
        self._fixes: tuple[FixState, ...] | None = fixes
        self._goals: tuple[GoalState, ...] | None = goals
        self._roadblocks: tuple[RoadblockState, ...] | None = roadblocks
        self._raw: list[Any] | None = None
        self._by_skill: dict[str, RatingState] | None = None

    @classmethod
    def _from_raw(cls, raw: list[Any]) -> Snapshot:
        snapshot = cls(raw[0], raw[1])
        snapshot._ratings = snapshot._fixes = snapshot._goals = snapshot._roadblocks = None
        snapshot._raw = raw
        return snapshot

    @property
    def ratings(self) -> tuple[RatingState, ...]:
        if self._ratings is None:
            assert self._raw is not None
            self._ratings = tuple(RatingState(skill, rating, _day(assessed))
                                  for skill, rating, assessed in self._raw[2])
        return self._ratings

    @property
    def fixes(self) -> tuple[FixState, ...]:
        if self._fixes is None:
            assert self._raw is not None
            self._fixes = tuple(
                FixState(skill, focus, status,
                         tuple(ActionState(do, done) for do, done in actions))
                for skill, focus, status, actions in self._raw[3])
        return self._fixes

    @property
    def goals(self) -> tuple[GoalState, ...]:
        if self._goals is None:
            assert self._raw is not None
            self._goals = tuple(GoalState(goal, status) for goal, status in self._raw[4])
        return self._goals

    @property
    def roadblocks(self) -> tuple[RoadblockState, ...]:
        if self._roadblocks is None:
            assert self._raw is not None
            self._roadblocks = tuple(RoadblockState(issue, _day(resolved))
                                     for issue, resolved in self._raw[5])
        return self._roadblocks

    def rating_state(self, skill: str) -> RatingState | None:
        if self._by_skill is None:
            self._by_skill = {}
            for state in self.ratings:
                self._by_skill.setdefault(state.skill, state)
        return self._by_skill.get(skill)

    def rating(self, skill: str) -> int | None:
        state = self.rating_state(skill)
        return state.rating if state is not None else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Snapshot) and to_json(self) == to_json(other)

    def __hash__(self) -> int:
        return hash((self.closed, self.pipeline, self.ratings))

    def __repr__(self) -> str:
        return f"Snapshot(closed={self.closed!r}, pipeline={self.pipeline!r}, ...)"


EMPTY = Snapshot(closed=0, pipeline=0)


def snapshot_of(rep: Rep) -> Snapshot:
    return Snapshot(
        closed=rep.results.closed,
        pipeline=rep.results.pipeline,
        ratings=tuple(RatingState(skill, assessment.rating, assessment.assessed)
                      for skill, assessment in rep.skills.items()),
        fixes=tuple(FixState(fix.skill, fix.focus, fix.status,
                             tuple(ActionState(action.do, action.done)
                                   for action in fix.actions))
                    for fix in rep.fixes),
        goals=tuple(GoalState(goal.goal, goal.status) for goal in rep.goals),
        roadblocks=tuple(RoadblockState(block.issue, block.resolved)
                         for block in rep.roadblocks),
    )


# ------------------------------------------------------------------- lenient reading

# Rounds of "drop what does not validate, try again"; each round removes at least one
# field or list item, and a rep file has few top-level fields.
_LENIENT_ROUNDS = 8
_PLACEHOLDERS = {"name": Scalar("-", True), "quota": Scalar("0", True)}


def snapshot_from_text(text: str) -> Snapshot | None:
    """A historical version of a rep file, leniently: None when it counts as absent.

    The caller has already refused versions over the size limit; nesting and alias
    limits are the loader's own (history_yaml.py stops before building anything too
    deep or big).
    """
    from reportgen.history_yaml import lenient_data

    data = lenient_data(text)
    if not isinstance(data, dict):
        return None
    for _ in range(_LENIENT_ROUNDS):
        try:
            return snapshot_of(Rep.model_validate(data))
        except ValidationError as error:
            data = _without_invalid(data, error)
            if data is None:
                return None
    return None


def _without_invalid(data: dict[str, Any], error: ValidationError) -> dict[str, Any] | None:
    """`data` with each field or list item that failed left out; None when `closed` is
    not usable (the version then counts as absent)."""
    data = dict(data)
    for problem in error.errors():
        location = problem["loc"]
        if not location:
            return None
        top = location[0]
        if top == "results":
            results = data.get("results")
            if len(location) < 2 or location[1] == "closed" or not isinstance(results, dict):
                return None
            data["results"] = {key: value for key, value in results.items()
                               if key != location[1]}
        elif top in _PLACEHOLDERS:
            data[top] = _PLACEHOLDERS[top]
        elif len(location) >= 2 and isinstance(location[1], int) and isinstance(
                data.get(top), list):
            items = data[top]
            data[top] = [item for index, item in enumerate(items) if index != location[1]]
        elif len(location) >= 2 and top == "skills" and isinstance(data.get(top), dict):
            data[top] = {key: value for key, value in data[top].items()
                         if key != location[1]}
        else:
            data.pop(top, None)
    return data


# -------------------------------------------------------------------------------- JSON

def to_json(snapshot: Snapshot | None) -> Any:
    if snapshot is None:
        return None
    if snapshot._raw is not None:  # read from the cache: written back as it was
        return snapshot._raw
    return [snapshot.closed, snapshot.pipeline,
            [[s.skill, s.rating, s.assessed.isoformat() if s.assessed else None]
             for s in snapshot.ratings],
            [[f.skill, f.focus, f.status, [[a.do, a.done] for a in f.actions]]
             for f in snapshot.fixes],
            [[g.goal, g.status] for g in snapshot.goals],
            [[r.issue, r.resolved.isoformat() if r.resolved else None]
             for r in snapshot.roadblocks]]


_DAYS: dict[str, date] = {}


def _day(text: str | None) -> date | None:
    # A quarter has few distinct dates; versions repeat them thousands of times.
    if not text:
        return None
    day = _DAYS.get(text)
    if day is None:
        day = _DAYS[text] = date.fromisoformat(text)
    return day


def from_json(raw: Any) -> Snapshot | None:
    """A snapshot back from the cache, decoded lazily. Raises ValueError when the entry
    is not shaped as we write it (the caller then reads that version from git)."""
    if raw is None:
        return None
    if not (isinstance(raw, list) and len(raw) == 6
            and all(isinstance(amount, int | float) and not isinstance(amount, bool)
                    for amount in raw[:2])
            and all(isinstance(part, list) for part in raw[2:])):
        raise ValueError("not a cached snapshot")
    return Snapshot._from_raw(raw)
