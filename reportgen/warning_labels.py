"""What a rep's warnings are, in a few words, for the scorecard's warnings column.

Each warning is classified by the field it points at (a stable, structured path), not by
its wording: `skills.X.assessed` is a stale rating, `fixes[i].actions[j].due` an overdue
action, and so on. The full messages are listed at the end of the scorecard.
"""

from __future__ import annotations

import re

from reportgen.i18n import N_, Text, ngettext
from reportgen.problems import Problem

# (pattern on the field path, kind); the first match wins.
_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"skills\.[^.]+\.assessed"), "stale"),
    (re.compile(r"fixes\[\d+\]\.actions\[\d+\]\.due"), "overdue"),
    (re.compile(r"skills"), "unassessed"),
    (re.compile(r"fixes"), "fixes"),
    (re.compile(r"results\.best_case"), "best_case"),
    (re.compile(r"results\.commit"), "commit"),
    (re.compile(r"start_date"), "start"),
    (re.compile(r"departed"), "departed"),
)


def _label(kind: str, count: int) -> Text:
    """A kind of warning in a few words: counted where more than one can be."""
    # Each message written out whole, so that `pybabel extract` finds it.
    if kind == "stale":
        return ngettext("%(count)s stale rating", "%(count)s stale ratings", count)
    if kind == "overdue":
        return ngettext("%(count)s overdue action", "%(count)s overdue actions", count)
    if kind == "unassessed":
        return ngettext("%(count)s skill unassessed", "%(count)s skills unassessed", count)
    if kind == "other":
        return ngettext("%(count)s other", "%(count)s others", count)
    return {"fixes": N_("over two active fixes"), "best_case": N_("best case below commit"),
            "commit": N_("no best case"), "start": N_("starts after the period"),
            "departed": N_("deals to reassign")}[kind]


def warning_labels(warnings: tuple[Problem, ...], unassessed: int = 0) -> list[Text]:
    """`["2 stale ratings", "1 overdue action"]` (as messages shown in the page's
    language); `unassessed`: how many skills."""
    counts: dict[str, int] = {}
    for warning in warnings:
        kind = next((kind for pattern, kind in _KINDS if pattern.fullmatch(warning.path)),
                    "other")
        counts[kind] = counts.get(kind, 0) + 1
    if "unassessed" in counts:
        counts["unassessed"] = unassessed or counts["unassessed"]
    return [_label(kind, count) for kind, count in counts.items()]
