"""Coaching over time as pure figures: cadence edge cases, and the "since" lists against
a direct comparison of two YAML states for random edit sequences (real git commits)."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.history import read_history
from reportgen.model import Rep, Team
from reportgen.snapshot import snapshot_of
from reportgen.timeline import Baseline, cadence, since
from reportgen.yamlfile import parse_document
from tests.conftest import TEAM_YAML
from tests.gitrepo import Repo

AS_OF = date(2026, 11, 26)


def model(cls, text: str):
    return cls.model_validate(parse_document(textwrap.dedent(text), "x.yaml").data)


TEAM = model(Team, TEAM_YAML)


def rep(extra: str = "") -> Rep:
    return model(Rep, "name: Ann\nquota: 100\nresults: {closed: 0}\n" + textwrap.dedent(extra))


# -------------------------------------------------------------------------- cadence

def test_no_one_on_ones_counts_from_the_period_start():
    value = cadence(rep(), TEAM, AS_OF)
    assert value.last is None
    assert value.days_since == (AS_OF - date(2026, 10, 1)).days == 56
    assert value.overdue and value.this_period == 0
    assert value.longest_gap_days == 56


def test_a_new_hire_counts_from_the_start_date_with_their_own_cadence():
    hire = rep("start_date: 2026-11-16\none_on_one_every_days: 7\n")
    value = cadence(hire, TEAM, AS_OF)
    assert value.every_days == 7
    assert value.days_since == 10 and value.overdue
    assert value.longest_gap_days == 10
    met = cadence(rep("start_date: 2026-11-16\none_on_one_every_days: 7\n"
                      "one_on_ones: [{date: 2026-11-20}]\n"), TEAM, AS_OF)
    assert met.days_since == 6 and not met.overdue and met.longest_gap_days == 6


def test_a_one_on_one_on_as_of_counts_today_and_dates_are_deduplicated():
    value = cadence(rep("one_on_ones: [{date: 2026-10-01}, {date: 2026-11-10},"
                        " {date: 2026-11-10}, {date: 2026-11-26}, {date: 2026-12-03}]\n"),
                    TEAM, AS_OF)
    assert value.last == AS_OF and value.days_since == 0 and not value.overdue
    # 1 Oct, 10 Nov and today: within the period and not after as_of.
    assert value.this_period == 3
    assert value.longest_gap_days == 40  # 1 Oct → 10 Nov
    assert value.dates == (date(2026, 10, 1), date(2026, 11, 10), AS_OF)


def test_exactly_the_cadence_is_not_overdue_one_day_more_is():
    on_time = cadence(rep("one_on_ones: [{date: 2026-11-12}]\n"), TEAM, AS_OF)
    late = cadence(rep("one_on_ones: [{date: 2026-11-11}]\n"), TEAM, AS_OF)
    assert (on_time.days_since, on_time.overdue) == (14, False)
    assert (late.days_since, late.overdue) == (15, True)


def test_the_team_sets_the_cadence_and_a_rep_overrides_it():
    team = model(Team, TEAM_YAML + "one_on_one_every_days: 30\n")
    assert cadence(rep(), team, AS_OF).every_days == 30
    assert cadence(rep("one_on_one_every_days: 7\n"), team, AS_OF).every_days == 7


# ----------------------------------------------------------- since: property test

SKILLS = ["prospecting", "qualification"]
FOCUSES = ["Call blocks", "Discovery"]
ISSUES = ["No CRM seat", "Legal slow"]
GOALS = ["Two logos", "Pipeline 3x"]

states = st.fixed_dictionaries({
    "closed": st.integers(0, 5) .map(lambda n: n * 1000),
    "pipeline": st.integers(0, 5).map(lambda n: n * 2000),
    "skills": st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), max_size=2),
    "fixes": st.lists(st.fixed_dictionaries({
        "skill": st.sampled_from(SKILLS), "focus": st.sampled_from(FOCUSES),
        "status": st.sampled_from(["planned", "active", "done", "dropped"]),
        "actions": st.lists(st.fixed_dictionaries({
            "do": st.sampled_from(["Book blocks", "Call Ann"]), "done": st.booleans()}),
            max_size=2, unique_by=lambda action: action["do"])}),
        max_size=2, unique_by=lambda fix: (fix["skill"], fix["focus"])),
    "goals": st.lists(st.fixed_dictionaries({
        "goal": st.sampled_from(GOALS), "status": st.sampled_from(["on track", "at risk"])}),
        max_size=2, unique_by=lambda goal: goal["goal"]),
    "roadblocks": st.lists(st.fixed_dictionaries({
        "issue": st.sampled_from(ISSUES),
        "resolved": st.sampled_from([None, "2026-10-20"])}),
        max_size=2, unique_by=lambda block: block["issue"]),
})


def rep_text(state: dict) -> str:
    data = {"name": "Ann", "quota": 100000,
            "results": {"closed": state["closed"], "pipeline": state["pipeline"]},
            "skills": state["skills"], "fixes": state["fixes"], "goals": state["goals"],
            "roadblocks": [{key: value for key, value in block.items() if value}
                           for block in state["roadblocks"]]}
    return yaml.safe_dump({key: value for key, value in data.items() if value != []},
                          sort_keys=False)


def direct_comparison(before: dict | None, now: dict) -> dict:
    """SPEC's rules, applied to the two YAML states directly."""
    before = before or {"closed": 0, "pipeline": 0, "skills": {}, "fixes": [], "goals": [],
                        "roadblocks": []}
    ratings = {skill: (before["skills"].get(skill), rating)
               for skill, rating in now["skills"].items()
               if before["skills"].get(skill) != rating}
    ratings.update({skill: (rating, None) for skill, rating in before["skills"].items()
                    if skill not in now["skills"]})
    old_fixes = {(fix["skill"], fix["focus"]): fix for fix in before["fixes"]}
    fixes, done = [], []
    for fix in now["fixes"]:
        old = old_fixes.get((fix["skill"], fix["focus"]))
        if old is None or old["status"] != fix["status"]:
            fixes.append((fix["skill"], fix["focus"], old["status"] if old else None,
                          fix["status"]))
        old_done = {a["do"] for a in (old["actions"] if old else []) if a["done"]}
        done += [a["do"] for a in fix["actions"] if a["done"] and a["do"] not in old_done]
    old_goals = {goal["goal"]: goal["status"] for goal in before["goals"]}
    old_blocks = {block["issue"]: block for block in before["roadblocks"]}
    return {
        "ratings": ratings, "closed": now["closed"] - before["closed"],
        "pipeline": now["pipeline"] - before["pipeline"], "fixes": fixes, "done": done,
        "goals": [(g["goal"], old_goals.get(g["goal"]), g["status"]) for g in now["goals"]
                  if old_goals.get(g["goal"]) != g["status"]],
        "raised": [b["issue"] for b in now["roadblocks"] if b["issue"] not in old_blocks],
        "resolved": [b["issue"] for b in now["roadblocks"] if b["resolved"] and (
            b["issue"] not in old_blocks or not old_blocks[b["issue"]]["resolved"])],
    }


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(states, min_size=1, max_size=4),
       baseline_day=st.integers(0, 40))
