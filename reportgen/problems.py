"""Problems: the one shape every user-facing error and warning takes.

A Problem names the file (relative to the workspace), the 1-based line and column,
the field path and a message a manager can act on. Warnings are data too, never print
statements: the CLI decides where they go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    # Field order is the sort order: by file, then position, then wording.
    file: str
    line: int
    column: int
    severity: Severity
    path: str
    message: str
    rep: str | None = None
    # The same message for a page, in the page's language (an i18n.Text), when the
    # warning can be shown on one; `message` is the terminal's English.
    text: Any = field(default=None, compare=False, repr=False)

    @property
    def shown(self) -> Any:
        """What a page shows: the message in the page's language where there is one."""
        return self.text if self.text is not None else self.message

    @property
    def in_a_file(self) -> bool:
        """False for a problem with a command-line option (line 0): no file to point at."""
        return self.line > 0

    def __str__(self) -> str:
        if not self.in_a_file:
            return f"{self.file}: {self.severity}: {self.message}"
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.severity}: {self.path}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def format_path(parts: tuple[str | int, ...]) -> str:
    """`("fixes", 0, "due")` → `fixes[0].due`; the empty path is `-` (the whole file)."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "-"


# Control characters (a file name can hold any but "/" and NUL) would move the cursor,
# clear the screen or fake lines in a terminal or CI log; bidirectional overrides make
# text read differently from what it holds.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` with every control character written as an escape (`\\x1b`), for
    printing."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode(),
                            text)


class DataError(Exception):
    """Bad input: the workspace has errors a user must fix. Never a bug."""

    def __init__(self, problems: list[Problem], consequence: str = ".") -> None:
        self.problems = sorted(problems)
        # What the failure meant for the user's files, e.g. "; nothing was written."
        self.consequence = consequence
        super().__init__("\n".join(str(p) for p in self.problems))
