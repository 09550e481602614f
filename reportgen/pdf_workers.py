"""Rendering many PDFs at once: worker processes, each with its own WeasyPrint.

Workers start with the spawn method (WeasyPrint and its C libraries are not safe to
fork mid-use), import WeasyPrint once, reuse one font configuration and image cache,
and are replaced after a bounded number of documents so memory stays flat however many
reps there are. Each worker writes its PDF to a temporary file beside the target; the
build renames them into place only when every document has succeeded.

If a worker dies (a crash in a C library, the out-of-memory killer), the documents it
may have been rendering are retried one at a time in a fresh worker, which either
finishes them or names the one that crashes.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from reportgen.atomic import temporary_path

DOCUMENTS_PER_WORKER = 40


@dataclass(frozen=True)
class PdfTask:
    output: str  # path relative to the output folder: names the task in messages
    target: Path
    html: str
    source: str  # the file the document comes from, for messages (a rep or team file)


@dataclass(frozen=True)
class PdfResult:
    task: PdfTask
    temporary: Path
    refused: tuple[str, ...]
    renderer_warnings: tuple[str, ...]


class WorkerCrashed(Exception):
    def __init__(self, task: PdfTask) -> None:
        self.task = task
        super().__init__(f"the PDF renderer crashed while rendering {task.output}"
                         f" (from {task.source})")


_renderer = None


def _start_worker(asset_folders: list[Path]) -> None:
    global _renderer
    from reportgen.pdf import PdfRenderer

    _renderer = PdfRenderer(asset_folders)


def _render(task: PdfTask) -> PdfResult:
    assert _renderer is not None, "worker not initialised"
    rendered = _renderer.render(task.html)
    temporary = temporary_path(task.target)
    temporary.write_bytes(rendered.data)
    return PdfResult(task, temporary, rendered.refused, rendered.renderer_warnings)


def render_serially(tasks: list[PdfTask], asset_folders: list[Path],
                    done: Callable[[PdfResult], None]) -> None:
    _start_worker(asset_folders)
    for task in tasks:
        done(_render(task))


def render_in_workers(tasks: list[PdfTask], asset_folders: list[Path], jobs: int,
                      done: Callable[[PdfResult], None]) -> None:
    """Render `tasks` over `jobs` processes, calling `done` for each as it finishes."""
    pending = list(reversed(tasks))
    while pending:
        suspects = _run_pool(pending, asset_folders, jobs, done)
        # A worker died. Each document that was in flight is retried alone; the one
        # that crashes its worker again is the culprit.
        for task in suspects:
            _run_alone(task, asset_folders, done)


def _pool(asset_folders: list[Path], jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(asset_folders,),
                               max_tasks_per_child=DOCUMENTS_PER_WORKER)


def _run_pool(pending: list[PdfTask], asset_folders: list[Path], jobs: int,
              done: Callable[[PdfResult], None]) -> list[PdfTask]:
    """Run until `pending` is empty (returns []) or a worker dies (returns what was in
    flight, the rest staying in `pending`)."""
    in_flight: dict[Future[PdfResult], PdfTask] = {}
    with _pool(asset_folders, jobs) as pool:
        try:
            # Twice the workers in flight keeps every worker busy while knowing which
            # documents a dead worker may have been holding.
            while pending or in_flight:
                while pending and len(in_flight) < 2 * jobs:
                    task = pending.pop()
                    in_flight[pool.submit(_render, task)] = task
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = in_flight.pop(future)
                    done(future.result())
        except BrokenProcessPool:
            return _in_order(in_flight.values())
    return []


def _run_alone(task: PdfTask, asset_folders: list[Path],
               done: Callable[[PdfResult], None]) -> None:
    with _pool(asset_folders, 1) as pool:
        try:
            result = pool.submit(_render, task).result()
        except BrokenProcessPool:
            raise WorkerCrashed(task) from None
    done(result)


def _in_order(tasks: Iterator[PdfTask] | object) -> list[PdfTask]:
    return sorted(tasks, key=lambda task: task.output)  # type: ignore[arg-type]
