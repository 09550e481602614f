"""What each page shows: the template context for a plan, a scorecard and the index.

Everything here is already decided (which fixes are wins, which notes are the latest
three, what each note looks like as safe HTML); templates only lay it out. Markdown
that pointed outside the workspace comes back as warnings on the rep's file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from reportgen import meetings
from reportgen.analysis import RepAnalysis, TeamAnalysis
from reportgen.coaching import FixView
from reportgen.formatting import has_cents
from reportgen.i18n import ENGLISH, Words
from reportgen.markdown_safe import may_warn, render_markdown
from reportgen.model import OneOnOne
from reportgen.problems import Problem, Severity
from reportgen.summary import TeamSummary, org_totals
from reportgen.yamlfile import NodePath

LATEST_ONE_ON_ONES = 3
RECENT_WINS = 3


@dataclass(frozen=True)
class Note:
    meeting: OneOnOne
    html: Markup


@dataclass
class _MarkdownCollector:
    rep: RepAnalysis
    words: Words = ENGLISH  # the page's language, for what stands in for an image
    warnings: list[Problem] = field(default_factory=list)

    def render(self, text: str | None, path: NodePath) -> Markup:
        rendered = render_markdown(text, self.words)
        if rendered.as_plain_text:
            self.warnings.append(self.rep.file.document.problem(
                path, "shown as plain text: too long or too convoluted to format as"
                " Markdown", severity=Severity.WARNING, rep=self.rep.id))
        for kind, reason in rendered.rejected:
            self.warnings.append(self.rep.file.document.problem(
                path, f"image not embedded ({kind}): {reason}", severity=Severity.WARNING,
                rep=self.rep.id))
        for source in rendered.refused:
            shown = source if len(source) <= 80 else source[:79] + "…"
            self.warnings.append(self.rep.file.document.problem(
                path, f"image not embedded, it points outside the workspace: {shown}",
                severity=Severity.WARNING, rep=self.rep.id))
        return rendered.html


def _latest_first(views: tuple[FixView, ...]) -> list[FixView]:
    return sorted(views, key=lambda view: (view.fix.due or view.fix.started or date.min),
                  reverse=True)


def plan_context(team: TeamAnalysis, rep: RepAnalysis, as_of: date, words: Words = ENGLISH
                 ) -> tuple[dict[str, Any], list[Problem]]:
    """The coaching plan of one rep, its notes' stand-ins in `words`' language. Private
    fields are never read here."""
    collector = _MarkdownCollector(rep, words)
    model = rep.file.rep
    evidence = {
        standing.skill.id: collector.render(standing.evidence,
                                            ("skills", standing.skill.id, "evidence"))
        for standing in rep.figures.skills if standing.evidence
    }
    # A future-dated one-on-one is the next meeting, not a note of one held.
    indexed = list(reversed(meetings.held(model, as_of)))
    notes = [Note(meeting, collector.render(meeting.notes, ("one_on_ones", index, "notes")))
             for index, meeting in indexed[:LATEST_ONE_ON_ONES]]
    figures = rep.figures
    context = {
        "team": team.file.team,
        "team_id": team.id,
        "rep": model,
        "rep_id": rep.id,
        "figures": figures,
        "evidence": evidence,
        "notes": notes,
        "older_notes": max(0, len(indexed) - LATEST_ONE_ON_ONES),
        "oldest_note": indexed[-1][1].date if indexed else None,
        "active_fixes": list(figures.active_fixes),
        "planned_fixes": list(figures.fixes_with("planned")),
        "wins": _latest_first(figures.fixes_with("done"))[:RECENT_WINS],
        "open_roadblocks": list(figures.open_roadblocks),
        "warnings": [warning.message for warning in rep.warnings],
        **over_time_context(team, rep),
        **handout_context(team, rep, as_of, collector),
    }
    return context, collector.warnings


def over_time_context(team: TeamAnalysis, rep: RepAnalysis) -> dict[str, Any]:
    """The plan's "since our last one-on-one" box and skill trends, ready to lay out."""
    record = rep.record
    names = {skill.id: skill.name for skill in team.file.team.skills}
    since = record.since if record is not None else None
    since_view = None
    if since is not None:
        since_view = {
            "base_date": since.base_date,
            "base_commit": since.base_commit[:10] if since.base_commit else None,
            "ratings": [{"skill": names.get(skill, skill), "before": before, "after": after,
                         "up": before is not None and after is not None and after > before,
                         "down": before is not None and after is not None and after < before}
                        for skill, before, after in since.ratings],
            "closed_delta": since.closed_delta,
            "pipeline_delta": since.pipeline_delta,
            "fixes": [{"skill": names.get(fix.skill, fix.skill), "focus": fix.focus,
                       "before": fix.before, "after": fix.after} for fix in since.fixes],
            "actions_done": list(since.actions_done),
            "goals": list(since.goals),
            "raised": list(since.roadblocks_raised),
            "resolved": list(since.roadblocks_resolved),
            "nothing_changed": since.nothing_changed,
        }
    return {
        "history_available": record is not None and record.history_available,
        "since": since_view,
        "since_is_last_one_on_one": record is not None and record.cadence.last is not None
        and since is not None and since.base_date in record.cadence.dates,
        "skill_trends": dict(record.skill_history) if record is not None else {},
        "cadence": record.cadence if record is not None else None,
    }


