"""Which text of a rep file most likely made its page slow: the longest one.

Used only after a document ran over the PDF time limit, to point the manager at the
note to shorten or simplify (inline images and long notes are what costs). Private
fields are skipped: they never reach a page, and a message never points into one.
"""

from __future__ import annotations

from typing import Any

from reportgen.yamlfile import Document, NodePath, Scalar


def heaviest_text(document: Document) -> NodePath | None:
    """The path of the longest text value outside `private` fields, or None."""
    best: tuple[int, NodePath] | None = None
    pending: list[tuple[NodePath, Any]] = [((), document.data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            pending.extend(((*path, key), item) for key, item in value.items()
                           if key != "private" and key != "sops")
        elif isinstance(value, list):
            pending.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, Scalar) and (best is None or len(value.raw) > best[0]):
            best = (len(value.raw), path)
    return best[1] if best is not None else None
