"""The commands as a user runs them: exit codes, output streams, export and schema."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.schema import schema_text
from tests.conftest import EXAMPLE, REP_YAML, REPO

AS_OF = "2026-11-26"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_example_workspace_validates_with_only_the_intended_warnings():
    result = invoke("validate", str(EXAMPLE), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 8
    assert any("3 active fixes; focus on one or two" in line for line in warnings)
    assert any("west-smb/team.yaml" in line and "shared gap with no team response" in line
               for line in warnings)
    assert sum("one-on-one action overdue since" in line for line in warnings) == 3
    assert any("action overdue since" in line for line in warnings)
    assert any("days ago (stale after 90)" in line for line in warnings)
    assert any("not yet assessed:" in line for line in warnings)
    assert result.stderr.splitlines()[-1] == "ok: 2 teams, 10 reps, 8 warnings"


def test_strict_turns_warnings_into_errors():
    result = invoke("validate", str(EXAMPLE), "--as-of", AS_OF, "--strict")
    assert result.exit_code == 1
    assert sum(": error: " in line for line in result.stderr.splitlines()) == 8


def test_export_matches_the_spec_shape_and_figures():
    result = invoke("export", str(EXAMPLE), "--as-of", AS_OF)
    assert result.exit_code == 0
    exported = json.loads(result.stdout)
    assert exported["as_of"] == AS_OF
    team = exported["teams"][0]
    assert team["id"] == "west-enterprise"
    assert set(team) >= {"id", "quota", "closed", "attainment", "gap", "team_wide_gaps", "reps"}
    assert team["quota"] == 3_300_000
    # Ben Carter has left; his closed business still counts.
    assert team["closed"] == sum(rep["closed"] for rep in team["reps"]) == 2_090_000
    assert team["attainment"] == pytest.approx(team["closed"] / 3_300_000)
    assert team["gap"] == 3_300_000 - team["closed"]
    assert team["team_wide_gaps"] == ["qualification", "business-outcomes"]
    ids = [rep["id"] for rep in team["reps"]]
    assert ids == sorted(ids)
    for rep in team["reps"]:
        assert set(rep) >= {"id", "quota", "closed", "attainment", "on_pace", "coverage",
                            "needs_attention", "next_fixes", "active_fixes", "warnings"}
        assert len(rep["next_fixes"]) <= 2
    maya = next(rep for rep in team["reps"] if rep["id"] == "maya-chen")
    assert maya["attainment"] > 1 and maya["coverage"] is None
    assert maya["needs_attention"] is False
    sofia = next(rep for rep in team["reps"] if rep["id"] == "sofia-petrova")
    assert len(sofia["active_fixes"]) == 3
    assert any("focus on one or two" in warning for warning in sofia["warnings"])


def test_export_on_invalid_data_prints_nothing_on_stdout(workspace):
    root = workspace(reps={"ann": REP_YAML.replace("quota: 100000", "quota: x")})
    result = invoke("export", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "teams/core/reps/ann.yaml:2:8: error: quota:" in result.stderr


def test_nothing_private_in_export_or_messages():
    result = invoke("export", str(EXAMPLE), "--as-of", AS_OF)
    private_texts = _private_texts()
    assert private_texts
    for text in private_texts:
        assert text not in result.stdout
        assert text not in result.stderr


def _private_texts() -> list[str]:
    from reportgen.workspace import load_workspace

    texts = []
    for team in load_workspace(EXAMPLE).teams:
        for rep in team.reps:
            texts += [a.private for a in rep.rep.skills.values() if a.private]
            texts += [m.private for m in rep.rep.one_on_ones if m.private]
    # Compare on a distinctive slice of each private note.
    return [text.strip()[:40] for text in texts]


@pytest.mark.parametrize("args", [
    ["validate", "/definitely/not/here"],
    ["validate", "--as-of", "26/11/2026"],
    ["validate", "--no-such-option"],
    ["schema", "people"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_internal_error_exits_3_without_traceback(monkeypatch, workspace):
    import reportgen.analysis

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(reportgen.analysis, "check_workspace", broken)
    root = workspace()
    result = invoke("validate", str(root))
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    debug = invoke("--debug", "validate", str(root))
    assert debug.exit_code == 3 and "Traceback" in debug.stderr


def test_committed_schema_is_current():
    for name in ("team", "rep"):
        committed = (REPO / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(name), (
            f"schema/{name}.schema.json is stale: run `reportgen schema --write schema`")


def test_schema_command_prints_valid_json():
    rep_schema = json.loads(invoke("schema", "rep").stdout)
    assert "quota" in rep_schema["required"]
    assert rep_schema["additionalProperties"] is False
    both = json.loads(invoke("schema").stdout)
    assert set(both) == {"team", "rep"}


def test_validate_does_not_import_weasyprint():
    code = ("import sys; from reportgen.cli import main; sys.argv=['reportgen','validate',"
            f"{str(EXAMPLE)!r},'--as-of','{AS_OF}'];\ntry: main()\nexcept SystemExit: pass\n"
            "print('weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and "reportgen" in result.stdout