def note_warnings(team: TeamAnalysis, rep: RepAnalysis, as_of: date) -> list[Problem]:
    """What the rep's notes raise when their plan is made (an image not embedded, a note
    shown as written): `validate` reports them too, so that `validate --strict` fails
    where `build --strict` would. The plan is only made when some text of the rep's
    file could raise one (most files have none), to keep `validate` fast."""
    from reportgen.yamlfile import Scalar

    pending: list[Any] = [rep.file.document.data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(item for key, item in value.items() if key != "private")
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, Scalar) and may_warn(value.raw):
            return plan_context(team, rep, as_of)[1]
    return []


def handout_context(team: TeamAnalysis, rep: RepAnalysis, as_of: date,
                    collector: _MarkdownCollector) -> dict[str, Any]:
    """What the plan needs to be the sheet both people work from at the one-on-one."""
    model, figures = rep.file.rep, rep.figures
    upcoming = meetings.next_meeting(model, as_of)
    before_next = meetings.for_next_meeting(model, as_of)
    cents = has_cents(figures.quota, figures.closed, figures.pipeline,
                      currency=team.file.team.currency)
    needed = figures.needed_per_week
    if needed is not None and not cents:
        needed = math.ceil(round(needed, 6))  # what is needed, never rounded down
    return {
        "open_items": meetings.open_from_last_time(model, as_of),
        "agreed_today": meetings.agreed_today(model, as_of),
        "before_next_rep": [item for item in before_next if not item.by_manager],
        "before_next_manager": [item for item in before_next if item.by_manager],
        "next_meeting": upcoming[1] if upcoming else None,
        "next_agenda": collector.render(upcoming[1].notes, ("one_on_ones", upcoming[0],
                                                            "notes")) if upcoming else "",
        "self_gaps": meetings.self_gaps(model, team.file.team),
        "self_ratings": {skill_id: assessment.self for skill_id, assessment
                         in model.skills.items() if assessment.self is not None},
        "show_next_up": len(figures.active_fixes) < 2,
        "cents": cents,
        "needed_per_week": needed,
    }


def scorecard_context(team: TeamAnalysis, as_of: date) -> dict[str, Any]:
    from reportgen.manager_view import manager_context

    # Reps who have left are listed apart (manager_context's `departed`), not as rows.
    reps = sorted(team.active_reps, key=lambda rep: rep.file.rep.name.casefold())
    return {
        "team": team.file.team,
        "team_id": team.id,
        "figures": team.figures,
        "reps": reps,
        "skills": team.file.team.skills,
        "attention": [rep for rep in reps if rep.figures.needs_attention],
        "warnings": [PageWarning(warning.file, warning.line, warning.shown) for warning in (
            *team.warnings, *(warning for rep in sorted(team.reps, key=lambda rep: rep.file.rep
                                                        .name.casefold())
                              for warning in rep.warnings))],
        **manager_context(team),
        "history_note": team.history_note,
        "progress": team.progress,
        "start_ratings": {rep.id: rep.record.ratings_at_start for rep in reps
                          if rep.record is not None and rep.record.ratings_at_start is not None},
        "you_owe": meetings.manager_owes([(rep.id, rep.file.rep) for rep in reps], as_of),
        "self_gap_cells": {rep.id: {gap.skill.id: gap for gap in
                                    meetings.self_gaps(rep.file.rep, team.file.team)}
                           for rep in reps},
    }


def index_context(teams: list[TeamSummary]) -> dict[str, Any]:
    from reportgen.roadblocks import owner_on_page
    from reportgen.rollup import org_roadblocks, shared_gaps, team_groups

    return {"teams": sorted(teams, key=lambda team: team.id), "org": org_totals(teams),
            "groups": team_groups(teams), "shared_gaps": shared_gaps(teams),
            "org_roadblocks": [owner_on_page(group) for group in org_roadblocks(teams)]}


@dataclass(frozen=True)
class PageWarning:
    """A warning as the scorecard lists it: where, and the message in the page's
    language (an i18n.Text where the warning has one)."""

    file: str
    line: int
    message: Any
