"""Problems for people and machines: text, json and github output, -q, --rep builds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from tests.conftest import REP_YAML, REPO, write_workspace
from tests.gitrepo import Repo

GOLDEN = REPO / "tests" / "golden" / "problems"
AS_OF = "2026-11-26"
# One error (a typo) and one warning (an overdue action) in a workspace kept in a
# subfolder of a git repository, as many teams do (one-on-ones on cadence, committed:
# no other warning).
BROKEN = REP_YAML.replace("quota: 100000", "qouta: 100000\nquota: 100000") + """\
fixes:
  - skill: prospecting
    actions:
      - {do: "Call 20 accounts, 100% of them", due: 2026-11-01}
one_on_ones:
  - {date: 2026-11-20}
"""
WARNED = REP_YAML + """\
fixes:
  - skill: prospecting
    actions:
      - {do: "Call 20 accounts, 100% of them", due: 2026-11-01}
one_on_ones:
  - {date: 2026-11-20}
"""


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """cwd = the repository's root; the workspace is its `sales/` folder."""
    write_workspace(tmp_path / "sales", reps={"ann": WARNED}, team_id="core")
    write_workspace(tmp_path / "sales", reps={"bob": BROKEN}, team_id="west")
    Repo(tmp_path).commit("2026-11-20", "the team's files")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    return tmp_path


def invoke(*args: str, **env: str):
    return CliRunner(env=env).invoke(cli, list(args))


def check_golden(name: str, text: str, update_golden: bool) -> None:
    golden = GOLDEN / name
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == text, (
        f"{name} differs from tests/golden/problems (pytest --update-golden if intended)")


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("problem_format", ["text", "json", "github"])
def test_each_output_format_golden(repository, command, problem_format, update_golden):
    args = [command, "sales", "--as-of", AS_OF, "--output-format", problem_format]
    result = invoke(*args)
    assert result.exit_code == 1
    check_golden(f"{command}.{problem_format}.stdout", result.stdout, update_golden)
    check_golden(f"{command}.{problem_format}.stderr", result.stderr, update_golden)
    assert not (repository / "sales" / "output").exists()


def test_github_annotations_sit_beside_the_spec_lines(repository):
    result = invoke("validate", "sales", "--as-of", AS_OF, "--output-format", "github")
    spec_lines = [line for line in result.stderr.splitlines() if ": error: " in line
                  or ": warning: " in line]
    commands = result.stdout.splitlines()
    assert len(spec_lines) == len(commands) == 2
    assert spec_lines[0].startswith("teams/core/reps/ann.yaml:")
    # GitHub wants the path from the repository's root; `,` and `:` escaped.
    assert commands[0].startswith("::warning file=sales/teams/core/reps/ann.yaml,line=")
    assert commands[1].startswith("::error file=sales/teams/west/reps/bob.yaml,line=2,col=1,")
    assert "title=reportgen%3A qouta::unknown field 'qouta'; did you mean 'quota'?" in commands[1]
    assert "100%25" in commands[0] or "100%" not in commands[0]


def test_github_format_is_chosen_inside_github_actions(repository):
    inside = invoke("validate", "sales", "--as-of", AS_OF, GITHUB_ACTIONS="true")
    assert inside.stdout.startswith("::")
    asked = invoke("validate", "sales", "--as-of", AS_OF, "--output-format", "text",
                   GITHUB_ACTIONS="true")
    assert asked.stdout == ""
    outside = invoke("validate", "sales", "--as-of", AS_OF)
    assert outside.stdout == ""


def test_json_on_success_lists_the_warnings_and_what_was_built(repository):
    shutil.rmtree(repository / "sales/teams/west")
    checked = invoke("validate", "sales", "--as-of", AS_OF, "--output-format", "json")
    assert checked.exit_code == 0
    document = json.loads(checked.stdout)
    assert document["ok"] is True and document["errors"] == 0 and document["warnings"] == 1
    assert document["teams"] == 1 and document["reps"] == 1
    assert document["problems"][0]["path"] == "fixes[0].actions[0].due"
    built = invoke("build", "sales", "--as-of", AS_OF, "--format", "html",
                   "--output-format", "json")
    assert built.exit_code == 0, built.output
    document = json.loads(built.stdout)
    assert document["ok"] is True
    assert "sales/output/core/reps/ann.html" in document["built"]


