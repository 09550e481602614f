"""Rendering many PDFs at once: worker processes, each with its own WeasyPrint.

Each worker is a Python process that imports WeasyPrint once, reuses one font
configuration, stylesheet and image cache, and renders one document at a time, sent to
it over a pipe. The build never forks itself for them (it has threads, and WeasyPrint's
C libraries are not safe to fork mid-use): the first is a fresh interpreter
(`python -m reportgen.pdf_worker` in effect), and the workers started with it are forked
by that one as soon as it has imported WeasyPrint, before it has rendered or loaded
anything, while it has one thread. Importing WeasyPrint costs about half a second of
CPU: paid once instead of once per worker, which on two cores is what a cold build of
one rep's plan and scorecard spends before it can render. It writes each PDF to a
temporary file beside the target; the build renames them into place only when every
document has succeeded.

The parent keeps one thread per worker, which feeds it and collects its results; the
build's own thread renders HTML and hands documents over as it goes, so neither the
HTML nor the PDFs of a large org are ever all in memory. A worker is replaced after a
bounded number of documents (its memory grows slowly with each); the old one has
exited before the new one starts, so the build never holds more workers than --jobs.

A worker that dies (a crash in a C library, the out-of-memory killer) was rendering
exactly one document: that document is retried once in a fresh worker, and if it
crashes that one too, the build fails naming it. A document that takes longer than
the time limit is not retried: its worker is killed (a fresh one takes its place for
the next document) and the build fails naming it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# A worker's memory grows by about 0.1 MiB a document: renewing it every 200 keeps
# that bounded without paying its start-up (about half a second) too often.
DOCUMENTS_PER_WORKER = 200

# A document taking longer than this to render is stopped (its worker killed and
# replaced) and the build fails naming it: a normal plan takes a fraction of a second,
# so this is only ever reached by something built to be slow (an SVG whose nested
# <use> elements multiply, in a template) or by a bug in a C library.
PDF_TIME_LIMIT = 60.0

# Fault injection for the tests: a worker asked to render this output dies on the spot,
# as it would in a crash of a C library. Never set in normal use.
CRASH_FOR_TESTS = "REPORTGEN_TEST_CRASH_ON"


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


class WorkerTimedOut(Exception):
    def __init__(self, task: PdfTask, seconds: float) -> None:
        self.task = task
        self.seconds = seconds
        super().__init__(f"the PDF of {task.output} took longer than {seconds:g} s to render"
                         f" (the limit) and was stopped")


class WorkerFailed(Exception):
    """The PDF renderer could not start, or raised an error on a document."""


class MissingLibraries(WorkerFailed):
    """WeasyPrint's system libraries are not installed; the message says what to install."""


# ------------------------------------------------------------------------ the pipe

