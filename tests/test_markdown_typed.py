"""Notes typed the way people type them render as a reader of GitHub's Markdown expects."""

from __future__ import annotations

import pytest

from reportgen.markdown_safe import render_markdown
from reportgen.markdown_typed import MAX_DEPTH, as_typed
from tests.test_safety import tags_and_attributes

# (typed note, expected HTML with newlines removed)
TYPED = [
    # A list right under a line of text, no blank line.
    ("Priorities:\n- **Close** Summit\n- Finish onboarding",
     "<p>Priorities:</p><ul><li><strong>Close</strong> Summit</li><li>Finish onboarding</li>"
     "</ul>"),
    ("Post-mortem:\n1. No stakeholder map\n2. Security review late",
     "<p>Post-mortem:</p><ol><li>No stakeholder map</li><li>Security review late</li></ol>"),
    ("Agreed:\n* one\n* two", "<p>Agreed:</p><ul><li>one</li><li>two</li></ul>"),
    # `1)` lists, at the top or under text; numbering kept.
    ("1) Call Meridian\n2) Send the forecast",
     "<ol><li>Call Meridian</li><li>Send the forecast</li></ol>"),
    ("Next:\n1) Call\n2) Send", "<p>Next:</p><ol><li>Call</li><li>Send</li></ol>"),
    ("3) third\n4) fourth", '<ol start="3"><li>third</li><li>fourth</li></ol>'),
    # A number other than 1 does not interrupt a paragraph (GitHub: still the paragraph).
    ("Closed 3 deals in\n2026. Good year.", "<p>Closed 3 deals in<br>2026. Good year.</p>"),
    ("Text\n2) not a list", "<p>Text<br>2) not a list</p>"),
    # Nested lists: two-space, three-space (under `1.`) and four-space indents.
    ("- a\n  - a1\n  - a2\n- b",
     "<ul><li>a<ul><li>a1</li><li>a2</li></ul></li><li>b</li></ul>"),
    ("1. one\n   - sub\n2. two", "<ol><li>one<ul><li>sub</li></ul></li><li>two</li></ol>"),
    ("- a\n    - a1\n- b", "<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>"),
    ("- a\n  - b\n    - c\n- d",
     "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"),
    # One space is not enough to nest (GitHub: a sibling).
    ("- a\n - b", "<ul><li>a</li><li>b</li></ul>"),
    # Line breaks inside a paragraph stay line breaks.
    ("Met the CFO.\nNext step: pricing.", "<p>Met the CFO.<br>Next step: pricing.</p>"),
    ("- item\n  more of it", "<ul><li>item<br>more of it</li></ul>"),
    ("- a\n  - b\nlazy line", "<ul><li>a<ul><li>b<br>lazy line</li></ul></li></ul>"),
    ("- a\n\n  para\n  two\n- b",
     "<ul><li><p>a</p><p>para<br>two</p></li><li><p>b</p></li></ul>"),
    ("**Bold**\n*and* more", "<p><strong>Bold</strong><br><em>and</em> more</p>"),
    ("Two spaces  \nstill one break", "<p>Two spaces<br>still one break</p>"),
    # Paragraphs and lists separated by blank lines, as before.
    ("First.\n\nSecond.", "<p>First.</p><p>Second.</p>"),
    ("- a\n- b\n\nAfter.", "<ul><li>a</li><li>b</li></ul><p>After.</p>"),
    # Code: fenced blocks are code (nothing inside is Markdown); indented blocks too.
    ("```\n- not a list\n**x**\n```\nafter",
     "<pre><code>- not a list**x**</code></pre><p>after</p>"),
    ("Para\n\n    code line", "<p>Para</p><pre><code>code line</code></pre>"),
    ("`a\nb` c", "<p><code>ab</code> c</p>"),
    # Not lists: a rule, a heading underline, a dash inside a sentence.
    ("Intro\n\n* * *\n\nEnd", "<p>Intro</p><hr><p>End</p>"),
    ("Costs - and risks", "<p>Costs - and risks</p>"),
    # Raw HTML stays text.
    ("Notes:\n- <b>bold</b>", "<p>Notes:</p><ul><li>&lt;b&gt;bold&lt;/b&gt;</li></ul>"),
]


@pytest.mark.parametrize(("typed", "expected"), TYPED, ids=[t for t, _ in TYPED])
def test_typed_notes_render_as_github_would(typed, expected):
    assert render_markdown(typed).html.replace("\n", "") == expected


def test_deep_nesting_stops_at_a_bounded_depth():
    note = "\n".join("  " * depth + "- item" for depth in range(50))
    html = render_markdown(note).html
    assert html.count("<ul>") == MAX_DEPTH + 1
    assert html.count("<li>") == 50


def test_lists_in_notes_are_still_sanitised():
    tags, attributes = tags_and_attributes(render_markdown(
        "Links:\n- [x](javascript:alert(1))\n  - <script>alert(1)</script>\n1) ![i](http://x/i.png)"
    ).html)
    assert tags <= {"p", "ul", "ol", "li", "a", "span", "br"}
    assert all(not value.lower().startswith(("javascript:", "http://x")) for *_, value in
               attributes)


MIB = 1 << 20
ADVERSARIAL = {
    "2-space nesting, 2000 deep": "\n".join("  " * depth + "- x" for depth in range(2000)),
    "sawtooth nesting": "\n".join("  " * (d % 300) + "- x" for d in range(100_000))[:MIB],
    "text and item alternating": ("text\n- a\n" * 120_000)[:MIB],
    "refused numbers in a loose paragraph": ("- x\n\npara\n" + "2) a\n" * 250_000)[:MIB],
    "unclosed fences of every length": "".join("`" * (3 + i % 60) + "\n"
                                               for i in range(40_000))[:MIB],
    "one open fence": ("```\n" + "x\n" * 600_000)[:MIB],
    "tabs": ("\t" * 100 + "- x\n") * 5000,
    "one long line": "a" * MIB,
    "markers only": ("1) " * 400_000)[:MIB],
    "rules and items": ("- - - - - x\n" * 90_000)[:MIB],
    "spaces": " " * MIB + "x",
}


@pytest.mark.parametrize("note", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_rewriting_a_hostile_note_stays_bounded(note):
    # Linear time is measured in bench/typed_notes_bench.py; here the output's size, which a
    # quadratic rewrite (indentation growing with depth) would blow up.
    rewritten = as_typed(note)
    assert len(rewritten) <= 3 * len(note) + 8 * MAX_DEPTH


@pytest.mark.parametrize("note", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_hostile_notes_still_render_safely_with_the_typed_setup(note):
    # The whole setup (rewrite, Python-Markdown, line breaks, nh3) on a slice large enough
    # to show a blow-up: it returns HTML or falls back to plain text, never an exception.
    note = note[: 32 * 1024] + note[-32 * 1024:]
    rendered = render_markdown(note)
    assert rendered.html or set(note) <= {"`", "\n"}  # empty code blocks show nothing
    tags, _ = tags_and_attributes(rendered.html)
    assert tags <= {"p", "br", "ul", "ol", "li", "pre", "code", "hr", "h1", "h2", "strong",
                    "em", "span"}
