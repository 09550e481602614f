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
    LocaleName,
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
    """The selling period the figures are computed for."""

    name: Text = Field(description="The period's name, such as 'Q4 2026'.")
    start: Day = Field(description="Its first day, YYYY-MM-DD.")
    end: Day = Field(description="Its last day, YYYY-MM-DD (on or after start).")

    @model_validator(mode="after")
    def _start_not_after_end(self) -> Period:
        if self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")
        return self


class Scale(StrictModel):
    """The rating scale, and the rating every rep should reach on every skill."""

    min: WholeNumber = Field(1, description="The lowest rating (default 1).")
    max: WholeNumber = Field(5, description="The highest rating (default 5).")
    target: WholeNumber = Field(4, description="The rating every rep should reach (default 4);"
                                " the gap to it makes the impact score.")

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        if not self.min <= self.target <= self.max:
            raise ValueError(f"target {self.target} is outside the scale {self.min}–{self.max}")
        return self


class SkillDefinition(StrictModel):
    """One skill of the team's framework."""

    id: Slug = Field(description="The skill's id, used in rep files: lowercase letters,"
                     " digits and dashes, unique in the framework.")
    name: Text = Field(description="Display name, such as 'Deal strategy'.")
    weight: PositiveNumber = Field(1.0, description="How much a gap in this skill costs"
                                   " (above 0, default 1): impact score = weight × gap.")
    description: Text | None = Field(None, description="What the skill is, in a sentence.")
    levels: dict[LevelRating, Text] = Field(
        default_factory=dict, description="What each rating looks like: {rating: behaviour}.")


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

    skill: Text = Field(description="The skill id (in the team's framework) of the gap it"
                        " answers.")
    what: Text = Field(description="What the team will do: a training, a tool, a process"
                       " change.")
    owner: Text | None = Field(None, description="Who runs it.")
    due: Day | None = Field(None, description="When it should be done (YYYY-MM-DD).")
    status: InitiativeStatus = Field("active", description="planned, active (default), done"
                                     " or dropped.")

    @property
    def is_open(self) -> bool:
        return self.status in ("planned", "active")


class Team(StrictModel):
    """A team: teams/<team-id>/team.yaml."""

    name: Text = Field(description="The team's display name.")
    manager: Text = Field(description="The manager's name (roadblocks owned by this name or"
                          " 'manager' are the manager's).")
    period: Period = Field(description="The selling period: name, start and end.")
    currency: Currency = Field("USD", description="ISO 4217 code used to format money"
                               " (default USD).")
    locale: LocaleName = Field("en_US", description="The CLDR locale the team's pages read in,"
                               " such as de_DE, fr_FR, es_ES or en_GB: money, numbers,"
                               " percentages and dates (default en_US).")
    quota: Money | None = Field(None, description="The manager's number; default: the sum of"
                                " the reps' quotas.")
    scale: Scale = Field(Scale(), description="The rating scale (default 1 to 5, target 4).")
    coverage_target: PositiveNumber = Field(3.0, description="Healthy pipeline ÷ remaining"
                                            " quota (default 3.0).")
    paper: Paper = Field("letter", description="Paper size of the PDFs: letter or a4.")
    stale_after_days: Annotated[WholeNumber, Field(ge=0)] = Field(
        90, description="An assessment older than this many days is stale (default 90).")
    skills: tuple[SkillDefinition, ...] = Field(
        DEFAULT_SKILLS, description="The skill framework; default: the seven default skills.")
    initiatives: tuple[Initiative, ...] = Field(
        (), description="What the whole team does about a shared skill gap: {skill, what,"
        " owner, due, status}.")
    one_on_one_every_days: Annotated[WholeNumber, Field(ge=1)] = Field(
        14, description="How often each rep should have a one-on-one, in days (default 14;"
        " a rep file may override it).")
    private_notes: PrivateNotes = Field(
        "plain", description="'encrypted': every private field of the team's rep files must"
        " be sops-encrypted (default 'plain').")
    sops: SopsMetadata | None = Field(None, description="Written by sops when private"
                                      " fields are encrypted; never read by reportgen.")


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
    """The rep's figures: closed and pipeline, and any others as a number or short text."""

    # Other keys (win rate, meetings…) are shown as written; workspace.py rejects the ones
    # that look like typos of `closed` or `pipeline`.
    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, ResultValue]

    closed: Money = Field(description="Closed-won revenue so far this period (0 or more).")
    pipeline: Money = Field(0, description="Open qualified pipeline (default 0).")
    # The forecast: None when not recorded; figures count it as 0.
    commit: Money | None = Field(None, description="Deals the rep commits to close this"
                                 " period, beyond closed (0 or more).")
    best_case: Money | None = Field(None, description="Commit plus upside: what could close"
                                    " this period beyond closed (0 or more, at least commit).")

    @property
    def others(self) -> dict[str, int | float | str]:
        return dict(self.__pydantic_extra__ or {})


def _bare_rating_to_mapping(value: Any) -> Any:
    # `prospecting: 3` is shorthand for `prospecting: {rating: 3}`.
    if isinstance(value, (Scalar, int)) and not isinstance(value, bool):
        return {"rating": value}
    return value


class Assessment(StrictModel):
    """A skill's rating, with when it was assessed and what was seen."""

    rating: Rating = Field(description="A whole number within the team's scale.")
    assessed: Day | None = Field(None, description="When you assessed it (YYYY-MM-DD);"
                                 " older than stale_after_days is stale.")
    evidence: Text | None = Field(None, description="What you saw, specifically (Markdown);"
                                  " shown on the plan.")
    private: Text | None = Field(None, description="Your own note (Markdown); never shown in"
                                 " any output.")
    # workspace.py checks it against the scale.
    self: Rating | None = Field(None, description="The rep's own rating of the skill, within"
                                " the scale; two points or more from yours is a topic.")


