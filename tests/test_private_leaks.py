"""No message ever quotes text from inside, or possibly inside, a `private` field."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.analysis import analyse
from reportgen.problems import DataError
from reportgen.workspace import load_workspace
from tests.conftest import REP_YAML, TEAM_YAML, write_workspace

SECRET = "Zqxsecret"

BEFORE = REP_YAML + """\
one_on_ones:
  - date: 2026-11-01
    notes: Talked about pipeline.
    private:"""
AFTER = """
  - date: 2026-11-08
    notes: Next steps.
goals:
  - goal: Win two new logos
"""


def problems_of(rep_text: str) -> list[str]:
    root = Path(tempfile.mkdtemp(prefix="reportgen-private-"))
    try:
        write_workspace(root, TEAM_YAML, {"ann": rep_text})
        try:
            analysis = analyse(load_workspace(root), date(2026, 11, 15))
        except DataError as error:
            return [str(problem) for problem in error.problems]
        return [str(w) for w in analysis.warnings]
    finally:
        shutil.rmtree(root)


# Reproduced leaks: each quoted the secret before.
CASES = {
    "duplicate keys in a private mapping": f"\n      {SECRET}: x\n      {SECRET}: y",
    "duplicate keys in a flow mapping": f" {{{SECRET}: 1, {SECRET}: 2}}",
    "a tag at the start": f" !{SECRET}: he is leaving",
    "an alias at the start": f" *{SECRET} he is leaving",
    "an anchor and a colon": f" &{SECRET} he: is leaving",
    "a continuation read as a list item": f" He said\n    - {SECRET} is leaving",
    "a badly indented private block": f" He is\n  {SECRET}: soon",
    "a one-word key at the same indentation": f" He is\n    {SECRET}: soon",
    "a typo in the key": f"\n    privat: He is\n    {SECRET}: soon",
}


@pytest.mark.parametrize("planted", CASES.values(), ids=CASES.keys())
def test_reproduced_leaks_are_closed(planted):
    problems = problems_of(BEFORE + planted + AFTER)
    assert problems, "the case is meant to be an error"
    assert not [problem for problem in problems if SECRET.lower() in problem.lower()]


def test_a_redacted_problem_still_says_where_and_what(tmp_path):
    problems = problems_of(BEFORE + CASES["a badly indented private block"] + AFTER)
    assert problems == [
        "teams/core/reps/ann.yaml:18:3: error: -: YAML syntax error: did not find expected"
        " '…' indicator (not repeated here: it may be part of a private note)"]


# Everything that can follow `private:` in a file, except a field name reportgen knows:
# a line starting with one (`- date: …`) ends the private field for sure, and the text
# after it is no longer private.
TOKENS = [" ", "\n", "\n  ", "\n    ", "\n      ", "- ", ": ", ":", "!", "!!", "*", "&", "{",
          "}", "[", "]", ",", "'", '"', "#", "|", ">", "? ", "\t", "%", "@", "`", "\\", "---",
          "private:", "Private:", "private: ", "\n  - ", "!!str ", "<<: ", "...", "&a ", "*a"]


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(TOKENS),
                          st.sampled_from([SECRET, f"{SECRET}:", f"!{SECRET}", f"*{SECRET}",
                                           f"&{SECRET}", f"{SECRET} {SECRET}"])),
                min_size=1, max_size=10))
def test_no_message_quotes_a_planted_secret(tokens):
    planted = "".join(tokens)
    if SECRET not in planted:
        planted += " " + SECRET
    for problem in problems_of(BEFORE + planted + AFTER):
        assert SECRET.lower() not in problem.lower(), (planted, problem)


def test_the_command_line_never_prints_it(workspace, tmp_path):
    root = workspace(reps={"ann": BEFORE + CASES["duplicate keys in a private mapping"] + AFTER})
    for command in (["validate"], ["build", "--out", str(tmp_path / "out")], ["export"]):
        result = subprocess.run([sys.executable, "-m", "reportgen", *command, str(root)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 1
        assert SECRET not in result.stdout + result.stderr
