"""One build at a time per output folder.

Two builds writing one folder (a `build` while `watch` runs, two CI steps, a manager
pressing the button twice) would delete each other's temporary files and interleave
their manifests. Each build holds an exclusive lock on `OUT/.reportgen-lock` from
before it reads the manifest until after it wrote it; a second build waits for the
first to finish (saying so), then finds its work done or does what is left. A watch
holds the lock only while it builds.

The lock is `flock` on an open file: the kernel releases it when the process ends,
however it ends, so a killed build never leaves a stale lock behind. The file itself
stays (it is empty); a build that created the output folder and then failed removes
both, and a waiting build checks that the file it locked is still the one in the
folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = ".reportgen-lock"


class OutputLock:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / LOCK_NAME
        self.descriptor: int | None = None
        # True when this build made the output folder (so a failure can remove it).
        self.created_folder = False

    def acquire(self, on_wait: Callable[[], None]) -> None:
        self.created_folder = not self.out.exists()
        self.out.mkdir(parents=True, exist_ok=True)
        while True:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
                                 | getattr(os, "O_NOFOLLOW", 0), 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                on_wait()
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            try:
                same = os.stat(self.path, follow_symlinks=False).st_ino == os.fstat(
                    descriptor).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.descriptor = descriptor
                return
            os.close(descriptor)  # removed by the build we waited for: lock afresh

    def release(self, failed: bool) -> None:
        if self.descriptor is None:
            return
        if failed and self.created_folder:
            # Nothing was written: leave no folder behind (empty ones a failed write may
            # have made included), only what was there before.
            for current, _, _ in os.walk(self.out, topdown=False):
                with contextlib.suppress(OSError):
                    if Path(current) != self.out:
                        os.rmdir(current)
            with contextlib.suppress(OSError):
                self.path.unlink()
                self.out.rmdir()
        os.close(self.descriptor)
        self.descriptor = None


@contextlib.contextmanager
def locked(out: Path, on_wait: Callable[[], None]) -> Iterator[OutputLock]:
    lock = OutputLock(out)
    lock.acquire(on_wait)
    failed = True
    try:
        yield lock
        failed = False
    finally:
        lock.release(failed)
