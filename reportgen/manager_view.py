"""What the scorecard adds for the manager's number and the right people: the forecast,
the reps' quotas against the manager's number, the performance × capability chart, the
initiatives under their gaps, every roadblock by owner, and each rep's warnings in words.
"""

from __future__ import annotations

from typing import Any

from reportgen.analysis import TeamAnalysis
from reportgen.capability import QUADRANTS
from reportgen.capability_chart import people_chart
from reportgen.i18n import Drawn
from reportgen.initiatives import other_initiatives
from reportgen.roadblocks import owner_on_page
from reportgen.warning_labels import warning_labels


def manager_context(team: TeamAnalysis) -> dict[str, Any]:
    model = team.file.team
    by_name = sorted(team.reps, key=lambda rep: rep.file.rep.name.casefold())
    numbered = list(enumerate(team.people, start=1))
    return {
        "forecast": team.forecast,
        "team_coverage": team.coverage,
        "departed": [rep for rep in by_name if rep.figures.departed],
        "people": numbered,
        # Drawn when the page's language is known: its axis titles are words.
        "people_chart": Drawn(people_chart, ([(number, point) for number, point in numbered],
                                             model.scale.min, model.scale.max,
                                             model.scale.target)),
        "unplotted": [point for _, point in numbered if not point.plotted],
        "plotted_count": sum(1 for _, point in numbered if point.plotted),
        "quadrants": QUADRANTS,
        "gap_responses": team.gap_responses,
        "other_initiatives": [initiative for _, initiative in
                              other_initiatives(model, team.figures.team_wide_gaps)],
        "roadblock_groups": [owner_on_page(group) for group in team.roadblocks],
        "warning_labels": {rep.id: warning_labels(rep.warnings, len(rep.figures.unassessed))
                           for rep in team.reps},
        "team_warnings": list(team.warnings),
    }
