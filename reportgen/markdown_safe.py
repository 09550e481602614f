"""Markdown from YAML notes, rendered safely.

Notes are untrusted text. Python-Markdown has no switch to turn raw HTML off, so we
remove its HTML block and inline processors (raw HTML then shows as text), replace any
image that would be fetched from somewhere (a URL, a file path) with a visible note,
and sanitise the result with nh3 anyway: no scripts, event handlers, iframes, objects,
styles or `javascript:` links survive.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from reportgen.i18n import ENGLISH, N_, Words
from reportgen.inline_images import inline_image_problem
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
    # Inline images not embedded for what they hold: (what it is, why), e.g.
    # ("data:image/svg+xml", "SVG images in notes are not embedded").
    rejected: tuple[tuple[str, str], ...] = ()


# Python-Markdown's link parsing is quadratic in nested brackets and its list parsing
# recursive: a hostile note could stall or crash a build. Such notes are shown as text.
MAX_BRACKETS = 200

# Python-Markdown costs about 20 ms per KiB of ordinary text, and much more for some
# patterns, so a note near the 1 MiB file limit could take minutes. A one-on-one note
# is a few KiB: past this it is shown as written.
MAX_MARKDOWN_CHARS = 32 * 1024

# Its worst cases are quadratic: every emphasis, escape, entity or code span rebuilds
# the paragraph it is in, and every rule or header splits the rest of its block again.
# Each of those steps is charged the length of the text it works on; a note that runs
# over this budget is shown as written. Counted, not timed, so the same note always
# renders the same way, whatever the machine's load. (Calibrated with
# bench/markdown_bench.py: the most expensive note within budget renders in about a
# second on a 2-core machine.)
MAX_MARKDOWN_WORK = 1_000_000_000
# A block step (a regex over a whole block, in Python) costs about ten times as much
# per character as an inline one (mostly slicing and joining strings).
BLOCK_STEP_WEIGHT = 10


class _TooCostly(Exception):
    """The note ran over its work budget while being formatted."""


class _WorkBudget:
    """Charges each step of Python-Markdown's parsing against one note's budget."""

    def __init__(self) -> None:
        self.left = MAX_MARKDOWN_WORK

    def charge(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise _TooCostly

    def watch(self, md: markdown.Markdown) -> None:
        """Wrap every inline pattern and block processor of `md` to charge as it works."""
        for pattern in md.inlinePatterns:
            pattern.handleMatch = self._inline(pattern.handleMatch)  # type: ignore[method-assign]
        for processor in md.parser.blockprocessors:
            processor.test = self._block_test(processor.test)  # type: ignore[method-assign]
            processor.run = self._block_run(processor.run)  # type: ignore[method-assign]

    def _inline(self, handle: Any) -> Any:
        def charged(match: re.Match[str], *rest: Any) -> Any:
            self.charge(len(match.string))
            return handle(match, *rest)
        return charged

    def _block_test(self, test: Any) -> Any:
        def charged(parent: Any, block: str) -> Any:
            self.charge(BLOCK_STEP_WEIGHT * len(block))
            return test(parent, block)
        return charged

    def _block_run(self, run: Any) -> Any:
        def charged(parent: Any, blocks: list[str]) -> Any:
            self.charge(BLOCK_STEP_WEIGHT * len(blocks[0]) if blocks else 0)
            return run(parent, blocks)
        return charged


class _RefuseOutsideImages(Treeprocessor):
    """Turn every image that a renderer or browser would fetch into a short text note,
    and every inline image that is not a small bitmap (see inline_images.py) too."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.refused: list[str] = []
        self.rejected: list[tuple[str, str]] = []
        self.words = ENGLISH  # the language of the note's page

    def run(self, root: etree.Element) -> None:
        for image in list(root.iter("img")):
            source = (image.get("src") or "").strip()
            if source.lower().startswith(EMBEDDABLE_PREFIX) and not _PLACEHOLDER.search(source):
                reason = inline_image_problem(source)
                if reason is None:
                    continue
                self.rejected.append((source.split(",", 1)[0].split(";", 1)[0], reason))
                _replace(image, self.words)
            elif _PLACEHOLDER.search(source):
                # Markdown's own placeholders for escaped text: a source it could not read.
                self.rejected.append(("image", "its address could not be read"))
                _replace(image, self.words)
            else:
                self.refused.append(source)
                _replace(image, self.words)


