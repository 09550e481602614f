"""Nothing a rep file (or a template) holds can make a build hang or eat the machine.

Every case here hung a build or took minutes before; each runs in a subprocess with a
timeout, so a regression fails the test instead of stalling the suite.
"""

from __future__ import annotations

import base64
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REP_YAML

TIMEOUT = 120  # seconds before a run counts as hung (each takes a few seconds)


def use_bomb_svg(levels: int) -> str:
    """An SVG of nested groups of ten <use> elements: 10**levels shapes to draw."""
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
             ' width="100" height="100"><defs><rect id="l0" width="1" height="1"/>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use xlink:href="#l{level - 1}"/>' for _ in range(10))
        parts.append(f'<g id="l{level}">{uses}</g>')
    parts.append(f'</defs><use xlink:href="#l{levels}"/></svg>')
    return "".join(parts)


def run_reportgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True,
                          text=True, timeout=TIMEOUT, cwd=cwd)


def rep_with_note(note: str) -> str:
    return REP_YAML + "one_on_ones:\n  - date: 2026-11-01\n    notes: |\n" + textwrap.indent(
        note, "      ") + "\n"


def test_svg_use_bomb_in_a_note_is_not_embedded(workspace, tmp_path):
    svg = base64.b64encode(use_bomb_svg(7).encode()).decode()
    root = workspace(reps={"ann": rep_with_note(f"![chart](data:image/svg+xml;base64,{svg})")})
    result = run_reportgen("build", str(root), "--out", str(tmp_path / "out"),
                           "--as-of", "2026-11-15", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert ("teams/core/reps/ann.yaml:16:12: warning: one_on_ones[0].notes: image not embedded"
            " (data:image/svg+xml): SVG images in notes are not embedded") in result.stderr
    assert (tmp_path / "out/core/reps/ann.pdf").is_file()


def test_a_document_over_the_time_limit_fails_the_build_naming_it(workspace, tmp_path):
    # Templates are trusted, but a slow one (or a bug in a C library) must not hang a
    # build either: an SVG use-bomb, inline in an overridden plan template.
    root = workspace(reps={"ann": rep_with_note("A long note " * 20)})
    templates = root / "templates"
    templates.mkdir()
    (templates / "plan.html").write_text(
        '{% extends "plan_base.html" %}{% block notes %}' + use_bomb_svg(7)
        + "{{ super() }}{% endblock %}", encoding="utf-8")
    out = tmp_path / "out"
    result = run_reportgen("build", str(root), "--out", str(out), "--as-of", "2026-11-15",
                           "--jobs", "1", "--format", "pdf", "--pdf-time-limit", "3")
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "error: teams/core/reps/ann.yaml:16:12: one_on_ones[0].notes: the PDF of"
        " core/reps/ann.pdf took longer than 3 s to render (the limit) and was stopped;"
        " its longest text is here: shorten or simplify it (inline images, long or deeply"
        " nested Markdown); nothing was changed in " + str(out)]
    assert not out.exists()  # the build made it, and leaves nothing behind


def test_a_worker_past_the_time_limit_is_replaced(workspace, tmp_path):
    """Kept workers (as `watch` keeps them) go on with a fresh process after a timeout."""
    from datetime import date

    from reportgen.assets import worker_assets
    from reportgen.build import BuildError, BuildOptions, build
    from reportgen.pdf_workers import PdfWorkers

    root = workspace()
    templates = root / "templates"
    templates.mkdir()
    slow = templates / "plan.html"
    slow.write_text('{% extends "plan_base.html" %}{% block numbers %}' + use_bomb_svg(7)
                    + "{% endblock %}", encoding="utf-8")
    options = BuildOptions(as_of=date(2026, 11, 15), out=tmp_path / "out", formats=("pdf",))
    with PdfWorkers([], 1, time_limit=3) as workers:
        workers.use(*worker_assets(root))
        with pytest.raises(BuildError, match="took longer than 3 s"):
            build(root, options, workers=workers)
        slow.unlink()
        report = build(root, options, workers=workers)
    assert "core/reps/ann.pdf" in report.built



def huge_png() -> str:
    """A 13000×13000 PNG: a few hundred KB, about 700 MB once decoded."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (13000, 13000)).save(buffer, "PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode()


def test_a_decompression_bomb_png_is_not_embedded(workspace, tmp_path):
    root = workspace(reps={"ann": rep_with_note(f"![big](data:image/png;base64,{huge_png()})")})
    result = run_reportgen("build", str(root), "--out", str(tmp_path / "out"),
                           "--as-of", "2026-11-15", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "DecompressionBomb" not in result.stderr
    assert ("image not embedded (data:image/png): the image is 13000×13000 pixels; the limit"
            " is 16.8 megapixels") in result.stderr


def test_the_pdf_renderer_refuses_a_huge_image_in_a_template(tmp_path):
    """Pillow's own limit holds for images the notes check never sees (template assets)."""
    from reportgen.pdf import PdfRenderer

    (tmp_path / "assets").mkdir()
    html = f'<p>x</p><img src="data:image/png;base64,{huge_png()}">'
    rendered = PdfRenderer([tmp_path / "assets"]).render(html)
    assert rendered.data.startswith(b"%PDF")
    assert any("image" in message.lower() for message in rendered.renderer_warnings)


