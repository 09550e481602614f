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
from reportgen.yamlfile import Scalar, YamlFileError, parse_document

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


@dataclass(frozen=True, slots=True)
class Snapshot:
    closed: Amount
    pipeline: Amount
    ratings: tuple[RatingState, ...] = ()
    fixes: tuple[FixState, ...] = ()
    goals: tuple[GoalState, ...] = ()
    roadblocks: tuple[RoadblockState, ...] = ()

    def rating(self, skill: str) -> int | None:
        return next((state.rating for state in self.ratings if state.skill == skill), None)

    def rating_state(self, skill: str) -> RatingState | None:
        return next((state for state in self.ratings if state.skill == skill), None)


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
    limits are the loader's own (it raises before building anything too deep or big).
    """
    try:
        document = parse_document(text, "history")
    except (YamlFileError, RecursionError):
        return None
    data = document.data
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
    return [snapshot.closed, snapshot.pipeline,
            [[s.skill, s.rating, s.assessed.isoformat() if s.assessed else None]
             for s in snapshot.ratings],
            [[f.skill, f.focus, f.status, [[a.do, a.done] for a in f.actions]]
             for f in snapshot.fixes],
            [[g.goal, g.status] for g in snapshot.goals],
            [[r.issue, r.resolved.isoformat() if r.resolved else None]
             for r in snapshot.roadblocks]]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def from_json(raw: Any) -> Snapshot | None:
    """A snapshot back from the cache. Raises ValueError/TypeError/IndexError when the
    cache is not what we wrote (the caller then reads history afresh)."""
    if raw is None:
        return None
    closed, pipeline, ratings, fixes, goals, roadblocks = raw
    if not all(isinstance(amount, int | float) and not isinstance(amount, bool)
               for amount in (closed, pipeline)):
        raise ValueError("amount")
    return Snapshot(
        closed, pipeline,
        tuple(RatingState(str(skill), int(rating), _day(assessed))
              for skill, rating, assessed in ratings),
        tuple(FixState(str(skill), focus, str(status),
                       tuple(ActionState(str(do), bool(done)) for do, done in actions))
              for skill, focus, status, actions in fixes),
        tuple(GoalState(str(goal), status) for goal, status in goals),
        tuple(RoadblockState(str(issue), _day(resolved)) for issue, resolved in roadblocks),
    )
