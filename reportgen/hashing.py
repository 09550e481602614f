"""The one hash reportgen keys its outputs and caches with."""

from __future__ import annotations

import hashlib


def digest(*parts: str | bytes) -> str:
    """A hash of several parts; lengths are included so parts cannot run together."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()
