"""`reportgen watch`: a saved edit is built with warm workers; bad data waits for a fix."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from reportgen.build import BuildOptions
from reportgen.problems import DataError
from reportgen.watch import Round, input_signature, watch
from tests.conftest import REP_YAML

AS_OF = date(2026, 11, 15)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    # Some file systems keep coarse modification times; make the change visible.
    stamp = time.time_ns() + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


class Watching:
    """A watch running in a thread, its rounds collected as they come."""

    def __init__(self, root: Path, out: Path, formats: tuple[str, ...]) -> None:
        self.rounds: queue.Queue[Round] = queue.Queue()
        self.stop = threading.Event()
        options = BuildOptions(as_of=AS_OF, out=out, formats=formats, jobs=1)
        self.thread = threading.Thread(
            target=watch, args=(root, lambda: options, self.rounds.put),
            kwargs={"interval": 0.1, "stop": self.stop})
        self.thread.start()

    def next_round(self) -> Round:
        return self.rounds.get(timeout=60)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()


def test_watch_builds_each_saved_change_and_survives_bad_data(workspace, tmp_path):
    root = workspace(reps={"ann": REP_YAML, "bob": REP_YAML.replace("Ann Lee", "Bob Roy")})
    out = tmp_path / "out"
    watching = Watching(root, out, ("html", "pdf"))
    try:
        first = watching.next_round()
        assert first.report is not None and "core/reps/bob.pdf" in first.report.built

        bob = root / "teams" / "core" / "reps" / "bob.yaml"
        edit(bob, "closed: 50000", "closed: 75000")
        second = watching.next_round()
        assert second.report is not None
        assert sorted(second.report.built) == [
            "core/reps/bob.html", "core/reps/bob.pdf", "core/scorecard.html",
            "core/scorecard.pdf", "index.html"]
        assert "$75,000" in (out / "core" / "reps" / "bob.html").read_text()

        before = (out / "core" / "reps" / "bob.pdf").read_bytes()
        edit(bob, "quota: 100000", "quota: [")
        broken = watching.next_round()
        assert isinstance(broken.error, DataError)
        assert broken.error.problems[0].file == "teams/core/reps/bob.yaml"
        assert (out / "core" / "reps" / "bob.pdf").read_bytes() == before

        edit(bob, "quota: [", "quota: 150000")
        fixed = watching.next_round()
        assert fixed.report is not None and "core/reps/bob.pdf" in fixed.report.built
        assert (out / "core" / "reps" / "bob.pdf").read_bytes() != before
    finally:
        watching.close()


def test_watch_notices_template_changes(workspace, tmp_path):
    root = workspace()
    out = tmp_path / "out"
    watching = Watching(root, out, ("html",))
    try:
        assert watching.next_round().report is not None
        own = root / "templates"
        own.mkdir()
        (own / "scorecard.html").write_text('{% extends "scorecard_base.html" %}'
                                            "{% block heatmap %}{% endblock %}")
        changed = watching.next_round()
        assert changed.report is not None and changed.report.built == ["core/scorecard.html"]
    finally:
        watching.close()


def test_the_signature_changes_with_any_input_file(workspace):
    root = workspace()
    before = input_signature(root)
    edit(root / "teams" / "core" / "team.yaml", "Test Team", "Other Team")
    assert input_signature(root) != before


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_watch_command_stops_cleanly_on_ctrl_c_or_kill(workspace, tmp_path, stop_signal):
    root = workspace()
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "watch", str(root), "--out", str(tmp_path / "o"),
         "--format", "html", "--as-of", "2026-11-15", "--interval", "0.1"],
        stderr=subprocess.PIPE, text=True,
        # As in a terminal: whoever runs the tests may have started them with Ctrl-C
        # ignored (a background job), which the child would inherit.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line)
        if "built" in line:
            break
    process.send_signal(stop_signal)
    rest = process.stderr.read()
    assert process.wait(timeout=30) == 0
    assert "watching" in lines[0] and "stopped" in rest
    assert "Traceback" not in "".join(lines) + rest
