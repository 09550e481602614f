"""A PDF worker process: WeasyPrint loaded once, documents rendered one at a time.

Started by `pdf_workers.PdfWorkers`; reads the asset folders, then tasks, from its
standard input and answers each on its standard output (see `pdf_workers` for the
frames). Everything else the process or its C libraries might print goes to standard
error, so it can never corrupt the answers.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback

from reportgen.atomic import write_temporary
from reportgen.pdf_workers import CRASH_FOR_TESTS, PdfTask, Ready, Rendered, read_frame, write_frame


def main() -> None:
    # Ctrl-C reaches the whole process group: the build stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    try:
        asset_folders = read_frame(requests)
    except EOFError:
        return
    try:
        from reportgen.pdf import PdfRenderer

        renderer = PdfRenderer(asset_folders)
    except Exception as error:
        from reportgen.system_libraries import missing_libraries_message

        missing = missing_libraries_message(error)
        write_frame(answers, Ready(missing or f"{type(error).__name__}: {error}",
                                   missing_libraries=missing is not None))
        return
    write_frame(answers, Ready())
    crash_on = os.environ.get(CRASH_FOR_TESTS)
    while True:
        try:
            task: PdfTask = read_frame(requests)
        except EOFError:
            # The build closed our input: done. Nothing is left to flush, and skipping
            # the interpreter's clean-up ends the build a fifth of a second sooner.
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


if __name__ == "__main__":
    main()
