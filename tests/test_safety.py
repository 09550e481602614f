"""Hostile notes: nothing runs, nothing is fetched, nothing outside the workspace is read."""

from __future__ import annotations

import http.server
import threading
from datetime import date

import pypdf
import pytest

from reportgen.build import BuildOptions, build
from reportgen.markdown_safe import render_markdown
from tests.conftest import REP_YAML


def tags_and_attributes(html: str) -> tuple[set[str], list[tuple[str, str, str]]]:
    """Every tag name, and every (tag, attribute, value), as a browser would parse them."""
    from html.parser import HTMLParser

    tags: set[str] = set()
    attributes: list[tuple[str, str, str]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.add(tag)
            attributes.extend((tag, name, value or "") for name, value in attrs)

    Collector().feed(html)
    return tags, attributes


@pytest.fixture
def listening_server():
    """A throwaway HTTP server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def hostile_rep(url: str) -> str:
    notes = "\n".join([
        "Plain start.",
        "",
        "<script>alert('x')</script>",
        "",
        f'<img src="{url}/raw-img.png" onerror="alert(1)">',
        "",
        f"![remote]({url}/md-img.png) and ![local](../../../secret.png)"
        " and ![file](file:///etc/hostname)",
        "",
        "[click](javascript:alert(1)) [home](file:///etc/passwd) [up](../../team.yaml)",
        "",
        f'<p style="background: url({url}/css-bg.png)">styled</p>',
        "",
        f'<iframe src="{url}/frame"></iframe><object data="{url}/obj"></object>',
        "",
        f"<link rel=stylesheet href='{url}/sheet.css'>",
    ])
    indented = "\n".join("      " + line if line else "" for line in notes.splitlines())
    return REP_YAML + ("one_on_ones:\n  - date: 2026-11-10\n    notes: |\n" + indented + "\n")


def test_hostile_notes_fetch_nothing_and_keep_no_reference(workspace, tmp_path,
                                                           listening_server):
    url, requests = listening_server
    root = workspace(reps={"ann": hostile_rep(url)})
    out = tmp_path / "out"
    report = build(root, BuildOptions(as_of=date(2026, 11, 15), out=out, jobs=1))
    assert requests == []
    html = (out / "core" / "reps" / "ann.html").read_text(encoding="utf-8")
    tags, attributes = tags_and_attributes(html)
    assert not {"script", "iframe", "object", "embed"} & tags
    assert [name for _, name, _ in attributes if name.startswith("on")] == []
    for tag, name, value in attributes:
        for forbidden in ("127.0.0.1", "javascript:", "file:", "secret.png", "team.yaml"):
            assert forbidden not in value.lower(), (tag, name, value)
    assert [value for tag, name, value in attributes if name == "style"] == []
    # Raw HTML shows as text, so the manager can see what was written.
    assert "&lt;script&gt;" in html
    assert "Plain start." in html
    refused = [w for w in report.warnings if "image not embedded" in w.message]
    assert {w.file for w in refused} == {"teams/core/reps/ann.yaml"}
    assert any(f"{url}/md-img.png" in w.message for w in refused)
    assert any("secret.png" in w.message for w in refused)
    assert all(w.line == 16 and w.path == "one_on_ones[0].notes" for w in refused)
    text = " ".join(page.extract_text() for page in
                    pypdf.PdfReader(out / "core" / "reps" / "ann.pdf").pages)
    assert "Plain start." in text


def test_the_pdf_fetcher_refuses_files_outside_the_assets(tmp_path, listening_server):
    from reportgen.layout import builtin_templates
    from reportgen.pdf import PdfRenderer

    url, requests = listening_server
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    renderer = PdfRenderer([builtin_templates() / "assets"])
    css = (builtin_templates() / "assets" / "reportgen.css").as_uri()
    html = (f'<link rel="stylesheet" href="{css}"><link rel="stylesheet" href="{secret.as_uri()}">'
            f'<img src="{url}/x.png"><p>hello</p>')
    result = renderer.render(html)
    assert requests == []
    assert sorted(result.refused) == sorted([secret.as_uri(), f"{url}/x.png"])
    assert result.data.startswith(b"%PDF")


@pytest.mark.parametrize("note", [
    "<a href='#' onclick='steal()'>x</a>",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<svg onload=alert(1)>",
    "<style>body{background:url(http://x/)}</style>",
    "[x](vbscript:msgbox(1))",
    "<<script>script>alert(1)<</script>/script>",
])
def test_markdown_is_sanitised(note):
    tags, attributes = tags_and_attributes(render_markdown(note).html)
    assert tags <= {"p", "a", "span"}
    for _tag, name, value in attributes:
        assert not name.startswith("on")
        assert name != "style"
        assert not value.lower().startswith(("javascript:", "data:text", "vbscript:"))


def test_inline_data_images_are_kept():
    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR4"
             "nGNgYAAAAAMAAWgmWQ0AAAAASUVORK5CYII=")
    rendered = render_markdown(f"![dot]({pixel})")
    assert rendered.refused == () and pixel in rendered.html


@pytest.mark.parametrize("note", ["[" * 3000 + "x" + "]" * 3000,
                                  "\n".join("    " * depth + "- item" for depth in range(600))])
def test_convoluted_notes_are_shown_as_text_quickly(note):
    rendered = render_markdown(note)
    assert rendered.as_plain_text or rendered.html
    if rendered.as_plain_text:
        assert "<p class=\"as-written\">" in rendered.html
