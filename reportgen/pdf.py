"""PDF through WeasyPrint: a locked-down URL fetcher, bundled fonts, stable output.

Imported only when a PDF is made, so `validate` and HTML builds start fast.

* The fetcher serves `data:` URLs and files inside the template asset folders (built-in
  and the workspace's) and refuses everything else: no network, no other file. Each
  refusal is recorded so the build can name the rep file that asked for it.
* WeasyPrint's own warnings (a bad CSS rule, a missing font) are collected too: a
  normal build must have none, and the tests fail on any.
* The PDF's dates come from the HTML's `dcterms.created` meta (the `--as-of` date) and
  it has no random identifier, so the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
import gc
import logging
import mimetypes
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from cssselect2 import ElementWrapper
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reportgen.html_tree import plain_tree
from reportgen.inline_images import MAX_IMAGE_PIXELS
from reportgen.stack_room import call_with_stack_room

# Notes are checked before they reach a page (inline_images.py); this holds for every
# image WeasyPrint decodes, template assets included: past the limit Pillow raises
# instead of decoding hundreds of megabytes, and WeasyPrint reports the image as not
# loaded (a warning naming the file), never Pillow's raw DecompressionBombWarning.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
warnings.simplefilter("error", Image.DecompressionBombWarning)


class LockedFetcher(URLFetcher):
    """Serves `data:` URLs and files under `allowed_folders`; refuses the rest."""

    def __init__(self, allowed_folders: list[Path]) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.allowed_folders = [folder.resolve() for folder in allowed_folders]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.is_file() and any(path.is_relative_to(folder)
                                      for folder in self.allowed_folders):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(),
                                          headers={"Content-Type": content_type})
        self.refused.append(url)
        raise ValueError(f"reportgen refused to fetch {url}")


@dataclass
class _Collected(logging.Handler):
    messages: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        logging.Handler.__init__(self, level=logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def __hash__(self) -> int:
        return id(self)


# Young objects allowed between two collections during a render (Python's default: 700).
RENDER_GC_THRESHOLD = 100_000


@contextmanager
def _collected_after() -> Iterator[None]:
    """Python's cyclic collector, run for a document's garbage once, not all through it.

    Laying out a plan allocates far more objects than the collector's default pace
    allows for (a young collection every 700 new ones, net of those freed; every tenth
    of them an older one, which walks more of what the worker holds): about 35
    collections a plan, which found little and cost about a tenth of a render, more as a
    worker aged: 1.5 of 14.7 CPU seconds over 45 documents (`bench/runtime_bench.py`).
    Now a document's cycles are freed in one collection after it. Only the young
    generation's pace changes: during a render it is collected every RENDER_GC_THRESHOLD
    new objects (a page of the example makes fewer), and the older ones as usual, so a
    hostile document that makes garbage for its whole time limit stays bounded in memory.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(RENDER_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.collect(1)


@contextmanager
def _weasyprint_warnings() -> Iterator[list[str]]:
    logger = logging.getLogger("weasyprint")
    handler = _Collected()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    refused: tuple[str, ...]
    renderer_warnings: tuple[str, ...]


STYLESHEET = "reportgen.css"
# The PDF's layout (floats and blocks instead of the screen's grid and flex), applied
# after STYLESHEET: see the comment at its top.
PRINT_STYLESHEET = "reportgen-print.css"


# WeasyPrint's user-agent stylesheet gives `::marker` and the five footnote and note
# pseudo-elements (`::footnote-call`, `::note-marker`, ...) a rule with no element in its
# selector, so the cascade makes and computes six pseudo-element styles for every
# element of the page (2,600 of them for a two-page plan, about half the cascade).
# Only list items have a marker, and only `float: footnote` and `position: note()`
# boxes use the others: the trimmed sheet scopes `::marker` to `li` (the only list-item
# in the HTML user-agent sheet) and leaves the note rules out. A document or stylesheet
# that uses footnotes, notes or other list items gets WeasyPrint's own sheet.
_UA_MARKER_RULE = "::marker {"
_UA_NOTE_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}\n]*\}\n", re.MULTILINE)
_NEEDS_FULL_UA = re.compile(r"footnote|note\(|list-item")


