"""The element tree of reportgen's own HTML, for WeasyPrint, without its HTML5 parser.

WeasyPrint parses every document with tinyhtml5, a pure-Python HTML5 parser that reads
character by character: about a fourteenth of a plan's render. The pages reportgen
hands to the PDF worker are its own templates' output and Markdown that nh3 has
re-serialised: well-formed, every element closed, nothing for the HTML5 tree builder to
repair. Python's `html.parser` tokenises such a page several times faster, and building
the tree from well-formed tags is simple. This builds exactly the tree tinyhtml5 builds
(tests/test_print_layout.py compares both on every example page) and returns None at
the first thing it would have to repair or does not know (an implied end tag, a `tr`
straight in a `table`, a comment, a foreign attribute, ...): the caller then parses with
WeasyPrint's own parser, so a page never depends on this being complete.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

from tinyhtml5.constants import adjust_svg_attributes

SVG = "{http://www.w3.org/2000/svg}"


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


VOID = _names("area base br col embed hr img input link meta source track wbr")
# Start tags that close an open <p> in HTML5 (and more that we never write): a page with
# one inside a paragraph is handed to the HTML5 parser.
CLOSES_P = _names(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption"
    " figure footer header hgroup main menu nav ol p section summary ul h1 h2 h3 h4 h5 h6"
    " pre listing form plaintext table hr xmp")
# Elements whose end tag HTML5 may imply: a second one opened inside an open one is left
# to the HTML5 parser.
SELF_CLOSING_SIBLINGS = _names("li dt dd tr td th thead tbody tfoot option p")
# What the tree builder treats specially (raw text, forms, templates, other namespaces).
UNSUPPORTED = _names(
    "script noscript template textarea select option optgroup iframe frameset frame math"
    " plaintext xmp noembed noframes form image isindex listing button input object"
    " applet marquee ruby rb rp rt rtc nobr")
# The SVG elements reportgen's charts write, by their lower-case names (html.parser's),
# with the names HTML5 gives them; any other tag inside an <svg> goes to the HTML5 parser.
SVG_TAGS = {name.lower(): name for name in _names(
    "svg g rect line polyline polygon circle ellipse path text tspan title desc defs"
    " linearGradient radialGradient stop clipPath pattern")}
TABLE_PARENTS = {"tr": ("thead", "tbody", "tfoot"), "td": ("tr",), "th": ("tr",),
                 "col": ("colgroup",), "thead": ("table",), "tbody": ("table",),
                 "tfoot": ("table",), "colgroup": ("table",), "caption": ("table",)}
TABLE_TEXT_FORBIDDEN = _names("table thead tbody tfoot tr colgroup")
_DOCTYPE = re.compile(r"\s*<!DOCTYPE html>", re.IGNORECASE)


class _NotPlain(Exception):
    """The page needs the HTML5 parser's repairs."""


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: ElementTree.Element | None = None
        self.stack: list[ElementTree.Element] = []
        self.names: list[str] = []
        self.closed_body = False
        self.closed_html = False
        self.body: ElementTree.Element | None = None
        self.head: ElementTree.Element | None = None

    # -- tags
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], void: bool) -> None:
        if self.closed_body or tag in UNSUPPORTED:
            raise _NotPlain(tag)
        in_svg = tag == "svg" or (bool(self.names) and self.names[-1].startswith(SVG))
        if in_svg and tag not in SVG_TAGS:
            raise _NotPlain(f"<{tag}> in <svg>")
        if not in_svg:
            if void and tag not in VOID:
                raise _NotPlain(f"<{tag}/>")
            if tag in CLOSES_P and "p" in self.names:
                raise _NotPlain(f"<{tag}> in <p>")
            if tag in SELF_CLOSING_SIBLINGS and tag in self.names[-1:]:
                raise _NotPlain(f"<{tag}> in <{tag}>")
            if tag in TABLE_PARENTS and self.names[-1:] != [] \
                    and self.names[-1] not in TABLE_PARENTS[tag]:
                raise _NotPlain(f"<{tag}> in <{self.names[-1]}>")
            if self.names and self.names[-1] in ("table", "thead", "tbody", "tfoot", "tr") \
                    and tag not in TABLE_PARENTS:
                raise _NotPlain(f"<{tag}> in <{self.names[-1]}>")
        attributes: dict[str, str] = {}
        for name, value in attrs:
            if ":" in name:
                raise _NotPlain(name)
            if in_svg:
                name = adjust_svg_attributes.get(name, name)
            attributes.setdefault(name, "" if value is None else value)
        name = SVG + SVG_TAGS[tag] if in_svg else tag
        self._place(name, attributes, void or (not in_svg and tag in VOID))

    def _place(self, name: str, attributes: dict[str, str], void: bool) -> None:
        if self.root is None:
            if name != "html":
                raise _NotPlain("no <html> first")
            self.root = ElementTree.Element("html", attributes)
            self.stack.append(self.root)
            self.names.append("html")
            return
        if len(self.stack) == 1:  # children of <html>: <head>, then <body>
            expected = "head" if self.head is None else "body" if self.body is None else None
            if name != expected:
                raise _NotPlain(f"<{name}> in <html>")
        element = ElementTree.SubElement(self.stack[-1], name, attributes)
        if name == "head":
            self.head = element
        elif name == "body":
            self.body = element
        if not void:
            self.stack.append(element)
            self.names.append(name)

    def handle_endtag(self, tag: str) -> None:
        if self.closed_body:
            if tag != "html" or self.closed_html:
                raise _NotPlain(f"</{tag}> after </body>")
            self.closed_html = True
            return
        if not self.names:
            raise _NotPlain(f"</{tag}>")
        top = self.names[-1]
        expected = top[len(SVG):].lower() if top.startswith(SVG) else top
        if tag != expected or (tag in VOID and not top.startswith(SVG)):
            raise _NotPlain(f"</{tag}> closing <{top}>")
        if tag == "body":
            # Kept open: HTML5 puts what follows </body> and </html> (whitespace) in it.
            self.closed_body = True
            return
        self.stack.pop()
        self.names.pop()

    # -- text
    def handle_data(self, data: str) -> None:
        if not data:
            return
        if self.root is None:
            if data.strip():
                raise _NotPlain("text before <html>")
            return
        if self.names[-1] in TABLE_TEXT_FORBIDDEN and data.strip():
            raise _NotPlain("text in a table")
        if len(self.stack) == 1:
            if data.strip():
                raise _NotPlain("text in <html>")
            if self.head is None:
                return  # HTML5 drops whitespace between <html> and <head>
        parent = self.stack[-1]
        if self.names[-1] == "pre" and len(parent) == 0 and not parent.text \
                and data.startswith("\n"):
            data = data[1:]  # HTML5 drops the newline right after <pre>
            if not data:
                return
        if self.names[-1] == "head" and data.strip():
            raise _NotPlain("text in <head>")
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data

    def handle_comment(self, data: str) -> None:
        raise _NotPlain("comment")

    def handle_decl(self, decl: str) -> None:
        raise _NotPlain(decl)

    def handle_pi(self, data: str) -> None:
        raise _NotPlain("processing instruction")

    def unknown_decl(self, data: str) -> None:
        raise _NotPlain(data)


def plain_tree(html: str) -> ElementTree.Element | None:
    """The element tree tinyhtml5 would build for `html` (HTML elements without a
    namespace, SVG ones in SVG's), or None if the page is not plain, well-formed HTML."""
    doctype = _DOCTYPE.match(html)
    if doctype is None or "\0" in html or "\r" in html:
        return None
    builder = _Builder()
    try:
        builder.feed(html[doctype.end():])
        builder.close()
    except _NotPlain:
        return None
    if not builder.closed_html or builder.names != ["html", "body"]:
        return None
    return builder.root
