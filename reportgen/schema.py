"""The JSON Schema of team and rep files, generated from the models.

Editors use it (via `# yaml-language-server: $schema=…`) to autocomplete and flag
mistakes while typing. It is looser than `validate`: it cannot know a team's framework
or scale, so per-team checks (skill ids, rating range) only happen in `validate`.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel

from reportgen.model import Rep, Team

SchemaName = Literal["team", "rep"]
MODELS: dict[str, type[BaseModel]] = {"team": Team, "rep": Rep}
TITLES = {"team": "reportgen team file (teams/<team-id>/team.yaml)",
          "rep": "reportgen rep file (teams/<team-id>/reps/<rep-id>.yaml)"}


def json_schema(name: str) -> dict[str, Any]:
    schema = MODELS[name].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = TITLES[name]
    if name == "rep":
        # Skill ids come from the team's framework; a bare integer is shorthand.
        assessment = schema["properties"]["skills"]
        assessment["additionalProperties"] = {
            "anyOf": [{"type": "integer"}, assessment["additionalProperties"]]}
    return schema


def schema_text(name: str) -> str:
    return json.dumps(json_schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
