"""`validate` on a large workspace spreads teams over processes: same answer as serial."""

from __future__ import annotations

import importlib.util
from datetime import date

from reportgen.analysis import PARALLEL_FROM_REPS, analyse, check_workspace
from reportgen.workspace import load_workspace
from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


def test_parallel_check_equals_serial_and_load_analyse(tmp_path):
    root = generate.generate(PARALLEL_FROM_REPS + 20, tmp_path / "org")
    as_of = date(2026, 11, 26)
    serial = check_workspace(root, as_of, workers=1)
    parallel = check_workspace(root, as_of, workers=2)
    assert parallel == serial
    assert serial.reps == PARALLEL_FROM_REPS + 20 and serial.teams == 40
    assert serial.errors == ()
    assert serial.warnings == analyse(load_workspace(root), as_of).warnings
    assert len(serial.warnings) > 100
