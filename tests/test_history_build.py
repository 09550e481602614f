"""Builds with history: what the pages say, and outputs keyed on the commits they read."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from reportgen.build import BuildOptions, build
from reportgen.history import CACHE_NAME
from reportgen.manifest import MANIFEST_NAME
from tests.conftest import TEAM_YAML
from tests.gitrepo import Repo
from tests.test_history import rep_yaml

AS_OF = date(2026, 11, 26)
HTML = BuildOptions(as_of=AS_OF, formats=("html",))


def options(out: Path, **changes) -> BuildOptions:
    return BuildOptions(**{**HTML.__dict__, "out": out, **changes})


def files(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes()
            for path in sorted(out.rglob("*"))
            if path.is_file() and path.name not in (MANIFEST_NAME, CACHE_NAME)}


def team_repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "ws")
    repo.write("teams/core/team.yaml", TEAM_YAML)
    repo.write("teams/core/reps/ann.yaml", rep_yaml(
        10000, 40000, "prospecting: 2", meetings=("2026-10-20",)))
    repo.write("teams/core/reps/bo.yaml", rep_yaml(5000).replace("Ann Lee", "Bo Kim"))
    repo.commit("2026-10-05")
    repo.write("teams/core/reps/ann.yaml", rep_yaml(
        35000, 40000, "prospecting: 3", meetings=("2026-10-20", "2026-11-19"),
        rest="roadblocks:\n  - {issue: Legal takes three weeks, owner: manager}\n"))
    repo.commit("2026-11-20")  # written up the day after the one-on-one
    return repo


def test_the_plan_says_what_moved_and_the_scorecard_shows_trend_and_cadence(tmp_path):
    repo = team_repo(tmp_path)
    out = tmp_path / "out"
    report = build(repo.root, options(out))
    assert not any("git" in warning.message for warning in report.warnings)
    plan = (out / "core/reps/ann.html").read_text()
    assert "Since our last one-on-one" in plan
    assert 'Since our last one-on-one <span class="h2-date">19 Nov 2026</span>' in plan
    assert "<strong>Prospecting</strong> 2 → 3" in plan
    assert "Legal takes three weeks" in plan and "Raised" in plan
    assert 'class="skill-trend"' in plan
    scorecard = (out / "core/scorecard.html").read_text()
    assert 'class="burn-up"' in scorecard
    assert "One-on-ones" in scorecard and "19 Nov 2026" in scorecard
    assert "▲" in scorecard  # Ann's prospecting went from 2 (1 Oct) to 3


def test_without_git_the_plan_says_only_that_there_is_no_earlier_record(tmp_path):
    root = tmp_path / "plain"
    repo = team_repo(tmp_path)
    shutil.copytree(repo.root / "teams", root / "teams")  # the same files, outside any repo
    out = tmp_path / "out"
    report = build(root, options(out))
    history_warnings = [w for w in report.warnings if "no git history" in w.message]
    assert len(history_warnings) == 1 and history_warnings[0].file == "teams/"
    plan = (out / "core/reps/ann.html").read_text()
    assert "No earlier record yet." in plan and "skill-trend" not in plan
    scorecard = (out / "core/scorecard.html").read_text()
    assert scorecard.count("no git history") == 1


def test_a_new_commit_rebuilds_only_what_read_the_changed_file(tmp_path):
    repo = team_repo(tmp_path)
    out = tmp_path / "out"
    build(repo.root, options(out))
    # Edited and built before it is committed, as a manager does…
    repo.write("teams/core/reps/bo.yaml", rep_yaml(9000).replace("Ann Lee", "Bo Kim"))
    edited = build(repo.root, options(out))
    assert sorted(edited.built) == ["core/reps/bo.html", "core/scorecard.html", "index.html"]
    # …then committed: the files are the same, bo's history is not.
    repo.commit("2026-11-25")
    committed = build(repo.root, options(out))
    assert sorted(committed.built) == ["core/reps/bo.html", "core/scorecard.html"]
    assert build(repo.root, options(out)).nothing_to_do
    fresh = tmp_path / "fresh"
    build(repo.root, options(fresh, force=True))
    assert files(out) == files(fresh)
    assert (out / CACHE_NAME).is_file()


def test_since_on_build_overrides_the_baseline(tmp_path):
    repo = team_repo(tmp_path)
    out = tmp_path / "out"
    build(repo.root, options(out, since="2026-10-01"))
    plan = (out / "core/reps/ann.html").read_text()
    assert 'Since <span class="h2-date">1 Oct 2026</span>' in plan


def test_a_since_revision_that_moves_rebuilds_the_plans_compared_with_it(tmp_path):
    repo = team_repo(tmp_path)
    out = tmp_path / "out"
    build(repo.root, options(out, since="HEAD~1"))
    repo.write("teams/core/reps/bo.yaml", rep_yaml(9000).replace("Ann Lee", "Bo Kim"))
    repo.commit("2026-11-25")
    # Ann's file did not change, but HEAD~1 is now another commit.
    report = build(repo.root, options(out, since="HEAD~1"))
    assert "core/reps/ann.html" in report.built
    fresh = tmp_path / "fresh"
    build(repo.root, options(fresh, since="HEAD~1", force=True))
    assert files(out) == files(fresh)


def test_watch_notices_a_commit_even_when_no_file_changed(tmp_path):
    from reportgen.watch import input_signature

    repo = team_repo(tmp_path)
    repo.write("teams/core/reps/bo.yaml", rep_yaml(9000).replace("Ann Lee", "Bo Kim"))
    before = input_signature(repo.root)
    repo.commit("2026-11-25")
    assert input_signature(repo.root) != before
