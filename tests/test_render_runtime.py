"""How a PDF render uses the Python runtime: the collector and the frame stack.

Both are tuned for WeasyPrint's way of working (a million short-lived objects, deep
recursion); these tests check the mechanisms and that they change nothing else. What
they save is measured in bench/ (see bench/README.md), never timed here.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from reportgen.pdf import RENDER_GC_THRESHOLD, PdfRenderer, _collected_after
from reportgen.render import Renderer
from reportgen.stack_room import call_with_stack_room
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def pdf_renderer() -> PdfRenderer:
    return PdfRenderer([folder / "assets" for folder in Renderer(EXAMPLE, target="pdf").folders])


@pytest.fixture
def collections():
    """The generations of the collections Python runs while the test does."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def _page(paragraphs: int) -> str:
    body = "".join(f"<p>Paragraph {number} of the notes, <b>bold</b> and plain.</p>"
                   for number in range(paragraphs))
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"


def test_a_render_runs_the_collector_once_and_leaves_it_as_it_was(pdf_renderer, collections):
    before = gc.get_threshold()
    pdf_renderer.render(_page(20))
    collections.clear()
    rendered = pdf_renderer.render(_page(20))
    assert rendered.data.startswith(b"%PDF")
    # Python's default pace would have run dozens of collections for this page.
    assert collections == [1]
    assert gc.get_threshold() == before


def test_a_document_that_makes_garbage_all_along_is_still_collected_during_its_render(
        pdf_renderer, collections):
    """Memory stays bounded: past RENDER_GC_THRESHOLD new objects the collector runs."""
    pdf_renderer.render(_page(3_000))
    assert len(collections) > 1


def test_garbage_that_outlived_a_young_collection_is_freed_during_the_render(collections):
    """Objects alive at one young collection move to an older generation; if they then
    become garbage, only an older collection frees them. Those still run at Python's own
    pace (every tenth young one), so a page that makes such garbage for its whole time
    limit does not hoard it (a batch here lives through one young collection)."""
    batch = RENDER_GC_THRESHOLD // 2
    with _collected_after():
        alive: list[list[object]] = []
        for _ in range(30):
            alive = [[] for _ in range(batch)]
            for item in alive:
                item.append(item)  # a cycle: refcounting alone never frees it
        del alive
        during = list(collections)
    assert during.count(0) >= 10
    assert any(generation >= 1 for generation in during)


def test_the_collector_is_put_back_when_a_render_fails():
    before = gc.get_threshold()
    with pytest.raises(ValueError), _collected_after():
        assert gc.get_threshold()[0] == RENDER_GC_THRESHOLD
        raise ValueError("a render that failed")
    assert gc.get_threshold() == before


def test_the_stack_room_passes_arguments_results_and_errors_through():
    assert call_with_stack_room(divmod, 17, 5) == (3, 2)
    assert call_with_stack_room(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    with pytest.raises(ZeroDivisionError):
        call_with_stack_room(divmod, 1, 0)


def _descend(depth: int) -> int:
    return 0 if depth == 0 else 1 + _descend(depth - 1)


def _climbs(times: int) -> None:
    for _ in range(times):
        _descend(200)


def _minor_faults() -> int:
    # Field 10 of /proc/self/stat, counted after the command name (which may hold spaces).
    return int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[7])


@pytest.mark.skipif(sys.implementation.name != "cpython" or not Path("/proc/self/stat").exists(),
                    reason="CPython's frame stack, counted through Linux's /proc")
def test_recursion_in_the_stack_room_does_not_map_memory_again_and_again():
    """A recursion 200 deep spans more than one 16 KiB chunk of CPython's frame stack:
    each climb maps a new chunk (page faults) and unmaps it on the way back. In the room
    it fits in one chunk that stays mapped."""
    _climbs(50)
    call_with_stack_room(_climbs, 50)
    started = _minor_faults()
    _climbs(1_000)
    plain = _minor_faults() - started
    started = _minor_faults()
    call_with_stack_room(_climbs, 1_000)
    in_room = _minor_faults() - started
    assert plain >= 1_000
    assert in_room < plain / 10


@pytest.mark.skipif(sys.platform != "linux", reason="the loader cache is Linux's")
def test_weasyprints_libraries_are_found_in_the_loader_cache_as_ctypes_finds_them():
    """While a PDF worker imports WeasyPrint, a library name is looked up in `ldconfig -p`
    alone: the same answer as ctypes for a library there, None at once for the other
    platforms' names (which ctypes would also look for with gcc and ld)."""
    import ctypes.util

    from reportgen.system_libraries import libraries_from_the_loader_cache

    find_library = ctypes.util.find_library
    names = ["gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "pangoft2-1.0"]
    expected = {name: find_library(name) for name in names}
    assert all(expected.values())
    with libraries_from_the_loader_cache():
        assert ctypes.util.find_library is not find_library
        assert {name: ctypes.util.find_library(name) for name in names} == expected
        assert ctypes.util.find_library("libgobject-2.0-0") is None
        assert ctypes.util.find_library("harfbuzz-vector-0.0") is None
    assert ctypes.util.find_library is find_library