def write_frame(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "big"))
    stream.write(data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """The next message. Raises EOFError when the other side has gone."""
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


@dataclass(frozen=True)
class Start:
    """The first message to a fresh worker: the asset folders, and for each sibling to
    fork once WeasyPrint is loaded, the ends of its two pipes (its input, its answers)."""

    asset_folders: list[Path]
    siblings: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Ready:
    """Sent by a worker once WeasyPrint is loaded (or `error` if it could not be)."""

    error: str | None = None
    # The error is WeasyPrint's system libraries missing: `error` says what to install.
    missing_libraries: bool = False
    pid: int = 0  # a forked worker is not the build's child: killed by its pid


@dataclass(frozen=True)
class Rendered:
    """Sent by a worker for each document (the HTML is not sent back)."""

    temporary: Path
    refused: tuple[str, ...]
    renderer_warnings: tuple[str, ...]


@dataclass(frozen=True)
class Failed:
    """Sent by a worker when rendering a document raised an exception."""

    task: PdfTask
    error: str


# --------------------------------------------------------------------- one process

# Started with -P (no current folder on sys.path) and reportgen's own location first,
# so the worker imports the same reportgen as the build, whatever the current folder.
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from reportgen.pdf_worker import main; main()")


class _Died(Exception):
    pass


class _Process:
    """One worker process and its pipes: a fresh interpreter (`popen`), or forked by one
    (`popen` None; its pid comes with its Ready message)."""

    def __init__(self, to_worker: IO[bytes], from_worker: IO[bytes],
                 popen: subprocess.Popen[bytes] | None, time_limit: float) -> None:
        self.time_limit = time_limit
        self.timed_out = False
        self.popen = popen
        self.pid = popen.pid if popen is not None else 0
        self.to_worker, self.from_worker = to_worker, from_worker
        self.ready = False
        self.rendered = 0
        self.rendering = False  # a task sent, its answer not read yet

    @classmethod
    def spawn(cls, asset_folders: list[Path], time_limit: float = PDF_TIME_LIMIT,
              count: int = 1) -> list[_Process]:
        """`count` workers: one fresh interpreter, which forks the others."""
        pipes = [(os.pipe(), os.pipe()) for _ in range(count - 1)]
        # The sibling's ends: it reads its tasks from one pipe and answers on the other.
        siblings = tuple((tasks[0], answers[1]) for tasks, answers in pipes)
        package_root = str(Path(__file__).resolve().parent.parent)
        try:
            popen = subprocess.Popen([sys.executable, "-P", "-c", _BOOT, package_root],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     pass_fds=[fd for pair in siblings for fd in pair])
        except BaseException:
            for tasks, answers in pipes:  # ours too: nobody will use them
                os.close(tasks[1])
                os.close(answers[0])
            raise
        finally:
            for pair in siblings:  # the worker has them now
                for fd in pair:
                    os.close(fd)
        assert popen.stdin is not None and popen.stdout is not None
        first = cls(popen.stdin, popen.stdout, popen, time_limit)
        with contextlib.suppress(OSError):  # it died at once: the first read says so
            write_frame(first.to_worker, Start(asset_folders, siblings))
        return [first, *(cls(os.fdopen(tasks[1], "wb"), os.fdopen(answers[0], "rb"), None,
                             time_limit) for tasks, answers in pipes)]

    def render(self, task: PdfTask) -> PdfResult | Failed:
        """Raises _Died if the process dies, WorkerFailed if WeasyPrint cannot start."""
        try:
            if not self.ready:
                ready = read_frame(self.from_worker)
                if ready.error is not None and ready.missing_libraries:
                    raise MissingLibraries(ready.error)
                if ready.error is not None:
                    raise WorkerFailed(f"the PDF renderer could not start: {ready.error}")
                self.pid = self.pid or ready.pid
                self.ready = True
            # The clock starts with the task: WeasyPrint's start-up is not the document's.
            timer = threading.Timer(self.time_limit, self._time_out)
            timer.start()
            self.rendering = True
            try:
                write_frame(self.to_worker, task)
                answer: Rendered | str = read_frame(self.from_worker)
            finally:
                timer.cancel()
                self.rendering = False
        except (EOFError, OSError, pickle.UnpicklingError):
            if self.popen is None:
                # A forked worker is not our child: whoever reaps it (the first worker,
                # or init) may already have, and its pid may be another process's now.
                self.pid = 0
            if self.timed_out:
                raise WorkerTimedOut(task, self.time_limit) from None
            raise _Died from None
        self.rendered += 1
        if isinstance(answer, str):
            return Failed(task, answer)
        return PdfResult(task, answer.temporary, answer.refused, answer.renderer_warnings)

    def _time_out(self) -> None:
        # Killing it ends the read above with EOF; the flag tells why.
        self.timed_out = True
        self.signal_kill()

    def signal_kill(self, gently: bool = False) -> None:
        """SIGKILL, or with `gently` SIGTERM (the worker then removes WeasyPrint's font
        folder and exits; a render stuck in C code still ends at its time limit)."""
        if self.popen is not None:
            self.popen.send_signal(signal.SIGTERM if gently else signal.SIGKILL)
        elif self.pid:
            # Forked, and not seen dead yet (`render` forgets the pid at EOF): the
            # worker that forked it reaps it only once it has died.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM if gently else signal.SIGKILL)
        # A forked worker not yet ready has no pid here: closing its input (stop) ends it
        # as soon as WeasyPrint has loaded.

    def stop(self) -> None:
        """Let it finish and exit (it stops when its input closes)."""
        with contextlib.suppress(OSError):
            self.to_worker.close()
        if self.popen is not None:
            self.popen.wait()
        else:
            # Not our child: its answers reach EOF when it has exited.
            with contextlib.suppress(OSError, ValueError):
                while self.from_worker.read(65536):
                    pass
        self.from_worker.close()

    def kill(self) -> None:
        self.signal_kill()
        self.stop()

    def end_unused(self) -> None:
        """Stop one that rendered nothing, without waiting for it to finish loading
        WeasyPrint: SIGTERM, on which it removes its font folder and exits."""
        self.signal_kill(gently=True)
        self.stop()  # a forked one not ready yet has no pid: its input closing ends it


# ---------------------------------------------------------------------- the workers

def default_jobs(jobs: int | None) -> int:
    """--jobs, or one PDF worker per CPU."""
    return max(1, jobs if jobs is not None else (os.cpu_count() or 1))


_STOP = None  # put on the task queue: the thread that takes it stops its worker


class PdfWorkers:
    """The PDF workers of a build, or kept across builds by `reportgen watch`.
    `start(n)` starts them at once, so that importing WeasyPrint in them overlaps with
    the build's own reading and HTML rendering."""

    def __init__(self, asset_folders: list[Path], jobs: int,
                 time_limit: float = PDF_TIME_LIMIT, assets_key: str = "") -> None:
        self.asset_folders = asset_folders
        self.time_limit = time_limit
        # Taken before the workers read the assets: a build that finds another key
        # (an asset changed since) starts new workers (`use`).
        self.assets_key = assets_key
        self.jobs = max(1, jobs)
        self.threads: list[threading.Thread] = []
        self.processes: list[_Process | None] = []
        self.tasks: queue.Queue[PdfTask | None] = queue.Queue()
        self.results: queue.Queue[PdfResult | Failed | Exception] = queue.Queue()
        self.closing = threading.Event()
        self.lock = threading.Lock()

    def use(self, asset_folders: list[Path], assets_key: str) -> None:
        """Kept between builds, or started before the build: new workers if the assets
        (the stylesheet, fonts) changed since `assets_key` was taken for them."""
        if (asset_folders, assets_key) != (self.asset_folders, self.assets_key):
            self.close()
            self.asset_folders, self.assets_key = asset_folders, assets_key

    def start(self, documents: int) -> None:
        """Start as many workers as are useful for `documents` PDFs (at most --jobs).

        Only the processes: the threads that feed them start with the first document,
        so that the build may still fork (to check files in parallel) meanwhile."""
        wanted = min(self.jobs, documents) - len(self.processes)
        if wanted > 0:
            self.processes.extend(_Process.spawn(self.asset_folders, self.time_limit, wanted))

    def _feed(self) -> None:
        for slot in range(len(self.threads), len(self.processes)):
            thread = threading.Thread(target=self._serve, args=(slot,), daemon=True,
                                      name=f"pdf-worker-{slot}")
            self.threads.append(thread)
            thread.start()

    def render(self, tasks: Iterable[PdfTask], done: Callable[[PdfResult], None]) -> None:
        """Render each task as `tasks` yields it, calling `done` (in this thread) for each
        as it finishes. Raises WorkerCrashed or WorkerFailed; the caller discards what
        was rendered."""
        try:
            self._render(tasks, done)
        except BaseException:
            # Stop at once; whatever was still queued or rendering is of no use now.
            self.close(failed=True)
            raise

    def _render(self, tasks: Iterable[PdfTask], done: Callable[[PdfResult], None]) -> None:
        in_flight = 0

        def collect() -> None:
            nonlocal in_flight
            outcome = self.results.get()
            in_flight -= 1
            if isinstance(outcome, Exception):
                raise outcome
            if isinstance(outcome, Failed):
                raise WorkerFailed(f"the PDF renderer failed on {outcome.task.output}"
                                   f" (from {outcome.task.source}): {outcome.error}")
            done(outcome)

        for task in tasks:
            self.start(1)
            self._feed()
            # Twice the workers in flight keeps every worker busy while bounding how
            # much HTML waits in memory.
            while in_flight >= 2 * len(self.threads):
                collect()
            self.tasks.put(task)
            in_flight += 1
            while not self.results.empty():
                collect()
        while in_flight:
            collect()

    def _serve(self, slot: int) -> None:
        """One worker's thread: feed it tasks, renew it, retry a task once if it dies."""
        while True:
            task = self.tasks.get()
            if task is _STOP or self.closing.is_set():
                break
            try:
                self.results.put(self._render_retrying(slot, task))
            except Exception as error:
                self.results.put(error)
                break
            process = self.processes[slot]
            if process is not None and process.rendered >= DOCUMENTS_PER_WORKER:
                process.stop()  # gone before its replacement starts
                self._replace(slot, None)
        process = self.processes[slot]
        if process is not None:
            # One that never rendered (started for documents that did not come) may be
            # still loading WeasyPrint: no reason to wait for it.
            if process.rendered == 0:
                process.end_unused()
            elif self.closing.is_set():
                process.kill()
            else:
                process.stop()
            self._replace(slot, None)

    def _render_retrying(self, slot: int, task: PdfTask) -> PdfResult | Failed:
        for attempt in (1, 2):
            process = self.processes[slot] or self._replace(
                slot, _Process.spawn(self.asset_folders, self.time_limit)[0])
            try:
                return process.render(task)
            except WorkerTimedOut:
                # Not retried: it would only take as long again. Its replacement starts
                # with the next document.
                process.kill()
                self._replace(slot, None)
                raise
            except _Died:
                process.kill()
                self._replace(slot, None)
                if self.closing.is_set() or attempt == 2:
                    raise WorkerCrashed(task) from None
        raise AssertionError("unreachable")

    def _replace(self, slot: int, process: _Process | None) -> _Process:
        with self.lock:
            self.processes[slot] = process
        return process  # type: ignore[return-value]

    def close(self, failed: bool = False) -> None:
        """Stop every worker; after a failure, without waiting for their documents."""
        self._feed()  # a started process is stopped by its thread
        if failed:
            self.closing.set()
            with self.lock:
                for process in self.processes:
                    if process is not None:
                        # One still loading WeasyPrint, with nothing rendered: SIGTERM,
                        # on which it removes its font folder. One rendering may be
                        # stuck in C code, where only SIGKILL stops it at once.
                        process.signal_kill(
                            gently=process.rendered == 0 and not process.rendering)
        for _ in self.threads:
            self.tasks.put(_STOP)
        for thread in self.threads:
            thread.join()
        if failed:
            # Documents that finished while the build was failing: nobody will put them
            # in place, so their temporary files go now.
            while not self.results.empty():
                outcome = self.results.get()
                if isinstance(outcome, PdfResult):
                    outcome.temporary.unlink(missing_ok=True)
        # Ready to start afresh (a watch goes on after a failed build).
        self.threads, self.processes = [], []
        self.tasks, self.results = queue.Queue(), queue.Queue()
        self.closing = threading.Event()

    def __enter__(self) -> PdfWorkers:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        self.close(failed=error_type is not None)
