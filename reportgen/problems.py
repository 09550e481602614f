"""Problems: the one shape every user-facing error and warning takes.

A Problem names the file (relative to the workspace), the 1-based line and column,
the field path and a message a manager can act on. Warnings are data too, never print
statements: the CLI decides where they go.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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

    def __str__(self) -> str:
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


class DataError(Exception):
    """Bad input: the workspace has errors a user must fix. Never a bug."""

    def __init__(self, problems: list[Problem], consequence: str = ".") -> None:
        self.problems = sorted(problems)
        # What the failure meant for the user's files, e.g. "; nothing was written."
        self.consequence = consequence
        super().__init__("\n".join(str(p) for p in self.problems))
