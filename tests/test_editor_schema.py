"""The JSON Schema as an editor uses it: YAML 1.2 as yaml-language-server reads it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.schema import json_schema
from tests.conftest import EXAMPLE, REPO

EXAMPLE_TEAM = EXAMPLE / "teams" / "west-enterprise"


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2's core schema, which editors use: `2026-10-01` and `1_000` are text,
    only true/false are booleans, only ~/null/empty are null."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in (
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
         "-+0123456789"),
        ("tag:yaml.org,2002:float",
         r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
        ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])):
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


def editor_reads(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def committed(name: str) -> dict[str, Any]:
    return json.loads((REPO / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_the_editor_reads_dates_as_text():
    assert editor_reads(EXAMPLE_TEAM / "team.yaml")["period"]["start"] == "2026-10-01"


def test_every_example_file_is_valid_against_the_committed_schema():
    team_validator, rep_validator = validator(committed("team")), validator(committed("rep"))
    files = sorted((EXAMPLE / "teams").glob("*/team.yaml")) + sorted(
        (EXAMPLE / "teams").glob("*/reps/*.yaml"))
    assert len(files) == 12  # two teams, ten reps
    for path in files:
        chosen = team_validator if path.name == "team.yaml" else rep_validator
        errors = [error.message for error in chosen.iter_errors(editor_reads(path))]
        assert errors == [], f"{path.name}: {errors}"


def test_the_teams_rep_schema_knows_its_skills_and_scale():
    result = CliRunner().invoke(cli, ["schema", "rep", "--team", "west-enterprise"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    team_rep = validator(schema)
    for path in sorted((EXAMPLE_TEAM / "reps").glob("*.yaml")):
        assert list(team_rep.iter_errors(editor_reads(path))) == [], path.name
    rep = editor_reads(EXAMPLE_TEAM / "reps" / "priya-raman.yaml")
    assert schema["properties"]["skills"]["propertyNames"]["enum"][:2] == [
        "prospecting", "qualification"]
    for broken in ({"skills": {**rep["skills"], "prospectin": 3}},
                   {"skills": {**rep["skills"], "high-impact-calls": 7}},
                   {"fixes": [{"skill": "negotiation"}]}):
        assert not team_rep.is_valid({**rep, **broken}), broken
    assert validator(committed("rep")).is_valid({**rep, "skills": {"anything": 7}})


@pytest.mark.parametrize(("name", "change", "keyword"), [
    ("rep", {"quota": -5}, "minimum"),
    ("rep", {"results": {"closed": -1}}, "minimum"),
    ("rep", {"start_date": "2026-13-01"}, "format"),
    ("rep", {"qouta": 5}, "additionalProperties"),
    ("team", {"coverage_target": 0}, "exclusiveMinimum"),
    ("team", {"currency": "dollars"}, "pattern"),
])
def test_what_validate_refuses_the_editor_flags_too(name, change, keyword):
    base = editor_reads(EXAMPLE_TEAM / ("team.yaml" if name == "team" else
                                        "reps/priya-raman.yaml"))
    errors = list(validator(committed(name)).iter_errors({**base, **change}))
    assert errors and keyword in _keywords(errors), errors


def _keywords(errors: list[jsonschema.ValidationError]) -> set[str]:
    """The keywords that failed, inside `anyOf` branches too."""
    found = set()
    for error in errors:
        found.add(str(error.validator))
        found |= _keywords(list(error.context or []))
    return found


def test_what_validate_accepts_the_editor_accepts_too():
    rep = editor_reads(EXAMPLE_TEAM / "reps" / "priya-raman.yaml")
    rep_validator = validator(committed("rep"))
    # Underscored money, text that looks like a number, a rating as shorthand.
    assert rep_validator.is_valid({**rep, "quota": "1_200_000", "territory": 2026})
    assert validator(committed("team")).is_valid(
        {**editor_reads(EXAMPLE_TEAM / "team.yaml"), "period": {
            "name": 2027, "start": "2027-01-01", "end": "2027-03-31"}, "currency": "eur"})


def _properties(node: Any, where: str = "") -> list[tuple[str, Any]]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found += [(f"{where}.{name}", prop) for name, prop in value.items()]
            found += _properties(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _properties(value, f"{where}[{index}]")
    return found


@pytest.mark.parametrize("name", ["team", "rep"])
def test_every_field_has_a_description_and_only_json_schema_keywords(name):
    schema = json_schema(name)
    missing = [where for where, prop in _properties(schema) if not prop.get("description")]
    assert missing == [], "fields without Field(description=...): " + ", ".join(missing)
    text = json.dumps(schema)
    for pydantic_only in ('"ge"', '"gt"', '"le"', '"lt"'):
        assert pydantic_only not in text


def test_new_files_match_the_schema_as_written(tmp_path):
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "ws")]).exit_code == 0
    root = tmp_path / "ws"
    team_validator, rep_validator = validator(committed("team")), validator(committed("rep"))
    assert team_validator.is_valid(editor_reads(root / "teams/my-team/team.yaml"))
    assert rep_validator.is_valid(editor_reads(root / "teams/my-team/reps/first-rep.yaml"))
    for name in ("team", "rep"):
        assert (root / "schema" / f"{name}.schema.json").read_text() == (
            REPO / "schema" / f"{name}.schema.json").read_text()
