"""The PDF's layout stays on WeasyPrint's cheap paths, and says the same as the screen.

The print stylesheet (templates/assets/reportgen-print.css) replaces the screen's grid,
flex and multi-column boxes; these tests lay out every example plan and scorecard as the
PDF worker does and look at the boxes WeasyPrint made. (Speed itself is measured in
bench/render_bench.py, never here.)
"""

from __future__ import annotations

import re
import zlib
from datetime import date
from pathlib import Path

import pytest
from weasyprint import HTML

from reportgen.analysis import analyse
from reportgen.history import read_history
from reportgen.pdf import LockedFetcher, PdfRenderer, without_block_whitespace
from reportgen.render import Renderer
from reportgen.workspace import load_workspace
from tests.conftest import AS_OF, EXAMPLE


def _documents() -> list[tuple[str, str]]:
    as_of = date.fromisoformat(AS_OF)
    analysis = analyse(load_workspace(EXAMPLE), as_of, read_history(EXAMPLE))
    renderer = Renderer(EXAMPLE, target="pdf")
    documents = []
    for team in analysis.teams:
        documents += [(f"{team.id}/{rep.id}", renderer.plan(as_of, team, rep).html)
                      for rep in team.reps]
        documents.append((f"{team.id}/scorecard", renderer.scorecard(as_of, team).html))
    return documents


DOCUMENTS = _documents()


@pytest.fixture(scope="module")
def pdf_renderer() -> PdfRenderer:
    return PdfRenderer([folder / "assets" for folder in Renderer(EXAMPLE, target="pdf").folders])


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _laid_out(renderer: PdfRenderer, html: str):
    return renderer.parse(html, LockedFetcher(renderer.asset_folders)).render(
        font_config=renderer.font_config, stylesheets=renderer.stylesheets)


@pytest.mark.parametrize("name,html", DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_no_grid_flex_or_columns_in_the_pdf(pdf_renderer, name, html):
    document = _laid_out(pdf_renderer, html)
    slow = sorted({f"{box.element_tag}.{box.element.get('class')}: {box.style['display']}"
                   for page in document.pages for box in _boxes(page._page_box)
                   if set(box.style["display"]) & {"grid", "flex", "inline-grid", "inline-flex"}
                   or box.style["column_count"] != "auto"})
    assert slow == []


@pytest.mark.parametrize("name,html", [d for d in DOCUMENTS if "scorecard" not in d[0]],
                         ids=[name for name, _ in DOCUMENTS if "scorecard" not in name])
def test_plans_draw_no_dotted_or_dashed_borders(pdf_renderer, name, html):
    document = _laid_out(pdf_renderer, html)
    dotted = sorted({f"{box.element_tag}.{box.element.get('class')}"
                     for page in document.pages for box in _boxes(page._page_box)
                     for side in ("top", "right", "bottom", "left")
                     if box.style[f"border_{side}_style"] in ("dotted", "dashed")
                     and box.style[f"border_{side}_width"]})
    assert dotted == []


def test_the_pdf_applies_the_print_stylesheet_after_the_shared_one(pdf_renderer):
    names = [Path(sheet).name for sheet in pdf_renderer.stylesheet_paths]
    assert names == ["reportgen.css", "reportgen-print.css"]


@pytest.mark.parametrize("name,html", DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_the_numbers_sit_side_by_side_and_the_tiles_five_to_a_row(pdf_renderer, name, html):
    """What the grid did, the inline blocks still do: the attainment left of the
    figure tiles, tiles in rows of five (two on the scorecard) of equal width."""
    document = _laid_out(pdf_renderer, html)
    boxes = list(_boxes(document.pages[0]._page_box))

    def with_class(name: str):
        return [box for box in boxes if box.element is not None
                and name in (box.element.get("class") or "").split()
                and box.element_tag in ("div", "dl")]

    attainment = with_class("attainment")[0]
    stats = with_class("stats")[0]
    assert stats.position_x > attainment.position_x + attainment.width
    assert abs(stats.position_y - attainment.position_y) < 1
    tile_elements = [child for child in stats.element if child.tag == "div"]
    tiles = [box for box in _boxes(stats) if box.element_tag == "div"
             and any(box.element is element for element in tile_elements)]
    per_row = 2 if "stats-2" in (stats.element.get("class") or "") else 5
    first_row = [tile for tile in tiles if abs(tile.position_y - tiles[0].position_y) < 1]
    assert len(first_row) == min(per_row, len(tiles))
    widths = {round(tile.border_width()) for tile in tiles}
    assert len(widths) == 1


@pytest.mark.parametrize("name,html", [DOCUMENTS[1], DOCUMENTS[-1]],
                         ids=[DOCUMENTS[1][0], DOCUMENTS[-1][0]])
def test_the_trimmed_user_agent_sheet_changes_no_byte_of_the_pdf(pdf_renderer, name, html):
    """The PDF worker's user-agent sheet leaves out the per-element footnote and marker
    rules (cheaper cascade); the PDF is the same, byte for byte, as with WeasyPrint's."""
    document = pdf_renderer.parse(html, LockedFetcher(pdf_renderer.asset_folders))
    assert document._ua_stylesheets() == [pdf_renderer.ua_stylesheet]
    stock = HTML(string=without_block_whitespace(html), base_url=pdf_renderer.base_url).write_pdf(
        font_config=pdf_renderer.font_config, stylesheets=pdf_renderer.stylesheets)
    assert pdf_renderer.render(html).data == stock


def test_footnotes_and_other_list_items_get_weasyprints_own_user_agent_sheet(pdf_renderer):
    """A workspace template may use a footnote: it gets its call mark and its marker."""
    html = ("<!DOCTYPE html><html><body><p>Quota<span style='float: footnote'>Set in"
            " October.</span> agreed.</p><div style='display: list-item; margin-left: 2em'>"
            "a point</div></body></html>")
    document = pdf_renderer.parse(html, LockedFetcher(pdf_renderer.asset_folders))
    assert pdf_renderer.ua_stylesheet not in document._ua_stylesheets()
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf_renderer.render(html).data)).pages[0].extract_text()
    assert "Quota1" in text.replace(" ", "") and "1. Set in October." in text
    assert "•" in text