@functools.cache
def _trimmed_ua_stylesheet() -> CSS | None:
    """WeasyPrint's HTML user-agent sheet with the per-element pseudo rules scoped; None
    if this WeasyPrint's sheet no longer reads as expected (then its own is used).

    Parsed once per process (about 0.04 s), and by the first PDF worker before it forks
    the others (see `prepare_before_fork`)."""
    source = weasyprint_html.UA
    if source.count(_UA_MARKER_RULE) != 1 or len(_UA_NOTE_RULES.findall(source)) != 5:
        return None
    trimmed = _UA_NOTE_RULES.sub("", source.replace(_UA_MARKER_RULE, "li::marker {"))
    return CSS(string=trimmed, counter_style=weasyprint_html.UA_COUNTER_STYLE)


# Whitespace between two block-level tags lays out to nothing, but WeasyPrint still
# makes a text box of it wherever its parent holds inline content (the figure tiles, the
# header's facts, the "since" items: inline blocks in a container whose font size is 0
# so those spaces take no room) and shapes it with Pango. Dropping it before parsing is
# about a twentieth of a plan. Only runs between two tags of this list are dropped, so
# no space between words or inline elements is touched (and no `<pre>` text: its
# content is text and inline tags). That it lays out to nothing is a fact of the
# shipped stylesheet and templates only: a workspace with its own templates folder (its
# own CSS may set `li { display: inline }`) keeps its whitespace.
_BLOCK_TAGS = ("html|head|body|main|div|section|header|footer|article|nav|p|ul|ol|li|dl|dt|"
               "dd|table|thead|tbody|tfoot|tr|td|th|colgroup|col|caption|h[1-6]|meta|title|"
               "style|link")
_BLOCK_WHITESPACE = re.compile(rf"(</?(?:{_BLOCK_TAGS})\b[^<>]*>)\s+(?=</?(?:{_BLOCK_TAGS})\b)")


def without_block_whitespace(html: str) -> str:
    """`html` without the whitespace-only runs between two block-level tags."""
    return _BLOCK_WHITESPACE.sub(r"\1", html)


class _Html(HTML):
    """A parsed document whose user-agent stylesheet is `ua_stylesheet` when given.

    reportgen's own pages are well-formed: html_tree.py builds their tree (the one
    tinyhtml5 would build) several times faster than WeasyPrint's HTML5 parser, which
    still parses any page that is not plain. The attributes set here are the ones
    `HTML.__init__` sets (tests/test_print_layout.py checks that they still are)."""

    ua_stylesheet: CSS | None = None

    def __init__(self, string: str, base_url: str | None, url_fetcher: URLFetcher) -> None:
        tree = plain_tree(string)
        if tree is None:
            super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
            return
        self.base_url = weasyprint._find_base_url(tree, base_url)
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = ElementWrapper.from_html_root(tree, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        if self.ua_stylesheet is None or forms:
            return super()._ua_stylesheets(forms)
        return [self.ua_stylesheet]


# The shared sheet names its colours once, as custom properties on :root. WeasyPrint
# resolves a var() for every element whose style uses one, parsing the value again each
# time (2-3% of a page); the PDF's copy of the sheets has the values written in. Only
# when every custom property is set once, in the :root rule, so that the value is the
# same on every element; otherwise the sheets are used as written.
_ROOT_RULE = re.compile(r":root\s*\{[^{}]*\}")
_PROPERTY_SET = re.compile(r"(?<![\w-])(--[\w-]+)\s*:\s*([^;{}]+?)\s*(?:;|(?=\}))")
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*?))?\s*\)")
# A value written in as it is: a colour, a length, a keyword. Anything else (a string, a
# url(), `!important`) is not simple to move, and a workspace's own sheet may hold it.
_SIMPLE_VALUE = re.compile(r"[#\w.%\s,+-]+")


def with_root_values(css: str) -> str:
    """`css` with each var() replaced by the value its :root rule gives, when that is the
    property's only value anywhere in `css`."""
    root_rules = [match.group(0) for match in _ROOT_RULE.finditer(css)]
    values = dict(_PROPERTY_SET.findall("".join(root_rules)))
    everywhere = _PROPERTY_SET.findall(css)
    if len(root_rules) != 1 or len(everywhere) != len(values) or not all(
            _SIMPLE_VALUE.fullmatch(text) for text in values.values()):
        return css

    def value(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(2) or match.group(0))

    return _VAR.sub(value, css)


