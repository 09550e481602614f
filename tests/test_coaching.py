"""Every coaching figure against values worked out by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from reportgen import coaching
from reportgen.model import Rep, Team

AS_OF = date(2026, 11, 15)
PERIOD = {"name": "Q4", "start": date(2026, 10, 1), "end": date(2026, 12, 31)}  # 92 days


def team(**fields) -> Team:
    return Team.model_validate({"name": "T", "manager": "Dana Whitfield", "period": PERIOD,
                                **fields})


def rep(**fields) -> Rep:
    data = {"name": "R", "quota": 100, "results": {"closed": 50}}
    data.update(fields)
    return Rep.model_validate(data)


def test_period_elapsed_counts_both_ends():
    # 2026-11-15 is day 46 of 92.
    assert coaching.period_elapsed(PERIOD["start"], PERIOD["end"], AS_OF) == Fraction(46, 92)
    assert coaching.period_elapsed(PERIOD["start"], PERIOD["end"], PERIOD["start"]) == \
        Fraction(1, 92)
    assert coaching.period_elapsed(PERIOD["start"], PERIOD["end"], PERIOD["end"]) == 1


def test_period_elapsed_is_clipped_before_and_after_the_period():
    assert coaching.period_elapsed(PERIOD["start"], PERIOD["end"], date(2026, 9, 1)) == 0
    assert coaching.period_elapsed(PERIOD["start"], PERIOD["end"], date(2027, 2, 1)) == 1


def test_attainment_pace_remaining_coverage():
    figures = coaching.rep_figures(rep(results={"closed": 40, "pipeline": 90}), team(), AS_OF)
    assert figures.attainment == Fraction(2, 5)
    assert figures.elapsed == Fraction(1, 2)
    assert figures.on_pace is False
    assert figures.remaining == 60
    assert figures.coverage == Fraction(3, 2)
    assert figures.needs_attention is True
    assert figures.projected == Fraction(4, 5)
    # 46 days left after 15 November: 60 / (46 / 7) per week.
    assert figures.needed_per_week == pytest.approx(60 * 7 / 46)


def test_on_pace_is_exact_at_the_tie():
    # Attainment exactly equals elapsed (46/92 = 1/2): on pace, with no float rounding.
    figures = coaching.rep_figures(rep(quota=92, results={"closed": 46, "pipeline": 1000}),
                                   team(), AS_OF)
    assert figures.on_pace is True
    assert figures.needs_attention is False


def test_on_pace_tie_that_floats_get_wrong():
    # 0.1 + 0.2 style: closed 30 of 300 after 1/10 of a 10-day period.
    short = team(period={"name": "P", "start": date(2026, 1, 1), "end": date(2026, 1, 10)})
    figures = coaching.rep_figures(rep(quota=300, results={"closed": 30, "pipeline": 3000}),
                                   short, date(2026, 1, 1))
    assert figures.attainment == figures.elapsed == Fraction(1, 10)
    assert figures.on_pace is True


def test_coverage_below_target_needs_attention_even_on_pace():
    figures = coaching.rep_figures(rep(results={"closed": 60, "pipeline": 100}), team(), AS_OF)
    assert figures.on_pace is True
    assert figures.coverage == Fraction(100, 40)
    assert figures.needs_attention is True


def test_quota_met_and_exceeded():
    figures = coaching.rep_figures(rep(results={"closed": 130}), team(), AS_OF)
    assert figures.attainment == Fraction(13, 10)
    assert figures.remaining == 0
    assert figures.coverage is None
    assert figures.quota_met is True
    assert figures.needs_attention is False
    met = coaching.rep_figures(rep(results={"closed": 100}), team(), AS_OF)
    assert met.quota_met is True and met.coverage is None and met.on_pace is True


def test_quota_zero_is_not_applicable():
    figures = coaching.rep_figures(rep(quota=0, results={"closed": 10, "pipeline": 5}),
                                   team(), AS_OF)
    assert figures.attainment is None
    assert figures.on_pace is None
    assert figures.coverage is None
    assert figures.needs_attention is False
    assert figures.projected is None


def test_no_pipeline_means_zero_coverage():
    figures = coaching.rep_figures(rep(results={"closed": 90}), team(), AS_OF)
    assert figures.coverage == 0
    assert figures.needs_attention is True


def test_as_of_before_and_after_the_period():
    before = coaching.rep_figures(rep(results={"closed": 0, "pipeline": 400}), team(),
                                  date(2026, 9, 1))
    assert before.elapsed == 0 and before.on_pace is True and before.projected is None
    assert before.needed_per_week == pytest.approx(100 / (92 / 7))
    after = coaching.rep_figures(rep(results={"closed": 99, "pipeline": 400}), team(),
                                 date(2027, 1, 10))
    assert after.elapsed == 1 and after.on_pace is False and after.needed_per_week is None


def test_mid_period_hire_is_judged_from_start_date():
    hire = rep(start_date=date(2026, 11, 1), results={"closed": 20, "pipeline": 900})
    figures = coaching.rep_figures(hire, team(), AS_OF)
    # 1 Nov to 31 Dec is 61 days; 15 Nov is day 15.
    assert figures.elapsed == Fraction(15, 61)
    assert figures.on_pace is False  # 0.20 < 0.2459
    earlier_hire = rep(start_date=date(2026, 9, 1))
    assert coaching.rep_figures(earlier_hire, team(), AS_OF).elapsed == Fraction(1, 2)


def test_impact_scores_and_next_fixes_with_weights_and_ties():
    custom = team(skills=[
        {"id": "a", "name": "A", "weight": 1.5},
        {"id": "b", "name": "B"},
        {"id": "c", "name": "C", "weight": 0.5},
        {"id": "d", "name": "D"},
    ])
    # target 4: gaps a=1 (1.5), b=2 (2.0), c=4? no: ratings below.
    person = rep(skills={"a": 3, "b": 2, "c": 1, "d": 2})
    figures = coaching.rep_figures(person, custom, AS_OF)
    scores = {standing.skill.id: standing.impact for standing in figures.skills}
    assert scores == {"a": 1.5, "b": 2.0, "c": 1.5, "d": 2.0}
    # b and d tie at 2.0: framework order keeps b first; at most two.
    assert [standing.skill.id for standing in figures.next_fixes] == ["b", "d"]


def test_next_fixes_skip_planned_and_active_but_not_done_or_dropped():
    person = rep(
        skills={"prospecting": 1, "qualification": 2, "deal-strategy": 3},
        fixes=[{"skill": "prospecting", "status": "planned"},
               {"skill": "qualification", "status": "done"},
               {"skill": "deal-strategy", "status": "dropped"}])
    figures = coaching.rep_figures(person, team(), AS_OF)
    assert [standing.skill.id for standing in figures.next_fixes] == [
        "qualification", "deal-strategy"]


def test_next_fixes_suggest_two_even_with_fixes_in_flight():
    person = rep(skills={"prospecting": 1, "qualification": 1, "deal-strategy": 1,
                         "time-management": 1},
                 fixes=[{"skill": "prospecting"}, {"skill": "qualification"}])
    figures = coaching.rep_figures(person, team(), AS_OF)
    assert [s.skill.id for s in figures.next_fixes] == ["deal-strategy", "time-management"]


def test_impact_rounded_to_six_decimals():
    custom = team(skills=[{"id": "a", "name": "A", "weight": 0.1}])
    figures = coaching.rep_figures(rep(skills={"a": 1}), custom, AS_OF)
    assert figures.skills[0].impact == 0.3  # 0.1 * 3 = 0.30000000000000004 unrounded


def test_custom_ten_point_scale():
    ten = team(scale={"min": 1, "max": 10, "target": 8},
               skills=[{"id": "x", "name": "X", "weight": 2}, {"id": "y", "name": "Y"}])
    figures = coaching.rep_figures(rep(skills={"x": 5, "y": 9}), ten, AS_OF)
    assert [(s.gap, s.impact) for s in figures.skills] == [(3, 6.0), (0, 0.0)]
    assert [s.skill.id for s in figures.next_fixes] == ["x"]


def test_unassessed_skills_are_one_warning_naming_them():
    figures = coaching.rep_figures(rep(skills={"prospecting": 3}), team(), AS_OF)
    unassessed = [f for f in figures.findings if str(f.message).startswith("not yet assessed")]
    assert len(unassessed) == 1
    assert str(unassessed[0].message) == (
        "not yet assessed: Qualification, Deal strategy, High-impact calls, Business outcomes,"
        " Time management, Use of resources")
    assert all(s.impact is None for s in figures.skills[1:])


def test_stale_is_strictly_older_than_the_limit():
    person = rep(skills={
        "prospecting": {"rating": 3, "assessed": date(2026, 8, 17)},  # 90 days: fresh
        "qualification": {"rating": 3, "assessed": date(2026, 8, 16)},  # 91 days: stale
        "deal-strategy": 3,  # bare rating: never stale
    })
    figures = coaching.rep_figures(person, team(), AS_OF)
    assert [s.stale for s in figures.skills[:3]] == [False, True, False]
    stale = [f for f in figures.findings if "stale" in str(f.message)]
    assert [f.path for f in stale] == [("skills", "qualification", "assessed")]


def test_overdue_actions_only_on_open_fixes():
    person = rep(fixes=[
        {"skill": "prospecting", "actions": [
            {"do": "late", "due": date(2026, 11, 14)},
            {"do": "due today", "due": date(2026, 11, 15)},
            {"do": "finished", "due": date(2026, 11, 1), "done": True}]},
        {"skill": "qualification", "status": "done", "actions": [
            {"do": "old", "due": date(2026, 10, 1)}]},
        {"skill": "deal-strategy", "status": "planned", "actions": [
            {"do": "planned late", "due": date(2026, 10, 1)}]},
    ])
    figures = coaching.rep_figures(person, team(), AS_OF)
    overdue = [f.path for f in figures.findings if str(f.message).startswith("action overdue")]
    assert overdue == [("fixes", 0, "actions", 0, "due"), ("fixes", 2, "actions", 0, "due")]


def test_rule_of_two():
    three = rep(fixes=[{"skill": "prospecting"}, {"skill": "qualification"},
                       {"skill": "deal-strategy"}, {"skill": "time-management",
                                                    "status": "planned"}])
    messages = [str(f.message) for f in coaching.rep_figures(three, team(), AS_OF).findings]
    assert "3 active fixes; focus on one or two (set the others to planned)" in messages
    two = rep(fixes=[{"skill": "prospecting"}, {"skill": "qualification"}])
    assert not any("active fixes" in str(f.message)
                   for f in coaching.rep_figures(two, team(), AS_OF).findings)


def _team_figures(the_team: Team, reps: dict[str, Rep]) -> coaching.TeamFigures:
    rows = [(rep_id, person, coaching.rep_figures(person, the_team, AS_OF))
            for rep_id, person in reps.items()]
    return coaching.team_figures(the_team, rows, AS_OF)


def test_team_totals_and_gap_to_the_managers_number():
    reps = {"a": rep(quota=100, results={"closed": 80}),
            "b": rep(quota=300, results={"closed": 100, "pipeline": 50})}
    summed = _team_figures(team(), reps)
    assert (summed.quota, summed.closed, summed.gap) == (400, 180, 220)
    assert summed.attainment == Fraction(180, 400)
    assert summed.on_pace is False
    own = _team_figures(team(quota=150), reps)
    assert own.quota == 150 and own.gap == 0 and own.attainment == Fraction(180, 150)
    zero = _team_figures(team(quota=0), reps)
    assert zero.attainment is None and zero.on_pace is None


def test_team_wide_gaps():
    reps = {
        "a": rep(skills={"prospecting": 3, "qualification": 4, "deal-strategy": 3}),
        "b": rep(skills={"prospecting": 4, "qualification": 4,
                         "deal-strategy": {"rating": 2, "assessed": date(2025, 1, 1)}}),
        "c": rep(skills={"prospecting": 5, "qualification": 2}),
        "d": rep(skills={"prospecting": 5, "qualification": 5}),
    }
    gaps = _team_figures(team(), reps).team_wide_gaps
    # prospecting: 1 of 4 below; qualification: 1 of 4; deal-strategy: 2 of 2 (stale counts).
    assert [(g.skill.id, g.rated, g.below_target) for g in gaps] == [
        ("deal-strategy", 2, ("a", "b"))]
    half = _team_figures(team(), {"a": rep(skills={"prospecting": 3}),
                                  "b": rep(skills={"prospecting": 4})}).team_wide_gaps
    assert [g.skill.id for g in half] == ["prospecting"]
    one_rep = _team_figures(team(), {"a": rep(skills={"prospecting": 1})}).team_wide_gaps
    assert one_rep == ()


def test_managers_roadblocks_oldest_first():
    reps = {
        "a": rep(roadblocks=[
            {"issue": "legal", "owner": "Manager", "raised": date(2026, 11, 1)},
            {"issue": "mine", "owner": "rep", "raised": date(2026, 9, 1)},
            {"issue": "done", "owner": "manager", "raised": date(2026, 9, 1),
             "resolved": date(2026, 10, 1)}]),
        "b": rep(roadblocks=[
            {"issue": "pricing", "owner": "dana whitfield", "raised": date(2026, 10, 20)},
            {"issue": "undated", "owner": "manager"}]),
    }
    blocks = _team_figures(team(), reps).manager_roadblocks
    assert [(b.rep_id, b.roadblock.issue, b.age_days) for b in blocks] == [
        ("b", "pricing", 26), ("a", "legal", 14), ("b", "undated", None)]


def test_decimal_amounts_compare_exactly():
    # 0.3 of a 1.0 quota after 3 of 10 days is exactly on pace; 0.77 / 0.7 is exactly
    # 1.1, the coverage target. Binary floats get both of these wrong.
    ten_days = team(period={"name": "P", "start": date(2026, 1, 1), "end": date(2026, 1, 10)},
                    coverage_target=1.1)
    figures = coaching.rep_figures(rep(quota=1, results={"closed": 0.3, "pipeline": 0.77}),
                                   ten_days, date(2026, 1, 3))
    assert figures.attainment == figures.elapsed == Fraction(3, 10)
    assert figures.on_pace is True
    assert figures.coverage == Fraction(11, 10)
    assert figures.needs_attention is False
    assert figures.remaining == 0.7


def test_team_sums_are_exact():
    reps = {"a": rep(quota=0.1, results={"closed": 0.1}),
            "b": rep(quota=0.2, results={"closed": 0.2})}
    figures = _team_figures(team(), reps)
    assert figures.quota == 0.3 and figures.closed == 0.3
    assert figures.attainment == 1 and figures.gap == 0
