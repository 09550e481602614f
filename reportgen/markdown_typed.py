"""Notes as people type them, rewritten into the Markdown that Python-Markdown reads.

Managers type notes the way GitHub renders them: a list straight under a line of text,
`1)` numbering, sub-items indented by two spaces, code between ``` fences. Python-Markdown
follows the older Markdown.pl rules (a blank line before a list, four spaces per level,
no fences), so those notes came out as one run-on sentence. `as_typed` rewrites the text
line by line, in one pass and linear time, into the same document in Python-Markdown's
dialect:

- a blank line goes before a list that starts right under a paragraph line (as GitHub:
  a bullet, or a number list that starts at 1; `text\\n2) x` stays one paragraph);
- `1)` markers become `1.`;
- list items and their continuation lines are re-indented to four spaces per level,
  whatever indentation was typed (nesting follows GitHub's rule: an item is a child when
  it is indented at least to the text of the item above); nesting deeper than
  `MAX_DEPTH` stays at that depth, which also bounds Python-Markdown's recursive list
  parsing;
- a fenced code block becomes an indented one (its lines are never read as Markdown).

A line break inside a paragraph stays a line break, as in GitHub comments: a note typed
line by line reads line by line. (Python-Markdown's `nl2br` extension does this with an
inline pattern that is quadratic in the number of lines of a paragraph; `_LineBreaks`
splits the finished text nodes instead, in one pass.)

`TypedNotes` is the Python-Markdown extension that applies both. Raw HTML is not touched
here: markdown_safe.py shows it as text and sanitises the result.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

MAX_DEPTH = 8
TAB = 4

# A list marker at the start of a line (after indentation): `-`, `*`, `+`, `1.` or `1)`,
# then spaces or the end of the line. Anchored and without nested repetition: linear.
_MARKER = re.compile(r"([-*+]|(\d{1,9})[.)])(?=[ \t]|$)")
_THEMATIC_BREAK = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")


@dataclass
class _Item:
    content_column: int  # where the item's text starts, as typed
    depth: int


def _leading(line: str) -> tuple[int, str]:
    """The indentation width (tabs to stops of four) and the rest of the line."""
    width = 0
    for position, char in enumerate(line):
        if char == " ":
            width += 1
        elif char == "\t":
            width += TAB - width % TAB
        else:
            return width, line[position:]
    return width, ""


def as_typed(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    items: list[_Item] = []  # the open list items, outermost first
    previous = "blank"  # blank | item | text | code
    fence: tuple[str, int] | None = None  # (fence character, length) while inside one
    # Inside a list, a paragraph that started after a blank line is a block of its own:
    # Python-Markdown reads an item right under it as more of the paragraph.
    loose_paragraph = False

    for line in lines:
        indent, rest = _leading(line)

        if fence is not None:
            char, length = fence
            stripped = rest.rstrip(" \t")
            if indent < 4 and stripped.startswith(char * length) and not stripped.strip(char):
                fence = None
                out.append("")
                previous = "blank"
            else:
                out.append("    " + line if line.strip() else "")
            continue

        if not rest:
            out.append("")
            previous = "blank" if previous != "code" else "code"
            continue

        if previous == "code" and indent >= 4:
            out.append(line)
            continue

        if not items and indent >= 4 and previous == "blank":
            out.append(line)  # an indented code block, as typed
            previous = "code"
            continue

        if items and previous == "blank":
            while items and indent < items[-1].content_column:
                items.pop()

        if not items and indent < 4:
            opening = _FENCE.match(rest)
            if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                fence = (opening.group(1)[0], len(opening.group(1)))
                out.append("")
                previous = "blank"
                continue

        marker = None if _THEMATIC_BREAK.match(rest) else _MARKER.match(rest)
        if marker is not None:
            after = rest[marker.end():]
            spaces, content = _leading(after)
            number = marker.group(2)
            interrupts = previous == "text" and (not items or loose_paragraph)
            if interrupts and (not content or (number is not None and int(number) != 1)):
                marker = None  # GitHub reads this line as part of the paragraph above
        if marker is not None:
            while items and indent < items[-1].content_column:
                items.pop()
            if interrupts:
                out.append("")
            depth = min(len(items), MAX_DEPTH)
            written = marker.group(1)
            if number is not None:
                written = number + "."
            gap = 1 if spaces == 0 or spaces > 4 else spaces
            out.append(" " * (TAB * depth) + written + " " * gap + content)
            items.append(_Item(indent + len(marker.group(1)) + gap, depth))
            previous = "item"
            loose_paragraph = False
            continue

        if items and previous == "blank":
            loose_paragraph = True
        if items and previous == "blank":
            # A paragraph of its own inside the item: indented to the item's level.
            top = items[-1]
            extra = min(max(0, indent - top.content_column), TAB)
            out.append(" " * (TAB * (top.depth + 1) + extra) + rest)
        elif items:
            # A continuation line: Python-Markdown adds it to the deepest open item, as
            # GitHub does, whatever its indentation (so none is written: the rewrite
            # never grows a line by more than the item markers' indentation).
            out.append(rest)
        else:
            out.append(line)
        previous = "text"

    return "\n".join(out)



class _AsTyped(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return as_typed("\n".join(lines)).split("\n")


class _LineBreaks(Treeprocessor):
    """Every newline left inside a paragraph's text becomes a `<br>` (not in code)."""

    KEEP = frozenset({"pre", "code"})

    def run(self, root: etree.Element) -> None:
        # An explicit stack rather than recursion: nesting depth is the note's to choose.
        stack = [root]
        while stack:
            element = stack.pop()
            if element.tag in self.KEEP:
                continue
            children: list[etree.Element] = []
            originals = list(element)
            element.text = _split_lines(element.text, children, _inline(originals, 0))
            for position, child in enumerate(originals):
                stack.append(child)
                children.append(child)
                child.tail = _split_lines(child.tail, children,
                                          _inline(originals, position + 1))
            element[:] = children


INLINE = frozenset({"strong", "em", "b", "i", "code", "a", "img", "span", "del", "br"})


def _inline(elements: list[etree.Element], position: int) -> bool:
    return position < len(elements) and elements[position].tag in INLINE


def _split_lines(text: str | None, into: list[etree.Element], before_inline: bool
                 ) -> str | None:
    """The text's first line; each further line goes to `into` as a `<br>` and its tail.

    Newlines at the end break the line only when more text follows (an inline element),
    not before a nested list.
    """
    if not text or "\n" not in text:
        return text
    body = text if before_inline else text.rstrip("\n")
    if "\n" not in body or not (body.strip() or before_inline):
        return text
    first, *others = body.split("\n")
    for line in others:
        br = etree.Element("br")
        br.tail = line.lstrip(" ")  # the prettifier puts the newline before it
        into.append(br)
    if len(text) > len(body):
        into[-1].tail = (into[-1].tail or "") + text[len(body):]
    return first


class TypedNotes(Extension):
    """Python-Markdown reads notes as GitHub would: see the module's docstring."""

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown names it
        # After whitespace is normalised (tabs expanded), before any block is parsed.
        md.preprocessors.register(_AsTyped(md), "as-typed", 25)
        # After inline parsing (20), before the output is indented for reading (10).
        md.treeprocessors.register(_LineBreaks(md), "line-breaks", 15)
