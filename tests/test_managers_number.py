"""The manager's number and the right people: forecast, quota assignment, departed reps,
the performance × capability axes, roadblocks by owner and team initiatives, each
against figures worked out by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from reportgen.analysis import analyse
from reportgen.capability import capability, is_ramping, people
from reportgen.coaching import rep_figures
from reportgen.forecast import forecast_findings, rep_forecast, team_forecast
from reportgen.model import Rep, Team
from reportgen.roadblocks import roadblocks_by_owner
from reportgen.workspace import load_workspace
from tests.conftest import REP_YAML, TEAM_YAML

AS_OF = date(2026, 11, 15)  # day 46 of the 92-day Q4: elapsed exactly 1/2
PERIOD = {"name": "Q4", "start": date(2026, 10, 1), "end": date(2026, 12, 31)}


def team(**fields) -> Team:
    return Team.model_validate({"name": "T", "manager": "Dana Whitfield", "period": PERIOD,
                                **fields})


def rep(**fields) -> Rep:
    data = {"name": "R", "quota": 100, "results": {"closed": 50}}
    data.update(fields)
    return Rep.model_validate(data)


# ------------------------------------------------------------------------------ forecast

def test_rep_forecast_adds_commit_and_best_case_to_closed():
    forecast = rep_forecast(rep(quota=400, results={"closed": 100, "commit": 60,
                                                     "best_case": 150}))
    assert (forecast.commit, forecast.best_case) == (60, 150)
    assert forecast.forecast_commit == 160  # 100 + 60
    assert forecast.forecast_best_case == 250  # 100 + 150
    assert forecast.commit_attainment == Fraction(160, 400)
    assert forecast.best_case_attainment == Fraction(250, 400)


def test_absent_forecast_counts_as_zero_and_quota_zero_has_no_ratio():
    forecast = rep_forecast(rep(quota=0, results={"closed": 30}))
    assert (forecast.commit, forecast.best_case) == (0, 0)
    assert forecast.forecast_commit == forecast.forecast_best_case == 30
    assert forecast.commit_attainment is None


def test_decimal_amounts_add_exactly():
    forecast = rep_forecast(rep(quota=1, results={"closed": 0.1, "commit": 0.2,
                                                   "best_case": 0.2}))
    assert forecast.forecast_commit == 0.3  # not 0.30000000000000004
    assert forecast.commit_attainment == Fraction(3, 10)


def test_team_forecast_sums_and_over_assignment():
    reps = [rep(quota=500, results={"closed": 200, "commit": 100, "best_case": 180}),
            rep(quota=300, results={"closed": 50, "commit": 40}),
            rep(quota=250, results={"closed": 0})]
    forecast = team_forecast(1000, [(model, rep_forecast(model)) for model in reps])
    assert forecast.rep_quota_sum == 1050  # 500 + 300 + 250
    assert forecast.assignment == 50 and forecast.over_assigned
    assert forecast.assignment_ratio == Fraction(1050, 1000)
    assert forecast.forecast_commit == 390  # (200+100) + (50+40) + 0
    assert forecast.forecast_best_case == 430  # (200+180) + (50+0) + 0
    assert forecast.commit_attainment == Fraction(390, 1000)
    assert forecast.commit_gap == 610


def test_team_forecast_under_assignment():
    reps = [rep(quota=400), rep(quota=350)]
    forecast = team_forecast(1000, [(model, rep_forecast(model)) for model in reps])
    assert forecast.assignment == -250 and forecast.under_assigned
    assert forecast.assignment_size == 250


def test_best_case_below_commit_is_a_warning():
    model = rep(results={"closed": 10, "commit": 50, "best_case": 40})
    findings = forecast_findings(model, rep_figures(model, team(), AS_OF))
    assert [(f.path, str(f.message)) for f in findings] == [
        (("results", "best_case"), "best case 40 is below commit 50; the best case includes"
         " the commit, so it is at least the commit")]


def test_commit_without_best_case_is_a_warning_and_equal_is_fine():
    model = rep(results={"closed": 10, "commit": 50})
    findings = forecast_findings(model, rep_figures(model, team(), AS_OF))
    assert [f.path for f in findings] == [("results", "commit")]
    model = rep(results={"closed": 10, "commit": 50, "best_case": 50})
    assert forecast_findings(model, rep_figures(model, team(), AS_OF)) == ()


# -------------------------------------------------------------------------------- people

def test_capability_is_the_weighted_mean_over_assessed_skills_divided_by_target():
    framework = team(skills=[{"id": "a", "name": "A", "weight": 2},
                             {"id": "b", "name": "B", "weight": 1},
                             {"id": "c", "name": "C", "weight": 1}])
    figures = rep_figures(rep(skills={"a": 3, "b": 5}), framework, AS_OF)
    # (2×3 + 1×5) ÷ (2 + 1) = 11/3; ÷ target 4 = 11/12. Unassessed C is left out.
    assert capability(figures.skills, 4) == Fraction(11, 12)


def test_all_unassessed_has_no_capability_and_is_not_plotted():
    point = people([("new", rep(), rep_figures(rep(), team(), AS_OF))], 4, AS_OF)[0]
    assert point.capability is None and point.assessed == 0
    assert not point.plotted and str(point.not_plotted_because) == "not assessed"


def test_performance_is_projected_attainment_and_quota_zero_is_not_plotted():
    ratings = {"prospecting": 4}
    selling = rep(skills=ratings, results={"closed": 40})  # 40 % after half: projected 80 %
    no_quota = rep(name="Q", quota=0, skills=ratings, results={"closed": 40})
    points = people([(rep_id, model, rep_figures(model, team(), AS_OF))
                     for rep_id, model in (("s", selling), ("q", no_quota))], 4, AS_OF)
    by_id = {point.rep_id: point for point in points}
    assert by_id["s"].performance == Fraction(4, 5)
    assert by_id["s"].capability == 1 and by_id["s"].quadrant == "stuck"
    assert by_id["q"].performance is None and str(by_id["q"].not_plotted_because) == "no quota"


@pytest.mark.parametrize(("closed", "rating", "quadrant"), [
    (50, 4, "stars"),  # projected exactly 100 %, at target: both thresholds are inclusive
    (50, 3, "ahead"), (49, 4, "stuck"), (49, 3, "plan")])
def test_quadrants(closed, rating, quadrant):
    model = rep(results={"closed": closed}, skills={"prospecting": rating})
    point = people([("r", model, rep_figures(model, team(), AS_OF))], 4, AS_OF)[0]
    assert point.quadrant == quadrant


def test_ramping_is_the_first_90_days():
    assert is_ramping(rep(start_date=date(2026, 8, 18)), AS_OF)  # day 89 since start
    assert not is_ramping(rep(start_date=date(2026, 8, 17)), AS_OF)  # 90 days
    assert not is_ramping(rep(start_date=date(2026, 12, 1)), AS_OF)  # not started yet
    assert not is_ramping(rep(), AS_OF)


def test_departed_reps_leave_the_chart_attention_and_warnings_but_their_closed_counts():
    gone = rep(name="Gone", departed=date(2026, 11, 1), quota=100,
               results={"closed": 20}, skills={"prospecting": 1})
    leaving = rep(name="Leaving", departed=date(2026, 12, 1), results={"closed": 20})
    figures = rep_figures(gone, team(), AS_OF)
    assert figures.departed and not figures.needs_attention and figures.findings == ()
    assert not rep_figures(leaving, team(), AS_OF).departed  # still here until 1 Dec
    assert people([("g", gone, figures)], 4, AS_OF) == ()


# ---------------------------------------------------------------------------- roadblocks

def test_roadblocks_grouped_by_owner_manager_first_same_issue_once():
    ann = rep(name="Ann", roadblocks=[
        {"issue": "SE shared with two teams", "owner": "Sales engineering",
         "raised": date(2026, 10, 9)},
        {"issue": "Legal redlines take 3 weeks", "owner": "manager",
         "raised": date(2026, 11, 3)},
        {"issue": "Old one", "owner": "Sales Ops", "raised": date(2026, 9, 1),
         "resolved": date(2026, 9, 20)}])
    bob = rep(name="Bob", roadblocks=[
        {"issue": "SE  shared with two TEAMS", "owner": "sales engineering",
         "raised": date(2026, 10, 20)},
        {"issue": "No demo tenant", "owner": "Dana Whitfield", "raised": date(2026, 10, 1)},
        {"issue": "Nobody knows who owns pricing"},
        {"issue": "Marketing leads are late", "owner": "Marketing",
         "raised": date(2026, 11, 10)}])
    groups = roadblocks_by_owner("Dana Whitfield", [("Ann", ann), ("Bob", bob)], AS_OF)
    assert [(group.kind, group.owner) for group in groups] == [
        ("manager", "Dana Whitfield"), ("no owner", "No owner yet"),
        ("other", "Sales engineering"), ("other", "Marketing")]
    manager = groups[0].roadblocks
    assert [(b.issue, b.age_days, b.reps) for b in manager] == [
        ("No demo tenant", 45, ("Bob",)), ("Legal redlines take 3 weeks", 12, ("Ann",))]
    shared = groups[2].roadblocks
    assert len(shared) == 1  # the same issue on two reps is one roadblock
    assert shared[0].reps == ("Ann", "Bob")
    assert shared[0].raised == date(2026, 10, 9) and shared[0].age_days == 37  # the earliest
    assert groups[1].roadblocks[0].age_days is None


# --------------------------------------------------------------------------- initiatives

SKILLED = REP_YAML  # qualification 4, deal-strategy 2 (below target 4)


def _gap_workspace(workspace, initiatives: str = ""):
    return workspace(team=TEAM_YAML + initiatives,
                     reps={"ann": REP_YAML, "bob": REP_YAML.replace("Ann Lee", "Bob Roy")})


def _team_warnings(root):
    return [w for w in analyse(load_workspace(root), AS_OF).warnings
            if w.file == "teams/core/team.yaml"]


def test_a_shared_gap_with_no_open_initiative_is_a_warning_on_team_yaml(workspace):
    warnings = _team_warnings(_gap_workspace(workspace))
    # prospecting (3), deal-strategy (2) and business-outcomes (3) are below 4 on both.
    assert sorted(w.message for w in warnings) == sorted(
        f"shared gap with no team response: 2 of 2 assessed reps are below target on {name};"
        " add an open initiative (training, a tool or a process change) with skill:"
        f" {skill}" for name, skill in (("Prospecting", "prospecting"),
                                        ("Deal strategy", "deal-strategy"),
                                        ("Business outcomes", "business-outcomes")))
    assert all((w.line, w.column, w.path) == (1, 1, "-") for w in warnings)


def test_an_open_initiative_answers_its_gap_a_done_one_does_not(workspace):
    root = _gap_workspace(workspace, """\
