"""A new user's first hour: init, new team and rep, discovery, pre-commit, CI files."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.scaffold import quarter_of
from tests.conftest import EXAMPLE, REPO, TEAM_YAML, write_workspace


def _scripts_folder() -> Path:
    """Where pip put the `reportgen` and `pre-commit` commands for this interpreter (a
    virtual environment's bin, or the system's or the user's scripts folder)."""
    candidates = [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]
    with contextlib.suppress(KeyError):
        candidates.append(Path(sysconfig.get_path("scripts", f"{os.name}_user")))
    return next((folder for folder in candidates if (folder / "reportgen").exists()),
                candidates[0])


BIN = _scripts_folder()


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A command as a user runs it in a terminal, with this venv's tools on PATH."""
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
                   "GIT_AUTHOR_NAME": "Dana Whitfield", "GIT_AUTHOR_EMAIL": "dana@example.com",
                   "GIT_COMMITTER_NAME": "Dana Whitfield",
                   "GIT_COMMITTER_EMAIL": "dana@example.com", **env}
    environment.pop("GITHUB_ACTIONS", None)
    return subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=300, check=False)


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run(["git", *args], cwd)
    assert result.returncode == 0, result.stderr
    return result


# ------------------------------------------------------------------------ init

def test_init_then_validate_build_and_the_pre_commit_hook_in_a_fresh_repository(tmp_path):
    root = tmp_path / "coaching"
    made = run([str(BIN / "reportgen"), "init", str(root)], tmp_path)
    assert made.returncode == 0, made.stderr
    for expected in (".gitignore", ".pre-commit-config.yaml", ".github/workflows/reportgen.yml",
                     "schema/team.schema.json", "schema/rep.schema.json",
                     "teams/my-team/team.yaml", "teams/my-team/reps/first-rep.yaml"):
        assert (root / expected).is_file(), expected
    assert "output/" in (root / ".gitignore").read_text().splitlines()
    git(root, "init", "-q", "-b", "main")

    checked = run([str(BIN / "reportgen"), "validate"], root)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.splitlines()[-1].startswith("ok: 1 team, 1 rep")
    built = run([str(BIN / "reportgen"), "build", "--jobs", "1"], root)
    assert built.returncode == 0, built.stderr
    assert (root / "output" / "my-team" / "reps" / "first-rep.pdf").is_file()
    assert (root / "output" / "index.html").is_file()

    # The hook, for real: pre-commit installs it and runs it on the commit.
    home = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    installed = run([str(BIN / "pre-commit"), "install"], root, **home)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git(root, "add", "-A")
    assert "output/" not in git(root, "status", "--porcelain").stdout  # .gitignore works
    committed = run(["git", "commit", "-q", "-m", "Start coaching"], root, **home)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "reportgen validate" in committed.stdout + committed.stderr

    # A broken rep file is stopped at the commit, with its line.
    rep = root / "teams" / "my-team" / "reps" / "first-rep.yaml"
    rep.write_text(rep.read_text().replace("quota: 0", "quota: -5"))
    git(root, "add", "-A")
    refused = run(["git", "commit", "-q", "-m", "Oops"], root, **home)
    assert refused.returncode != 0
    assert "teams/my-team/reps/first-rep.yaml:" in refused.stdout + refused.stderr
    assert "quota: amount -5 is negative" in refused.stdout + refused.stderr


