"""The derived figures as JSON (`reportgen export`), in the shape SPEC promises.

Ratios are unrounded floats, `null` where not applicable. Nothing private is exported:
only figures, ids and warning texts (which never quote private fields).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from reportgen.analysis import Analysis, RepAnalysis, TeamAnalysis
from reportgen.export_forecast import forecast_fields, team_forecast_fields


def _ratio(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _amount(value: int | float) -> int | float:
    return value


def rep_record(rep: RepAnalysis) -> dict[str, Any]:
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
        "warnings": [warning.message for warning in rep.warnings],
        **forecast_fields(rep),
    }


def team_record(team: TeamAnalysis) -> dict[str, Any]:
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
        "reps": [rep_record(rep) for rep in sorted(team.reps, key=lambda rep: rep.id)],
        **team_forecast_fields(team),
    }


def export_document(analysis: Analysis) -> dict[str, Any]:
    return {
        "as_of": analysis.as_of.isoformat(),
        "teams": [team_record(team) for team in sorted(analysis.teams, key=lambda t: t.id)],
    }