def test_quiet_prints_errors_and_one_line_of_counts(repository):
    failing = invoke("validate", "sales", "--as-of", AS_OF, "-q")
    assert failing.exit_code == 1
    lines = failing.stderr.splitlines()
    assert len(lines) == 2 and ": error: qouta:" in lines[0] and lines[1] == "1 error."
    noisy = invoke("validate", "sales", "--as-of", AS_OF)
    assert ": warning: " in noisy.stderr
    shutil.rmtree(repository / "sales/teams/west")
    passing = invoke("validate", "sales", "--as-of", AS_OF, "-q")
    assert passing.stderr.splitlines() == ["ok: 1 team, 1 rep, 1 warning"]
    built = invoke("build", "sales", "--as-of", AS_OF, "--format", "html", "-q")
    assert built.exit_code == 0
    assert len(built.stderr.splitlines()) == 1 and "1 warning" in built.stderr


def test_a_rep_build_prints_what_it_wrote_and_only_that_reps_warnings(tmp_path, monkeypatch):
    other = REP_YAML.replace("  prospecting: 3\n", "") + (  # warns: unassessed
        "one_on_ones:\n  - {date: 2026-11-20}\n")
    root = write_workspace(tmp_path / "ws", reps={"ann": WARNED, "cy": other})
    Repo(root).commit("2026-11-20", "the team's files")
    monkeypatch.chdir(root / "teams")
    result = invoke("build", "--rep", "core/cy", "--as-of", AS_OF, "--format", "html")
    assert result.exit_code == 0, result.output
    written = result.stdout.splitlines()
    assert os.path.join("..", "output", "core", "reps", "cy.html") in written
    assert all((Path.cwd() / path).is_file() for path in written)
    assert "cy.yaml" in result.stderr and "ann.yaml" not in result.stderr
    assert "; 1 warning;" in result.stderr


def test_missing_pango_is_one_line_saying_what_to_install(tmp_path):
    """WeasyPrint's import fails the way cffi fails without Pango; every command that
    needs WeasyPrint says what to install, in one line, exit 1."""
    no_pango = tmp_path / "no-pango"
    no_pango.mkdir()
    (no_pango / "sitecustomize.py").write_text(
        "import sys\n"
        "class NoPango:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'weasyprint':\n"
        "            raise OSError(\"cannot load library 'libgobject-2.0-0': libgobject-2.0-0:"
        " cannot open shared object file: No such file or directory\")\n"
        "sys.meta_path.insert(0, NoPango())\n")
    root = write_workspace(tmp_path / "ws")
    env = {**os.environ, "PYTHONPATH": str(no_pango)}
    for command in (["build"], ["watch"]):
        result = subprocess.run(
            [sys.executable, "-m", "reportgen", *command, str(root), "--as-of", AS_OF],
            env=env, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 1, result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("error: PDF output needs the Pango and HarfBuzz system"
                               " libraries"), result.stderr
        assert "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in last
        assert "Traceback" not in result.stderr
        assert not list((root / "output").rglob("*.pdf"))
    html = subprocess.run([sys.executable, "-m", "reportgen", "build", str(root), "--as-of",
                           AS_OF, "--format", "html"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert html.returncode == 0, html.stderr


@pytest.mark.parametrize(("error", "names_packages"), [
    (OSError("cannot load library 'libpango-1.0-0': not found"), True),
    (OSError("cannot load library 'libharfbuzz-subset.so.0': not found"), True),
    (OSError("[Errno 28] No space left on device"), False),
    (ImportError("No module named 'weasyprint'"), False),
])
def test_only_missing_system_libraries_get_the_install_line(error, names_packages):
    from reportgen.system_libraries import install_hint, missing_libraries_message

    message = missing_libraries_message(error)
    assert (message is not None) is names_packages
    if message is not None:
        assert "\n" not in message and install_hint() in message
    assert install_hint("Darwin") == "brew install pango"
    assert "mingw-w64-x86_64-pango" in install_hint("Windows")
    assert install_hint("Linux").startswith("sudo apt-get install -y libpango-1.0-0")
