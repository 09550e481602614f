"""The VP's index: teams added up only within one period and currency; departed reps."""

from __future__ import annotations

import json
import re
from datetime import date
from fractions import Fraction

from click.testing import CliRunner

from reportgen.analysis import analyse_team
from reportgen.build import BuildOptions, build
from reportgen.cli import cli
from reportgen.rollup import org_roadblocks, shared_gaps, team_groups
from reportgen.summary import from_json, org_totals, summarise, to_json
from reportgen.workspace import load_workspace
from tests.conftest import TEAM_YAML, write_workspace

AS_OF = date(2026, 11, 15)  # Q4 is half gone (46 of 92 days)


def rep_yaml(name: str, quota: int, closed: int, pipeline: int = 0, commit: int | None = None,
             best_case: int | None = None, extra: str = "") -> str:
    lines = [f"name: {name}", f"quota: {quota}", "results:", f"  closed: {closed}",
             f"  pipeline: {pipeline}"]
    if commit is not None:
        lines.append(f"  commit: {commit}")
    if best_case is not None:
        lines.append(f"  best_case: {best_case}")
    lines.append("skills: {prospecting: 2, qualification: 4}")
    return "\n".join(lines) + "\n" + extra


def four_teams(root):
    """Two Q4 USD teams (added up), one H2 USD team and one Q4 EUR team (on their own)."""
    write_workspace(root, TEAM_YAML.replace("Test Team", "Alpha") + "quota: 1000\n", {
        "a1": rep_yaml("Ann", 600, 300, pipeline=500, commit=100, best_case=200,
                       extra="roadblocks:\n  - {issue: Slow legal, owner: Legal,"
                             " raised: 2026-10-16}\n"),
        "a2": rep_yaml("Al", 400, 100, pipeline=100)}, team_id="alpha")
    write_workspace(root, TEAM_YAML.replace("Test Team", "Bravo"), {
        "b1": rep_yaml("Bea", 500, 400, pipeline=200, commit=50, best_case=50,
                       extra="roadblocks:\n  - {issue: slow  LEGAL, owner: legal,"
                             " raised: 2026-11-01}\n")}, team_id="bravo")
    write_workspace(root, TEAM_YAML.replace("Test Team", "Charlie")
                    .replace("Q4 2026", "H2 2026").replace("2026-10-01", "2026-07-01"),
                    {"c1": rep_yaml("Cy", 800, 100)}, team_id="charlie")
    write_workspace(root, TEAM_YAML.replace("Test Team", "Delta") + "currency: EUR\n",
                    {"d1": rep_yaml("Di", 700, 350)}, team_id="delta")
    return root


def summaries(root):
    # Through JSON, as the build keeps them in the manifest.
    return [from_json(to_json(summarise(analyse_team(team, AS_OF))))
            for team in load_workspace(root).teams]


def test_teams_are_grouped_by_period_and_currency_and_totalled_within_a_group(tmp_path):
    groups = team_groups(summaries(four_teams(tmp_path)))
    assert [(g.period_names, g.start, g.currency, [r.team.id for r in g.rows]) for g in groups] \
        == [(("H2 2026",), date(2026, 7, 1), "USD", ["charlie"]),
            (("Q4 2026",), date(2026, 10, 1), "EUR", ["delta"]),
            (("Q4 2026",), date(2026, 10, 1), "USD", ["alpha", "bravo"])]
    total = groups[2].total
    assert (total.quota, total.closed) == (1500, 800)  # 1000 set + 500 from Bea's quota
    assert total.attainment == Fraction(8, 15)
    assert total.projected == Fraction(16, 15)  # 8/15 ÷ 1/2
    assert total.forecast_commit == 950  # (300+100) + 100 + (400+50)
    assert total.forecast_best_case == 1050  # (300+200) + 100 + (400+50)
    assert total.gap == 700 and total.coverage == Fraction(800, 700)  # pipeline 500+100+200
    # Ann and Al are behind pace; Bea is on pace but covers 100 left with 200 (2× < 3×).
    assert total.rep_quota_sum == 1500 and total.attention == 3


def test_org_total_only_when_every_team_shares_period_and_currency(tmp_path):
    teams = summaries(four_teams(tmp_path))
    assert org_totals(teams)["quota"] is None and org_totals(teams)["attainment"] is None
    q4_usd = [team for team in teams if team.id in ("alpha", "bravo")]
    assert org_totals(q4_usd)["quota"] == 1500


