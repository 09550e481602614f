"""What a rep's warnings are, in a few words, for the scorecard's warnings column.

Each warning is classified by the field it points at (a stable, structured path), not by
its wording: `skills.X.assessed` is a stale rating, `fixes[i].actions[j].due` an overdue
action, and so on. The full messages are listed at the end of the scorecard.
"""

from __future__ import annotations

import re

from reportgen.problems import Problem

# (pattern on the field path, singular, plural); the first match wins.
_KINDS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"skills\.[^.]+\.assessed"), "stale rating", "stale ratings"),
    (re.compile(r"fixes\[\d+\]\.actions\[\d+\]\.due"), "overdue action", "overdue actions"),
    (re.compile(r"skills"), "skill unassessed", "skills unassessed"),
    (re.compile(r"fixes"), "over two active fixes", "over two active fixes"),
    (re.compile(r"results\.best_case"), "best case below commit", "best case below commit"),
    (re.compile(r"results\.commit"), "no best case", "no best case"),
    (re.compile(r"start_date"), "starts after the period", "starts after the period"),
    (re.compile(r"departed"), "deals to reassign", "deals to reassign"),
)


def warning_labels(warnings: tuple[Problem, ...], unassessed: int = 0) -> list[str]:
    """`["2 stale ratings", "1 overdue action"]`; `unassessed`: how many skills."""
    counts: dict[str, int] = {}
    labels: dict[str, tuple[str, str]] = {}
    for warning in warnings:
        for pattern, singular, plural in _KINDS:
            if pattern.fullmatch(warning.path):
                counts[singular] = counts.get(singular, 0) + 1
                labels[singular] = (singular, plural)
                break
        else:
            counts["other"] = counts.get("other", 0) + 1
            labels["other"] = ("other", "others")
    shown = []
    for key, count in counts.items():
        singular, plural = labels[key]
        if key == "skill unassessed":
            count = unassessed or count
        if key in ("over two active fixes", "best case below commit", "no best case",
                   "starts after the period", "deals to reassign"):
            shown.append(singular)
        else:
            shown.append(f"{count} {singular if count == 1 else plural}")
    return shown