SkillAssessment = Annotated[Assessment, BeforeValidator(_bare_rating_to_mapping)]


class Goal(StrictModel):
    """One of the rep's own goals."""

    goal: Text = Field(description="The goal, in the rep's words.")
    due: Day | None = Field(None, description="When it is due (YYYY-MM-DD).")
    measure: Text | None = Field(None, description="How you both will know it is met.")
    status: Text | None = Field(None, description="Free text, such as 'on track' or"
                                " 'at risk'.")


class Action(StrictModel):
    """One step of a fix."""

    do: Text = Field(description="What to do.")
    due: Day | None = Field(None, description="By when (YYYY-MM-DD); past due and not done"
                            " is overdue.")
    done: Flag = Field(False, description="true once done (default false).")


class Fix(StrictModel):
    """A priority being coached: one skill, one behaviour to change."""

    skill: Text = Field(description="The skill's id in the team's framework.")
    focus: Text | None = Field(None, description="The specific behaviour to change.")
    why: Text | None = Field(None, description="Why this fix, now.")
    measure: Text | None = Field(None, description="How you will both know it worked.")
    status: FixStatus = Field("active", description="planned, active (default), done or"
                              " dropped; more than two active is a warning.")
    started: Day | None = Field(None, description="When the fix started (YYYY-MM-DD).")
    due: Day | None = Field(None, description="When it should be done (YYYY-MM-DD).")
    actions: tuple[Action, ...] = Field((), description="The steps: {do, due, done}.")

    @property
    def in_flight(self) -> bool:
        return self.status in ("planned", "active")


class Roadblock(StrictModel):
    """Something in the rep's way; open while `resolved` is empty."""

    issue: Text = Field(description="What is in the way.")
    owner: Text | None = Field(None, description="Who removes it: manager, rep or a name.")
    raised: Day | None = Field(None, description="When it was raised (YYYY-MM-DD).")
    resolved: Day | None = Field(None, description="When it was removed (YYYY-MM-DD); empty"
                                 " while open.")

    @property
    def is_open(self) -> bool:
        return self.resolved is None


class MeetingAction(StrictModel):
    """Something agreed at a one-on-one, by the rep or by the manager."""

    do: Text = Field(description="What was agreed.")
    owner: ActionOwner = Field("rep", description="Who does it: rep (default) or manager.")
    due: Day | None = Field(None, description="By when (YYYY-MM-DD).")
    done: Flag = Field(False, description="true once done.")


class OneOnOne(StrictModel):
    """One coaching conversation (a future date: the next meeting)."""

    date: Day = Field(description="The day of the one-on-one (YYYY-MM-DD); a date after"
                      " today is the next meeting.")
    notes: Text | None = Field(None, description="What you agreed (Markdown); the latest three"
                               " are on the plan.")
    private: Text | None = Field(None, description="Your own note (Markdown); never shown in"
                                 " any output.")
    actions: tuple[MeetingAction, ...] = Field(
        (), description="What was agreed, both ways: {do, owner (rep|manager), due, done}.")
    acknowledged: Flag = Field(False, description="The rep agreed to what was written (git"
                               " dates it).")


class Rep(StrictModel):
    """A rep: teams/<team-id>/reps/<rep-id>.yaml."""

    name: Text = Field(description="The rep's name.")
    role: Text | None = Field(None, description="Job title, such as 'Account Executive'.")
    territory: Text | None = Field(None, description="Territory or segment.")
    email: Text | None = Field(None, description="Email address.")
    start_date: Day | None = Field(None, description="First day in the role (YYYY-MM-DD): a"
                                   " mid-period hire's pace counts from here.")
    departed: Day | None = Field(None, description="The day the rep left: their closed"
                                 " business still counts, but no plan from that day.")
    quota: Money = Field(description="The rep's number for the period (0 or more).")
    results: Results = Field(description="closed (required), pipeline, commit, best_case and"
                             " other figures.")
    skills: dict[str, SkillAssessment] = Field(
        default_factory=dict, description="Ratings by skill id: a bare rating, or {rating,"
        " assessed, evidence, private, self}.")
    goals: tuple[Goal, ...] = Field((), description="The rep's own goals.")
    fixes: tuple[Fix, ...] = Field((), description="The one or two priorities being coached"
                                   " now, and past ones.")
    roadblocks: tuple[Roadblock, ...] = Field((), description="What is in the rep's way.")
    one_on_ones: tuple[OneOnOne, ...] = Field((), description="The coaching log.")
    one_on_one_every_days: Annotated[WholeNumber, Field(ge=1)] | None = Field(
        None, description="This rep's one-on-one cadence in days, overriding the team's"
        " (e.g. 7 for a new hire).")
    sops: SopsMetadata | None = Field(None, description="Written by sops when private"
                                      " fields are encrypted; never read by reportgen.")


def latest_first(one_on_ones: tuple[OneOnOne, ...]) -> list[OneOnOne]:
    return sorted(one_on_ones, key=lambda meeting: meeting.date, reverse=True)


__all__ = ["DEFAULT_SKILLS", "Action", "Assessment", "Fix", "Goal", "Initiative", "MeetingAction",
           "OneOnOne",
           "Period",
           "Rep", "Results", "Roadblock", "Scale", "SkillDefinition", "Team", "date",
           "latest_first"]