def test_only_whitespace_between_two_block_tags_leaves_the_pdf_html():
    html = ("<ul>\n  <li>a <strong>b</strong> <em>c</em></li>\n  <li> d </li>\n</ul>\n"
            "<pre><code>x\n  y</code></pre>\n<table>\n <tr>\n  <td> e </td>\n </tr>\n</table>")
    assert without_block_whitespace(html) == (
        "<ul><li>a <strong>b</strong> <em>c</em></li><li> d </li></ul>\n"
        "<pre><code>x\n  y</code></pre>\n<table><tr><td> e </td></tr></table>")


def _same_tree(mine, theirs) -> bool:
    return (mine.tag == theirs.tag and mine.attrib == theirs.attrib
            and (mine.text or None) == (theirs.text or None)
            and (mine.tail or None) == (theirs.tail or None) and len(mine) == len(theirs)
            and all(_same_tree(a, b) for a, b in zip(mine, theirs, strict=True)))


@pytest.mark.parametrize("name,html", DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_every_example_page_gets_the_html5_parsers_tree_from_the_fast_builder(name, html):
    import tinyhtml5

    from reportgen.html_tree import plain_tree

    for page in (html, without_block_whitespace(html)):
        tree = plain_tree(page)
        assert tree is not None
        assert _same_tree(tree, tinyhtml5.parse(page, namespace_html_elements=False))


@pytest.mark.parametrize("body", [
    "<p>a<div>b</div></p>",                       # <div> closes the <p> in HTML5
    "<table><tr><td>a</td></tr></table>",          # HTML5 adds the <tbody>
    "<ul><li>a<li>b</ul>",                         # implied </li>
    "<p>a<!-- note --></p>",
    "<table><tbody>a</tbody></table>",             # text moved out of the table
    "<svg><foreignObject><p>a</p></foreignObject></svg>",
    "<p>a</b></p>",
    "<textarea>a</textarea>",
])
def test_a_page_the_html5_parser_would_repair_goes_to_it(body):
    from reportgen.html_tree import plain_tree

    page = f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"
    assert plain_tree(page) is None
    assert plain_tree(page.replace("<!DOCTYPE html>", "")) is None
    assert plain_tree("<!DOCTYPE html><html><head><title>t</title></head><body><p>a</p>"
                      "</body></html>") is not None


def test_the_fast_builder_never_differs_from_the_html5_parser_on_arbitrary_markup():
    """A note arrives in a pull request: whatever markup reaches the page, the fast
    builder either builds exactly the HTML5 parser's tree or declines (None); it never
    raises. Seeded random soups of tags, entities, comments and stray brackets."""
    import random

    import tinyhtml5

    from reportgen.html_tree import plain_tree

    tags = ("p", "div", "span", "table", "tbody", "thead", "tr", "td", "th", "ul", "ol", "li",
            "dl", "dt", "dd", "a", "b", "i", "em", "strong", "br", "img", "h1", "pre", "code",
            "blockquote", "svg", "g", "rect", "text", "title", "textarea", "script")
    pieces = ("<{}>", "</{}>", "<{} class='x'>", "<{}/>", "<{} title='a&amp;b'>",
              "text", " ", "\n", "&amp;", "&lt;", "&#65;", "&nbsp;", "&copy", "&#0;",
              "&#x110000;", "<!-- c -->", "<![CDATA[x]]>", "<?pi?>", "</>", "<", ">")
    generator = random.Random(20261127)
    accepted = 0
    for _ in range(3000):
        body = "".join(generator.choice(pieces).format(generator.choice(tags))
                       for _ in range(generator.randint(1, 10)))
        page = f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"
        tree = plain_tree(page)
        if tree is not None:
            accepted += 1
            assert _same_tree(tree, tinyhtml5.parse(page, namespace_html_elements=False)), page
    assert accepted > 300  # the comparison really ran on many pages


def test_the_fast_parse_sets_what_weasyprints_own_sets(pdf_renderer):
    from reportgen.pdf import _Html

    page = DOCUMENTS[0][1]
    fetcher = LockedFetcher(pdf_renderer.asset_folders)
    fast = _Html(page, pdf_renderer.base_url, fetcher)
    slow = HTML(string=page, base_url=pdf_renderer.base_url, url_fetcher=fetcher)
    assert set(vars(fast)) == set(vars(slow))
    assert {key: value for key, value in vars(fast).items()
            if key not in ("wrapper_element", "etree_element")} == \
        {key: value for key, value in vars(slow).items()
         if key not in ("wrapper_element", "etree_element")}
    assert _same_tree(fast.etree_element, slow.etree_element)


def test_weasyprint_uses_the_trimmed_sheet_so_no_element_gets_footnote_styles(
        pdf_renderer, monkeypatch):
    """The user-agent sheet reaches WeasyPrint's cascade (a WeasyPrint that stopped
    asking `HTML._ua_stylesheets` would make this fail, not just slow pages down)."""
    from weasyprint.css import StyleFor

    made: list[str | None] = []
    original = StyleFor.set_computed_styles

    def counting(self, element, parent, root=None, pseudo_type=None, **options):
        made.append(pseudo_type)
        return original(self, element, parent, root=root, pseudo_type=pseudo_type, **options)

    monkeypatch.setattr(StyleFor, "set_computed_styles", counting)
    html = DOCUMENTS[1][1]
    _laid_out(pdf_renderer, html)
    assert made.count(None) > 100 and "footnote-call" not in made
    made.clear()
    HTML(string=html, base_url=pdf_renderer.base_url).render(
        font_config=pdf_renderer.font_config, stylesheets=pdf_renderer.stylesheets)
    assert made.count("footnote-call") > 100


def test_colours_are_written_into_the_pdfs_copy_of_the_sheets_only_when_fixed():
    from reportgen.pdf import with_root_values

    css = (":root { --ink: #123; --rule: #ddd }\n.a { color: var(--ink);"
           " border-color: var(--rule); background: var(--none, #fff) }")
    assert with_root_values(css).endswith(
        ".a { color: #123; border-color: #ddd; background: #fff }")
    themed = css + "\n.dark { --ink: #fff }"
    assert with_root_values(themed) == themed


@pytest.mark.parametrize("value", [
    'url("data:image/svg+xml;utf8,<svg/>")',  # a string holding ';'
    "red !important",                          # would win wherever it is used
    "attr(title)",
])
def test_a_value_that_is_not_a_plain_token_leaves_the_sheet_as_written(value):
    """A workspace's own sheet may name anything on :root: only colours, lengths and
    keywords are written in; otherwise the sheet is used as it is."""
    from reportgen.pdf import with_root_values

    css = f":root {{ --ink: #123; --odd: {value} }}\n.a {{ color: var(--ink) }}" \
          "\n.b { background: var(--odd) }"
    assert with_root_values(css) == css


def test_whitespace_between_tags_is_kept_for_a_workspace_with_its_own_templates(
        pdf_renderer, tmp_path):
    """Spaces between block tags lay out to nothing under the shipped stylesheet only; a
    workspace's own CSS may make those elements inline (`li { display: inline }`)."""
    page = ("<!DOCTYPE html><html><head><title>t</title></head><body>"
            "<ul><li>a</li> <li>b</li></ul></body></html>")

    def space_after_first_item(renderer: PdfRenderer) -> str | None:
        document = renderer.parse(page, LockedFetcher(renderer.asset_folders))
        return next(document.etree_element.iter("li")).tail

    own_assets = tmp_path / "templates" / "assets"
    own_assets.mkdir(parents=True)
    assert space_after_first_item(pdf_renderer) is None
    assert space_after_first_item(
        PdfRenderer([own_assets, *pdf_renderer.asset_folders])) == " "


@pytest.mark.parametrize("name,html", [DOCUMENTS[1], DOCUMENTS[-1]],
                         ids=[DOCUMENTS[1][0], DOCUMENTS[-1][0]])
def test_the_sheets_with_their_colours_written_in_make_the_same_pdf(pdf_renderer, name, html):
    from weasyprint import CSS

    assert "var(" not in pdf_renderer.stylesheet_text
    as_written = CSS(string="\n".join(sheet.read_text(encoding="utf-8")
                                      for sheet in pdf_renderer.stylesheet_paths),
                     base_url=pdf_renderer.stylesheet_paths[0].resolve().as_uri(),
                     font_config=pdf_renderer.font_config)
    document = pdf_renderer.parse(html, LockedFetcher(pdf_renderer.asset_folders))
    assert document.write_pdf(font_config=pdf_renderer.font_config, stylesheets=[as_written]) \
        == pdf_renderer.render(html).data


def _pdf_streams(data: bytes) -> bytes:
    """Every stream of a PDF, inflated where compressed (page content, object streams)."""
    found = []
    for start in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", start.end())
        raw = data[start.end():end]
        try:
            found.append(zlib.decompressobj().decompress(raw))
        except zlib.error:
            found.append(raw)
    return b"\n".join([data, *found])


def test_the_scorecards_links_to_plans_stay_relative_and_name_no_install_path(pdf_renderer):
    """A scorecard PDF links each rep's name to `reps/<rep>.pdf`, beside it in the output
    folder: a relative link works wherever the folder is copied (a CI artifact, a shared
    drive). Resolved against the templates folder it pointed into reportgen's install and
    put that path in the bytes."""
    html = next(html for name, html in DOCUMENTS if name.endswith("scorecard"))
    document = _laid_out(pdf_renderer, html)
    links = [link[1] for page in document.pages for link in page.links
             if link[0] == "external"]
    assert links
    assert all(link.startswith("reps/") and link.endswith(".pdf") for link in links), links
    inflated = _pdf_streams(pdf_renderer.render(html).data)
    assert b"file:" not in inflated
    assert str(Path(__file__).resolve().parent.parent).encode() not in inflated
