"""Golden error messages: each bad input names the file, line, column, field and fix."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from tests.conftest import REP_YAML, TEAM_YAML

REP = "teams/core/reps/ann.yaml"
TEAM = "teams/core/team.yaml"


def run_validate(root):
    result = CliRunner().invoke(cli, ["validate", str(root), "--as-of", "2026-11-15"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


REP_CASES = [
    ("typo in a field", REP_YAML.replace("quota:", "qouta:"), [
        f"{REP}:1:1: error: quota: 'quota' is required",
        f"{REP}:2:1: error: qouta: unknown field 'qouta'; did you mean 'quota'?"]),
    ("rating above the scale", REP_YAML.replace("prospecting: 3", "prospecting: 7"), [
        f"{REP}:7:16: error: skills.prospecting.rating: rating 7 is above the scale maximum 5"]),
    ("rating below the scale", REP_YAML.replace("prospecting: 3", "prospecting: 0"), [
        f"{REP}:7:16: error: skills.prospecting.rating: rating 0 is below the scale minimum 1"]),
    ("rating as text", REP_YAML.replace("prospecting: 3", 'prospecting: "3"'), [
        f'{REP}:7:16: error: skills.prospecting.rating: expected a whole-number rating, got'
        ' the quoted text "3"']),
    ("rating as a fraction", REP_YAML.replace("prospecting: 3", "prospecting: 3.5"), [
        f"{REP}:7:16: error: skills.prospecting.rating: expected a whole-number rating,"
        " got '3.5'"]),
    ("rating as a boolean", REP_YAML.replace("prospecting: 3", "prospecting: true"), [
        f"{REP}:7:16: error: skills.prospecting.rating: expected a whole-number rating,"
        " got 'true'"]),
    ("unknown skill", REP_YAML.replace("  prospecting: 3", "  prospectng: 3"), [
        f"{REP}:7:3: error: skills.prospectng: unknown skill 'prospectng'; did you mean"
        " 'prospecting'? (the team's framework lists: prospecting, qualification,"
        " deal-strategy, high-impact-calls, business-outcomes, time-management,"
        " resource-use)"]),
    ("negative money", REP_YAML.replace("closed: 50000", "closed: -5"), [
        f"{REP}:4:11: error: results.closed: amount -5 is negative; it must be 0 or more"]),
    ("money as text", REP_YAML.replace("quota: 100000", "quota: 100k"), [
        f"{REP}:2:8: error: quota: expected an amount (a plain number such as 250000),"
        " got '100k'"]),
    ("infinite money", REP_YAML.replace("pipeline: 150000", "pipeline: .inf"), [
        f"{REP}:5:13: error: results.pipeline: expected an amount (a plain number such as"
        " 250000), got '.inf'"]),
    ("octal-looking money", REP_YAML.replace("closed: 50000", "closed: 050000"), [
        f"{REP}:4:11: error: results.closed: write the amount without a leading zero (YAML"
        " would read it as an octal number), got '050000'"]),
    ("absurd money", REP_YAML.replace("closed: 50000", "closed: 1.0e+308"), [
        f"{REP}:4:11: error: results.closed: amount '1.0e+308' is too large (the limit is"
        " 1,000,000,000,000,000)"]),
    ("thousands of digits", REP_YAML.replace("closed: 50000", "closed: " + "9" * 5000), [
        f"{REP}:4:11: error: results.closed: expected an amount (a plain number such as"
        " 250000), got '" + "9" * 40 + "…'"]),
    ("sexagesimal rating", REP_YAML.replace("prospecting: 3", "prospecting: 1:30"), [
        f"{REP}:7:16: error: skills.prospecting.rating: expected a whole-number rating,"
        " got '1:30'"]),
    ("missing required results", REP_YAML.split("results:")[0], [
        f"{REP}:1:1: error: results: 'results' is required"]),
    ("empty required value", REP_YAML.replace("name: Ann Lee", "name:"), [
        f"{REP}:1:1: error: name: 'name' is empty; it is required"]),
    ("results key close to closed", REP_YAML.replace("  pipeline:", "  pipline:"), [
        f"{REP}:5:3: error: results.pipline: unknown figure 'pipline'; did you mean"
        " 'pipeline'?"]),
    ("duplicate key", REP_YAML + "quota: 5\n", [
        f"{REP}:14:1: error: quota: duplicate key 'quota' (first written on line 2); YAML"
        " would silently keep only the last one"]),
    ("nested duplicate and another error", REP_YAML.replace("closed: 50000", "closed: -1")
     + "fixes:\n  - skill: prospecting\n    due: 2026-12-01\n    due: 2026-12-02\n", [
         f"{REP}:4:11: error: results.closed: amount -1 is negative; it must be 0 or more",
         f"{REP}:17:5: error: fixes[0].due: duplicate key 'due' (first written on line 16);"
         " YAML would silently keep only the last one"]),
    ("duplicate through an alias", REP_YAML + "role: &k name\n*k : Someone Else\n", [
        f"{REP}:15:1: error: name: duplicate key 'name' (first written on line 1); YAML would"
        " silently keep only the last one"]),
    ("bad date", REP_YAML + "start_date: 2026-13-01\n", [
        f"{REP}:14:13: error: start_date: not a calendar date, got '2026-13-01'"]),
    ("date in another format", REP_YAML + "start_date: 01/10/2026\n", [
        f"{REP}:14:13: error: start_date: expected a date written YYYY-MM-DD,"
        " got '01/10/2026'"]),
    ("bad fix status", REP_YAML + "fixes:\n  - skill: prospecting\n    status: actve\n", [
        f"{REP}:16:13: error: fixes[0].status: 'actve' is not one of planned, active, done,"
        " dropped; did you mean 'active'?"]),
    ("fix on unknown skill", REP_YAML + "fixes:\n  - skill: closing\n", [
        f"{REP}:15:12: error: fixes[0].skill: unknown skill 'closing'"]),
    ("list item without its first key", REP_YAML + "goals:\n  - due: 2026-12-01\n", [
        f"{REP}:15:5: error: goals[0].goal: 'goal' is required"]),
    ("done not a boolean", REP_YAML + (
        "fixes:\n  - skill: prospecting\n    actions:\n      - do: call\n        done: maybe\n"),
     [f"{REP}:18:15: error: fixes[0].actions[0].done: expected true or false, got 'maybe'"]),
    ("list instead of mapping", "- name: Ann\n- quota: 5\n", [
        f"{REP}:1:1: error: -: expected a mapping of fields (key: value lines) at the top of"
        " the file, got a list"]),
    ("mapping where a list belongs", REP_YAML + "goals:\n  goal: win\n", [
        f"{REP}:15:3: error: goals: expected a list (lines starting with '- '), got a"
        " mapping"]),
    ("yaml syntax error", REP_YAML + "notes: [unclosed\n", [
        f"{REP}:15:1: error: -: YAML syntax error: did not find expected ',' or ']'"]),
    ("empty file", "", [
        f"{REP}:1:1: error: -: file is empty; expected a mapping of fields"]),
    ("private field wrong type never echoed",
     REP_YAML + "one_on_ones:\n  - date: 2026-11-01\n    private: {secret: divorce}\n", [
         f"{REP}:16:14: error: one_on_ones[0].private: expected text, got a mapping"]),
    ("yaml tag", REP_YAML + "role: !!python/object:os.system x\n", [
        f"{REP}:14:7: error: -: YAML tags such as 'tag:yaml.org,2002:python/object:os.system'"
        " are not supported; write plain values"]),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in REP_CASES],
                         ids=[case[0] for case in REP_CASES])
def test_rep_file_errors(workspace, text, expected):
    result = run_validate(workspace(reps={"ann": text}))
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert problems == expected
    assert result.stdout == ""


TEAM_CASES = [
    ("period backwards", TEAM_YAML.replace("end: 2026-12-31", "end: 2026-09-30"), [
        f"{TEAM}:4:3: error: period: the period starts (2026-10-01) after it ends"
        " (2026-09-30)"]),
    ("scale target outside", TEAM_YAML + "scale: {max: 5, target: 6}\n", [
        f"{TEAM}:7:8: error: scale: target 6 is outside the scale 1–5"]),
    ("scale min above max", TEAM_YAML + "scale:\n  min: 5\n  max: 3\n  target: 4\n", [
        f"{TEAM}:8:3: error: scale: min (5) must be below max (3)"]),
    ("bad paper", TEAM_YAML + "paper: legal\n", [
        f"{TEAM}:7:8: error: paper: 'legal' is not one of letter, a4"]),
    ("bad currency", TEAM_YAML + "currency: dollars\n", [
        f"{TEAM}:7:11: error: currency: expected a three-letter ISO 4217 code such as USD or"
        " EUR, got 'dollars'"]),
    ("skill id not a slug", TEAM_YAML + "skills:\n  - id: Deal Strategy\n    name: D\n", [
        f"{TEAM}:8:9: error: skills[0].id: expected an id of lowercase letters, digits and"
        " dashes (such as 'deal-strategy'), got 'Deal Strategy'"]),
    ("duplicate skill id",
     TEAM_YAML + "skills:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", [
         f"{TEAM}:9:10: error: skills[1].id: skill id 'a' is listed twice"]),
    ("zero weight", TEAM_YAML + "skills:\n  - {id: a, name: A, weight: 0}\n", [
        f"{TEAM}:8:30: error: skills[0].weight: expected a number above 0, got '0'"]),
    ("level outside scale",
     TEAM_YAML + "skills:\n  - id: a\n    name: A\n    levels:\n      9: expert\n", [
         f"{TEAM}:11:7: error: skills[0].levels.9: level 9 is outside the scale 1–5"]),
    ("missing manager", TEAM_YAML.replace("manager: Dana Whitfield\n", ""), [
        f"{TEAM}:1:1: error: manager: 'manager' is required"]),
    ("unknown team field", TEAM_YAML + "coverage_taget: 3\n", [
        f"{TEAM}:7:1: error: coverage_taget: unknown field 'coverage_taget'; did you mean"
        " 'coverage_target'?"]),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in TEAM_CASES],
                         ids=[case[0] for case in TEAM_CASES])
def test_team_file_errors(workspace, text, expected):
    result = run_validate(workspace(team=text, reps={}))
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == expected


def test_all_problems_in_one_run_sorted_by_file_and_line(workspace):
    root = workspace(reps={
        "bob": REP_YAML.replace("quota: 100000", "quota: lots"),
        "ann": REP_YAML.replace("prospecting: 3", "prospecting: 9") + "extra: 1\n",
    })
    result = run_validate(root)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error:")[0] for line in errors] == [
        "teams/core/reps/ann.yaml:7:16", "teams/core/reps/ann.yaml:14:1",
        "teams/core/reps/bob.yaml:2:8"]


def test_layout_errors(tmp_path):
    missing = run_validate(tmp_path)
    assert missing.exit_code == 1
    assert "teams/:1:1: error: -: no teams/ folder in this workspace" in missing.stderr
    (tmp_path / "teams").mkdir()
    empty = run_validate(tmp_path)
    assert "teams/:1:1: error: -: teams/ holds no team folders" in empty.stderr
    (tmp_path / "teams" / "Sales Team").mkdir()
    bad_id = run_validate(tmp_path)
    assert ("teams/Sales Team/:1:1: error: -: team folder 'Sales Team' is not an id: use"
            " lowercase letters, digits and dashes (such as 'sales-team')") in bad_id.stderr


def test_rep_file_names(workspace):
    root = workspace(reps={"ann": REP_YAML})
    reps = root / "teams" / "core" / "reps"
    (reps / "bob.yml").write_text(REP_YAML)
    (reps / "Carl_Smith.yaml").write_text(REP_YAML)
    (reps / "notes.txt").write_text("ignored")
    result = run_validate(root)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "teams/core/reps/Carl_Smith.yaml:1:1: error: -: rep file name 'Carl_Smith' is not an"
        " id: use lowercase letters, digits and dashes (such as 'carl-smith')",
        "teams/core/reps/bob.yml:1:1: error: -: rename to bob.yaml (rep files end in .yaml)"]


def test_text_fields_keep_the_scalar_as_written(workspace):
    from reportgen.workspace import load_workspace

    root = workspace(team=TEAM_YAML.replace("name: Q4 2026", "name: 2026"),
                     reps={"ann": REP_YAML + "territory: NO\nrole: 1e3\n"})
    loaded = load_workspace(root).teams[0]
    assert loaded.team.period.name == "2026"
    assert loaded.reps[0].rep.territory == "NO"
    assert loaded.reps[0].rep.role == "1e3"


def test_money_keeps_integers_and_underscores(workspace):
    from reportgen.workspace import load_workspace

    root = workspace(reps={"ann": REP_YAML.replace("quota: 100000", "quota: 1_200_000")
                           .replace("closed: 50000", "closed: 1250.5")})
    rep = load_workspace(root).teams[0].reps[0].rep
    assert rep.quota == 1_200_000 and isinstance(rep.quota, int)
    assert rep.results.closed == 1250.5


def test_private_text_that_lost_its_indentation_is_not_echoed(workspace):
    broken = REP_YAML.replace(
        "  qualification: 4\n",
        "  qualification:\n    rating: 4\n    private: >\n  Thinking of letting him go soon: yes\n")
    result = run_validate(workspace(reps={"ann": broken}))
    assert result.exit_code == 1
    assert "letting him go" not in result.stderr
    assert "check the indentation of the text above it" in result.stderr
