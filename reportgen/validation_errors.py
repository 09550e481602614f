"""Turning pydantic's validation errors into Problems a manager can act on.

Pydantic reports a location such as `("fixes", 0, "status")` and wording for
programmers ("Extra inputs are not permitted"). We point at the line and column the
loader recorded for that location and rewrite the wording, suggesting the nearest field
name for typos.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from reportgen.fields import describe
from reportgen.problems import Problem, format_path
from reportgen.yamlfile import Document, NodePath


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _model_at(model: type[BaseModel], path: NodePath) -> type[BaseModel] | None:
    """The model class that holds the fields at `path` (to suggest a field name)."""
    current = model
    index = 0
    while index < len(path):
        part = path[index]
        info = current.model_fields.get(part) if isinstance(part, str) else None
        inner = _innermost_model(info.annotation) if info else None
        if info is None or inner is None:
            return None
        # A list or mapping of models: skip the index or key that follows.
        index += 2 if _is_container(info.annotation) else 1
        current = inner
    return current


def _unwrap(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, tuple, list, dict):
        found = []
        for arg in typing.get_args(annotation):
            found.extend(_unwrap(arg))
        return found
    return [annotation]


def _innermost_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in _unwrap(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _is_container(annotation: Any) -> bool:
    for candidate in [annotation, *typing.get_args(annotation)]:
        if typing.get_origin(candidate) in (tuple, list, dict):
            return True
        if typing.get_origin(candidate) is typing.Annotated and _is_container(
            typing.get_args(candidate)[0]
        ):
            return True
    return False


def _without_non_file_steps(loc: tuple[Any, ...]) -> NodePath:
    # Pydantic adds `[key]` for errors in dict keys and the function name for
    # some validators; neither is a place in the file.
    return tuple(part for part in loc if part != "[key]" and not (
        isinstance(part, str) and part.startswith("function-")))


def looks_like_text(key: str) -> bool:
    """A key with spaces or a long one is usually a line of text that lost its indentation
    (perhaps from a private note): messages do not repeat it."""
    return " " in key or len(key) > 40


def _shown(path: NodePath) -> str:
    return format_path(tuple("?" if isinstance(part, str) and looks_like_text(part) else part
                             for part in path))


def problems_from(error: ValidationError, model: type[BaseModel], document: Document,
                  rep: str | None = None) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False, include_context=True, include_input=True):
        path = _without_non_file_steps(tuple(detail["loc"]))
        problem = _problem(detail, path, model, document, rep)
        if any(isinstance(part, str) and looks_like_text(part) for part in path):
            problem = replace(problem, path=_shown(path))
        problems.append(problem)
    return problems


def _problem(detail: Any, path: NodePath, model: type[BaseModel], document: Document,
             rep: str | None) -> Problem:
    kind = detail["type"]
    value = detail.get("input")
    field = str(path[-1]) if path else ""
    if kind == "extra_forbidden":
        if looks_like_text(field):
            # Likely a line of text that lost its indentation: perhaps part of a note
            # (even a private one), so it is not repeated here.
            return document.problem(path, "unknown field: this line reads as a new key; check"
                                    " the indentation of the text above it", key=True,
                                    rep=rep, shown_path=format_path((*path[:-1], "?")))
        owner = _model_at(model, path[:-1])
        hint = did_you_mean(field, owner.model_fields) if owner else ""
        return document.problem(path, f"unknown field '{field}'{hint}", key=True, rep=rep)
    if kind == "missing":
        if document.written_empty(path):
            return document.problem(path, f"'{field}' is empty; it is required", key=True,
                                    rep=rep)
        return document.problem(path[:-1], f"'{field}' is required", rep=rep,
                                shown_path=format_path(path))
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        choices = [word.strip(" '") for word in expected.replace(" or ", ",").split(",")]
        written = str(value)
        hint = did_you_mean(written, choices)
        return document.problem(path, f"'{written}' is not one of {', '.join(choices)}{hint}",
                                rep=rep)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        where = "at the top of the file" if not path else ""
        message = " ".join(f"expected a mapping of fields (key: value lines) {where}".split())
        return document.problem(path, f"{message}, got {describe(value)}", rep=rep)
    if kind in ("list_type", "tuple_type"):
        return document.problem(path, "expected a list (lines starting with '- '), got "
                                f"{describe(value)}", rep=rep)
    if kind == "value_error":
        message = str(detail["msg"]).removeprefix("Value error, ")
        return document.problem(path, message, rep=rep)
    if kind in ("greater_than", "greater_than_equal", "string_pattern_mismatch"):
        return document.problem(path, f"{_plain_constraint(detail)}, got {describe(value)}",
                                rep=rep)
    # Our own field types word their errors already.
    return document.problem(path, str(detail["msg"]), rep=rep)


def _plain_constraint(detail: Any) -> str:
    context = detail.get("ctx", {})
    if detail["type"] == "greater_than":
        return f"expected a number above {context.get('gt')}"
    if detail["type"] == "greater_than_equal":
        return f"expected {context.get('ge')} or more"
    return "not in the expected form"