def test_org_roadblocks_and_shared_gaps_across_teams(tmp_path):
    teams = summaries(four_teams(tmp_path))
    owners = org_roadblocks(teams)
    assert [(owner.owner, len(owner.roadblocks)) for owner in owners] == [("Legal", 1)]
    block = owners[0].roadblocks[0]
    assert block.blocked == ("Ann (Alpha)", "Bea (Bravo)") and block.age_days == 30
    gaps = shared_gaps(teams)
    # Prospecting is 2 on everyone; Alpha is the only team with two reps rated.
    assert [(gap.skill, [team for team, *_ in gap.teams]) for gap in gaps] == [
        ("prospecting", ["Alpha"])]


def test_the_index_says_plainly_that_groups_are_not_added(tmp_path):
    root = four_teams(tmp_path / "ws")
    out = tmp_path / "out"
    build(root, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    index = " ".join((out / "index.html").read_text().split())
    assert "never added into one figure" in index
    assert index.count("Total, 2 teams") == 1
    assert "€" in index and "$1,500" in index  # the Q4 USD total
    assert "$2,300" not in index  # 1500 + 800 (H2): never shown


def test_departed_rep_has_no_plan_and_the_scorecard_says_so(tmp_path):
    root = write_workspace(tmp_path / "ws", TEAM_YAML, {
        "ann": rep_yaml("Ann Lee", 100, 50, pipeline=200),
        "bob": rep_yaml("Bob Roy", 80, 30, extra="departed: 2026-11-01\n")})
    out = tmp_path / "out"
    build(root, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    assert (out / "core/reps/ann.html").is_file()
    assert not (out / "core/reps/bob.html").exists()
    scorecard = " ".join((out / "core/scorecard.html").read_text().split())
    assert "Left the team:" in scorecard and "Bob Roy (left 1 Nov 2026; $30 closed" in scorecard
    assert "of $180 · $80 closed" in scorecard  # Bob's $30 still counts toward the number
    assert 'href="reps/bob.html"' not in scorecard
    assert "core/reps/bob.html" not in (out / "index.html").read_text()
    # Ann leaves too: her plan from the last build is removed.
    ann = root / "teams/core/reps/ann.yaml"
    ann.write_text(ann.read_text() + "departed: 2026-11-14\n")
    report = build(root, BuildOptions(as_of=AS_OF, out=out, formats=("html",)))
    assert "core/reps/ann.html" in report.removed
    assert not (out / "core/reps/ann.html").exists()


def test_export_carries_the_forecast_keys(tmp_path):
    root = four_teams(tmp_path)
    result = CliRunner().invoke(cli, ["export", str(root), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    teams = {team["id"]: team for team in json.loads(result.stdout)["teams"]}
    alpha = teams["alpha"]
    assert (alpha["rep_quota_sum"], alpha["forecast_commit"], alpha["forecast_best_case"]) == (
        1000, 500, 600)
    assert alpha["quota_assignment"] == 0
    reps = {rep["id"]: rep for rep in alpha["reps"]}
    assert (reps["a1"]["commit"], reps["a1"]["best_case"]) == (100, 200)
    assert (reps["a2"]["commit"], reps["a2"]["best_case"]) == (0, 0)  # absent: 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\d|None", str(reps["a1"]["departed"]))


def test_the_index_names_reps_whose_one_on_ones_are_overdue(tmp_path):
    write_workspace(tmp_path, TEAM_YAML, {
        # Last one-on-one 26 days before as_of, with the team's 14-day cadence: overdue.
        "ann": rep_yaml("Ann", 600, 300, extra="one_on_ones:\n  - {date: 2026-10-20}\n"),
        # Every 7 days, last seen 3 days ago: on cadence.
        "bo": rep_yaml("Bo", 600, 300, extra="one_on_one_every_days: 7\n"
                       "one_on_ones:\n  - {date: 2026-11-12}\n"),
    })
    out = tmp_path / "out"
    build(tmp_path, BuildOptions(as_of=AS_OF, out=out, formats=("html",), jobs=1))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "one-on-one overdue: Ann<" in index
    assert "Bo<" not in index.split("one-on-one overdue:")[1].split("</small>")[0]