_MEASURED = ("import resource, subprocess, sys; "
             "code = subprocess.run([sys.executable, '-m', 'reportgen', *sys.argv[1:]])"
             ".returncode; "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024); "
             "sys.exit(code)")


def run_measured(*args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run reportgen in a fresh parent, to read its peak memory (MiB) alone."""
    result = subprocess.run([sys.executable, "-c", _MEASURED, *args], capture_output=True,
                            text=True, timeout=TIMEOUT)
    return result, int(result.stdout.split()[-1])


def sparse_file(path: Path, size: int) -> None:
    with open(path, "wb") as stream:  # no disk space used: the file is a hole
        stream.truncate(size)


def test_a_huge_rep_file_is_refused_without_reading_it(workspace, tmp_path):
    root = workspace()
    sparse_file(root / "teams/core/reps/bob.yaml", 3 * 1024**3)
    result, peak_mib = run_measured("build", str(root), "--out", str(tmp_path / "out"),
                                    "--as-of", "2026-11-15")
    assert result.returncode == 1
    assert ("teams/core/reps/bob.yaml:1:1: error: -: file is 3072.00 MiB; the limit is 1 MiB"
            in result.stderr)
    assert peak_mib < 400


def test_other_files_in_a_team_folder_are_never_read(workspace, tmp_path):
    root = workspace()
    sparse_file(root / "teams/core/recording.mp4", 2 * 1024**3)
    sparse_file(root / "teams/core/reps/notes.bin", 2 * 1024**3)
    for _ in range(2):  # a first build, then an up-to-date one
        result, peak_mib = run_measured("build", str(root), "--out", str(tmp_path / "out"),
                                        "--as-of", "2026-11-15", "--format", "html")
        assert result.returncode == 0, result.stderr
        assert peak_mib < 400
    assert "up to date" in result.stderr


SLOW_MARKDOWN = {"emphasis": "*a", "backslashes": "\\", "code": "`a ", "entities": "&lt;",
                 "strong": "**a", "mixed": "*_", "rules": "---\n", "quotes": "> ",
                 "headers": "# a\n", "paragraphs": "a\n\n"}


@pytest.mark.parametrize("unit", SLOW_MARKDOWN.values(), ids=SLOW_MARKDOWN.keys())
@pytest.mark.parametrize("size", [30_000, 1024 * 1024 - 100])
def test_markdown_cost_is_bounded(unit, size):
    """Each of these took minutes at 1 MiB; now each is formatted or shown as written,
    the same way every time (the budget is counted, not timed)."""
    script = ("import sys; from reportgen.markdown_safe import render_markdown; "
              "text = sys.stdin.read(); "
              "print(*(render_markdown(text).as_plain_text for _ in range(2)))")
    text = (unit * (size // len(unit) + 1))[:size]
    outcomes = subprocess.run([sys.executable, "-c", script], input=text, text=True,
                              capture_output=True, timeout=60, check=True).stdout.split()
    assert outcomes in (["True", "True"], ["False", "False"])
    if size > 32 * 1024:
        assert outcomes == ["True", "True"]


def test_markdown_placeholders_never_reach_the_page():
    from reportgen.markdown_safe import render_markdown

    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR4"
             "nGNgYAAAAAMAAWgmWQ0AAAAASUVORK5CYII=")
    for note in ["*>**![a](*&amp;`()", f"![a]({pixel}`x`) *>**![b](*&amp;`()"]:
        html = str(render_markdown(note).html)
        assert "klzzwxh" not in html and "\x02" not in html and "\x03" not in html


def test_a_forked_worker_renders_and_is_stopped_past_the_time_limit(tmp_path):
    """The workers started with the first are forked by it: they render like it, and the
    time limit stops one by its pid (it is not the build's child) without the others."""
    import os
    import time

    from reportgen.layout import template_folders
    from reportgen.pdf_workers import PdfResult, PdfTask, WorkerTimedOut, _Process

    assets = [folder / "assets" for folder in template_folders(tmp_path)]
    first, forked = _Process.spawn(assets, time_limit=3, count=2)
    try:
        page = "<html><body><p>A page.</p></body></html>"
        done = forked.render(PdfTask("a.pdf", tmp_path / "a.pdf", page, "a"))
        assert isinstance(done, PdfResult)
        assert done.temporary.read_bytes().startswith(b"%PDF-")
        assert forked.popen is None and forked.pid not in (0, first.pid, os.getpid())
        with pytest.raises(ChildProcessError):  # the first worker's child, not ours
            os.waitpid(forked.pid, os.WNOHANG)
        slow = f"<html><body>{use_bomb_svg(7)}</body></html>"
        forked_pid = forked.pid
        with pytest.raises(WorkerTimedOut):
            forked.render(PdfTask("slow.pdf", tmp_path / "slow.pdf", slow, "slow"))
        # Seen dead, its pid is forgotten: once reaped it may be another process's.
        assert forked.pid == 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # killed, and reaped by the first worker
            try:
                os.kill(forked_pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the forked worker is still there")
        # The first goes on.
        again = first.render(PdfTask("b.pdf", tmp_path / "b.pdf", page, "b"))
        assert isinstance(again, PdfResult)
    finally:
        forked.kill()
        first.kill()
