"""One-on-one actions both ways, the next meeting, and the rep's own view of their skills."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from reportgen import meetings
from reportgen.analysis import analyse
from reportgen.cli import cli
from reportgen.export import export_document
from reportgen.model import Rep, Team
from reportgen.workspace import load_workspace
from tests.conftest import AS_OF, EXAMPLE, REP_YAML

TODAY = date(2026, 11, 26)
TEAM = Team.model_validate({"name": "T", "manager": "Dana Whitfield",
                            "period": {"name": "Q4", "start": date(2026, 10, 1),
                                       "end": date(2026, 12, 31)}})


def rep(one_on_ones=(), skills=None) -> Rep:
    return Rep.model_validate({"name": "Ann", "quota": 100, "results": {"closed": 10},
                               "skills": skills or {}, "one_on_ones": list(one_on_ones)})


def action(do, owner="rep", due=None, done=False):
    return {"do": do, "owner": owner, "due": due, "done": done}


THREE_MEETINGS = [
    {"date": date(2026, 10, 29), "actions": [
        action("first, done", done=True),
        action("first, still open", due=date(2026, 11, 5)),
        action("manager's oldest promise", owner="manager", due=date(2026, 11, 1))]},
    {"date": date(2026, 11, 12), "actions": [
        action("second, open, no date"),
        action("manager's, done", owner="Manager", done=True)]},
    {"date": date(2026, 11, 19), "actions": [
        action("third, due later", due=date(2026, 12, 1)),
        action("manager's newest", owner="manager", due=date(2026, 11, 30))]},
]


def test_open_items_carry_forward_across_three_meetings():
    items = meetings.open_from_last_time(rep(THREE_MEETINGS), TODAY)
    assert [item.action.do for item in items] == [
        "first, still open", "manager's oldest promise", "second, open, no date",
        "third, due later", "manager's newest"]
    assert [item.agreed_on for item in items][:3] == [
        date(2026, 10, 29), date(2026, 10, 29), date(2026, 11, 12)]
    overdue = {item.action.do: item.overdue for item in items}
    assert overdue == {"first, still open": True, "manager's oldest promise": True,
                       "second, open, no date": False, "third, due later": False,
                       "manager's newest": False}
    assert [item.by_manager for item in items] == [False, True, False, False, True]


def test_ticking_an_item_off_stops_it_carrying_forward():
    ticked = [dict(meeting) for meeting in THREE_MEETINGS]
    ticked[0] = {**ticked[0], "actions": [{**a, "done": True} for a in ticked[0]["actions"]]}
    items = meetings.open_from_last_time(rep(ticked), TODAY)
    assert [item.agreed_on for item in items] == [date(2026, 11, 12)] + [date(2026, 11, 19)] * 2


def test_due_today_is_not_overdue():
    items = meetings.open_from_last_time(rep([{"date": date(2026, 11, 1), "actions": [
        action("today", due=TODAY), action("yesterday", due=date(2026, 11, 25))]}]), TODAY)
    assert [item.overdue for item in items] == [False, True]


def test_a_future_one_on_one_is_the_next_meeting_not_the_last():
    model = rep([{"date": date(2026, 11, 19)}, {"date": date(2026, 12, 10)},
                 {"date": date(2026, 12, 3), "actions": [action("prepare the deck")]}])
    assert meetings.last_meeting(model, TODAY).date == date(2026, 11, 19)
    index, upcoming = meetings.next_meeting(model, TODAY)
    assert (index, upcoming.date) == (2, date(2026, 12, 3))
    # Its actions are for before that meeting, not "open from last time".
    assert meetings.open_from_last_time(model, TODAY) == ()
    assert [item.action.do for item in meetings.for_next_meeting(model, TODAY)] == [
        "prepare the deck"]


def test_todays_meeting_is_agreed_today_not_last_time():
    model = rep([{"date": date(2026, 11, 19), "actions": [action("old")]},
                 {"date": TODAY, "actions": [action("new", owner="manager"),
                                             action("done now", done=True)]}])
    assert meetings.last_meeting(model, TODAY).date == date(2026, 11, 19)
    assert [i.action.do for i in meetings.open_from_last_time(model, TODAY)] == ["old"]
    assert [i.action.do for i in meetings.agreed_today(model, TODAY)] == ["new", "done now"]
    assert [i.action.do for i in meetings.for_next_meeting(model, TODAY)] == ["new"]
    assert meetings.next_meeting(model, TODAY) is None


def test_the_manager_owes_oldest_first_across_the_team():
    ann = rep(THREE_MEETINGS)
    bob = rep([{"date": date(2026, 10, 20), "actions": [
        action("bob's", owner="manager", due=date(2026, 12, 20)),
        action("bob's own", owner="rep")]}])
    owed = meetings.manager_owes([("ann", ann), ("bob", bob)], TODAY)
    assert [(o.rep_id, o.item.action.do) for o in owed] == [
        ("bob", "bob's"), ("ann", "manager's oldest promise"), ("ann", "manager's newest")]
    assert [o.age_days for o in owed] == [37, 28, 7]


def test_overdue_items_are_warnings_at_their_due_date():
    findings = meetings.overdue_findings(rep(THREE_MEETINGS), TODAY)
    assert [(f.path, str(f.message)) for f in findings] == [
        (("one_on_ones", 0, "actions", 1, "due"),
         "rep's one-on-one action overdue since 2026-11-05: first, still open"),
        (("one_on_ones", 0, "actions", 2, "due"),
         "manager's one-on-one action overdue since 2026-11-01: manager's oldest promise")]


@pytest.mark.parametrize(("self_rating", "manager", "listed"), [
    (5, 3, True), (3, 5, True),   # two points either way, at the top of the scale
    (1, 3, True), (3, 1, True),   # and at the bottom
    (5, 1, True), (1, 5, True),   # the whole scale apart
    (5, 4, False), (1, 2, False), (4, 5, False),  # one point is not a topic
    (1, 1, False), (5, 5, False),  # agreeing at either edge
])
def test_self_rating_gap_of_two_or_more_is_a_topic(self_rating, manager, listed):
    model = rep(skills={"prospecting": {"rating": manager, "self": self_rating}})
    gaps = meetings.self_gaps(model, TEAM)
    assert bool(gaps) is listed
    if listed:
        assert (gaps[0].skill.id, gaps[0].self_rating, gaps[0].manager_rating) == (
            "prospecting", self_rating, manager)
        assert gaps[0].rated_higher_by_rep is (self_rating > manager)


def test_self_gaps_on_a_ten_point_scale_and_in_framework_order():
    team = Team.model_validate({**TEAM.model_dump(), "scale": {"min": 0, "max": 10,
                                                               "target": 7}})
    model = rep(skills={"resource-use": {"rating": 10, "self": 8},
                        "prospecting": {"rating": 0, "self": 2},
                        "qualification": {"rating": 0, "self": 1},
                        "deal-strategy": 6})
    assert [gap.skill.id for gap in meetings.self_gaps(model, team)] == [
        "prospecting", "resource-use"]


SELF_OUT_OF_SCALE = REP_YAML.replace("  prospecting: 3\n",
                                     "  prospecting:\n    rating: 3\n    self: {self}\n")


@pytest.mark.parametrize(("value", "message"), [
    ("6", "self-rating 6 is above the scale maximum 5"),
    ("0", "self-rating 0 is below the scale minimum 1"),
    ("3.5", "expected a whole-number rating, got '3.5'"),
    ("yes", "expected a whole-number rating, got 'yes'"),
])
def test_a_self_rating_outside_the_scale_is_an_error_at_its_line(workspace, value, message):
    root = workspace(reps={"ann": SELF_OUT_OF_SCALE.format(self=value)})
    result = CliRunner().invoke(cli, ["validate", str(root), "--as-of", AS_OF])
    assert result.exit_code == 1
    assert f"teams/core/reps/ann.yaml:9:11: error: skills.prospecting.self: {message}" in (
        result.stderr)


@pytest.mark.parametrize("value", ["1", "5"])
def test_self_ratings_at_the_scale_edges_are_valid(workspace, value):
    root = workspace(reps={"ann": SELF_OUT_OF_SCALE.format(self=value)})
    result = CliRunner().invoke(cli, ["validate", str(root), "--as-of", AS_OF])
    assert result.exit_code == 0, result.stderr


def test_action_owner_is_rep_or_manager(workspace):
    root = workspace(reps={"ann": REP_YAML + (
        "one_on_ones:\n  - date: 2026-11-01\n    actions:\n      - do: Call\n"
        "        owner: boss\n")})
    result = CliRunner().invoke(cli, ["validate", str(root), "--as-of", AS_OF])
    assert result.exit_code == 1
    assert ("one_on_ones[0].actions[0].owner: 'boss' is not one of rep, manager"
            in result.stderr)


def test_example_team_exports_the_new_figures():
    analysis = analyse(load_workspace(EXAMPLE), TODAY)
    team = export_document(analysis)["teams"][0]
    assert team["manager_open_actions"] >= 3
    reps = {r["id"]: r for r in team["reps"]}
    assert reps["sofia-petrova"]["self_rating_gaps"] == ["deal-strategy"]
    assert reps["sofia-petrova"]["self_ratings"]["deal-strategy"] == 5
    assert reps["priya-raman"]["next_one_on_one"] == "2026-12-03"
    assert reps["tomas-alvarez"]["next_one_on_one"] is None
