"""What to say when WeasyPrint cannot load its system libraries (Pango, HarfBuzz…).

WeasyPrint is a Python package, but it draws text with Pango and HarfBuzz, which pip
cannot install. Without them `import weasyprint` raises cffi's OSError ("cannot load
library 'libpango-1.0-0'…"), a wall of text that does not say what to install. Every
command that needs WeasyPrint turns that into one line naming the package to install.
"""

from __future__ import annotations

import platform
import re

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
