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


def test_a_large_build_checks_teams_in_parallel_with_the_same_answer(tmp_path):
    import pytest

    from reportgen.build import BuildOptions, build
    from reportgen.problems import DataError

    root = generate.generate(PARALLEL_FROM_REPS + 20, tmp_path / "org")
    as_of = date(2026, 11, 26)
    report = build(root, BuildOptions(as_of=as_of, out=tmp_path / "out", formats=("html",)))
    from reportgen.history import read_history

    # validate reads the same git history (here: none, and one warning saying so).
    assert report.warnings == list(check_workspace(root, as_of, workers=1,
                                                   history=read_history(root)).warnings)
    assert len([o for o in report.built if o.endswith(".html")]) == PARALLEL_FROM_REPS + 20 + 41

    rep = sorted(root.glob("teams/*/reps/*.yaml"))[-1]
    rep.write_text(rep.read_text().replace("quota:", "quota: -5\n_was_quota:", 1))
    with pytest.raises(DataError) as caught:
        build(root, BuildOptions(as_of=as_of, out=tmp_path / "out", formats=("html",),
                                 force=True))
    assert {problem.file for problem in caught.value.problems if problem.is_error} == {
        rep.relative_to(root).as_posix()}


def test_pool_workers_leave_interruption_to_the_build():
    """Every pool (parallel checks, history parsing) is stopped with SIGTERM when the
    build leaves it, and the build turns SIGTERM into KeyboardInterrupt: a worker that
    inherited that printed a KeyboardInterrupt traceback (seen on a 500-rep build).
    Workers ignore Ctrl-C (the build stops them) and die of SIGTERM, silently."""
    import signal

    from reportgen.forked_pool import forked_pool

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        with forked_pool(2) as pool:
            handlers = pool.map(_worker_handlers, range(2))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert handlers == [(signal.SIG_IGN, signal.SIG_DFL)] * 2


def _worker_handlers(_: int) -> tuple[object, object]:
    import signal

    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
