"""Process pools for the parallel checks and history parsing, quiet when they are stopped.

A forked worker inherits the build's signal handlers: the SIGTERM handler that turns
`kill` into KeyboardInterrupt (so the build can clean up), and Python's own SIGINT
handler. `Pool.__exit__` stops its workers with SIGTERM, and Ctrl-C reaches the whole
process group, so every worker would print a KeyboardInterrupt traceback: on every
large build, since the pool is always left that way. The build, not its workers,
decides what an interruption means: workers ignore Ctrl-C and die of SIGTERM.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import signal
import sys


def _leave_interruption_to_the_build() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def forked_pool(processes: int) -> multiprocessing.pool.Pool:
    """A pool of `processes` workers; forked on Linux, so they inherit the imported
    models and start in milliseconds (spawned elsewhere, where fork is unsafe)."""
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    return context.Pool(processes, initializer=_leave_interruption_to_the_build)
