"""Builds that overlap, builds that are killed: the output folder stays whole."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from reportgen.atomic import TEMPORARY_SUFFIX
from reportgen.manifest import MANIFEST_NAME
from tests.conftest import REP_YAML


def many_reps(workspace, count: int = 8) -> Path:
    return workspace(reps={f"rep-{index}": REP_YAML.replace("Ann Lee", f"Rep {index}")
                           for index in range(count)})


def build_command(root: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "reportgen", "build", str(root), "--out", str(out),
            "--as-of", "2026-11-15", *extra]


def leftovers(out: Path) -> list[Path]:
    return list(out.rglob(f"*{TEMPORARY_SUFFIX}"))


def test_two_builds_on_one_folder_both_succeed(workspace, tmp_path):
    root = many_reps(workspace)
    out = tmp_path / "out"
    first = subprocess.Popen(build_command(root, out, "--jobs", "1"), stderr=subprocess.PIPE,
                             text=True)
    time.sleep(0.3)
    second = subprocess.Popen(build_command(root, out, "--jobs", "1"), stderr=subprocess.PIPE,
                              text=True)
    outcomes = [(process.wait(timeout=300), process.stderr.read())
                for process in (first, second)]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert leftovers(out) == []
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert all((out / output).is_file() for output in manifest["outputs"])
    # The second waited for the first, then found its work done.
    assert "waiting for another reportgen build" in outcomes[1][1]
    assert "up to date" in outcomes[1][1]


def test_a_build_during_watch_leaves_the_watch_running(workspace, tmp_path):
    root = many_reps(workspace, 3)
    out = tmp_path / "out"
    watch = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "watch", str(root), "--out", str(out),
         "--as-of", "2026-11-15", "--interval", "0.1", "--jobs", "1"],
        stderr=subprocess.PIPE, text=True)
    assert watch.stderr is not None
    for line in watch.stderr:
        if "built" in line:
            break
    (root / "teams/core/reps/rep-0.yaml").write_text(REP_YAML.replace("Ann Lee", "Changed"))
    build = subprocess.run(build_command(root, out, "--force", "--jobs", "1"),
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    time.sleep(1.5)
    assert watch.poll() is None, "the watch died"
    watch.send_signal(signal.SIGTERM)
    rest = watch.stderr.read()
    assert watch.wait(timeout=60) == 0, rest
    assert "Traceback" not in rest and "internal error" not in rest
    assert leftovers(out) == []


def test_sigterm_mid_build_cleans_up_like_ctrl_c(workspace, tmp_path):
    root = many_reps(workspace, 12)
    out = tmp_path / "out"
    process = subprocess.Popen(build_command(root, out, "--jobs", "1"),
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not leftovers(out) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert leftovers(out), "the build never started writing"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in process.stderr.read()
    assert leftovers(out) == []
    assert not (out / MANIFEST_NAME).exists()
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.html"))


def test_every_run_removes_what_a_killed_build_left(workspace, tmp_path):
    root = workspace()
    out = tmp_path / "out"
    assert subprocess.run(build_command(root, out, "--format", "html"), timeout=120).returncode == 0
    stray = out / "core/reps" / f".ann.html.x1y2{TEMPORARY_SUFFIX}"
    stray.write_bytes(b"half a page")
    result = subprocess.run(build_command(root, out, "--format", "html"), capture_output=True,
                            text=True, timeout=120)
    assert "up to date" in result.stderr
    assert not stray.exists()
