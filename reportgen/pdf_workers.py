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

import atexit
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from reportgen.atomic import temporary_path

# A worker's memory grows by about 0.1 MiB a document: renewing it every 200 keeps
# that bounded without paying its start-up (about a second) too often.
DOCUMENTS_PER_WORKER = 200


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
    # Let the renderer go before interpreter shutdown: WeasyPrint's font configuration
    # cleans up in __del__, which fails noisily once its modules are torn down.
    atexit.register(_stop_worker)


def _stop_worker() -> None:
    global _renderer
    _renderer = None


# Fault injection for the tests: a worker asked to render this output dies on the spot,
# as it would in a crash of a C library. Never set in normal use.
CRASH_FOR_TESTS = "REPORTGEN_TEST_CRASH_ON"


def _render(task: PdfTask) -> PdfResult:
    assert _renderer is not None, "worker not initialised"
    if os.environ.get(CRASH_FOR_TESTS) == task.output:
        os._exit(70)
    rendered = _renderer.render(task.html)
    temporary = temporary_path(task.target)
    temporary.write_bytes(rendered.data)
    return PdfResult(task, temporary, rendered.refused, rendered.renderer_warnings)


def _warm() -> None:
    """Nothing: submitted once per worker so it starts (imports WeasyPrint) early."""


class PdfWorkers:
    """The PDF renderers of one build: in this process (jobs=1) or a pool of workers.

    `warm()` starts the workers at once, so that importing WeasyPrint in them overlaps
    with the build's own loading and HTML rendering.
    """

    def __init__(self, asset_folders: list[Path], jobs: int) -> None:
        self.asset_folders = asset_folders
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None

    def warm(self) -> None:
        if self.jobs > 1 and self.pool is None:
            self.pool = _pool(self.asset_folders, self.jobs)
            for _ in range(self.jobs):
                self.pool.submit(_warm)

    def render(self, tasks: list[PdfTask], done: Callable[[PdfResult], None]) -> None:
        """Render `tasks`, calling `done` for each as it finishes. Raises WorkerCrashed."""
        if self.jobs == 1 or (len(tasks) == 1 and self.pool is None):
            _start_worker(self.asset_folders)
            try:
                for task in tasks:
                    done(_render(task))
            finally:
                _stop_worker()
            return
        pending = list(reversed(tasks))
        while pending:
            self.warm()
            assert self.pool is not None
            suspects = _run_pool(self.pool, pending, self.jobs, done)
            if suspects is None:
                return
            # A worker died, which breaks the whole pool. Each document that was in
            # flight is retried alone; the one that crashes its worker again is named.
            self.close()
            for task in suspects:
                _run_alone(task, self.asset_folders, done)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __enter__(self) -> PdfWorkers:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _pool(asset_folders: list[Path], jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(asset_folders,),
                               max_tasks_per_child=DOCUMENTS_PER_WORKER)


def _run_pool(pool: ProcessPoolExecutor, pending: list[PdfTask], jobs: int,
              done: Callable[[PdfResult], None]) -> list[PdfTask] | None:
    """Run until `pending` is empty (returns None) or a worker dies (returns what was in
    flight; the rest stays in `pending`)."""
    in_flight: dict[Future[PdfResult], PdfTask] = {}
    try:
        # Twice the workers in flight keeps every worker busy while bounding which
        # documents a dead worker may have been holding.
        while pending or in_flight:
            while pending and len(in_flight) < 2 * jobs:
                task = pending.pop()
                in_flight[pool.submit(_render, task)] = task
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                result = future.result()  # raises BrokenProcessPool if its worker died
                del in_flight[future]
                done(result)
    except BrokenProcessPool:
        return sorted(in_flight.values(), key=lambda task: task.output)
    return None


def _run_alone(task: PdfTask, asset_folders: list[Path],
               done: Callable[[PdfResult], None]) -> None:
    with _pool(asset_folders, 1) as pool:
        try:
            result = pool.submit(_render, task).result()
        except BrokenProcessPool:
            raise WorkerCrashed(task) from None
    done(result)
