"""Export keys for the manager's number and the VP's view (SPEC names the first ones).

Per rep: `commit`, `best_case` (0 when absent), `forecast_commit`, `forecast_best_case`,
`departed`, `ramping`, `performance`, `capability`, `quadrant`. Per team:
`rep_quota_sum`, `forecast_commit`, `forecast_best_case`, `quota_assignment` (reps'
quotas − the manager's number), `coverage`, `needs_attention`, `people`,
`initiatives`, `roadblocks_by_owner`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from reportgen.analysis import RepAnalysis, TeamAnalysis


def _ratio(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def forecast_fields(rep: RepAnalysis) -> dict[str, Any]:
    forecast, model = rep.forecast, rep.file.rep
    return {
        "commit": forecast.commit,
        "best_case": forecast.best_case,
        "forecast_commit": forecast.forecast_commit,
        "forecast_best_case": forecast.forecast_best_case,
        "departed": model.departed.isoformat() if model.departed else None,
    }


def team_forecast_fields(team: TeamAnalysis) -> dict[str, Any]:
    forecast = team.forecast
    return {
        "rep_quota_sum": forecast.rep_quota_sum,
        "forecast_commit": forecast.forecast_commit,
        "forecast_best_case": forecast.forecast_best_case,
        "quota_assignment": forecast.assignment,
        "projected_attainment": _ratio(team.figures.projected),
        "coverage": _ratio(team.coverage),
        "needs_attention": sorted(rep.id for rep in team.reps if rep.figures.needs_attention),
        "people": [{
            "id": point.rep_id,
            "performance": _ratio(point.performance),
            "capability": _ratio(point.capability),
            "skills_assessed": point.assessed,
            "ramping": point.ramping,
            "quadrant": point.quadrant,
            # Export is locale-free: the English words.
            "not_plotted": (str(point.not_plotted_because)
                            if point.not_plotted_because is not None else None),
        } for point in sorted(team.people, key=lambda point: point.rep_id)],
        "initiatives": [{
            "skill": initiative.skill, "what": initiative.what, "owner": initiative.owner,
            "due": initiative.due.isoformat() if initiative.due else None,
            "status": initiative.status,
        } for initiative in team.file.team.initiatives],
        "unanswered_gaps": [response.gap.skill.id for response in team.gap_responses
                            if not response.answered],
        "roadblocks_by_owner": [{
            "owner": group.owner, "kind": group.kind,
            "roadblocks": [{
                "issue": block.issue,
                "raised": block.raised.isoformat() if block.raised else None,
                "age_days": block.age_days, "reps": list(block.reps),
            } for block in group.roadblocks],
        } for group in team.roadblocks],
    }
