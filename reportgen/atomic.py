"""Writing files so that a reader never sees half of one.

Each file is written to a temporary name in its own folder and renamed into place
(rename is atomic within a file system): a build killed at any moment leaves the old
complete file or the new complete file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMPORARY_SUFFIX = ".reportgen-tmp"


def temporary_path(target: Path) -> Path:
    """A fresh temporary file beside `target` (created empty, for the caller to fill)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX,
                                    dir=target.parent)
    os.close(handle)
    return Path(name)


def write_temporary(target: Path, data: bytes) -> Path:
    """`data` in a temporary file beside `target`, on disk, for `commit` to put in place."""
    temporary = temporary_path(target)
    try:
        with open(temporary, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if error.filename is None:  # a failed write (disk full) names no file: name it
            raise OSError(error.errno, error.strerror, str(target)) from None
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_bytes(target: Path, data: bytes) -> None:
    temporary = write_temporary(target, data)
    try:
        commit(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def commit(temporary: Path, target: Path) -> None:
    """Move a finished temporary file into place, readable like any other output."""
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)


def remove_leftovers(folder: Path) -> int:
    """Delete temporary files a killed build left behind. Returns how many."""
    if not folder.is_dir():
        return 0
    removed = 0
    for leftover in folder.rglob(f".*{TEMPORARY_SUFFIX}"):
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed
