"""Team initiatives: what the whole team does about a gap many reps share.

An initiative answers the team-wide gap of its `skill`. It is open while `planned` or
`active`. A team-wide gap with no open initiative is a warning on team.yaml ("shared gap
with no team response"); so is an open initiative past its due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportgen.coaching import Finding, TeamGap
from reportgen.i18n import N_, ngettext
from reportgen.model import Initiative, Team


@dataclass(frozen=True)
class GapResponse:
    gap: TeamGap
    initiatives: tuple[tuple[int, Initiative], ...]  # (index in team.yaml, initiative)

    @property
    def answered(self) -> bool:
        return any(initiative.is_open for _, initiative in self.initiatives)


def gap_responses(team: Team, gaps: tuple[TeamGap, ...]) -> tuple[GapResponse, ...]:
    """Each team-wide gap with the initiatives on its skill, open ones first."""
    responses = []
    for gap in gaps:
        matching = [(index, initiative) for index, initiative in enumerate(team.initiatives)
                    if initiative.skill == gap.skill.id]
        matching.sort(key=lambda item: (not item[1].is_open, item[0]))
        responses.append(GapResponse(gap, tuple(matching)))
    return tuple(responses)


def other_initiatives(team: Team, gaps: tuple[TeamGap, ...]
                      ) -> tuple[tuple[int, Initiative], ...]:
    """Initiatives on skills that are not a team-wide gap today (done, or preventive)."""
    gap_skills = {gap.skill.id for gap in gaps}
    return tuple((index, initiative) for index, initiative in enumerate(team.initiatives)
                 if initiative.skill not in gap_skills)


def initiative_findings(team: Team, responses: tuple[GapResponse, ...], as_of: date
                        ) -> tuple[Finding, ...]:
    findings = []
    for response in responses:
        if response.answered:
            continue
        gap = response.gap
        # Point at the initiatives list when there is one, else at the whole file.
        findings.append(Finding(
            ("initiatives",) if team.initiatives else (),
            ngettext("shared gap with no team response: %(count)s of %(rated)s assessed reps"
                     " is below target on %(skill)s; add an open initiative (training, a"
                     " tool or a process change) with skill: %(skill_id)s",
                     "shared gap with no team response: %(count)s of %(rated)s assessed reps"
                     " are below target on %(skill)s; add an open initiative (training, a"
                     " tool or a process change) with skill: %(skill_id)s",
                     len(gap.below_target), rated=gap.rated, skill=gap.skill.name,
                     skill_id=gap.skill.id)))
    for index, initiative in enumerate(team.initiatives):
        if initiative.is_open and initiative.due is not None and initiative.due < as_of:
            findings.append(Finding(
                ("initiatives", index, "due"),
                N_("initiative overdue since %(day)s: %(what)s", day=initiative.due,
                   what=initiative.what if len(initiative.what) <= 60
                   else initiative.what[:59] + "…")))
    return tuple(findings)
