"""The workspace as typed models: one team file, one rep file.

Models check what one file can check on its own (types, required fields, unknown keys,
ranges that need no other file). Checks that need the team and its reps together, such
as "is this skill in the team's framework", live in `workspace.py`.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from reportgen.fields import (
    Currency,
    Day,
    Flag,
    Money,
    PositiveNumber,
    Rating,
    ResultValue,
    Slug,
    Text,
    WholeNumber,
    to_lower_word,
    to_whole_number,
)
from reportgen.yamlfile import Scalar


class StrictModel(BaseModel):
    # Unknown keys are errors: in hand-edited YAML they are almost always typos.
    model_config = ConfigDict(extra="forbid", frozen=True)


FixStatus = Annotated[Literal["planned", "active", "done", "dropped"],
                      BeforeValidator(to_lower_word)]
Paper = Annotated[Literal["letter", "a4"], BeforeValidator(to_lower_word)]
PrivateNotes = Annotated[Literal["plain", "encrypted"], BeforeValidator(to_lower_word)]


def _opaque_mapping(value: Any) -> Any:
    # What sops writes at the top of a file it encrypted; reportgen never reads it.
    if not isinstance(value, dict):
        raise ValueError("the sops metadata must be the mapping sops writes; restore it"
                         " from git")
    return value


SopsMetadata = Annotated[dict[str, Any], BeforeValidator(_opaque_mapping),
                         Field(description="Written by sops when private fields are"
                               " encrypted; never read by reportgen.")]
ActionOwner = Annotated[Literal["rep", "manager"], BeforeValidator(to_lower_word)]


def _level_key(value: Any) -> Any:
    # Mapping keys reach us as the text written (`3:`); a level key is a rating.
    if isinstance(value, str):
        value = Scalar(value, plain=True)
    return to_whole_number(value)


LevelRating = Annotated[int, BeforeValidator(_level_key)]


# --------------------------------------------------------------------------- team.yaml

class Period(StrictModel):
    name: Text
    start: Day
    end: Day

    @model_validator(mode="after")
    def _start_not_after_end(self) -> Period:
        if self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")
        return self


class Scale(StrictModel):
    min: WholeNumber = 1
    max: WholeNumber = 5
    target: WholeNumber = 4

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        if not self.min <= self.target <= self.max:
            raise ValueError(f"target {self.target} is outside the scale {self.min}–{self.max}")
        return self


class SkillDefinition(StrictModel):
    id: Slug
    name: Text
    weight: PositiveNumber = 1.0
    description: Text | None = None
    levels: dict[LevelRating, Text] = Field(default_factory=dict)


DEFAULT_SKILLS: tuple[SkillDefinition, ...] = tuple(
    SkillDefinition(id=skill_id, name=name, description=description)
    for skill_id, name, description in (
        ("prospecting", "Prospecting", "Find and open new opportunities."),
        ("qualification", "Qualification",
         "Qualify opportunities early and walk away from the ones that will not close."),
        ("deal-strategy", "Deal strategy", "Develop and execute winning deal strategies."),
        ("high-impact-calls", "High-impact calls",
         "Plan and run sales calls that move the deal forward."),
        ("business-outcomes", "Business outcomes",
         "Understand and help customers solve their problems, producing business results."),
        ("time-management", "Time management",
         "Spend time on the activities and deals that matter most."),
        ("resource-use", "Use of resources",
         "Use the organisation's resources (experts, executives, tools) effectively."),
    )
)


InitiativeStatus = Annotated[Literal["planned", "active", "done", "dropped"],
                             BeforeValidator(to_lower_word)]


class Initiative(StrictModel):
    """What the whole team does about a shared gap: training, a tool, a process change."""

    skill: Text
    what: Text
    owner: Text | None = None
    due: Day | None = None
    status: InitiativeStatus = "active"

    @property
    def is_open(self) -> bool:
        return self.status in ("planned", "active")


class Team(StrictModel):
    name: Text
    manager: Text
    period: Period
    currency: Currency = "USD"
    quota: Money | None = None
    scale: Scale = Scale()
    coverage_target: PositiveNumber = 3.0
    paper: Paper = "letter"
    stale_after_days: Annotated[WholeNumber, Field(ge=0)] = 90
    skills: tuple[SkillDefinition, ...] = DEFAULT_SKILLS
    initiatives: tuple[Initiative, ...] = ()
    # How often each rep should have a one-on-one (a rep file may say otherwise).
    one_on_one_every_days: Annotated[WholeNumber, Field(ge=1)] = 14
    # `encrypted`: every private field of the team's rep files must be sops-encrypted.
    private_notes: PrivateNotes = "plain"
    sops: SopsMetadata | None = None


    @field_validator("skills")
    @classmethod
    def _framework_usable(cls, skills: tuple[SkillDefinition, ...]
                          ) -> tuple[SkillDefinition, ...]:
        if not skills:
            raise ValueError("the framework needs at least one skill (leave `skills` out to"
                             " use the default seven)")
        return skills

    def skill(self, skill_id: str) -> SkillDefinition | None:
        return self.skills_by_id.get(skill_id)

    @functools.cached_property
    def skills_by_id(self) -> dict[str, SkillDefinition]:
        return {skill.id: skill for skill in self.skills}


# ---------------------------------------------------------------------- reps/<id>.yaml

class Results(BaseModel):
    # Other keys (win rate, meetings…) are shown as written; workspace.py rejects the ones
    # that look like typos of `closed` or `pipeline`.
    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, ResultValue]

    closed: Money
    pipeline: Money = 0
    # The forecast: deals the rep commits to close this period, and the best case
    # (commit plus upside). None when not recorded; figures count it as 0.
    commit: Money | None = None
    best_case: Money | None = None

    @property
    def others(self) -> dict[str, int | float | str]:
        return dict(self.__pydantic_extra__ or {})


def _bare_rating_to_mapping(value: Any) -> Any:
    # `prospecting: 3` is shorthand for `prospecting: {rating: 3}`.
    if isinstance(value, (Scalar, int)) and not isinstance(value, bool):
        return {"rating": value}
    return value


class Assessment(StrictModel):
    rating: Rating
    assessed: Day | None = None
    evidence: Text | None = None
    private: Text | None = None
    # The rep's own rating of the skill (workspace.py checks it against the scale).
    self: Rating | None = None


SkillAssessment = Annotated[Assessment, BeforeValidator(_bare_rating_to_mapping)]


class Goal(StrictModel):
    goal: Text
    due: Day | None = None
    measure: Text | None = None
    status: Text | None = None


class Action(StrictModel):
    do: Text
    due: Day | None = None
    done: Flag = False


class Fix(StrictModel):
    skill: Text
    focus: Text | None = None
    why: Text | None = None
    measure: Text | None = None
    status: FixStatus = "active"
    started: Day | None = None
    due: Day | None = None
    actions: tuple[Action, ...] = ()

    @property
    def in_flight(self) -> bool:
        return self.status in ("planned", "active")


class Roadblock(StrictModel):
    issue: Text
    owner: Text | None = None
    raised: Day | None = None
    resolved: Day | None = None

    @property
    def is_open(self) -> bool:
        return self.resolved is None


class MeetingAction(StrictModel):
    """Something agreed at a one-on-one, by the rep or by the manager."""

    do: Text
    owner: ActionOwner = "rep"
    due: Day | None = None
    done: Flag = False


class OneOnOne(StrictModel):
    date: Day
    notes: Text | None = None
    private: Text | None = None
    actions: tuple[MeetingAction, ...] = ()
    acknowledged: Flag = False  # the rep agreed to what was written (git dates it)


class Rep(StrictModel):
    name: Text
    role: Text | None = None
    territory: Text | None = None
    email: Text | None = None
    start_date: Day | None = None
    # The day the rep left: their closed business still counts for the team, but they
    # get no plan and leave the coaching views from that day.
    departed: Day | None = None
    quota: Money
    results: Results
    skills: dict[str, SkillAssessment] = Field(default_factory=dict)
    goals: tuple[Goal, ...] = ()
    fixes: tuple[Fix, ...] = ()
    roadblocks: tuple[Roadblock, ...] = ()
    one_on_ones: tuple[OneOnOne, ...] = ()
    # Overrides the team's cadence (e.g. 7 for a new hire).
    one_on_one_every_days: Annotated[WholeNumber, Field(ge=1)] | None = None
    sops: SopsMetadata | None = None


def latest_first(one_on_ones: tuple[OneOnOne, ...]) -> list[OneOnOne]:
    return sorted(one_on_ones, key=lambda meeting: meeting.date, reverse=True)


__all__ = ["DEFAULT_SKILLS", "Action", "Assessment", "Fix", "Goal", "Initiative", "MeetingAction",
           "OneOnOne",
           "Period",
           "Rep", "Results", "Roadblock", "Scale", "SkillDefinition", "Team", "date",
           "latest_first"]
