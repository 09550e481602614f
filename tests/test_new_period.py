"""`reportgen new-period` on the example team: reset, carried, comments kept, refusals."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.workspace import load_workspace
from tests.conftest import EXAMPLE

Q1 = ["--name", "Q1 2027", "--start", "2027-01-01", "--end", "2027-03-31"]


@pytest.fixture
def example(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE / "teams", tmp_path / "teams")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def snapshot(root):
    return {path: path.read_bytes() for path in sorted((root / "teams").rglob("*.yaml"))}


def test_new_period_resets_figures_carries_open_items_and_keeps_comments(example):
    before = load_workspace(example).teams[0]
    priya_file = example / "teams/west-enterprise/reps/priya-raman.yaml"
    # Forecast figures (SPEC: results.commit and best_case) restart at 0 too.
    priya_file.write_text(priya_file.read_text().replace(
        "  pipeline: 610000\n  commit: 40000\n  best_case: 160000\n",
        "  pipeline: 610000  # qualified only\n  commit: 90000\n  best_case: 150000\n")
        .replace("\nroadblocks:\n", "\n# What is in her way, and who removes it\nroadblocks:\n"))
    result = invoke("new-period", "west-enterprise", *Q1, "--as-of", "2026-12-28")
    assert result.exit_code == 0, result.output

    after = load_workspace(example).teams[0]
    period = after.team.period
    assert (period.name, str(period.start), str(period.end)) == (
        "Q1 2027", "2027-01-01", "2027-03-31")
    old_reps = {rep.id: rep.rep for rep in before.reps}
    for rep_file in after.reps:
        rep, old = rep_file.rep, old_reps[rep_file.id]
        assert rep.results.closed == 0
        assert rep.results.pipeline == old.results.pipeline
        assert set(rep.results.others) >= set(old.results.others) - {"commit", "best_case"}
        assert rep.skills == old.skills
        assert rep.one_on_ones == old.one_on_ones
        assert rep.fixes == tuple(fix for fix in old.fixes if fix.in_flight)
        assert rep.roadblocks == tuple(road for road in old.roadblocks if road.is_open)
        assert all(goal.status != "done" for goal in rep.goals)
    priya = next(rep.rep for rep in after.reps if rep.id == "priya-raman")
    assert priya.results.commit == 0 and priya.results.best_case == 0

    text = priya_file.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../../schema/rep.schema.json\n")
    assert "pipeline: 610000  # qualified only" in text
    assert 'win_rate: "14%"' in text  # quoting as written
    # The last fix (dropped) is gone; the blank line and the comment after it are not.
    assert "        done: false\n\n# What is in her way, and who removes it\nroadblocks:\n" \
        in text
    team_text = (example / "teams/west-enterprise/team.yaml").read_text()
    assert "# The number Dana committed to the VP" in team_text

    out = result.stdout
    assert ("teams/west-enterprise/team.yaml: period Q4 2026 (2026-10-01 – 2026-12-31) →"
            " Q1 2027 (2027-01-01 – 2027-03-31)") in out
    assert ("teams/west-enterprise/reps/priya-raman.yaml: closed 140000 → 0, commit 90000 → 0,"
            " best_case 150000 → 0") in out
    assert "removed 1 finished fix (time-management)" in out
    # Goals and fixes due last quarter are pointed at, with their lines.
    assert "priya-raman.yaml:49:10: warning: goals[0].due: this goal was due 2026-12-15" \
        in result.stderr
    assert ": warning: fixes[0].due: this fix was due" in result.stderr
    # A rep who left last quarter: the file is pointed at, not silently carried.
    assert ("ben-carter.yaml:8:11: warning: departed: Ben Carter left on 2026-11-06, before"
            " the new period") in result.stderr
    assert "west-enterprise is in Q1 2027 now: 8 files updated" in result.stderr
    assert "private" not in out.lower()


def test_the_same_period_again_is_refused_and_changes_nothing(example):
    assert invoke("new-period", "west-enterprise", *Q1).exit_code == 0
    before = snapshot(example)
    again = invoke("new-period", "west-enterprise", *Q1)
    assert again.exit_code == 1
    assert "is already in the period Q1 2027" in again.stderr
    assert snapshot(example) == before
    renamed = invoke("new-period", "west-enterprise", "--name", "Q1 2027", "--start",
                     "2027-01-02", "--end", "2027-03-31")
    assert renamed.exit_code == 1 and snapshot(example) == before


def test_as_of_after_the_new_end_warns(example):
    result = invoke("new-period", "west-enterprise", "--name", "Q3 2026", "--start",
                    "2026-07-01", "--end", "2026-09-30", "--as-of", "2026-11-26")
    assert result.exit_code == 0
    assert ("teams/west-enterprise/team.yaml:7:8: warning: period.end: the new period ended on"
            " 2026-09-30, before 2026-11-26") in result.stderr


def test_flow_style_and_a_removed_last_section_stay_well_formed(tmp_path, monkeypatch):
    team = tmp_path / "teams" / "t"
    (team / "reps").mkdir(parents=True)
    (team / "team.yaml").write_text("name: T\nmanager: M\n"
                                    "period: {name: Q4 2026, start: 2026-10-01, end: 2026-12-31}"
                                    "  # this quarter\n")
    (team / "reps" / "a.yaml").write_text("name: A\nquota: 10\nresults: {closed: 5, pipeline: 7}"
                                          "\nfixes:\n  - {skill: prospecting, status: done}\n")
    monkeypatch.chdir(tmp_path)
    assert invoke("new-period", "t", *Q1).exit_code == 0
    assert (team / "team.yaml").read_text().endswith(
        "period: {name: Q1 2027, start: 2027-01-01, end: 2027-03-31}  # this quarter\n")
    assert (team / "reps" / "a.yaml").read_text() == (
        "name: A\nquota: 10\nresults: {closed: 0, pipeline: 7}\n")


def test_invalid_files_or_bad_options_change_nothing(example):
    before = snapshot(example)
    assert invoke("new-period", "west-enterprise", "--name", "Q1", "--start", "2027-03-31",
                  "--end", "2027-01-01").exit_code == 1
    assert invoke("new-period", "nowhere", *Q1).exit_code == 2
    assert invoke("new-period", "west-enterprise", *Q1, "--dry-run").exit_code == 0
    assert snapshot(example) == before
    rep = example / "teams/west-enterprise/reps/maya-chen.yaml"
    rep.write_text(rep.read_text().replace("quota:", "qouta:"))
    before = snapshot(example)
    broken = invoke("new-period", "west-enterprise", *Q1)
    assert broken.exit_code == 1
    assert "unknown field 'qouta'" in broken.stderr and "nothing was changed" in broken.stderr
    assert snapshot(example) == before
