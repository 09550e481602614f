"""`reportgen watch`: rebuild whenever a file changes, with WeasyPrint kept warm.

A fresh `reportgen build` pays for starting Python, loading WeasyPrint and its fonts in
each worker, and a first slow document, before it renders anything: about 1.5 s on a
2-core machine. A manager editing a rep's file before a one-on-one should not wait for
that on every save, so `watch` keeps one process, its compiled templates and its PDF
workers alive between builds, and each save costs little more than rendering what
changed (the build itself is the same incremental, all-or-nothing build).

Changes are found by polling the files' sizes and modification times (no extra
dependency, works on every file system, and a few milliseconds for 500 reps). A change
is built once the files have stayed the same for one poll, so an editor that saves in
several steps does not trigger a build of a half-written file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.assets import worker_assets
from reportgen.build import (
    BuildError,
    BuildOptions,
    BuildReport,
    build,
    default_jobs,
    worker_time_limit,
)
from reportgen.layout import TEAMS_FOLDER, template_folders
from reportgen.problems import DataError

if TYPE_CHECKING:
    from reportgen.pdf_workers import PdfWorkers

Signature = frozenset[tuple[str, int, int]]


def input_signature(workspace: Path) -> Signature:
    """Every input file's path, size and modification time: the team and rep files,
    and the templates and assets (the workspace's own and the built-in ones)."""
    folders = [workspace / TEAMS_FOLDER, *template_folders(workspace)]
    seen = set()
    for folder in folders:
        for current, _, files in os.walk(folder):
            for name in files:
                path = os.path.join(current, name)
                try:
                    status = os.stat(path)
                except OSError:
                    continue  # removed while we looked: the next poll sees it
                seen.add((path, status.st_size, status.st_mtime_ns))
    from reportgen.history import head_files

    # A commit changes the history plans show, even when no file in the workspace did.
    for path in head_files(workspace):
        try:
            status = os.stat(path)
        except OSError:
            continue
        seen.add((path, status.st_size, status.st_mtime_ns))
    return frozenset(seen)


@dataclass(frozen=True)
class Round:
    """One build of the watch: its report, or the problems that stopped it."""

    report: BuildReport | None = None
    error: DataError | BuildError | None = None


# After a change is seen, how long the files must stay unchanged before the build: an
# editor's save (a write and a rename) is over well within it, and waiting the whole
# polling interval again put up to half a second between a save and its PDF.
SETTLE_SECONDS = 0.1


def watch(workspace: Path, options: Callable[[], BuildOptions],
          on_round: Callable[[Round], None], *, interval: float = 0.2,
          stop: threading.Event | None = None) -> None:
    """Build now, then after every change, until `stop` is set (or Ctrl-C).

    `options` is asked again before each build, so a watch left running past midnight
    builds for the new day when no --as-of was given.
    """
    from reportgen.pdf_workers import PdfWorkers

    stop = stop or threading.Event()
    first = options()
    workers = PdfWorkers([], default_jobs(first.jobs), **worker_time_limit(first))
    try:
        if "pdf" in first.formats:
            workers.use(*worker_assets(workspace))
            workers.start(workers.jobs)  # warm before the first change
        built = None
        while not stop.is_set():
            current = input_signature(workspace)
            if current != built:
                if built is not None and stop.wait(min(interval, SETTLE_SECONDS)):
                    break
                if input_signature(workspace) != current:
                    continue  # still being written: wait until it settles
                built = current
                on_round(_one_round(workspace, options(), workers))
            stop.wait(interval)
    finally:
        workers.close()


def _one_round(workspace: Path, options: BuildOptions, workers: PdfWorkers) -> Round:
    try:
        # Each PDF in place as soon as it is rendered: the plan of the rep just saved
        # does not wait for the team's scorecard (put back if the build fails).
        return Round(report=build(workspace, options, workers=workers, publish_early=True))
    except (DataError, BuildError) as error:
        return Round(error=error)