def _first(asset_folders: list[Path], name: str) -> Path | None:
    return next((folder / name for folder in asset_folders if (folder / name).is_file()), None)


def prepare_before_fork() -> None:
    """What every PDF worker needs and may share with the workers forked from it: the
    parsed user-agent sheet (Python objects only; nothing of fonts or C libraries, which
    each worker loads after the fork)."""
    _trimmed_ua_stylesheet()


class PdfRenderer:
    """One per process: the stylesheet (with its fonts) is parsed once, and the font
    configuration and image cache are reused across documents."""

    def __init__(self, asset_folders: list[Path]) -> None:
        self.asset_folders = asset_folders
        # One folder: the shipped templates' (a workspace's own folder comes first).
        self.shipped_templates_only = len(asset_folders) == 1
        self.font_config = FontConfiguration()
        self.image_cache: dict[str, object] = {}
        # No base URL for the pages: their assets are absolute file URLs (render.py) and
        # their images data: URLs, so a link to another output (a scorecard's
        # `reps/ann.pdf`) stays relative. It then opens the PDF beside it wherever the
        # output folder is copied, and no PDF holds the path reportgen is installed at.
        self.base_url: str | None = None
        self.stylesheet_paths = [sheet for sheet in (_first(asset_folders, STYLESHEET),
                                                     _first(asset_folders, PRINT_STYLESHEET))
                                 if sheet is not None]
        self.stylesheet_fetcher = LockedFetcher(asset_folders)
        self.stylesheet_text = with_root_values("\n".join(
            sheet.read_text(encoding="utf-8") for sheet in self.stylesheet_paths))
        with _weasyprint_warnings() as messages:
            # Parsing the stylesheets and loading their fonts once, instead of for every
            # document, is about a seventh of the time of a plan.
            # One CSS object from both files: WeasyPrint matches every element against
            # each stylesheet separately, so one sheet is one matching pass, not two.
            # (The print sheet uses no url(): its base is the main sheet's.)
            self.stylesheets = [CSS(string=self.stylesheet_text,
                                    base_url=self.stylesheet_paths[0].resolve().as_uri(),
                                    font_config=self.font_config,
                                    url_fetcher=self.stylesheet_fetcher)
                                ] if self.stylesheet_paths else []
        self.stylesheet_warnings = tuple(messages)
        self.ua_stylesheet = _trimmed_ua_stylesheet()
        self.sheets_need_full_ua = bool(_NEEDS_FULL_UA.search(self.stylesheet_text))

    def parse(self, html: str, url_fetcher: URLFetcher) -> HTML:
        """The document WeasyPrint lays out, with the trimmed user-agent sheet unless
        this document or the stylesheets use footnotes, notes or other list items."""
        if self.shipped_templates_only:
            html = without_block_whitespace(html)
        document = _Html(string=html, base_url=self.base_url,
                         url_fetcher=url_fetcher)
        if not self.sheets_need_full_ua and not _NEEDS_FULL_UA.search(html):
            document.ua_stylesheet = self.ua_stylesheet
        return document

    def render(self, html: str) -> RenderedPdf:
        return call_with_stack_room(self._render, html)

    def _render(self, html: str) -> RenderedPdf:
        fetcher = LockedFetcher(self.asset_folders)
        with _weasyprint_warnings() as messages, _collected_after():
            # No /ID: pydyf would hash the whole file for it, and without one the same
            # input gives the same bytes anyway. No name holds the parsed page: it is
            # garbage by the time the collection runs, not a survivor moved to an older
            # generation (where its cycles would wait for a full collection).
            data = self.parse(html, fetcher).write_pdf(
                font_config=self.font_config, cache=self.image_cache,
                stylesheets=self.stylesheets)
        messages = [*self.stylesheet_warnings, *messages]
        refused = tuple([*self.stylesheet_fetcher.refused, *fetcher.refused])
        ours = [message for message in messages
                if not any(url in message for url in refused)]
        return RenderedPdf(data, refused, tuple(ours))
