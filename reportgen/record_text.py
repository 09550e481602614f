"""`reportgen history`: one rep's coaching record as text, for a manager preparing a meeting.

Made from the rep's export record, so the terminal and `export` never disagree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reportgen.analysis import RepAnalysis, TeamAnalysis
from reportgen.formatting import money


def _signed(amount: int | float, currency: str) -> str:
    if amount == 0:
        return "no change"
    return ("+" if amount > 0 else "−") + money(abs(amount), currency)


def coaching_record_text(team: TeamAnalysis, rep: RepAnalysis, record: dict[str, Any],
                         as_of: date) -> str:
    model = team.file.team
    currency = model.currency
    names = {skill.id: skill.name for skill in model.skills}
    lines = [f"{rep.file.rep.name} ({team.id}/{rep.id}) · {model.name} · as of {as_of}", ""]

    every = record["one_on_one_every_days"]
    last = record["last_one_on_one"]
    cadence = (f"One-on-ones (every {every} days): "
               + (f"last {last}, {record['days_since_one_on_one']} days ago"
                  if last else f"none yet, {record['days_since_one_on_one']} days without one")
               + ("  OVERDUE" if record["cadence_overdue"] else "")
               + f"; {record['one_on_ones_this_period']} this period"
               + (f"; longest gap {record['longest_gap_days']} days"
                  if record["longest_gap_days"] is not None else ""))
    lines.append(cadence)
    if record["one_on_ones"]:
        lines.append("  " + ", ".join(record["one_on_ones"]))
    lines.append("")

    if not record["history_available"]:
        lines.append("No earlier record yet: the coaching history comes from git.")
        return "\n".join(lines) + "\n"

    since = record["since"]
    commit = since["base_commit"][:10] if since["base_commit"] else "before the file existed"
    lines.append(f"Since {since['base_date']} ({commit}):")
    lines.append(f"  closed {_signed(since['closed_delta'], currency)}, pipeline"
                 f" {_signed(since['pipeline_delta'], currency)}")
    for skill, (before, after) in since["ratings"].items():
        lines.append(f"  {names.get(skill, skill)}: {_rated(before)} → {_rated(after)}")
    for fix in since["fixes"]:
        lines.append(f"  fix {names.get(fix['skill'], fix['skill'])}"
                     f"{': ' + fix['focus'] if fix['focus'] else ''}:"
                     f" {fix['from'] or 'new'} → {fix['to']}")
    for goal in since["goals"]:
        lines.append(f"  goal {goal['goal']}: {goal['from'] or 'new'} → {goal['to'] or '—'}")
    lines.extend(f"  done: {action}" for action in since["actions_done"])
    lines.extend(f"  roadblock raised: {issue}" for issue in since["roadblocks_raised"])
    lines.extend(f"  roadblock resolved: {issue}" for issue in since["roadblocks_resolved"])
    lines.append("")

    lines.append("Ratings over time:")
    width = max((len(names.get(skill, skill)) for skill in record["skill_history"]), default=0)
    for skill, points in record["skill_history"].items():
        trail = " → ".join(f"{rating} ({day})" for day, rating in points)
        lines.append(f"  {names.get(skill, skill):<{width}}  {trail}")
    if record["fix_history"]:
        lines.append("")
        lines.append("Fixes and when they moved:")
        for fix in record["fix_history"]:
            moves = " → ".join(f"{status} {day}" for day, status in fix["moves"])
            lines.append(f"  {names.get(fix['skill'], fix['skill'])}"
                         f"{': ' + fix['focus'] if fix['focus'] else ''}")
            lines.append(f"    {moves}")
    return "\n".join(lines) + "\n"


def _rated(rating: int | None) -> str:
    return "unrated" if rating is None else str(rating)
