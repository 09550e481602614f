"""Editing YAML files the way a person would: comments, order and quoting kept.

Reading for validation stays with `yamlfile.py` (positions, strict scalars, limits).
Commands that change a user's file (`new-period`, `new team --like`) load it here with
ruamel.yaml's round-trip mode, change values in place and write it back, so the diff in
the pull request shows only what changed.
"""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

from ruamel.yaml import YAML


def round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # Lists indented under their key (`fixes:` then `  - skill: …`), as in the examples
    # and as most people write them; long lines are never folded.
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 10_000
    return yaml


def load_text(text: str) -> Any:
    return round_trip().load(text)


def dump_text(data: Any) -> str:
    stream = StringIO()
    round_trip().dump(data, stream)
    text = stream.getvalue()
    # Removing a file's last block can take its final newline with it.
    return text if text.endswith("\n") else text + "\n"


_TOP_LEVEL_KEY = re.compile(r"[A-Za-z_][\w-]*\s*:")


def _leading_blocks(lines: list[str]) -> dict[str, list[str]]:
    """Top-level key → the blank and comment lines right above it."""
    blocks = {}
    for index, line in enumerate(lines):
        match = _TOP_LEVEL_KEY.match(line)
        if not match:
            continue
        start = index
        while start > 0 and (not lines[start - 1].strip()
                             or lines[start - 1].lstrip().startswith("#")):
            start -= 1
        blocks[match.group().rstrip(": \t")] = lines[start:index]
    return blocks


def keep_section_spacing(original: str, edited: str) -> str:
    """Put back the blank lines and comments above top-level keys that an edit lost.

    ruamel.yaml attaches the lines between the last item of a list and the next key to
    that item, so removing the item removes them too: `fixes:` would end up glued to
    `roadblocks:`, and a comment heading the next section would vanish.
    """
    before = _leading_blocks(original.splitlines(keepends=True))
    lines = edited.splitlines(keepends=True)
    now = _leading_blocks(lines)
    result: list[str] = []
    for line in lines:
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            key = match.group().rstrip(": \t")
            wanted, present = before.get(key, []), now.get(key, [])
            if wanted and wanted != present and wanted[len(wanted) - len(present):] == present:
                result[len(result) - len(present):] = wanted
        result.append(line)
    return "".join(result)