initiatives:
  - {skill: prospecting, what: Outbound clinic, status: active}
  - {skill: deal-strategy, what: MAP template, status: done}
  - {skill: business-outcomes, what: ROI workshop, status: Planned, due: 2026-11-01}
""")
    messages = [(w.path, w.message) for w in _team_warnings(root)]
    assert any(path == "initiatives" and "Deal strategy" in message
               for path, message in messages)
    assert not any("on Prospecting" in message or "on Business outcomes" in message
                   for _, message in messages)
    assert ("initiatives[2].due", "initiative overdue since 2026-11-01: ROI workshop") in messages


def test_an_initiative_on_an_unknown_skill_is_an_error(workspace):
    from reportgen.problems import DataError

    root = _gap_workspace(workspace, "initiatives:\n  - {skill: prospectin, what: X}\n")
    with pytest.raises(DataError) as caught:
        load_workspace(root)
    assert "initiatives[0].skill: unknown skill 'prospectin'; did you mean 'prospecting'?" in (
        str(caught.value))


def test_an_initiative_needs_what(workspace):
    from reportgen.problems import DataError

    root = _gap_workspace(workspace, "initiatives:\n  - {skill: prospecting}\n")
    with pytest.raises(DataError) as caught:
        load_workspace(root)
    assert "initiatives[0]" in str(caught.value) and "what" in str(caught.value)


# ------------------------------------------------------------------------ on the scorecard

def test_warning_labels_say_what_the_warnings_are():
    from reportgen.problems import Problem, Severity
    from reportgen.warning_labels import warning_labels

    def warning(path: str) -> Problem:
        return Problem("r.yaml", 1, 1, Severity.WARNING, path, "…")

    found = (warning("skills.qualification.assessed"), warning("skills.prospecting.assessed"),
             warning("fixes[0].actions[1].due"), warning("skills"), warning("fixes"),
             warning("results.best_case"), warning("one_on_ones[0].notes"))
    assert [str(label) for label in warning_labels(found, unassessed=4)] == [
        "2 stale ratings", "1 overdue action", "4 skills unassessed", "over two active fixes",
        "best case below commit", "1 other"]
    assert warning_labels(()) == []


def test_the_chart_numbers_each_plotted_rep_and_dashes_the_ramping_ones():
    from reportgen.capability import PersonPoint
    from reportgen.capability_chart import people_chart

    points = [PersonPoint("a", "A", Fraction(1), Fraction(1), 7, 7, False, False),
              PersonPoint("b", "B", Fraction(3), Fraction(1, 2), 2, 7, True, False),
              PersonPoint("c", "C", None, Fraction(1), 7, 7, False, True)]
    svg = str(people_chart(list(enumerate(points, start=1)), 1, 5, 4))
    assert svg.count("<circle") == 1  # A; B is above 200 % (a triangle); C has no quota
    assert svg.count("<path") == 1 and 'stroke-dasharray="2.5 1.5"' in svg
    import re

    numbers = re.findall(r'font-size="12.5" font-weight="700" fill="#1b2430"[^>]*>(\d+)</text>',
                         svg)
    assert numbers == ["1", "2"]
    for quadrant in ("Stars", "Results ahead of skills", "Skilled but stuck", "Needs a plan"):
        assert quadrant in svg


def test_a_forecast_key_a_typo_away_is_an_error(workspace):
    from reportgen.problems import DataError

    root = workspace(reps={"ann": REP_YAML.replace("  pipeline: 150000",
                                                   "  pipeline: 150000\n  best-case: 9")})
    with pytest.raises(DataError) as caught:
        load_workspace(root)
    assert "results.best-case: unknown figure 'best-case'; did you mean 'best_case'?" in str(
        caught.value)
