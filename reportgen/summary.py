"""What the index shows of a team, as plain data that survives a round trip through JSON.

The index needs every team, but only a line per rep and a few team figures. The build
keeps each team's summary in the manifest, keyed on the team's files, so a rebuild
after one rep changed reads and analyses that rep's team only and takes the other
teams' lines from the last build. Numbers keep their exact type (int, float or
Fraction) through JSON, so the index is the same byte for byte either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from reportgen.analysis import TeamAnalysis
from reportgen.coaching import exact, plain_number
from reportgen.rollup import team_rollup

Number = int | float | Fraction


@dataclass(frozen=True)
class RepSummary:
    id: str
    name: str
    role: str | None
    attainment: Fraction | None
    on_pace: bool | None
    quota_met: bool
    needs_attention: bool
    departed: bool = False  # left the team: no plan to link


@dataclass(frozen=True)
class TeamSummary:
    id: str
    name: str
    manager: str
    period: str
    currency: str
    paper: str
    quota: Number
    closed: Number
    attainment: Fraction | None
    elapsed: Fraction
    on_pace: bool | None
    quota_met: bool
    reps: tuple[RepSummary, ...]
    # The VP's roll-up (see rollup.py): plain JSON values, kept as they are.
    rollup: dict[str, Any] = field(default_factory=dict)
    # The team's CLDR locale: its figures on the index read as on its own pages.
    locale: str = "en_US"


def summarise(team: TeamAnalysis) -> TeamSummary:
    model, figures = team.file.team, team.figures
    reps = tuple(RepSummary(rep.id, rep.file.rep.name, rep.file.rep.role,
                            rep.figures.attainment, rep.figures.on_pace,
                            rep.figures.quota_met, rep.figures.needs_attention,
                            rep.figures.departed)
                 for rep in team.reps)
    return TeamSummary(team.id, model.name, model.manager, model.period.name, model.currency,
                       model.paper, figures.quota, figures.closed, figures.attainment,
                       figures.elapsed, figures.on_pace, figures.gap == 0, reps,
                       team_rollup(team), model.locale)


def org_totals(teams: list[TeamSummary]) -> dict[str, Any]:
    """The whole org's figures. Money only adds up when every team counts in one currency
    over the same period (start and end); otherwise quota, closed and attainment are None
    (the index shows one total per group instead, see rollup.py)."""
    currencies = {team.currency for team in teams}
    periods = {(team.rollup.get("period_start"), team.rollup.get("period_end"))
               for team in teams}
    same_currency = len(currencies) == 1 and len(periods) == 1
    quota = plain_number(sum((exact(team.quota) for team in teams), Fraction(0))
                         ) if same_currency else None
    closed = plain_number(sum((exact(team.closed) for team in teams), Fraction(0))
                          ) if same_currency else None
    return {
        "currency": next(iter(currencies)) if same_currency else None,
        "quota": quota,
        "closed": closed,
        "attainment": None if not quota or closed is None else exact(closed) / exact(quota),
        # Reps still on their teams: those who left have no plan.
        "reps": sum(1 for team in teams for rep in team.reps if not rep.departed),
    }


# ------------------------------------------------------------------------------ JSON

def _encode(value: Any) -> Any:
    if isinstance(value, Fraction):
        return {"fraction": f"{value.numerator}/{value.denominator}"}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return Fraction(value["fraction"])
    return value


_REP_FIELDS = ("id", "name", "role", "attainment", "on_pace", "quota_met", "needs_attention",
               "departed")
_TEAM_FIELDS = ("id", "name", "manager", "period", "currency", "paper", "quota", "closed",
                "attainment", "elapsed", "on_pace", "quota_met")


def to_json(summary: TeamSummary) -> dict[str, Any]:
    raw = {name: _encode(getattr(summary, name)) for name in _TEAM_FIELDS}
    raw["reps"] = [{name: _encode(getattr(rep, name)) for name in _REP_FIELDS}
                   for rep in summary.reps]
    raw["rollup"] = summary.rollup
    raw["locale"] = summary.locale
    return raw


def from_json(raw: dict[str, Any]) -> TeamSummary:
    """A summary written by `to_json`. Raises KeyError, TypeError or ValueError if not."""
    reps = tuple(RepSummary(**{name: _decode(rep[name]) for name in _REP_FIELDS})
                 for rep in raw["reps"])
    if not isinstance(raw["rollup"], dict):
        raise TypeError("rollup is not a mapping")
    locale = raw.get("locale", "en_US")  # summaries written before locales: en_US
    if not isinstance(locale, str):
        raise TypeError("locale is not text")
    return TeamSummary(**{name: _decode(raw[name]) for name in _TEAM_FIELDS}, reps=reps,
                       rollup=raw["rollup"], locale=locale)