# Python-Markdown stands in for escaped characters and code with STX…ETX placeholders
# while it parses; one left in an attribute is never a real address.
_PLACEHOLDER = re.compile("[\x02\x03]")


def _replace(image: etree.Element, words: Words) -> None:
    # The page is read by the rep: it says only that something is missing. Why (an
    # address elsewhere, a format or size refused) is the manager's business: it is in
    # the warning that names the file and line.
    alt = image.get("alt") or words(N_("image"))
    tail = image.tail
    image.clear()
    image.tail = tail
    image.tag = "span"
    image.set("class", "removed-image")
    image.text = words(N_("[%(image)s: not shown here]", image=alt))


class _Renderer(threading.local):
    # Building a Markdown instance costs more than converting a note; keep one per thread.
    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=["sane_lists", TypedNotes()], output_format="html")
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        self.images = _RefuseOutsideImages(self.md)
        self.md.treeprocessors.register(self.images, "refuse-outside-images", 0)
        # Last, so that it charges every pattern and processor registered above.
        self.budget = _WorkBudget()
        self.budget.watch(self.md)


_renderer = _Renderer()


# Below this length no note can run over the work budget (the worst patterns measured
# by bench/markdown_bench.py cost about a tenth of it at this length).
QUIET_BELOW_CHARS = 4096


def may_warn(text: str) -> bool:
    """False when rendering `text` certainly raises no warning: short, no image, few
    brackets. Lets `validate` skip formatting the notes it only checks."""
    return (len(text) > QUIET_BELOW_CHARS or "![" in text or "\x02" in text
            or text.count("[") > MAX_BRACKETS)


def render_markdown(text: str | None, words: Words = ENGLISH) -> RenderedMarkdown:
    """`text` as safe HTML; what stands in for an image not shown is in `words`'
    language."""
    if not text:
        return RenderedMarkdown(Markup(""), ())
    if len(text) > MAX_MARKDOWN_CHARS or text.count("[") > MAX_BRACKETS:
        return _as_plain_text(text)
    renderer = _renderer
    renderer.md.reset()
    renderer.images.refused = []
    renderer.images.rejected = []
    renderer.images.words = words
    renderer.budget.left = MAX_MARKDOWN_WORK
    try:
        html = renderer.md.convert(text)
    except (RecursionError, _TooCostly):
        return _as_plain_text(text)
    if _PLACEHOLDER.search(html):
        # Python-Markdown lost track of one of its placeholders (some mixes of emphasis,
        # entities and code do that): its output would show "klzzwxh:0000" fragments.
        return _as_plain_text(text)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=LINK_SCHEMES | {"data"}, attribute_filter=_only_safe_urls,
                      link_rel="noopener noreferrer nofollow", strip_comments=True)
    return RenderedMarkdown(Markup(clean), tuple(renderer.images.refused),
                            rejected=tuple(renderer.images.rejected))


def _as_plain_text(text: str) -> RenderedMarkdown:
    return RenderedMarkdown(Markup('<p class="as-written">{}</p>').format(text), (), True)


def _only_safe_urls(tag: str, attribute: str, value: str) -> str | None:
    # nh3 allows the schemes listed for every URL attribute; narrow them per use:
    # links may be web or mail links only, images only inline data.
    lowered = value.strip().lower()
    if _PLACEHOLDER.search(value):
        return None
    if tag == "a" and attribute == "href":
        return value if lowered.startswith(("http://", "https://", "mailto:")) else None
    if tag == "img" and attribute == "src":
        return value if lowered.startswith(EMBEDDABLE_PREFIX) else None
    if tag == "span" and attribute == "class":
        return value if value == "removed-image" else None
    return value
