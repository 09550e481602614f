"""Messages never quote text from inside, or possibly inside, a `private` field.

A YAML mistake in a private note (a duplicate key, a tag or alias at the start of the
value, a line that lost its indentation) makes the parser or the models report that
text as a key, a tag, an alias or a field, and error messages end up in terminals and
CI logs. So before any problem leaves the loader it goes through `redact`: a problem
that points into a *private zone*, or whose field path runs through a private field,
loses every quoted word of its message and every unknown name of its path.

A private zone is found from the text itself, since the file may not parse:

* it starts on any line with a key that looks like `private` (any case, a typo such as
  `privat`, quoted or in a flow mapping);
* every following line belongs to it while it is blank, a comment, indented deeper than
  that key, or does not start with a field name reportgen knows (`date:`, `- goal:`…):
  such a line is a continuation of the note, or one that lost its indentation;
* it ends at the first line that starts with a known field name at the private key's
  indentation or less.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from reportgen.problems import Problem, format_path

# A key that reads as "private", even misspelt or in another case.
_PRIVATE_KEY = re.compile(r"""(?i)(?:^|[^a-z0-9])["']?priv[a-z_]*["']?\s*:""")
# The same, found anywhere in a file (then checked line by line from there).
_PRIVATE_KEY_LINE = re.compile(_PRIVATE_KEY.pattern, re.MULTILINE)
_KEY_AT_START = re.compile(r"""^(?:-\s+)*["']?([A-Za-z0-9_-]+)["']?\s*:(?:\s|$)""")
# From the first quote to the last, greedily: a quoted value may itself hold quotes,
# and nothing between them is kept; a lone quote hides the rest of the message.
_QUOTED = re.compile(r"""['"].*['"]|['"].*$""")

Zones = tuple[tuple[int, int], ...]  # 1-based line ranges, both ends included


@functools.cache
def known_keys() -> frozenset[str]:
    """Every field name of the team and rep files, and the default skill ids."""
    from pydantic import BaseModel

    from reportgen.model import DEFAULT_SKILLS, Rep, Team
    from reportgen.validation_errors import _innermost_model

    names: set[str] = {skill.id for skill in DEFAULT_SKILLS}
    pending: list[type[BaseModel]] = [Rep, Team]
    seen: set[type[BaseModel]] = set()
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
            inner = _innermost_model(info.annotation)
            if inner is not None:
                pending.append(inner)
    return frozenset(names) | {"closed", "pipeline"}


def private_zones(text: str) -> Zones:
    """The line ranges of `text` that are, or may be, inside a private field."""
    if "priv" not in text and "PRIV" not in text.upper():
        return ()
    known = known_keys()
    zones: list[tuple[int, int]] = []
    searched_to = 0
    for match in _PRIVATE_KEY_LINE.finditer(text):
        anchor = match.start() + match.group().lower().index("priv")  # the key itself
        if anchor < searched_to:
            continue  # inside the zone just found
        start_line = text.count("\n", 0, anchor)
        key_column = anchor - (text.rfind("\n", 0, anchor) + 1)
        position = text.find("\n", anchor)
        last_line = start_line
        while position != -1:
            following_end = text.find("\n", position + 1)
            following = text[position + 1:following_end if following_end != -1 else None]
            stripped = following.lstrip()
            indent = len(following) - len(stripped)
            if stripped in ("---", "...") and indent == 0:
                break
            if stripped and not stripped.startswith("#") and indent <= key_column:
                key = _KEY_AT_START.match(stripped)
                if key is not None and key.group(1) in known and not _PRIVATE_KEY.match(
                        " " + stripped):
                    break
            last_line += 1
            position = following_end
        zones.append((start_line + 1, last_line + 1))
        searched_to = position if position != -1 else len(text)
    return tuple(zones)


def in_zone(line: int, zones: Zones) -> bool:
    return any(first <= line <= last for first, last in zones)


def redact(problem: Problem, zones: Zones) -> Problem:
    """`problem`, without any text that may come from a private field."""
    parts = _path_parts(problem.path)
    through_private = any(part.lower().startswith("priv") for part in parts
                          if not part.startswith("["))
    if not through_private and not in_zone(problem.line, zones):
        return problem
    known = known_keys()
    shown: list[str | int] = []
    for part in parts:
        if part.startswith("["):
            shown.append(int(part[1:-1]) if part[1:-1].isdigit() else "?")
        elif part.lower().startswith("priv"):
            shown.append("private" if part.lower() == "private" else "?")
            break  # nothing below a private field is named
        else:
            shown.append(part if part in known or part in ("-", "?") else "?")
    path = problem.path if problem.path == "-" else format_path(tuple(shown))
    message = _QUOTED.sub("'…'", problem.message)
    if message != problem.message:
        message += " (not repeated here: it may be part of a private note)"
    # The page's wording is left out too: the page shows this redacted English.
    return replace(problem, path=path, message=message, text=None)


def _path_parts(path: str) -> list[str]:
    return re.findall(r"\[[^\]]*\]|[^.\[\]]+", path)
