"""What to say when WeasyPrint cannot load its system libraries (Pango, HarfBuzz…).

WeasyPrint is a Python package, but it draws text with Pango and HarfBuzz, which pip
cannot install. Without them `import weasyprint` raises cffi's OSError ("cannot load
library 'libpango-1.0-0'…"), a wall of text that does not say what to install. Every
command that needs WeasyPrint turns that into one line naming the package to install.
"""

from __future__ import annotations

import ctypes.util
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

# Names cffi reports when one of WeasyPrint's C libraries is missing.
_LIBRARY_NAMES = re.compile(r"pango|harfbuzz|gobject|fontconfig|cairo|glib", re.IGNORECASE)

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


def install_hint(system: str | None = None) -> str:
    """The one command that installs WeasyPrint's system libraries on this system."""
    system = system or platform.system()
    if system == "Darwin":
        return "brew install pango"
    if system == "Windows":
        return ("install the GTK3 runtime (MSYS2: pacman -S mingw-w64-x86_64-pango) and add"
                " its bin folder to PATH")
    return f"sudo apt-get install -y {DEBIAN_PACKAGES}"


def missing_libraries_message(error: BaseException) -> str | None:
    """One line saying what to install, when `error` is a missing system library."""
    if not isinstance(error, OSError) or not _LIBRARY_NAMES.search(str(error)):
        return None
    return ("PDF output needs the Pango and HarfBuzz system libraries, which are not"
            f" installed: {install_hint()} (or build with --format html)")


@contextmanager
def libraries_from_the_loader_cache() -> Iterator[None]:
    """While WeasyPrint is imported, find its libraries in the loader cache alone.

    WeasyPrint asks cffi for each library under six names (Windows', macOS' and Linux's:
    'libpango-1.0-0', 'pango-1.0', 'libpango-1.0.so.0', ...). cffi hands a name with a
    dot to the dynamic loader first, and asks `ctypes.util.find_library` for any name
    the loader did not load; on Linux that runs `ldconfig -p` and then, for a name it
    cannot find there, gcc and ld in subprocesses: 16 such names, 0.18 s of a 0.46 s
    import, paid by every PDF worker that starts. Here a name is looked up in the loader
    cache only (`ldconfig -p`, read once). A library the cache does not list (one on
    LD_LIBRARY_PATH) is still found: each of WeasyPrint's lists holds the Linux file
    name, which cffi hands the loader directly. Elsewhere than Linux, or where `ldconfig
    -p` lists nothing (musl), nothing changes.
    """
    cache = _loader_cache() if sys.platform == "linux" else None
    if cache is None:
        yield
        return
    find_library = ctypes.util.find_library

    def in_the_cache(name: str) -> str | None:
        pattern = re.compile(rf"^\s+(lib{re.escape(name)}\.\S+)\s+\({_ABI}", re.MULTILINE)
        found = pattern.search(cache)
        return found.group(1) if found else None

    ctypes.util.find_library = in_the_cache
    try:
        yield
    finally:
        ctypes.util.find_library = find_library


# The loader cache's description of libraries for this interpreter's machine (glibc's
# words; the cache lists 32-bit ones too). ctypes.util matches x86-64 the same way.
_ABI = {"x86_64": r"libc6,x86-64", "aarch64": r"libc6,AArch64"}.get(platform.machine(),
                                                                      r"libc6")


def _loader_cache() -> str | None:
    ldconfig = shutil.which("ldconfig") or next(
        (path for path in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(path)),
        None)
    if ldconfig is None:
        return None
    try:
        # A path in the cache need not be UTF-8: kept as the file system's bytes.
        listed = subprocess.run([ldconfig, "-p"], capture_output=True, text=True,
                                errors="surrogateescape", timeout=10,
                                env={**os.environ, "LC_ALL": "C", "LANG": "C"}, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return listed.stdout if listed.returncode == 0 and listed.stdout else None
