"""Environment problems and odd but valid input: one line, exit 1 (or 2 for usage),
never a traceback, and the output folder old or new as a whole."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.manifest import MANIFEST_NAME
from reportgen.pdf_workers import CRASH_FOR_TESTS
from tests.conftest import REP_YAML, TEAM_YAML


def reportgen(*args: str, env: dict[str, str] | None = None, file_size_limit: int | None = None
              ) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if file_size_limit is not None:
            # As a full disk would: writes past the limit fail (EFBIG) instead of
            # killing the process.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True,
                          text=True, timeout=180, env={**os.environ, **(env or {})},
                          preexec_fn=limit)


def snapshot(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes()
            for path in sorted(out.rglob("*")) if path.is_file()}


def build_html(root: Path, out: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return reportgen("build", str(root), "--out", str(out), "--as-of", "2026-11-15",
                     "--format", "html", *extra, **kwargs)


def test_a_full_disk_while_copying_assets_changes_nothing(workspace, tmp_path):
    root = workspace()
    out = tmp_path / "out"
    assert build_html(root, out).returncode == 0
    before = snapshot(out)
    (root / "teams/core/reps/ann.yaml").write_text(REP_YAML.replace("Ann Lee", "Ann Roe"))
    (root / "templates/assets").mkdir(parents=True)
    (root / "templates/assets/big.bin").write_bytes(b"x" * 300_000)
    result = build_html(root, out, file_size_limit=200_000)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: out/_assets/big.bin: file too large; nothing was changed in {out}"]
    assert snapshot(out) == before


def test_a_full_disk_on_a_first_build_leaves_no_folder(workspace, tmp_path):
    root = workspace()
    (root / "templates/assets").mkdir(parents=True)
    (root / "templates/assets/big.bin").write_bytes(b"x" * 300_000)
    result = build_html(root, tmp_path / "out", file_size_limit=200_000)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_an_output_folder_that_cannot_be_made_is_one_line(workspace, tmp_path):
    root = workspace()
    (tmp_path / "a-file").write_text("")
    result = build_html(root, tmp_path / "a-file/out")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: a-file/out: not a directory; nothing was changed in"
        f" {tmp_path}/a-file/out"]


@pytest.mark.parametrize("epoch", ["99999999999999", "-5", "1e9", "soon"])
def test_source_date_epoch_out_of_range_is_one_line(workspace, tmp_path, epoch):
    result = build_html(workspace(), tmp_path / "out", env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"error: SOURCE_DATE_EPOCH='{epoch}' is not a time")
    assert not (tmp_path / "out").exists()


def test_a_hand_edited_manifest_is_not_trusted(workspace, tmp_path):
    root = workspace()
    out = tmp_path / "out"
    assert build_html(root, out).returncode == 0
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    manifest["outputs"]["core/reps"] = {"key": "x", "size": 1, "mtime_ns": 1, "warnings": []}
    manifest["outputs"]["core/scorecard.html"]["size"] = "1/0"
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    result = build_html(root, out)
    assert result.returncode == 0, result.stderr
    assert "built" in result.stderr
    assert (out / "core/reps/ann.html").is_file()
    assert "core/reps" not in json.loads((out / MANIFEST_NAME).read_text())["outputs"]


def test_a_period_from_year_one_is_computed(workspace, tmp_path):
    root = workspace(team=TEAM_YAML.replace("2026-10-01", "0001-01-01"))
    assert reportgen("export", str(root), "--as-of", "2026-11-15").returncode == 0
    assert build_html(root, tmp_path / "out").returncode == 0


def test_a_tiny_quota_is_a_data_error(workspace, tmp_path):
    root = workspace(reps={"ann": REP_YAML.replace("quota: 100000", "quota: 1e-320")})
    result = reportgen("export", str(root), "--as-of", "2026-11-15")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "teams/core/reps/ann.yaml:2:8: error: quota: amount '1e-320' is too small (the"
        " smallest above 0 is 0.001)")


@pytest.mark.parametrize("option", [["--shard", "²/³"], ["--shard", "0/3"], ["--as-of", "20261126"],
                                    ["--as-of", "2026-W01-1"], ["--rep", "/r1"],
                                    ["--rep", "core/"]])
def test_only_documented_option_forms_are_accepted(workspace, tmp_path, option):
    result = reportgen("build", str(workspace()), "--out", str(tmp_path / "out"), *option)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Error:" in result.stderr


def test_validate_strict_fails_where_build_strict_fails(workspace, tmp_path):
    rep = REP_YAML + ("one_on_ones:\n  - date: 2026-11-01\n"
                      "    notes: See ![chart](https://example.com/c.png)\n")
    root = workspace(reps={"ann": rep})
    validate = reportgen("validate", str(root), "--as-of", "2026-11-15", "--strict")
    build = build_html(root, tmp_path / "out", "--strict")
    assert validate.returncode == build.returncode == 1
    expected = ("teams/core/reps/ann.yaml:16:12: error: one_on_ones[0].notes: image not"
                " embedded, it points outside the workspace: https://example.com/c.png")
    assert expected in validate.stderr.splitlines()
    assert expected in build.stderr.splitlines()


def test_a_failed_build_leaves_no_empty_folders(workspace, tmp_path):
    out = tmp_path / "out"
    result = reportgen("build", str(workspace()), "--out", str(out), "--as-of", "2026-11-15",
                       "--format", "pdf", env={CRASH_FOR_TESTS: "core/reps/ann.pdf"})
    assert result.returncode == 1
    assert "nothing was changed" in result.stderr
    assert not out.exists()


TEMPLATE_ERRORS = {
    "runtime": ('{% extends "plan_base.html" %}{% block notes %}\n{{ 1/0 }}{% endblock %}',
                "templates/plan.html:2: template error: ZeroDivisionError: division by zero"),
    "self-include": ('{% include "plan.html" %}',
                     "templates/plan.html:1: template error: it includes or extends itself,"
                     " endlessly"),
    "syntax": ('{% extends "plan_base.html" %}\n{% block notes %}{% if %}{% endblock %}',
               "templates/plan.html:2: template error: Expected an expression, got 'end of"
               " statement block'"),
    "undefined": ('{% extends "plan_base.html" %}{% block notes %}\n\n{{ nothing.here }}'
                  "{% endblock %}", "templates/plan.html:3: template error: 'nothing' is"
                  " undefined"),
}


@pytest.mark.parametrize("case", TEMPLATE_ERRORS.values(), ids=TEMPLATE_ERRORS.keys())
def test_workspace_template_errors_name_file_and_line(workspace, tmp_path, case):
    template, message = case
    root = workspace()
    (root / "templates").mkdir()
    (root / "templates/plan.html").write_text(template, encoding="utf-8")
    result = build_html(root, tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {message}; nothing was written"]
    assert not (tmp_path / "out").exists()


def test_control_characters_in_file_names_are_escaped(workspace):
    root = workspace()
    (root / "teams/core/reps/\x1b[2Jevil\x07.yaml").write_text(REP_YAML)
    result = reportgen("validate", str(root))
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "teams/core/reps/\\x1b[2Jevil\\x07.yaml:1:1: error: -: rep file name" in result.stderr
