"""Editing YAML files the way a person would: comments, order and quoting kept.

Reading for validation stays with `yamlfile.py` (positions, strict scalars, limits).
Commands that change a user's file (`new-period`, `new team --like`) load it here with
ruamel.yaml's round-trip mode, change values in place and write it back, so the diff in
the pull request shows only what changed.
"""

from __future__ import annotations

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
    return stream.getvalue()
