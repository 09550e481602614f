"""Markdown from YAML notes, rendered safely.

Notes are untrusted text. Python-Markdown has no switch to turn raw HTML off, so we
remove its HTML block and inline processors (raw HTML then shows as text), replace any
image that would be fetched from somewhere (a URL, a file path) with a visible note,
and sanitise the result with nh3 anyway: no scripts, event handlers, iframes, objects,
styles or `javascript:` links survive.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from reportgen.markdown_typed import TypedNotes

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol",
                "li", "a", "img", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "del", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}, "span": {"class"},
                      "ol": {"start"}}
LINK_SCHEMES = {"http", "https", "mailto"}
EMBEDDABLE_PREFIX = "data:image/"  # inline images are part of the note: nothing is fetched


@dataclass(frozen=True)
class RenderedMarkdown:
    html: Markup
    refused: tuple[str, ...]  # image sources that were not embedded
    as_plain_text: bool = False  # too convoluted to format: shown as written instead


# Python-Markdown's link parsing is quadratic in nested brackets and its list parsing
# recursive: a hostile note could stall or crash a build. Such notes are shown as text.
MAX_BRACKETS = 200


class _RefuseOutsideImages(Treeprocessor):
    """Turn every image that a renderer or browser would fetch into a short text note."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.refused: list[str] = []

    def run(self, root: etree.Element) -> None:
        for image in root.iter("img"):
            source = (image.get("src") or "").strip()
            if source.lower().startswith(EMBEDDABLE_PREFIX):
                continue
            self.refused.append(source)
            alt = image.get("alt") or "image"
            tail = image.tail
            image.clear()
            image.tail = tail
            image.tag = "span"
            image.set("class", "removed-image")
            image.text = f"[{alt}: not shown, it points outside the workspace]"


class _Renderer(threading.local):
    # Building a Markdown instance costs more than converting a note; keep one per thread.
    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=["sane_lists", TypedNotes()], output_format="html")
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        self.images = _RefuseOutsideImages(self.md)
        self.md.treeprocessors.register(self.images, "refuse-outside-images", 0)


_renderer = _Renderer()


def render_markdown(text: str | None) -> RenderedMarkdown:
    if not text:
        return RenderedMarkdown(Markup(""), ())
    if text.count("[") > MAX_BRACKETS:
        return _as_plain_text(text)
    renderer = _renderer
    renderer.md.reset()
    renderer.images.refused = []
    try:
        html = renderer.md.convert(text)
    except RecursionError:
        return _as_plain_text(text)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=LINK_SCHEMES | {"data"}, attribute_filter=_only_safe_urls,
                      link_rel="noopener noreferrer nofollow", strip_comments=True)
    return RenderedMarkdown(Markup(clean), tuple(renderer.images.refused))


def _as_plain_text(text: str) -> RenderedMarkdown:
    return RenderedMarkdown(Markup('<p class="as-written">{}</p>').format(text), (), True)


def _only_safe_urls(tag: str, attribute: str, value: str) -> str | None:
    # nh3 allows the schemes listed for every URL attribute; narrow them per use:
    # links may be web or mail links only, images only inline data.
    lowered = value.strip().lower()
    if tag == "a" and attribute == "href":
        return value if lowered.startswith(("http://", "https://", "mailto:")) else None
    if tag == "img" and attribute == "src":
        return value if lowered.startswith(EMBEDDABLE_PREFIX) else None
    if tag == "span" and attribute == "class":
        return value if value == "removed-image" else None
    return value
