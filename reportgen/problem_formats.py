"""Problems for machines: JSON documents and GitHub Actions workflow commands.

`text` is SPEC's `FILE:LINE:COLUMN: severity: PATH: message` lines on stderr. `github`
keeps those lines and adds, on stdout, one `::error file=…,line=…,col=…::…` workflow
command per problem, which GitHub shows as an annotation on the pull request's diff.
`json` prints one document on stdout for scripts and dashboards.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportgen.problems import Problem

FORMATS = ("text", "json", "github")


def chosen_format(asked: str | None) -> str:
    """What was asked; else `github` inside a GitHub Actions job; else `text`."""
    if asked:
        return asked
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _escape_data(text: str) -> str:
    # GitHub's escaping for a command's message (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(file: str, root: Path) -> str:
    """A workspace-relative file as GitHub wants it: relative to the checkout.

    The workspace may be a subfolder of the repository; GitHub matches annotations to
    files by their path from the repository's root (GITHUB_WORKSPACE, else cwd).
    """
    base = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    try:
        return (root.resolve() / file).relative_to(base).as_posix()
    except ValueError:
        return file


def github_command(problem: Problem, root: Path) -> str:
    level = "error" if problem.is_error else "warning"
    if not problem.in_a_file:  # an option: an annotation of the run, not of a file
        title = _escape_property(f"reportgen: {problem.file}")
        return f"::{level} title={title}::{_escape_data(problem.message)}"
    properties = ",".join([
        f"file={_escape_property(repository_path(problem.file, root))}",
        f"line={problem.line}", f"col={problem.column}",
        f"title={_escape_property('reportgen: ' + problem.path)}"])
    return f"::{level} {properties}::{_escape_data(problem.message)}"


def problem_record(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "column": problem.column,
            "severity": str(problem.severity), "path": problem.path,
            "message": problem.message, "rep": problem.rep}


def json_document(command: str, workspace: Path, problems: Iterable[Problem],
                  **more: Any) -> str:
    listed = sorted(problems)
    errors = sum(1 for problem in listed if problem.is_error)
    document = {"command": command, "workspace": os.path.relpath(workspace),
                "ok": errors == 0, "errors": errors, "warnings": len(listed) - errors,
                **more, "problems": [problem_record(problem) for problem in listed]}
    return json.dumps(document, indent=2, ensure_ascii=False)
