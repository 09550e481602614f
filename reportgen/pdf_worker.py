"""A PDF worker process: WeasyPrint loaded once, documents rendered one at a time.

Started by `pdf_workers.PdfWorkers`; reads the asset folders, then tasks, from its
standard input and answers each on its standard output (see `pdf_workers` for the
frames). Everything else the process or its C libraries might print goes to standard
error, so it can never corrupt the answers. Once WeasyPrint is imported it forks the
siblings it was asked for, each with its own pair of pipes, before anything else: one
thread, no font or page loaded yet.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import traceback
from typing import IO

from reportgen.atomic import write_temporary
from reportgen.pdf_workers import (
    CRASH_FOR_TESTS,
    PdfTask,
    Ready,
    Rendered,
    Start,
    read_frame,
    write_frame,
)
from reportgen.system_libraries import libraries_from_the_loader_cache, missing_libraries_message


def main() -> None:
    # Ctrl-C reaches the whole process group: the build stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests: IO[bytes] = sys.stdin.buffer
    try:
        start: Start = read_frame(requests)
    except EOFError:
        return
    try:
        with libraries_from_the_loader_cache():
            from reportgen.pdf import PdfRenderer, prepare_before_fork
        prepare_before_fork()
    except Exception as error:
        failed = _not_started(error)
        for _, sibling_answers in start.siblings:
            with contextlib.suppress(OSError), os.fdopen(sibling_answers, "wb") as stream:
                write_frame(stream, failed)
        write_frame(answers, failed)
        return
    requests, answers = _fork_siblings(start.siblings, requests, answers)
    # A worker the build did not need is ended with SIGTERM, possibly before its first
    # task: take WeasyPrint's font folder along (os._exit and SIGKILL skip it). While the
    # renderer is being made, its folder exists but is not known here yet: end right
    # after.
    font_configs: list[object] = []
    ending: list[bool] = []

    def end(signum: int, frame: object) -> None:
        if not font_configs:
            ending.append(True)
            return
        for font_config in font_configs:
            _remove_font_folder(font_config)
        os._exit(0)

    signal.signal(signal.SIGTERM, end)
    try:
        renderer = PdfRenderer(start.asset_folders)
        font_configs.append(renderer.font_config)
        if ending:
            end(signal.SIGTERM, None)
    except Exception as error:
        write_frame(answers, _not_started(error))
        answers.close()
        os._exit(0)  # a forked sibling must not return into the first worker's code
    write_frame(answers, Ready(pid=os.getpid()))
    crash_on = os.environ.get(CRASH_FOR_TESTS)
    while True:
        try:
            task: PdfTask = read_frame(requests)
        except EOFError:
            # The build closed our input: done. Nothing is left to flush, and skipping
            # the interpreter's clean-up ends the build a fifth of a second sooner; but
            # that clean-up is what removes WeasyPrint's folder of the stylesheet's fonts
            # (a few hundred KiB in the temporary folder, per worker), so do that here.
            _remove_font_folder(renderer.font_config)
            os._exit(0)
        if task.output == crash_on:
            os._exit(70)
        try:
            rendered = renderer.render(task.html)
            temporary = write_temporary(task.target, rendered.data)
        except Exception:
            write_frame(answers, traceback.format_exc(limit=-3).strip().splitlines()[-1])
            continue
        write_frame(answers, Rendered(temporary, rendered.refused, rendered.renderer_warnings))


def _remove_font_folder(font_config: object) -> None:
    # FontConfiguration.__del__ does this (with the attribute it sets); os._exit skips it.
    folder = getattr(font_config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _not_started(error: Exception) -> Ready:
    missing = missing_libraries_message(error)
    return Ready(missing or f"{type(error).__name__}: {error}",
                 missing_libraries=missing is not None)


def _fork_siblings(siblings: tuple[tuple[int, int], ...], requests: IO[bytes],
                   answers: IO[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    """Fork one worker per pair of pipe ends; return the pipes this process serves.

    Each process keeps only its own pipes open: the build learns that a worker died
    from the end of its answers, which a copy held by another process would delay."""
    if not siblings:
        return requests, answers
    # Reaped at once: the build cannot wait for processes that are not its children.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for index, (tasks, sibling_answers) in enumerate(siblings):
        if os.fork() == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            # Not the first worker's input (its reader may hold tasks read ahead) nor
            # its answers; nor the pipes of the other siblings.
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, sys.stdin.fileno())
            os.close(null)
            answers.close()
            for other, (other_tasks, other_answers) in enumerate(siblings):
                if other != index:
                    os.close(other_tasks)
                    os.close(other_answers)
            return os.fdopen(tasks, "rb"), os.fdopen(sibling_answers, "wb")
    for tasks, sibling_answers in siblings:
        os.close(tasks)
        os.close(sibling_answers)
    return requests, answers


if __name__ == "__main__":
    main()
