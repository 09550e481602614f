"""Every open roadblock, grouped by who must remove it.

The manager's own come first (owner `manager` in any case, or the manager's name), then
roadblocks nobody owns yet (someone has to take them), then every other owner (another
department, the rep), the group with the longest-waiting roadblock first. The same issue
raised on several reps is one roadblock that blocks them all: issues match when their
text is the same ignoring case and spacing, with the same owner. Its age is counted from
the earliest `raised`. Reps who have left block nobody and are left out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from reportgen.i18n import N_
from reportgen.model import Rep

MANAGER = "manager"
NO_OWNER = "no owner"
REP_OWNER = "rep"


@dataclass(frozen=True)
class OpenRoadblock:
    issue: str
    raised: date | None  # the earliest raised date among the reps it blocks
    age_days: int | None
    reps: tuple[str, ...]  # names of the reps it blocks, in the order found


@dataclass(frozen=True)
class OwnerGroup:
    owner: str  # as written first (the manager's name for the manager's group)
    kind: str  # "manager", "no owner", "rep" or "other"
    roadblocks: tuple[OpenRoadblock, ...]

    @property
    def oldest_age(self) -> int:
        return max((block.age_days or 0 for block in self.roadblocks), default=0)


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _capitals(text: str) -> int:
    return sum(1 for char in text if char.isupper())


def owner_kind(owner: str | None, manager: str) -> str:
    written = _words(owner or "")
    if not written:
        return NO_OWNER
    if written in (MANAGER, _words(manager)):
        return MANAGER
    if written == REP_OWNER:
        return REP_OWNER
    return "other"


def _order(kind: str) -> int:
    return {MANAGER: 0, NO_OWNER: 1}.get(kind, 2)


def sort_groups(groups: list[OwnerGroup]) -> list[OwnerGroup]:
    """The manager's first, then unowned, then the longest-waiting first, then by name."""
    return sorted(groups, key=lambda group: (_order(group.kind), -group.oldest_age,
                                             _words(group.owner)))


def sort_blocks(blocks: list[OpenRoadblock]) -> list[OpenRoadblock]:
    # Oldest first; undated ones last, as nobody knows how long they have waited.
    return sorted(blocks, key=lambda block: (block.raised is None, block.raised or date.min,
                                             _words(block.issue)))


def roadblocks_by_owner(manager: str, reps: list[tuple[str, Rep]], as_of: date
                        ) -> tuple[OwnerGroup, ...]:
    """`reps`: (name, model) of the reps still on the team."""
    owners: dict[str, tuple[str, str]] = {}  # owner key → (shown name, kind)
    found: dict[tuple[str, str], tuple[str, date | None, list[str]]] = {}
    for rep_name, rep in reps:
        for block in rep.roadblocks:
            if not block.is_open:
                continue
            kind = owner_kind(block.owner, manager)
            owner_key = kind if kind != "other" else _words(block.owner or "")
            shown = {MANAGER: manager, NO_OWNER: "No owner yet", REP_OWNER: "The rep"}.get(
                kind, " ".join((block.owner or "").split()))
            known = owners.get(owner_key)
            # The same owner written in several ways: show the most capitalised spelling
            # ("Sales engineering" rather than "sales engineering").
            if known is None or _capitals(shown) > _capitals(known[0]):
                owners[owner_key] = (shown, kind)
            key = (owner_key, _words(block.issue))
            issue, raised, blocked = found.get(key, (block.issue, block.raised, []))
            if block.raised is not None and (raised is None or block.raised < raised):
                raised = block.raised
            if rep_name not in blocked:
                blocked.append(rep_name)
            found[key] = (issue, raised, blocked)
    groups = []
    for owner_key, (shown, kind) in owners.items():
        blocks = [OpenRoadblock(issue, raised, (as_of - raised).days if raised else None,
                                tuple(blocked))
                  for (key, _), (issue, raised, blocked) in found.items() if key == owner_key]
        groups.append(OwnerGroup(shown, kind, tuple(sort_blocks(blocks))))
    return tuple(sort_groups(groups))


Grouped = TypeVar("Grouped")


def owner_on_page(group: Grouped) -> Grouped:
    """`group` (an OwnerGroup, or the index's OrgOwner) as a page shows it: nobody's
    roadblocks read "No owner yet" in the page's language; summaries and the export
    keep the English."""
    if getattr(group, "kind", None) != NO_OWNER:
        return group
    shown: Any = group
    return dataclasses.replace(shown, owner=N_("No owner yet"))
