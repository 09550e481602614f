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
from reportgen.export_forecast import forecast_fields, team_forecast_fields
from reportgen.model import Team
from reportgen.timeline import CoachingRecord, Since


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
        **forecast_fields(rep),
        **(over_time(rep.record) if rep.record is not None else {}),
    }


def _day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def since_record(since: Since) -> dict[str, Any]:
    return {
        "base_date": since.base_date.isoformat(),
        "base_commit": since.base_commit,
        "ratings": {skill: [before, after] for skill, before, after in since.ratings},
        "closed_delta": _amount(since.closed_delta),
        "pipeline_delta": _amount(since.pipeline_delta),
        "actions_done": list(since.actions_done),
        "fixes": [{"skill": fix.skill, "focus": fix.focus, "from": fix.before, "to": fix.after}
                  for fix in since.fixes],
        "goals": [{"goal": goal.goal, "from": goal.before, "to": goal.after}
                  for goal in since.goals],
        "roadblocks_raised": list(since.roadblocks_raised),
        "roadblocks_resolved": list(since.roadblocks_resolved),
    }


def over_time(record: CoachingRecord) -> dict[str, Any]:
    """SPEC's "Coaching over time" keys of one rep."""
    cadence = record.cadence
    return {
        "one_on_one_every_days": cadence.every_days,
        "last_one_on_one": _day(cadence.last),
        "days_since_one_on_one": cadence.days_since,
        "cadence_overdue": cadence.overdue,
        "one_on_ones_this_period": cadence.this_period,
        "longest_gap_days": cadence.longest_gap_days,
        "history_available": record.history_available,
        "since": since_record(record.since) if record.since is not None else None,
        "skill_history": {skill: [[day.isoformat(), rating] for day, rating in points]
                          for skill, points in record.skill_history.items()},
        "one_on_ones": [day.isoformat() for day in cadence.dates],
        "fix_history": [{"skill": fix.skill, "focus": fix.focus,
                         "moves": [[day.isoformat(), status] for day, status in moves]}
                        for fix, moves in record.fix_history],

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
        "progress": [[day.isoformat(), _amount(closed)] for day, closed in team.progress],
        "manager_open_actions": len(meetings.manager_owes(
            [(rep.id, rep.file.rep) for rep in team.reps], as_of)) if as_of else 0,
        "reps": [rep_record(rep, team.file.team, as_of)
                 for rep in sorted(team.reps, key=lambda rep: rep.id)],
        **team_forecast_fields(team),
    }


def export_document(analysis: Analysis) -> dict[str, Any]:
    return {
        "as_of": analysis.as_of.isoformat(),
        "teams": [team_record(team, analysis.as_of)
                  for team in sorted(analysis.teams, key=lambda t: t.id)],
    }
