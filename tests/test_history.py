"""History from real git repositories: the line, renames, merges, shallow clones, the
"since" lists, implicit dates, trends, the burn-up and the cache."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from reportgen.analysis import analyse
from reportgen.cli import cli
from reportgen.history import CACHE_NAME, MAX_FILE_BYTES, read_history, write_cache
from reportgen.workspace import load_workspace
from reportgen.yamlfile import MAX_FILE_BYTES as LOADER_LIMIT
from tests.conftest import TEAM_YAML
from tests.gitrepo import Repo

AS_OF = date(2026, 11, 26)
TEAM = "teams/core/team.yaml"
ANN = "teams/core/reps/ann.yaml"


def rep_yaml(closed: int = 0, pipeline: int = 0, skills: str = "", rest: str = "",
             meetings: tuple[str, ...] = ()) -> str:
    text = f"name: Ann Lee\nquota: 100000\nresults:\n  closed: {closed}\n  pipeline: {pipeline}\n"
    if skills:
        text += "skills:\n" + "".join(f"  {line}\n" for line in skills.splitlines())
    text += rest
    if meetings:
        text += "one_on_ones:\n" + "".join(f"  - date: {day}\n" for day in meetings)
    return text


def export(root: Path, *options: str) -> dict:
    result = CliRunner().invoke(cli, ["export", str(root), "--as-of", AS_OF.isoformat(),
                                      *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ann(document: dict) -> dict:
    return document["teams"][0]["reps"][0]


def repo_with_team(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "ws")
    repo.write(TEAM, TEAM_YAML)
    return repo


# ------------------------------------------------------------------------- baseline

def test_the_baseline_is_the_file_at_the_last_one_on_one_before_today(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(10000, 50000, "prospecting: 2"))
    repo.commit("2026-10-02")
    repo.write(ANN, rep_yaml(20000, 50000, "prospecting: 3", meetings=("2026-11-10",)))
    base = repo.commit("2026-11-10")
    # A one-on-one dated today is today's meeting: the baseline stays 10 Nov.
    repo.write(ANN, rep_yaml(45000, 40000, "prospecting: 4",
                             meetings=("2026-11-10", "2026-11-26")))
    repo.commit("2026-11-20")
    since = ann(export(repo.root))["since"]
    assert since["base_date"] == "2026-11-10"
    assert since["base_commit"] == base
    assert since["ratings"] == {"prospecting": [3, 4]}
    assert since["closed_delta"] == 25000
    assert since["pipeline_delta"] == -10000


def test_no_one_on_one_this_period_compares_with_the_period_start(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(0, 0, "prospecting: 2"))
    first = repo.commit("2026-09-20")
    repo.write(ANN, rep_yaml(30000, 0, "prospecting: 3"))
    repo.commit("2026-10-15")
    since = ann(export(repo.root))["since"]
    assert since["base_date"] == "2026-10-01"
    assert since["base_commit"] == first
    assert since["ratings"] == {"prospecting": [2, 3]}


def test_before_the_first_commit_everything_counts_as_added(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(30000, 5000, "prospecting: 3", rest=(
        "fixes:\n  - skill: prospecting\n    focus: Call blocks\n    actions:\n"
        "      - {do: Book blocks, done: true}\n"
        "roadblocks:\n  - {issue: No CRM seat, resolved: 2026-10-20}\n")))
    repo.commit("2026-10-10")
    since = ann(export(repo.root))["since"]
    assert since["base_date"] == "2026-10-01"
    assert since["base_commit"] is None
    assert since["ratings"] == {"prospecting": [None, 3]}
    assert since["closed_delta"] == 30000 and since["pipeline_delta"] == 5000
    assert since["fixes"] == [{"skill": "prospecting", "focus": "Call blocks", "from": None,
                               "to": "active"}]
    assert since["actions_done"] == ["Book blocks"]
    assert since["roadblocks_raised"] == ["No CRM seat"]
    assert since["roadblocks_resolved"] == ["No CRM seat"]


def test_since_option_takes_a_date_or_a_commit_and_refuses_others(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(10000))
    first = repo.commit("2026-10-05")
    repo.write(ANN, rep_yaml(25000))
    repo.commit("2026-10-20")
    assert ann(export(repo.root, "--since", first[:8]))["since"]["base_commit"] == first
    assert ann(export(repo.root, "--since", first[:8]))["since"]["closed_delta"] == 15000
    by_date = ann(export(repo.root, "--since", "2026-10-04"))["since"]
    assert by_date["base_commit"] is None and by_date["closed_delta"] == 25000
    result = CliRunner().invoke(cli, ["export", str(repo.root), "--since", "nonsense"])
    assert result.exit_code == 2 and "--since nonsense" in result.output


# ------------------------------------------------------------------ the line itself

def test_dates_going_backwards_take_the_newest_commit_in_line_order(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(1000))
    repo.commit("2026-10-05")
    repo.write(ANN, rep_yaml(2000))
    repo.commit("2026-10-20")
    repo.write(ANN, rep_yaml(3000))
    third = repo.commit("2026-10-10")  # a rebased commit keeps an older date
    repo.write(ANN, rep_yaml(4000, meetings=("2026-10-12",)))
    repo.commit("2026-11-01")
    since = ann(export(repo.root))["since"]
    assert since["base_commit"] == third
    assert since["closed_delta"] == 1000


def test_merge_commits_count_on_the_first_parent_line_only(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(1000, skills="prospecting: 2"))
    repo.commit("2026-10-02")
    repo.git("checkout", "-q", "-b", "edits")
    repo.write(ANN, rep_yaml(5000, skills="prospecting: 3"))
    repo.commit("2026-10-08", "on a branch")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge", "edits", day="2026-10-20")
    history = read_history(repo.root)
    assert [commit.day.isoformat() for commit in history.commits] == ["2026-10-02",
                                                                      "2026-10-20"]
    record = ann(export(repo.root))
    # On main the rating became 3 with the merge, on 20 Oct, not on the branch's 8 Oct.
    assert record["skill_history"]["prospecting"] == [["2026-10-02", 2], ["2026-10-20", 3]]
    assert [point[1] for point in export(repo.root)["teams"][0]["progress"][:3]] == [
        1000, 1000, 5000]


def test_renames_and_moves_between_teams_are_followed_like_git_log_follow(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write("teams/other/team.yaml", TEAM_YAML)
    repo.write("teams/other/reps/bo.yaml", rep_yaml(7000).replace("Ann Lee", "Bo Kim"))
    repo.write("teams/core/reps/ann-lee.yaml", rep_yaml(1000, skills="prospecting: 2"))
    repo.commit("2026-10-02")
    repo.git("mv", "teams/core/reps/ann-lee.yaml", "teams/core/reps/ann.yaml")
    repo.commit("2026-10-09", "rename")
    repo.write(ANN, rep_yaml(2000, skills="prospecting: 3"))
    repo.commit("2026-10-16")
    repo.git("mv", ANN, "teams/other/reps/ann.yaml")
    repo.write("teams/other/reps/ann.yaml", rep_yaml(3000, skills="prospecting: 3"))
    repo.commit("2026-10-23", "move to other team")
    history = read_history(repo.root)
    followed = history.file("teams/other/reps/ann.yaml")
    assert followed is not None
    ours = [history.commits[index].sha for index, _ in followed.versions]
    theirs = repo.git("log", "--first-parent", "--follow", "--format=%H", "--",
                      "teams/other/reps/ann.yaml").split()
    assert ours == list(reversed(theirs))
    assert [state.closed for _, state in followed.versions] == [1000, 1000, 2000, 3000]


def test_the_reader_finds_the_renames_git_log_follow_finds_in_a_generated_org(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from history_repo import make_history_repo

    root = tmp_path / "org"
    renames = make_history_repo(root, reps=24, commits=40, renames=6)
    assert len(renames) == 6
    history = read_history(root)
    assert len(history.commits) == 40
    for path, followed in history.files.items():
        ours = [history.commits[index].sha for index, _ in followed.versions]
        theirs = subprocess.run(
            ["git", "log", "--first-parent", "--follow", "--format=%H", "--", path],
            cwd=root, check=True, capture_output=True, text=True).stdout.split()
        assert ours == list(reversed(theirs)), path
    moved = {new for _, _, new in renames}
    assert moved <= set(history.files)
    assert all(history.files[new].versions[0][0] == 0 for new in moved)


def test_historical_versions_over_the_size_limit_count_as_absent(tmp_path):
    assert MAX_FILE_BYTES == LOADER_LIMIT
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(1000) + "# " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    repo.commit("2026-10-02")
    repo.write(ANN, "name: [unclosed\n")
    repo.commit("2026-10-09")
    repo.write(ANN, rep_yaml(2000).replace("closed: 2000", "closed: lots"))
    repo.commit("2026-10-16")
    repo.write(ANN, rep_yaml(4000))
    repo.commit("2026-10-23")
    versions = read_history(repo.root).file(ANN).versions
    assert [state.closed if state else None for _, state in versions] == [
        None, None, None, 4000]


def test_a_rating_changed_twice_on_one_day(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(skills="prospecting: 2"))
    repo.commit("2026-10-02")
    repo.write(ANN, rep_yaml(skills="prospecting: 3"))
    repo.commit("2026-10-14")
    repo.write(ANN, rep_yaml(skills="prospecting: 4"))
    repo.commit("2026-10-14")
    record = ann(export(repo.root))
    assert record["skill_history"]["prospecting"] == [
        ["2026-10-02", 2], ["2026-10-14", 3], ["2026-10-14", 4]]


# ----------------------------------------------------------- implicit date, staleness

def test_a_bare_rating_takes_the_date_of_the_commit_that_set_it_and_goes_stale(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(skills="prospecting: 2\nqualification: 3"))
    repo.commit("2026-07-01")
    # Only the form changes (bare → mapping, same rating) and evidence is added.
    repo.write(ANN, rep_yaml(skills="prospecting:\n  rating: 2\n  evidence: Saw it\n"
                                    "qualification: 4"))
    repo.commit("2026-10-20")
    analysis = analyse(load_workspace(repo.root), AS_OF, read_history(repo.root))
    standings = {s.skill.id: s for s in analysis.teams[0].reps[0].figures.skills}
    assert standings["prospecting"].assessed == date(2026, 7, 1)
    assert standings["prospecting"].stale
    assert standings["qualification"].assessed == date(2026, 10, 20)
    assert not standings["qualification"].stale
    assert any("Prospecting was rated 148 days ago (in the commit of 2026-07-01)" in w.message
               for w in analysis.warnings)


def test_uncommitted_edits_count_as_now(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(1000, skills="prospecting: 2"))
    repo.commit("2026-09-25")
    repo.write(ANN, rep_yaml(9000, skills="prospecting: 3"))  # not committed
    record = ann(export(repo.root))
    assert record["since"]["ratings"] == {"prospecting": [2, 3]}
    assert record["since"]["closed_delta"] == 8000
    assert record["skill_history"]["prospecting"] == [["2026-09-25", 2], ["2026-11-26", 3]]
    analysis = analyse(load_workspace(repo.root), AS_OF, read_history(repo.root))
    assert analysis.teams[0].reps[0].figures.skills[0].assessed == AS_OF
    assert analysis.teams[0].progress[-1] == (AS_OF, 9000)


def test_private_fields_never_show_in_diffs_or_pages(tmp_path):
    secret_then, secret_now = "PRIVATE-THEN-0001", "PRIVATE-NOW-0002"
    repo = repo_with_team(tmp_path)
    mapping = "prospecting:\n  rating: 2\n  private: {}\n"
    meeting = "one_on_ones:\n  - date: 2026-10-10\n    private: {}\n"
    repo.write(ANN, rep_yaml(skills=mapping.format(secret_then),
                             rest=meeting.format(secret_then)))
    repo.commit("2026-10-02")
    repo.write(ANN, rep_yaml(skills=mapping.format(secret_now), rest=meeting.format(secret_now)))
    repo.commit("2026-10-20")
    document = export(repo.root)
    since = ann(document)["since"]
    assert since["ratings"] == {} and since["fixes"] == [] and since["closed_delta"] == 0
    text = json.dumps(document)
    assert secret_then not in text and secret_now not in text
    history_text = CliRunner().invoke(cli, ["history", "ann", str(repo.root), "--as-of",
                                            AS_OF.isoformat()]).output
    assert secret_then not in history_text and secret_now not in history_text
    cache = tmp_path / "cache.json"
    write_cache(cache, read_history(repo.root, cache))
    assert secret_then not in cache.read_text() and secret_now not in cache.read_text()


# --------------------------------------------------------------- history unavailable

def test_no_repository_means_no_history_and_one_warning(tmp_path):
    root = tmp_path / "plain"
    (root / "teams/core/reps").mkdir(parents=True)
    (root / TEAM).write_text(TEAM_YAML)
    (root / ANN).write_text(rep_yaml(1000))
    (root / "teams/core/reps/bo.yaml").write_text(rep_yaml(2000))
    result = CliRunner().invoke(cli, ["export", str(root), "--as-of", AS_OF.isoformat()])
    record = ann(json.loads(result.stdout))
    assert record["history_available"] is False
    assert record["since"] is None and record["skill_history"] == {}
    assert json.loads(result.stdout)["teams"][0]["progress"] == [["2026-11-26", 3000]]
    assert result.stderr.count("no git history") == 1
    assert "not in a git repository" in result.stderr


def test_a_shallow_clone_has_no_history_and_says_how_to_fix_it(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(1000))
    repo.commit("2026-10-02")
    repo.write(ANN, rep_yaml(2000))
    repo.commit("2026-10-09")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
                   check=True, capture_output=True)
    history = read_history(clone)
    assert not history.available
    reason = str(history.unavailable)
    assert "shallow clone" in reason and "fetch-depth: 0" in reason
    assert ann(export(clone))["since"] is None


def test_a_file_never_committed_has_no_history_while_the_others_do(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(1000))
    repo.commit("2026-10-02")
    repo.write("teams/core/reps/zed.yaml", rep_yaml(500).replace("Ann Lee", "Zed"))
    result = CliRunner().invoke(cli, ["export", str(repo.root), "--as-of", AS_OF.isoformat()])
    reps = {rep["id"]: rep for rep in json.loads(result.stdout)["teams"][0]["reps"]}
    assert reps["ann"]["history_available"] and not reps["zed"]["history_available"]
    assert reps["zed"]["since"] is None
    assert "teams/core/reps/zed.yaml:1:1: warning: -: not committed to git yet" in result.stderr


# --------------------------------------------------------------------- the cache

def test_the_cache_after_one_more_commit_gives_what_a_cold_read_gives(tmp_path):
    repo = repo_with_team(tmp_path)
    for week, closed in enumerate((1000, 2000, 3000)):
        repo.write(ANN, rep_yaml(closed, skills=f"prospecting: {2 + week % 2}"))
        repo.commit(f"2026-10-{10 + 7 * week}")
    cache = tmp_path / CACHE_NAME
    write_cache(cache, read_history(repo.root, cache))
    repo.git("mv", ANN, "teams/core/reps/ann-lee.yaml")
    repo.write("teams/core/reps/ann-lee.yaml", rep_yaml(4000, skills="prospecting: 4"))
    repo.commit("2026-11-02")
    warm = read_history(repo.root, cache)
    cold = read_history(repo.root)
    assert warm.commits == cold.commits
    assert warm.files == cold.files
    assert warm.cache is not None  # the new commit is worth keeping


def test_history_prints_the_same_figures_as_export(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(1000, skills="prospecting: 2", rest=(
        "fixes:\n  - {skill: prospecting, focus: Call blocks, status: planned}\n"),
        meetings=("2026-10-05",)))
    repo.commit("2026-10-05")
    repo.write(ANN, rep_yaml(6000, skills="prospecting: 3", rest=(
        "fixes:\n  - {skill: prospecting, focus: Call blocks, status: active}\n"),
        meetings=("2026-10-05", "2026-10-19")))
    repo.commit("2026-10-19")
    record = ann(export(repo.root, "--since", "2026-10-05"))
    result = CliRunner().invoke(cli, ["history", "core/ann", str(repo.root), "--as-of",
                                      AS_OF.isoformat(), "--since", "2026-10-05"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    cadence = (f"last {record['last_one_on_one']}, {record['days_since_one_on_one']} days ago"
               f"  OVERDUE; {record['one_on_ones_this_period']} this period; longest gap"
               f" {record['longest_gap_days']} days")
    assert cadence in text
    assert f"Since {record['since']['base_date']} ({record['since']['base_commit'][:10]})" in text
    assert "closed +$5,000" in text and record["since"]["closed_delta"] == 5000
    assert "Prospecting: 2 → 3" in text and record["since"]["ratings"] == {
        "prospecting": [2, 3]}
    trail = " → ".join(f"{rating} ({day})" for day, rating in
                       record["skill_history"]["prospecting"])
    assert f"Prospecting  {trail}" in text
    moves = " → ".join(f"{status} {day}" for day, status in record["fix_history"][0]["moves"])
    assert moves == "planned 2026-10-05 → active 2026-10-19" and moves in text


def test_a_workspace_in_a_subfolder_of_the_repository(tmp_path):
    repo = Repo(tmp_path / "monorepo")
    repo.write("sales/coaching/" + TEAM, TEAM_YAML)
    repo.write("sales/coaching/" + ANN, rep_yaml(1000, skills="prospecting: 2"))
    repo.write("teams/core/reps/ann.yaml", rep_yaml(99))  # another workspace's file
    repo.commit("2026-09-20")
    repo.write("sales/coaching/" + ANN, rep_yaml(4000, skills="prospecting: 3"))
    repo.commit("2026-10-20")
    record = ann(export(repo.root / "sales" / "coaching"))
    assert record["since"]["closed_delta"] == 3000
    assert record["skill_history"]["prospecting"] == [["2026-09-20", 2], ["2026-10-20", 3]]


def test_a_damaged_cache_is_ignored(tmp_path):
    repo = repo_with_team(tmp_path)
    repo.write(ANN, rep_yaml(1000, skills="prospecting: 2"))
    repo.commit("2026-10-02")
    cache = tmp_path / CACHE_NAME
    write_cache(cache, read_history(repo.root, cache))
    text = cache.read_text()
    cache.write_text(text[: len(text) // 2])
    assert read_history(repo.root, cache).files == read_history(repo.root).files
    _, _, body = text.partition("\n")
    from reportgen.manifest import digest

    altered = body.replace('"line":[[', '"line":[[1,')
    cache.write_text(digest(altered) + "\n" + altered)
    assert read_history(repo.root, cache).files == read_history(repo.root).files


def test_a_cache_from_a_rewritten_history_is_read_afresh(tmp_path):
    """A CI cache of output/ outlives a `git filter-repo` (or comes from another clone):
    the cached head is then no commit of this repository, and history must still work."""
    old = repo_with_team(tmp_path / "old")
    old.write(ANN, rep_yaml(1000, skills="prospecting: 2"))
    old.commit("2026-10-02")
    cache = tmp_path / CACHE_NAME
    write_cache(cache, read_history(old.root, cache))
    rewritten = repo_with_team(tmp_path / "new")
    rewritten.write(ANN, rep_yaml(2000, skills="prospecting: 3"))
    rewritten.commit("2026-10-05")
    history = read_history(rewritten.root, cache)
    assert history.available, history.unavailable
    assert history.files == read_history(rewritten.root).files


def test_past_versions_read_as_the_loader_reads_them_within_its_limits():
    from reportgen.history_yaml import lenient_data
    from reportgen.yamlfile import parse_document
    from tests.conftest import EXAMPLE

    for path in sorted((EXAMPLE / "teams").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert lenient_data(text) == parse_document(text, "x").data, path
    assert lenient_data("a: " + "[" * 100_000 + "]" * 100_000) is None  # too deep
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
        f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
        f" *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    assert lenient_data(bomb) is None  # 10^9 values once expanded
    assert lenient_data("a: 1\n---\nb: 2\n") is None
    assert lenient_data("a: [1\n") is None
