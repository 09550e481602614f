"""Hostile and broken files get one clear problem, fast and in bounded memory."""

from __future__ import annotations

import tracemalloc

import pytest

from reportgen.problems import DataError
from reportgen.workspace import load_workspace
from reportgen.yamlfile import MAX_DEPTH, YamlFileError, parse_document, read_document
from tests.conftest import REP_YAML

BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
       for i in range(8)]
) + "\n"


def only_problem(root) -> str:
    with pytest.raises(DataError) as caught:
        load_workspace(root)
    errors = [p for p in caught.value.problems if p.is_error]
    assert len(errors) == 1
    return str(errors[0])


def test_alias_bomb_is_refused_in_bounded_memory(workspace):
    root = workspace(reps={"ann": BILLION_LAUGHS})
    tracemalloc.start()
    message = only_problem(root)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert message == ("teams/core/reps/ann.yaml:6:8: error: -: the file expands to more"
                       " than 100,000 values (aliases repeating aliases?); refused")
    assert peak < 50 * 1024 * 1024


@pytest.mark.parametrize("deep", ["[" * 200_000, "a:\n" + "".join(
    " " * depth + f"k{depth}:\n" for depth in range(1, 300)), "- " * 100_000 + "x\n"],
    ids=["flow", "block-mapping", "block-sequence"])
def test_extreme_nesting_is_refused_without_crashing(workspace, deep):
    root = workspace(reps={"ann": deep})
    message = only_problem(root)
    assert f"error: -: nesting deeper than {MAX_DEPTH} levels" in message
    assert message.startswith("teams/core/reps/ann.yaml:")


def test_nesting_at_the_limit_is_fine():
    document = parse_document("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n",
                              "f.yaml")
    assert isinstance(document.data, dict)


def test_huge_file_is_refused_before_parsing(workspace):
    root = workspace(reps={"ann": REP_YAML + "# padding\n" * 120_000})
    assert only_problem(root) == ("teams/core/reps/ann.yaml:1:1: error: -: file is 1.14 MiB;"
                                  " the limit is 1 MiB (a rep file is normally a few KiB)")


def test_invalid_utf8_names_the_line(workspace, tmp_path):
    root = workspace()
    path = root / "teams" / "core" / "reps" / "ann.yaml"
    path.write_bytes(REP_YAML.encode() + b"role: caf\xe9\n")
    assert only_problem(root) == ("teams/core/reps/ann.yaml:14:10: error: -: not valid UTF-8"
                                  " (byte 0xe9); save the file as UTF-8")


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + REP_YAML.encode())
    assert read_document(path, "r.yaml").data["name"].raw == "Ann Lee"


@pytest.mark.parametrize(("text", "expected"), [
    ("# only a comment\n", "1:1: error: -: file is empty; expected a mapping of fields"),
    ("a: 1\n---\nb: 2\n", "2:1: error: -: the file holds more than one YAML document"),
    ("a: *nowhere\n", "1:4: error: -: unknown alias '*nowhere'"),
    ("a: 1\x00\n", "1:5: error: -: control character U+0000 is not allowed in YAML"),
    ("? [a, b]\n: c\n", "1:3: error: -: a key must be plain text, not a list or mapping"),
    ("just text\n", "1:1: error: -: expected a mapping of fields (key: value lines) at the top"
     " of the file, got 'just text'"),
])
def test_broken_files(workspace, text, expected):
    assert only_problem(workspace(reps={"ann": text})).startswith(
        "teams/core/reps/ann.yaml:" + expected)


def test_anchors_within_budget_work():
    document = parse_document("base: &b {rating: 3}\nother: *b\n", "f.yaml")
    assert document.data["other"] is document.data["base"]


def test_unreadable_path_is_a_problem(tmp_path):
    with pytest.raises(YamlFileError) as caught:
        read_document(tmp_path / "missing.yaml", "missing.yaml")
    assert "cannot read file" in str(caught.value)
