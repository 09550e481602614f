"""The JSON Schema of team and rep files, generated from the models.

Editors use it (via `# yaml-language-server: $schema=…`) to autocomplete and flag
mistakes while typing, and show each field's description on hover (the descriptions
are the models' own). It is looser than `validate`: the generic rep schema cannot know
a team's framework or scale. `rep_schema_for_team` adds them: the skill ids as an enum
and ratings within the scale.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel

from reportgen.model import Rep, Team

# Keys of `levels` are ratings; in JSON (and to an editor) every key is a string.
_RATING_KEY = {"pattern": "^-?[0-9]+$"}

SchemaName = Literal["team", "rep"]
MODELS: dict[str, type[BaseModel]] = {"team": Team, "rep": Rep}
TITLES = {"team": "reportgen team file (teams/<team-id>/team.yaml)",
          "rep": "reportgen rep file (teams/<team-id>/reps/<rep-id>.yaml)"}


# Pydantic writes constraints it cannot place on a type (a union, a custom validator)
# under their Python names, which JSON Schema validators silently ignore.
_JSON_SCHEMA_KEYWORD = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum",
                        "lt": "exclusiveMaximum"}


def _standard_keywords(node: Any) -> Any:
    if isinstance(node, dict):
        return {(_JSON_SCHEMA_KEYWORD[key] if key in _JSON_SCHEMA_KEYWORD and isinstance(
            value, (int, float)) and not isinstance(value, bool) else key):
                _standard_keywords(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_standard_keywords(value) for value in node]
    return node


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """The same field, also allowing null: an empty optional value means absent."""
    kinds = prop.get("type")
    if isinstance(kinds, str) and "enum" not in prop:
        return {**prop, "type": [kinds, "null"]}
    if isinstance(kinds, list) and "enum" not in prop:
        return {**prop, "type": [*kinds, "null"] if "null" not in kinds else kinds}
    if any(option.get("type") == "null" for option in prop.get("anyOf", [])):
        return prop
    notes = {key: prop[key] for key in ("description", "title", "default") if key in prop}
    rest = {key: value for key, value in prop.items() if key not in notes}
    return {**notes, "anyOf": [rest, {"type": "null"}]}


def _optional_may_be_empty(node: Any) -> None:
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict) and node.get("type") == "object":
            required = set(node.get("required", []))
            for key, prop in properties.items():
                if key not in required and isinstance(prop, dict):
                    properties[key] = _nullable(prop)
        for value in node.values():
            _optional_may_be_empty(value)
    elif isinstance(node, list):
        for value in node:
            _optional_may_be_empty(value)


def json_schema(name: str) -> dict[str, Any]:
    schema = _standard_keywords(MODELS[name].model_json_schema(mode="validation"))
    _optional_may_be_empty(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = TITLES[name]
    if name == "rep":
        # Skill ids come from the team's framework; a bare integer is shorthand.
        assessment = schema["properties"]["skills"]
        assessment["additionalProperties"] = {
            "anyOf": [{"type": "integer"}, assessment["additionalProperties"]]}
    if name == "team":
        schema["$defs"]["SkillDefinition"]["properties"]["levels"]["propertyNames"] = (
            _RATING_KEY)
    return schema


def rep_schema_for_team(team: Team, team_id: str) -> dict[str, Any]:
    """The rep schema with this team's skill ids (an enum) and rating scale."""
    schema = json_schema("rep")
    schema["title"] = f"reportgen rep file of team {team_id} (teams/{team_id}/reps/<rep-id>.yaml)"
    skill_ids = [skill.id for skill in team.skills]
    rating = {"type": "integer", "minimum": team.scale.min, "maximum": team.scale.max}
    skills = schema["properties"]["skills"]
    skills["propertyNames"] = {"enum": skill_ids}
    skills["properties"] = {
        skill.id: {"description": f"{skill.name}: {skill.description or ''}".rstrip(": "),
                   "anyOf": [rating, {"$ref": "#/$defs/Assessment"}]}
        for skill in team.skills}
    skills["additionalProperties"] = False
    definitions = schema["$defs"]
    definitions["Assessment"]["properties"]["rating"].update(
        minimum=team.scale.min, maximum=team.scale.max)
    definitions["Fix"]["properties"]["skill"]["enum"] = skill_ids
    return schema


def schema_text(name: str, schema: dict[str, Any] | None = None) -> str:
    return json.dumps(schema or json_schema(name), indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"