def test_since_lists_equal_a_direct_comparison_of_the_two_yaml_states(
        tmp_path_factory, edits, baseline_day):
    repo = Repo(tmp_path_factory.mktemp("prop") / "ws")
    repo.write("teams/core/team.yaml", TEAM_YAML)
    committed_on = []
    for number, state in enumerate(edits):
        day = date(2026, 10, 1) + timedelta(days=10 * number + 5)
        repo.write("teams/core/reps/ann.yaml", rep_text(state))
        repo.commit(day.isoformat())
        committed_on.append(day)
    base = date(2026, 10, 1) + timedelta(days=baseline_day)
    earlier = [index for index, day in enumerate(committed_on) if day <= base]
    before = edits[earlier[-1]] if earlier else None

    history = read_history(repo.root)
    now_rep = model(Rep, rep_text(edits[-1]))
    found = since(history, history.file("teams/core/reps/ann.yaml"), snapshot_of(now_rep),
                  Baseline(base))
    expected = direct_comparison(before, edits[-1])
    assert {skill: (a, b) for skill, a, b in found.ratings} == expected["ratings"]
    assert found.closed_delta == expected["closed"]
    assert found.pipeline_delta == expected["pipeline"]
    assert [(f.skill, f.focus, f.before, f.after) for f in found.fixes] == expected["fixes"]
    assert list(found.actions_done) == expected["done"]
    assert [(g.goal, g.before, g.after) for g in found.goals] == expected["goals"]
    assert list(found.roadblocks_raised) == expected["raised"]
    assert list(found.roadblocks_resolved) == expected["resolved"]
    assert (found.base_commit is None) == (before is None)
