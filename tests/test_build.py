"""`reportgen build` end to end: what a manager gets, and what must never be in it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from reportgen.build import BuildOptions, build
from reportgen.cli import cli
from reportgen.workspace import load_workspace
from tests.conftest import AS_OF, EXAMPLE, REP_YAML, REPO, TEAM_YAML

REPS = ["jamal-washington", "marcus-okafor", "maya-chen", "priya-raman", "sofia-petrova",
        "tomas-alvarez"]
GOLDEN = REPO / "tests" / "golden"


def pdf_text(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def test_every_output_is_written(example_build):
    out, report = example_build
    expected = {"index.html", "west-enterprise/scorecard.html", "west-enterprise/scorecard.pdf"}
    expected |= {f"west-enterprise/reps/{rep}.{fmt}" for rep in REPS for fmt in ("html", "pdf")}
    assert expected <= set(report.built)
    for output in expected:
        assert (out / output).stat().st_size > 1000
    assert (out / "_assets" / "reportgen.css").is_file()
    assert (out / "_assets" / "fonts" / "Inter-Regular.otf").is_file()


def test_no_renderer_warnings_in_a_normal_build(example_build):
    _, report = example_build
    assert [w for w in report.warnings if "PDF renderer" in w.message or "refused" in w.message
            ] == []
    # The intended data warnings of the example, nothing else.
    assert len(report.warnings) == 8


@pytest.mark.parametrize("rep", REPS)
def test_plan_pdf_fits_two_pages_and_shows_the_figures(example_build, rep):
    out, _ = example_build
    pages, text = pdf_text(out / "west-enterprise" / "reps" / f"{rep}.pdf")
    assert 1 <= pages <= 2
    model = next(r for r in load_workspace(EXAMPLE).teams[0].reps if r.id == rep).rep
    assert model.name in text
    assert "West Enterprise" in text and "Dana Whitfield" in text
    attainment = f"{round(100 * model.results.closed / model.quota)}%"
    assert attainment in text
    assert f"${model.quota:,}" in text
    assert f"Page 1 of {pages}" in text


def test_priya_plan_carries_the_method(example_build):
    out, _ = example_build
    _, text = pdf_text(out / "west-enterprise" / "reps" / "priya-raman.pdf")
    assert "28%" in text and "behind pace" in text
    assert "1.7×" in text  # coverage 610k / 360k
    assert "OVERDUE" in text
    # Two fixes active: the next ones are one "later" line, in rank order (weight 1.5 ×
    # gap 2 before weight 1 × gap 2), with no unexplained score.
    assert "Later: Deal strategy, then Business outcomes" in text
    assert "impact 3" not in text and "×1.5" not in text
    assert "Legal redlines take 3 weeks" in text
    assert "COMMIT $40,000 36% with closed" in text  # (140,000 + 40,000) / 500,000
    assert "BEST CASE $160,000 60% with closed" in text
    assert "OPEN FROM LAST TIME" in text and "Escalate the Meridian MSA" in text
    assert "You 3 · Manager 2".upper() in text.upper()  # prospecting: self 3, manager 2


def test_sofia_plan_raises_three_fixes_and_her_self_rating_as_topics(example_build):
    out, _ = example_build
    _, text = pdf_text(out / "west-enterprise" / "reps" / "sofia-petrova.pdf")
    assert "3 skills in focus at once" in text
    assert "Deal strategy: you rate yourself 5, Dana Whitfield rates you 3" in text
    assert "Next one-on-one 1 Dec 2026".upper() in text.upper()


def test_scorecard_shows_the_team_against_the_managers_number(example_build):
    out, _ = example_build
    pages, text = pdf_text(out / "west-enterprise" / "scorecard.pdf")
    assert pages <= 3
    assert "$3,300,000" in text and "$2,090,000" in text and "63%" in text
    assert "$1,210,000" in text  # gap to the number
    for name in ("Priya Raman", "Sofia Petrova", "Maya Chen", "Tomás Alvarez"):
        assert name in text
    assert "Qualification" in text and "Business outcomes" in text
    assert "Legal redlines take 3 weeks" in text  # a roadblock the manager owns
    # The forecast: closed 2,090,000 + commit 600,000; + best case 1,460,000.
    assert "Closed + commit $2,690,000 82%" in text and "Closed + best case $3,550,000 108%" in text
    # The reps' quotas: 3,050,000 + Ben's 150,000 against the number of 3,300,000.
    assert "under-assigned" in text and "$3,200,000, $100,000 less" in text
    assert "Left the team: Ben Carter (left 6 Nov 2026; $120,000 closed" in text
    # Another department's roadblock is listed with its age, not only the manager's.
    assert "Sales engineering" in text and "48 days" in text
    assert "Weekly deal-qualification clinic" in text  # the initiative under its gap
    for quadrant in ("Stars", "Results ahead of skills", "Skilled but stuck", "Needs a plan"):
        assert quadrant in text
    assert "1 overdue action" in text and "over two active fixes" in text  # warnings column


def _private_snippets() -> list[str]:
    snippets = []
    for team in load_workspace(EXAMPLE).teams:
        for rep in team.reps:
            texts = [a.private for a in rep.rep.skills.values() if a.private]
            texts += [m.private for m in rep.rep.one_on_ones if m.private]
            for text in texts:
                words = text.split()
                snippets.append(" ".join(words[:6]))
    return snippets


def test_nothing_private_reaches_any_output(example_build):
    out, _ = example_build
    snippets = _private_snippets()
    assert len(snippets) >= 5
    for path in out.rglob("*"):
        if path.suffix == ".html":
            content = " ".join(path.read_text(encoding="utf-8").split())
        elif path.suffix == ".pdf":
            content = pdf_text(path)[1]
        else:
            continue
        for snippet in snippets:
            assert snippet not in content, f"private text in {path}"


def test_golden_html(example_build, update_golden):
    out, _ = example_build
    pages = ["index.html", "west-enterprise/scorecard.html", "west-smb/scorecard.html",
             *[f"west-enterprise/reps/{rep}.html" for rep in REPS]]
    mismatched = []
    for page in pages:
        built = (out / page).read_text(encoding="utf-8")
        golden = GOLDEN / page
        if update_golden:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(built, encoding="utf-8")
        elif not golden.is_file() or golden.read_text(encoding="utf-8") != built:
            mismatched.append(page)
    assert mismatched == [], ("HTML differs from tests/golden (if the change is intended,"
                              " run pytest --update-golden and review the diff)")


def test_invalid_data_writes_nothing(workspace, tmp_path):
    root = workspace(reps={"ann": REP_YAML.replace("quota: 100000", "quota: lots")})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out), "--as-of", AS_OF])
    assert result.exit_code == 1
    assert "quota: expected an amount" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--team", "east"], "--team east: no such team"),
    (["--rep", "nobody"], "--rep nobody: no such rep"),
    (["--rep", "core/nobody"], "--rep core/nobody: no such rep"),
    (["--shard", "5/4"], "is not K/N"),
])
def test_unknown_selection_is_a_usage_error(workspace, tmp_path, args, message):
    root = workspace()
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(tmp_path / "o"),
                                      "--as-of", AS_OF, *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_html_only_build_for_one_rep(workspace, tmp_path):
    root = workspace(reps={"ann": REP_YAML, "bob": REP_YAML.replace("Ann Lee", "Bob Roy")})
    out = tmp_path / "out"
    report = build(root, BuildOptions(as_of=date(2026, 11, 15), out=out, formats=("html",),
                                      reps=("core/bob",)))
    assert "core/reps/bob.html" in report.built
    assert not (out / "core" / "reps" / "ann.html").exists()
    assert not list(out.rglob("*.pdf"))
    assert (out / "index.html").is_file()


def test_paper_size_from_team_and_flag(workspace, tmp_path, pdf_workers):
    root = workspace(team=TEAM_YAML + "paper: a4\n")
    out = tmp_path / "out"
    build(root, BuildOptions(as_of=date(2026, 11, 15), out=out, formats=("pdf",),
                             reps=("ann",)), workers=pdf_workers)
    box = pypdf.PdfReader(out / "core" / "reps" / "ann.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    build(root, BuildOptions(as_of=date(2026, 11, 15), out=out, formats=("pdf",),
                             reps=("ann",), paper="letter"), workers=pdf_workers)
    box = pypdf.PdfReader(out / "core" / "reps" / "ann.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_workspace_templates_override_by_name(workspace, tmp_path):
    root = workspace()
    own = root / "templates"
    (own / "assets").mkdir(parents=True)
    (own / "plan.html").write_text(
        '{% extends "plan_base.html" %}{% block notes %}<p>OUR OWN NOTES BLOCK</p>'
        "{% endblock %}", encoding="utf-8")
    builtin_css = (REPO / "templates" / "assets" / "reportgen.css").read_text()
    (own / "assets" / "reportgen.css").write_text(builtin_css + "\n/* ACME BRAND */\n")
    out = tmp_path / "out"
    build(root, BuildOptions(as_of=date(2026, 11, 15), out=out))
    plan = (out / "core" / "reps" / "ann.html").read_text()
    assert "OUR OWN NOTES BLOCK" in plan and "The numbers" in plan
    assert "ACME BRAND" in (out / "_assets" / "reportgen.css").read_text()
    assert "OUR OWN NOTES BLOCK" in pdf_text(out / "core" / "reps" / "ann.pdf")[1]


def test_money_and_dates_in_the_teams_currency(workspace, tmp_path):
    root = workspace(team=TEAM_YAML + "currency: EUR\n")
    out = tmp_path / "out"
    build(root, BuildOptions(as_of=date(2026, 11, 15), out=out, formats=("html",)))
    plan = (out / "core" / "reps" / "ann.html").read_text()
    assert "€100,000" in plan and "$" not in re.sub(r"<style>.*?</style>", "", plan, flags=re.S)
    assert "15 Nov 2026" in plan
