"""Performance × capability: are the right people doing the right things?

- **performance** = projected attainment (attainment ÷ period elapsed, from the rep's
  start for a mid-period hire): where the rep lands at this rate. 1 = on course for
  quota. A rep with quota 0 has none ("no quota"); nor does a rep whose period has not
  started yet.
- **capability** = the weighted mean of the rep's ratings ÷ the scale's target, over the
  skills assessed (stale ratings count, like the team-wide gaps): Σ(weight × rating) ÷
  Σ(weight) ÷ target. 1 = at target on average. Unassessed skills are left out rather
  than counted as 0 or as the target, which would make a barely assessed rep look weak
  or strong for no reason; how many were assessed is shown beside the point. A rep with
  no skill assessed has no capability ("not assessed").

Only reps with both figures are plotted. Reps who have left are not in the chart at all;
reps in their first 90 days are plotted and marked as ramping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from reportgen.coaching import RepFigures, SkillStanding, exact
from reportgen.i18n import N_, Text
from reportgen.model import Rep

RAMP_DAYS = 90

# Quadrant keys → (name, what a manager does about it), in a manager's words.
QUADRANTS: dict[str, tuple[Text, Text]] = {
    "stars": (N_("Stars"), N_("on course and skilled: stretch them, give them the big deals"
                              " and let them coach others")),
    "ahead": (N_("Results ahead of skills"), N_("delivering now, below target on skills:"
                                                " coach the gaps before the luck runs out")),
    "stuck": (N_("Skilled but stuck"), N_("skills at target, results behind: look at"
                                          " pipeline, territory and roadblocks")),
    "plan": (N_("Needs a plan"), N_("behind on results and skills: coach the biggest fix"
                                    " hard, with dated actions")),
}


@dataclass(frozen=True)
class PersonPoint:
    rep_id: str
    name: str
    performance: Fraction | None  # projected attainment
    capability: Fraction | None  # weighted mean rating ÷ target
    assessed: int  # skills assessed
    skills: int  # skills in the framework
    ramping: bool
    quota_zero: bool

    @property
    def plotted(self) -> bool:
        return self.performance is not None and self.capability is not None

    @property
    def not_plotted_because(self) -> Text | None:
        if self.quota_zero:
            return N_("no quota")
        if self.capability is None:
            return N_("not assessed")
        if self.performance is None:
            return N_("period not started")
        return None

    @property
    def quadrant(self) -> str | None:
        if self.performance is None or self.capability is None:
            return None
        on_course, skilled = self.performance >= 1, self.capability >= 1
        if on_course:
            return "stars" if skilled else "ahead"
        return "stuck" if skilled else "plan"

    @property
    def quadrant_name(self) -> Text | None:
        return QUADRANTS[self.quadrant][0] if self.quadrant else None


def capability(standings: tuple[SkillStanding, ...], target: int) -> Fraction | None:
    """Σ(weight × rating) ÷ Σ(weight) ÷ target over assessed skills; None if none is."""
    rated = [standing for standing in standings if standing.rating is not None]
    if not rated or target == 0:
        return None
    weights = sum((exact(standing.skill.weight) for standing in rated), Fraction(0))
    weighted = sum((exact(standing.skill.weight) * (standing.rating or 0)
                    for standing in rated), Fraction(0))
    return weighted / weights / target


def is_ramping(rep: Rep, as_of: date, days: int = RAMP_DAYS) -> bool:
    """In their first `days` days: started on or before as_of, fewer than `days` ago."""
    return rep.start_date is not None and 0 <= (as_of - rep.start_date).days < days


def person_point(rep_id: str, rep: Rep, figures: RepFigures, target: int, as_of: date
                 ) -> PersonPoint:
    return PersonPoint(
        rep_id=rep_id, name=rep.name,
        performance=figures.projected if figures.quota != 0 else None,
        capability=capability(figures.skills, target),
        assessed=sum(1 for standing in figures.skills if standing.rating is not None),
        skills=len(figures.skills), ramping=is_ramping(rep, as_of),
        quota_zero=figures.quota == 0)


def people(reps: list[tuple[str, Rep, RepFigures]], target: int, as_of: date
           ) -> tuple[PersonPoint, ...]:
    """One point per rep still on the team, by name."""
    points = [person_point(rep_id, rep, figures, target, as_of)
              for rep_id, rep, figures in reps if not figures.departed]
    points.sort(key=lambda point: (point.name.casefold(), point.rep_id))
    return tuple(points)
