"""The derived figures as JSON (`reportgen export`), in the shape SPEC promises.

Ratios are unrounded floats, `null` where not applicable. Nothing private is exported:
only figures, ids and warning texts (which never quote private fields).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from reportgen import meetings
from reportgen.analysis import Analysis, RepAnalysis, TeamAnalysis
from reportgen.model import Team


def _ratio(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _amount(value: int | float) -> int | float:
    return value


def rep_record(rep: RepAnalysis, team: Team | None = None, as_of: date | None = None
               ) -> dict[str, Any]:
    figures = rep.figures
    return {
        "id": rep.id,
        "name": rep.file.rep.name,
        "quota": _amount(figures.quota),
        "closed": _amount(figures.closed),
        "pipeline": _amount(figures.pipeline),
        "remaining": _amount(figures.remaining),
        "attainment": _ratio(figures.attainment),
        "period_elapsed": float(figures.elapsed),
        "on_pace": figures.on_pace,
        "projected_attainment": _ratio(figures.projected),
        "needed_per_week": figures.needed_per_week,
        "coverage": _ratio(figures.coverage),
        "quota_met": figures.quota_met,
        "needs_attention": figures.needs_attention,
        "next_fixes": [standing.skill.id for standing in figures.next_fixes],
        "active_fixes": [view.fix.skill for view in figures.active_fixes],
        "impact_scores": {standing.skill.id: standing.impact for standing in figures.skills
                          if standing.impact is not None},
        "unassessed_skills": [standing.skill.id for standing in figures.unassessed],
        "open_roadblocks": len(figures.open_roadblocks),
        **(_one_on_one_record(rep, team, as_of) if team and as_of else {}),
        "warnings": [warning.message for warning in rep.warnings],
    }


def _one_on_one_record(rep: RepAnalysis, team: Team, as_of: date) -> dict[str, Any]:
    model = rep.file.rep
    upcoming = meetings.next_meeting(model, as_of)
    return {
        "self_ratings": {skill_id: assessment.self for skill_id, assessment
                         in model.skills.items() if assessment.self is not None},
        "self_rating_gaps": [gap.skill.id for gap in meetings.self_gaps(model, team)],
        "open_one_on_one_actions": len(meetings.open_actions(model, as_of)),
        "next_one_on_one": upcoming[1].date.isoformat() if upcoming else None,
    }


def team_record(team: TeamAnalysis, as_of: date | None = None) -> dict[str, Any]:
    figures = team.figures
    return {
        "id": team.id,
        "name": team.file.team.name,
        "manager": team.file.team.manager,
        "period": team.file.team.period.name,
        "currency": team.file.team.currency,
        "quota": _amount(figures.quota),
        "closed": _amount(figures.closed),
        "pipeline": _amount(figures.pipeline),
        "attainment": _ratio(figures.attainment),
        "gap": _amount(figures.gap),
        "period_elapsed": float(figures.elapsed),
        "on_pace": figures.on_pace,
        "team_wide_gaps": [gap.skill.id for gap in figures.team_wide_gaps],
        "manager_roadblocks": len(figures.manager_roadblocks),
        "manager_open_actions": len(meetings.manager_owes(
            [(rep.id, rep.file.rep) for rep in team.reps], as_of)) if as_of else 0,
        "reps": [rep_record(rep, team.file.team, as_of)
                 for rep in sorted(team.reps, key=lambda rep: rep.id)],
    }


def export_document(analysis: Analysis) -> dict[str, Any]:
    return {
        "as_of": analysis.as_of.isoformat(),
        "teams": [team_record(team, analysis.as_of)
                  for team in sorted(analysis.teams, key=lambda t: t.id)],
    }
