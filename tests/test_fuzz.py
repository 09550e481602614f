"""Random mutations of a valid rep file never produce a traceback.

Either the workspace loads, or every problem names a line and column in the file.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.analysis import analyse
from reportgen.problems import DataError
from reportgen.workspace import load_workspace
from tests.conftest import TEAM_YAML, write_workspace

VALID_REP = """\
name: Ann Lee
quota: 100000
results:
  closed: 50000
  pipeline: 150000
  win_rate: 24%
skills:
  prospecting: 3
  qualification: {rating: 4, assessed: 2026-10-01, evidence: "**good**"}
goals:
  - goal: Win two new logos
    due: 2026-12-15
fixes:
  - skill: prospecting
    focus: Daily prospecting block
    status: active
    actions:
      - do: Block 9-10am
        due: 2026-11-01
        done: true
roadblocks:
  - issue: Slow legal review
    owner: manager
    raised: 2026-10-20
one_on_ones:
  - date: 2026-11-01
    notes: Talked about *pipeline*.
"""

TOKENS = ["", " ", ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!int ", "'", '"', "\t",
          "\n", "#", "null", "~", "true", "-1", "3.5", "2026-02-30", ".inf", "1e400",
          "rating:", "  ", "é", "\x00", "0x1F", "1_0", "?", "|", ">", "%YAML 1.1\n", "---\n"]


def mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    for position, delete, insert in edits:
        position %= len(text) + 1
        text = text[:position] + insert + text[position + delete:]
    return text


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 8),
                          st.one_of(st.sampled_from(TOKENS), st.text(max_size=6))),
                min_size=1, max_size=6))
def test_mutated_rep_file_never_crashes(edits):
    root = Path(tempfile.mkdtemp(prefix="reportgen-fuzz-"))
    try:
        write_workspace(root, TEAM_YAML, {"ann": mutate(VALID_REP, edits)})
        try:
            analysis = analyse(load_workspace(root), __import__("datetime").date(2026, 11, 15))
        except DataError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.line >= 1 and problem.column >= 1
                assert problem.file.startswith("teams/core/")
                assert problem.message
        else:
            assert analysis.teams[0].reps[0].id == "ann"
    finally:
        shutil.rmtree(root)

