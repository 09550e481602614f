"""Private notes kept encrypted with sops: accepted as opaque values, never read.

`private` fields never reach an output, but in plain text they sit in every clone,
fork and diff of the repository, forever. With sops (`encrypted_regex: ^private$`)
each private value is stored as `ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]` and the
file gains a top-level `sops:` mapping (recipients, MAC). reportgen never needs the
notes, so it never decrypts anything and needs no key:

* a file's top-level `sops` mapping is allowed and ignored (model.py);
* an `ENC[…]` value is accepted in a `private` field only, checked for its shape and
  otherwise opaque; anywhere else it is an error, since reportgen must read that field;
* a team with `private_notes: encrypted` makes a private field in plain text an error,
  so a pull request cannot add one by mistake.

No message quotes a private value, encrypted or not.
"""

from __future__ import annotations

import re
from typing import Any

from reportgen.problems import Problem, Severity
from reportgen.yamlfile import Document, NodePath, Scalar

_ENCRYPTED = re.compile(r"ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,"
                        r"tag:[A-Za-z0-9+/=]+,type:(?:str|int|float|bool|bytes|comment)\]")
SOPS_KEY = "sops"


def looks_encrypted(raw: str) -> bool:
    return raw.startswith("ENC[")


def check_encryption(document: Document, private_notes: str, rep_id: str | None = None
                     ) -> list[Problem]:
    """Problems with encrypted values and, for `private_notes: encrypted`, plain ones."""
    data = document.data
    if not isinstance(data, dict) or (private_notes == "plain"
                                      and not document.holds_encrypted):
        return []
    problems: list[Problem] = []
    encrypted_private = False
    pending: list[tuple[NodePath, Any, bool]] = [
        ((key,), value, key == "private") for key, value in data.items() if key != SOPS_KEY]
    while pending:
        path, value, in_private = pending.pop()
        if isinstance(value, dict):
            pending.extend(((*path, key), item, in_private or key == "private")
                           for key, item in value.items())
        elif isinstance(value, list):
            pending.extend(((*path, index), item, in_private)
                           for index, item in enumerate(value))
        elif isinstance(value, Scalar):
            problem = _check_value(document, path, value.raw, in_private, private_notes,
                                   rep_id)
            if problem is not None:
                problems.append(problem)
            encrypted_private |= in_private and looks_encrypted(value.raw)
    if encrypted_private and not isinstance(data.get(SOPS_KEY), dict):
        problems.append(document.problem(
            (), "private fields are encrypted but the file has no `sops` metadata: they can"
            " no longer be decrypted by anyone; restore it from git", severity=Severity.WARNING,
            rep=rep_id))
    return sorted(problems)


def _check_value(document: Document, path: NodePath, raw: str, in_private: bool,
                 private_notes: str, rep_id: str | None) -> Problem | None:
    if looks_encrypted(raw) and not in_private:
        return document.problem(
            path, "an encrypted value outside a private field: reportgen reads this field, so"
            " it must be plain text; encrypt only private fields (encrypted_regex: ^private$"
            " in .sops.yaml)", rep=rep_id)
    if looks_encrypted(raw) and not _ENCRYPTED.fullmatch(raw):
        return document.problem(path, "not a complete sops value (ENC[AES256_GCM,data:…,iv:…,"
                                "tag:…,type:…]); encrypt the note again with sops", rep=rep_id)
    if in_private and not looks_encrypted(raw) and private_notes == "encrypted":
        return document.problem(
            path, "a private note in plain text, and this team keeps them encrypted"
            " (private_notes: encrypted in team.yaml): encrypt the file with `sops encrypt"
            " --in-place FILE`, or write the note with `sops edit FILE`", rep=rep_id)
    return None
