"""Shared helpers: write small real workspaces to a temporary folder."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _example_repository() -> Path:
    """The example workspace as its own git repository with a quarter of history, made
    by the script the README uses. Tests never read this repository's own commits."""
    folder = Path(tempfile.mkdtemp(prefix="reportgen-example-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_example_history.py"),
                    str(folder / "west")], check=True)
    return folder / "west"


EXAMPLE = _example_repository()

TEAM_YAML = """\
name: Test Team
manager: Dana Whitfield
period:
  name: Q4 2026
  start: 2026-10-01
  end: 2026-12-31
"""

REP_YAML = """\
name: Ann Lee
quota: 100000
results:
  closed: 50000
  pipeline: 150000
skills:
  prospecting: 3
  qualification: 4
  deal-strategy: 2
  high-impact-calls: 4
  business-outcomes: 3
  time-management: 4
  resource-use: 4
"""


def write_workspace(root: Path, team: str = TEAM_YAML, reps: dict[str, str] | None = None,
                    team_id: str = "core") -> Path:
    team_dir = root / "teams" / team_id
    (team_dir / "reps").mkdir(parents=True, exist_ok=True)
    (team_dir / "team.yaml").write_text(textwrap.dedent(team), encoding="utf-8")
    for rep_id, text in (reps if reps is not None else {"ann": REP_YAML}).items():
        (team_dir / "reps" / f"{rep_id}.yaml").write_text(textwrap.dedent(text),
                                                           encoding="utf-8")
    return root


@pytest.fixture
def workspace(tmp_path: Path):
    """A function that writes a workspace under tmp_path and returns its root."""

    def make(team: str = TEAM_YAML, reps: dict[str, str] | None = None,
             team_id: str = "core") -> Path:
        return write_workspace(tmp_path, team, reps, team_id)

    return make


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite the golden files under tests/golden/ from this build.")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


AS_OF = "2026-11-26"


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """The example workspace built once (HTML and PDF) into a temporary folder."""
    from datetime import date

    from reportgen.build import BuildOptions, build

    out = tmp_path_factory.mktemp("example-output")
    report = build(EXAMPLE, BuildOptions(as_of=date.fromisoformat(AS_OF), out=out, jobs=2))
    return out, report


@pytest.fixture(scope="session")
def pdf_workers():
    """One warm PDF worker for the tests of this process, as `reportgen watch` keeps
    them: for tests about what a build writes rather than how it starts its workers.
    Starting WeasyPrint costs about a second per build otherwise."""
    from reportgen.pdf_workers import PdfWorkers

    workers = PdfWorkers([], 1)
    yield workers
    workers.close()


def pytest_configure(config):
    # pytest-xdist registers this mark itself; without xdist (-p no:xdist) it is unknown.
    config.addinivalue_line("markers", "xdist_group(name): run in one xdist worker")


def pytest_collection_modifyitems(items):
    """With pytest-xdist's `--dist loadgroup` (the README's test command), every test that
    uses the session's build of the example runs in the same worker process, so the
    example is built once."""
    for item in items:
        if "example_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("example_build"))