def test_the_repositorys_own_hook_definition_runs_in_a_workspace(tmp_path):
    """.pre-commit-hooks.yaml, run through pre-commit offline: the same entry and file
    pattern, as a local hook (a remote `language: python` hook would need the index)."""
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    assert hook["id"] == "reportgen-validate"
    root = write_workspace(tmp_path / "repo" / "sales")  # a workspace in a subfolder
    repo = tmp_path / "repo"
    local = {**hook, "language": "system"}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(
        {"repos": [{"repo": "local", "hooks": [local]}]}))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    home = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    passed = run([str(BIN / "pre-commit"), "run", "--all-files"], repo, **home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    rep = root / "teams" / "core" / "reps" / "ann.yaml"
    rep.write_text(rep.read_text().replace("prospecting: 3", "prospecting: 9"))
    failed = run([str(BIN / "pre-commit"), "run", "--all-files"], repo, **home)
    assert failed.returncode == 1
    assert "teams/core/reps/ann.yaml:" in failed.stdout
    assert "rating 9 is above the scale maximum 5" in failed.stdout


def test_init_schema_headers_resolve_and_the_workflow_does_what_ci_needs(tmp_path):
    assert invoke("init", str(tmp_path / "ws"), "--encrypted-notes").exit_code == 0
    root = tmp_path / "ws"
    for path in (root / "teams").rglob("*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: {target}"
    workflow = yaml.safe_load((root / ".github/workflows/reportgen.yml").read_text())
    steps = workflow["jobs"]["plans"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    runs = " ".join(step.get("run", "") for step in steps)
    assert "libpango-1.0-0" in runs and "reportgen validate" in runs
    assert "reportgen build" in runs
    # Installed from a checkout with no remote CI can reach: the workflow asks for the
    # requirement and fails with that message until it is set; never a bare name.
    assert workflow["env"]["REPORTGEN_REQUIREMENT"] == "${{ vars.REPORTGEN_REQUIREMENT }}"
    assert 'pip install "${REPORTGEN_REQUIREMENT:?set the Actions variable' in runs
    given = tmp_path / "given"
    requirement = "reportgen-coaching @ git+https://git.example.com/sales/reportgen.git@v0.1.0"
    assert invoke("init", str(given), "--install", requirement).exit_code == 0
    given_workflow = yaml.safe_load((given / ".github/workflows/reportgen.yml").read_text())
    assert "env" not in given_workflow
    assert f'pip install "{requirement}"' in " ".join(
        step.get("run", "") for step in given_workflow["jobs"]["plans"]["steps"])
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["actions/cache"]["with"]["path"] == "output/"
    assert uses["actions/upload-artifact"]["with"]["path"].endswith(".pdf")
    sops = yaml.safe_load((root / ".sops.yaml").read_text())
    rule = sops["creation_rules"][0]
    assert rule["encrypted_regex"] == "^private$" and rule["mac_only_encrypted"] is True


def test_init_example_copies_the_example_teams_and_refuses_to_overwrite(tmp_path):
    root = tmp_path / "ws"
    assert invoke("init", str(root), "--example").exit_code == 0
    examples = sorted((EXAMPLE / "teams").rglob("*.yaml"))
    assert len(examples) == 12  # two teams, ten reps
    for path in examples:
        copied = root / path.relative_to(EXAMPLE)
        assert copied.read_bytes() == path.read_bytes()
    assert invoke("validate", str(root), "--as-of", "2026-11-26").exit_code == 0
    gitignore = root / ".gitignore"
    gitignore.write_text("mine\n")
    again = invoke("init", str(root))
    assert again.exit_code == 1
    assert "refusing to overwrite" in again.stderr
    assert gitignore.read_text() == "mine\n"
    assert not (root / "teams" / "my-team").exists()  # nothing half-made


def test_init_in_an_existing_repository_adds_output_to_its_gitignore(tmp_path):
    (tmp_path / ".gitignore").write_text("__pycache__/\n*.log")
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"updated {os.path.relpath(tmp_path / '.gitignore')}" in result.stderr
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert lines[:2] == ["__pycache__/", "*.log"] and "output/" in lines
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / ".gitignore").write_text("output/\n")
    assert invoke("init", str(tmp_path / "elsewhere")).exit_code == 0
    assert (tmp_path / "elsewhere" / ".gitignore").read_text() == "output/\n"


def test_the_wheel_ships_the_example_team():
    # Hatch copies the example teams into the package: the mapping must point at them.
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    force = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force["teams"] == "reportgen/example/teams"
    assert project["project"]["name"] == "reportgen-coaching"
    assert project["project"]["scripts"]["reportgen"] == "reportgen.cli:main"
    sdist = project["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    assert {"docs", "LICENSE", "README.md", ".pre-commit-hooks.yaml"} <= set(sdist)


# ------------------------------------------------------------------ new team, new rep

CUSTOM_FRAMEWORK = TEAM_YAML + """\
scale: {min: 0, max: 10, target: 8}
skills:
  - {id: discovery, name: Discovery, weight: 2}
  - {id: negotiation, name: Negotiation}
"""

FRAMEWORKS = {"default": TEAM_YAML, "custom-scale": CUSTOM_FRAMEWORK}


@pytest.fixture(params=[*FRAMEWORKS, "example"])
def any_framework(request, tmp_path, monkeypatch):
    """A workspace in tmp_path, cwd inside it, with one team of the given framework."""
    if request.param == "example":
        shutil.copytree(EXAMPLE / "teams", tmp_path / "teams")
        team_id = "west-enterprise"
    else:
        write_workspace(tmp_path, FRAMEWORKS[request.param], reps={})
        team_id = "core"
    monkeypatch.chdir(tmp_path)
    return tmp_path, team_id


def test_new_rep_follows_the_teams_framework_and_validates(any_framework):
    from reportgen.workspace import load_workspace

    root, team_id = any_framework
    made = invoke("new", "rep", f"{team_id}/lena-fischer", "--name", "Lena Fischer")
    assert made.exit_code == 0, made.output
    rep_file = root / "teams" / team_id / "reps" / "lena-fischer.yaml"
    assert made.stdout.strip() == f"teams/{team_id}/reps/lena-fischer.yaml"
    text = rep_file.read_text()
    team = next(team for team in load_workspace(root).teams if team.id == team_id).team
    for skill in team.skills:
        assert f"# {skill.id}:" in text
    assert f"start_date: {date.today().isoformat()}" in text
    assert f"from {team.scale.min} to {team.scale.max}" in text or (
        f"{team.scale.min}–{team.scale.max}" in text)
    result = invoke("validate", "teams/" + team_id + "/reps/lena-fischer.yaml")
    assert result.exit_code == 0, result.output
    assert ": error:" not in result.stderr
    # Uncommenting a skill as the comment shows gives a valid assessment.
    first = team.skills[0].id
    rep_file.write_text(text.replace(f"  # {first}:", f"  {first}:", 1)
                        .replace("  #   rating:", "    rating:", 1)
                        .replace("  #   assessed:", "    assessed:", 1))
    assert invoke("validate", "--strict").exit_code in (0, 1)
    assert ": error: skills" not in invoke("validate").stderr
    again = invoke("new", "rep", f"{team_id}/lena-fischer", "--name", "Lena Fischer")
    assert again.exit_code == 1 and "refusing to overwrite" in again.stderr


def test_new_team_validates_and_shares_a_framework_with_like(any_framework):
    from reportgen.workspace import load_workspace

    root, team_id = any_framework
    made = invoke("new", "team", "east", "--manager", "Sam Ortiz", "--like", team_id)
    assert made.exit_code == 0, made.output
    assert invoke("new", "rep", "east/bo-lind", "--name", "Bo Lind").exit_code == 0
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    teams = {team.id: team.team for team in load_workspace(root).teams}
    assert teams["east"].skills == teams[team_id].skills
    assert teams["east"].scale == teams[team_id].scale
    name, start, end = quarter_of(date.today())
    assert (teams["east"].period.name, teams["east"].period.start, teams["east"].period.end) \
        == (name, start, end)
    plain = invoke("new", "team", "north", "--manager", "Kim Park")
    assert plain.exit_code == 0 and invoke("validate").exit_code == 0
    assert invoke("new", "team", "north", "--manager", "Kim Park").exit_code == 1
    # Names YAML would misread are quoted: they stay the text typed.
    for team_id, manager in (("south", "null"), ("west-2", "2026"), ("mid", "Ops: Lee #1")):
        assert invoke("new", "team", team_id, "--manager", manager).exit_code == 0
    managers = {team.id: team.team.manager for team in load_workspace(root).teams}
    assert (managers["south"], managers["west-2"], managers["mid"]) == (
        "null", "2026", "Ops: Lee #1")
    assert invoke("new", "team", "North Team", "--manager", "x").exit_code == 2
    assert invoke("new", "rep", "nowhere/bo", "--name", "Bo").exit_code == 2


@pytest.mark.parametrize(("day", "expected"), [
    ("2026-01-01", ("Q1 2026", "2026-01-01", "2026-03-31")),
    ("2026-05-31", ("Q2 2026", "2026-04-01", "2026-06-30")),
    ("2026-09-30", ("Q3 2026", "2026-07-01", "2026-09-30")),
    ("2026-12-31", ("Q4 2026", "2026-10-01", "2026-12-31")),
])
def test_quarters(day, expected):
    name, start, end = quarter_of(date.fromisoformat(day))
    assert (name, start.isoformat(), end.isoformat()) == expected


# ----------------------------------------------------------------- discovery

def test_commands_find_the_workspace_from_a_subfolder_and_say_so(tmp_path, monkeypatch):
    root = write_workspace(tmp_path / "ws")
    monkeypatch.chdir(root / "teams" / "core" / "reps")
    result = invoke("validate", "--as-of", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"workspace: {os.path.join('..', '..', '..')}"
    # (warnings: no git history here, and no one-on-one yet)
    assert result.stderr.splitlines()[-1].startswith("ok: 1 team, 1 rep, ")
    exported = invoke("export", "--as-of", "2026-11-26")
    assert exported.exit_code == 0 and '"id": "core"' in exported.stdout
    built = invoke("build", "--as-of", "2026-11-26", "--format", "html")
    assert built.exit_code == 0, built.output
    assert (root / "output" / "core" / "reps" / "ann.html").is_file()
    # From the workspace itself nothing needs saying.
    monkeypatch.chdir(root)
    assert not invoke("validate", "--as-of", "2026-11-26").stderr.startswith("workspace:")


def test_outside_any_workspace_the_error_names_the_missing_teams_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("validate")
    assert result.exit_code == 1
    assert "no teams/ folder" in result.stderr
    as_json = invoke("validate", "--output-format", "json")
    assert as_json.exit_code == 1
    assert "no teams/ folder" in json.loads(as_json.stdout)["problems"][0]["message"]


def test_validate_files_checks_them_with_their_team_only(tmp_path, monkeypatch,
                                                          tmp_path_factory):
    from tests.conftest import REP_YAML

    root = write_workspace(tmp_path, reps={"ann": REP_YAML, "bob": REP_YAML.replace(
        "quota: 100000", "quota: -1")})
    write_workspace(tmp_path, reps={"cy": REP_YAML.replace("prospecting: 3", "prospecting: x")},
                    team_id="other")
    monkeypatch.chdir(root / "teams")
    good = invoke("validate", "core/reps/ann.yaml", "--as-of", "2026-11-26")
    assert good.exit_code == 0, good.output
    assert "bob.yaml" not in good.stderr and "other" not in good.stderr
    bad = invoke("validate", "core/reps/ann.yaml", "core/reps/bob.yaml")
    assert bad.exit_code == 1
    assert bad.stderr.splitlines()[0].startswith("teams/core/reps/bob.yaml:2:8: error: quota:")
    folder = invoke("validate", "other")  # a team's folder: that team
    assert folder.exit_code == 1 and "teams/other/reps/cy.yaml" in folder.stderr
    assert "bob.yaml" not in folder.stderr
    stray = tmp_path_factory.mktemp("outside") / "notes.yaml"
    stray.write_text("a: 1\n")
    elsewhere = invoke("validate", str(stray))
    assert elsewhere.exit_code == 2 and "not inside a workspace" in elsewhere.stderr


def test_completion_offers_team_and_rep_ids(tmp_path):
    root = write_workspace(tmp_path)
    env = {**os.environ, "_REPORTGEN_COMPLETE": "bash_complete", "COMP_WORDS":
           "reportgen build --rep ", "COMP_CWORD": "3"}
    out = subprocess.run([str(BIN / "reportgen")], cwd=root / "teams", env=env,
                         capture_output=True, text=True, timeout=60, check=False).stdout
    assert "plain,ann" in out.splitlines() and "plain,core/ann" in out.splitlines()
    env["COMP_WORDS"], env["COMP_CWORD"] = "reportgen new-period c", "2"
    out = subprocess.run([str(BIN / "reportgen")], cwd=root, env=env, capture_output=True,
                         text=True, timeout=60, check=False).stdout
    assert out.splitlines() == ["plain,core"]
