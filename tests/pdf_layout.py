"""What a printed page must never show, measured on WeasyPrint's own layout.

Used by the locale tests (German and French words are longer than English ones): text
that runs past the right edge of the box holding it, and a card (a fix, a note, a
roadblock owner's group) cut in two by a page break.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportgen.pdf import LockedFetcher, PdfRenderer

# Kept whole on one page by the stylesheet (break-inside: avoid); a page break through
# one of them is a split card.
CARDS = ("fix-card", "note", "owner-group")
# Half a point: rounding in WeasyPrint's line layout, never a visible overflow.
TOLERANCE = 0.5


def boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


def lay_out(renderer: PdfRenderer, html: str) -> Any:
    """The document as the PDF worker lays it out: the same parse (whitespace, user-agent
    sheet, parser), fonts and stylesheets."""
    fetcher = LockedFetcher(renderer.asset_folders)
    return renderer.parse(html, fetcher).render(
        font_config=renderer.font_config, stylesheets=renderer.stylesheets)


def _classes(box: Any) -> set[str]:
    return set((box.element.get("class") or "").split()) if box.element is not None else set()


def _in_flow(box: Any) -> Iterator[Any]:
    """The boxes laid out on `box`'s lines: floats and inline blocks have lines of their
    own (checked as such), placed where their own box says."""
    yield box
    for child in getattr(box, "children", ()):
        if child.style["float"] != "none" or child.style["position"] in ("absolute", "fixed") \
                or type(child).__name__ in ("InlineBlockBox", "InlineReplacedBox"):
            continue
        yield from _in_flow(child)


def _text(box: Any) -> str:
    return "".join(getattr(inner, "text", "") for inner in boxes(box)).strip()


def overflowing_text(document: Any) -> list[str]:
    """Every word that reaches past the right edge of the block (a paragraph, a table
    cell, a figure tile) whose line it is on."""
    found = []
    for number, page in enumerate(document.pages, 1):
        for block in boxes(page._page_box):
            lines = [child for child in getattr(block, "children", ())
                     if type(child).__name__ == "LineBox"]
            if not lines or "visually-hidden" in _classes(block):
                continue
            # Into the padding is still inside the box; past it, the words touch or
            # cover the neighbour.
            right = block.padding_box_x() + block.padding_width() + TOLERANCE
            for line in lines:
                for inner in _in_flow(line):
                    if type(inner).__name__ == "TextBox" and inner.text.strip() and (
                            inner.position_x + inner.width > right):
                        found.append(
                            f"page {number}: {inner.text.strip()!r} ends"
                            f" {inner.position_x + inner.width - right + TOLERANCE:.1f} pt"
                            f" past its {block.element_tag}.{'.'.join(sorted(_classes(block)))}")
    return found


def overflowing_tables(document: Any) -> list[str]:
    """Every table whose cells reach past the box holding it (long headings pushing a
    column out of a half-width box, where the neighbour or the page cuts it off)."""
    found = []
    for number, page in enumerate(document.pages, 1):
        for parent in boxes(page._page_box):
            for wrapper in getattr(parent, "children", ()):
                # WeasyPrint wraps each table in a block box of its own.
                if wrapper.element_tag != "table" or not hasattr(wrapper, "padding_box_x") \
                        or wrapper.style["float"] != "none":
                    continue
                right = parent.padding_box_x() + parent.padding_width() + TOLERANCE
                reach = max((cell.border_box_x() + cell.border_width()
                             for cell in boxes(wrapper)
                             if type(cell).__name__ == "TableCellBox"), default=0)
                if reach > right:
                    found.append(f"page {number}: table.{'.'.join(sorted(_classes(wrapper)))}"
                                 f" ends {reach - right + TOLERANCE:.1f} pt past its"
                                 f" {parent.element_tag}.{'.'.join(sorted(_classes(parent)))}")
    return found


def split_cards(document: Any) -> list[str]:
    """Every card that starts on one page and ends on another."""
    pages_of: dict[int, tuple[str, set[int]]] = {}
    for number, page in enumerate(document.pages, 1):
        for box in boxes(page._page_box):
            if box.element_tag in ("article", "div") and _classes(box) & set(CARDS):
                pages_of.setdefault(id(box.element), (_text(box)[:50], set()))[1].add(number)
    return [f"{name!r} on pages {sorted(seen)}" for name, seen in pages_of.values()
            if len(seen) > 1]
