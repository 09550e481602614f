"""The forecast and the honest number: pure figures from the reps' results.

*Commit* is what a rep commits to close this period on top of what is closed; *best
case* is commit plus the upside, so it is never below commit. The team's forecast is
closed + commit (and closed + best case) summed over every rep file, reps who left
included (their closed business still counts). The manager's number is set apart from
the reps' quotas: the reps' quotas added up say whether it is over-assigned (the reps
carry more than the manager's number: a cushion) or under-assigned (part of the number
sits on nobody's quota). Sums are exact, like every other figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from reportgen.coaching import Amount, Finding, RepFigures, attainment, exact, plain_number
from reportgen.i18n import N_, Figure
from reportgen.model import Rep


@dataclass(frozen=True)
class RepForecast:
    commit: Amount  # 0 when not recorded
    best_case: Amount  # 0 when not recorded
    forecast_commit: Amount  # closed + commit
    forecast_best_case: Amount  # closed + best case
    commit_attainment: Fraction | None  # forecast_commit ÷ quota; None for quota 0
    best_case_attainment: Fraction | None


@dataclass(frozen=True)
class TeamForecast:
    quota: Amount  # the manager's number
    rep_quota_sum: Amount  # the reps' quotas added up
    assignment: Amount  # rep_quota_sum − quota: above 0 over-assigned, below 0 under
    forecast_commit: Amount
    forecast_best_case: Amount
    commit_attainment: Fraction | None  # against the manager's number
    best_case_attainment: Fraction | None
    commit_gap: Amount  # what is still to find beyond closed + commit

    @property
    def over_assigned(self) -> bool:
        return self.assignment > 0

    @property
    def under_assigned(self) -> bool:
        return self.assignment < 0

    @property
    def assignment_size(self) -> Amount:
        """How far apart the two numbers are, whichever way."""
        return plain_number(abs(exact(self.assignment)))

    @property
    def assignment_ratio(self) -> Fraction | None:
        """rep_quota_sum ÷ the manager's number (1 = exactly assigned)."""
        return attainment(self.rep_quota_sum, self.quota)


def _sum(amounts: list[Amount]) -> Amount:
    return plain_number(sum((exact(amount) for amount in amounts), Fraction(0)))


def rep_forecast(rep: Rep) -> RepForecast:
    commit = rep.results.commit or 0
    best_case = rep.results.best_case or 0
    forecast_commit = _sum([rep.results.closed, commit])
    forecast_best_case = _sum([rep.results.closed, best_case])
    return RepForecast(commit, best_case, forecast_commit, forecast_best_case,
                       attainment(forecast_commit, rep.quota),
                       attainment(forecast_best_case, rep.quota))


def forecast_findings(rep: Rep, figures: RepFigures) -> tuple[Finding, ...]:
    """What is wrong with the forecast a rep file records."""
    findings = []
    commit, best_case = rep.results.commit, rep.results.best_case
    if commit is not None and best_case is not None and exact(best_case) < exact(commit):
        findings.append(Finding(
            ("results", "best_case"),
            N_("best case %(best_case)s is below commit %(commit)s; the best case includes the"
               " commit, so it is at least the commit", best_case=Figure(best_case),
               commit=Figure(commit))))
    elif commit and best_case is None:
        findings.append(Finding(
            ("results", "commit"),
            N_("commit is set but best_case is not (it counts as 0); the best case includes"
               " the commit, so set results.best_case to at least the commit")))
    if figures.departed and rep.departed is not None and any(
            (rep.results.pipeline, commit, best_case)):
        findings.append(Finding(
            ("departed",),
            N_("left on %(day)s with open pipeline, commit or best case still in this file;"
               " move those deals to the reps who took them over", day=rep.departed)))
    return tuple(findings)


def team_forecast(quota: Amount, reps: list[tuple[Rep, RepForecast]]) -> TeamForecast:
    rep_quota_sum = _sum([rep.quota for rep, _ in reps])
    forecast_commit = _sum([forecast.forecast_commit for _, forecast in reps])
    forecast_best_case = _sum([forecast.forecast_best_case for _, forecast in reps])
    return TeamForecast(
        quota=quota, rep_quota_sum=rep_quota_sum,
        assignment=plain_number(exact(rep_quota_sum) - exact(quota)),
        forecast_commit=forecast_commit, forecast_best_case=forecast_best_case,
        commit_attainment=attainment(forecast_commit, quota),
        best_case_attainment=attainment(forecast_best_case, quota),
        commit_gap=plain_number(max(exact(quota) - exact(forecast_commit), Fraction(0))))

