"""The plan is a handout for the rep: what it says, and what it must never say."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

from reportgen.build import BuildOptions, build
from tests.conftest import REP_YAML
from tests.test_build import REPS, pdf_text

AS_OF = date(2026, 11, 26)

# Words that only make sense to the manager editing the YAML file.
MANAGER_ONLY = ["the file", "tidy up", "set the others to planned", "reassess",
                "Pick one from", "yaml", "impact 3", "×1.5", "warning"]


class _Text(HTMLParser):
    """The text a reader sees (not what is inside <style> or <head>)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "head", "script"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "head", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def assert_reads_right_to_the_rep(text: str, warnings: list[str]) -> None:
    lowered = text.lower()
    for phrase in MANAGER_ONLY:
        assert phrase.lower() not in lowered, phrase
    for message in warnings:
        # Any 25 characters of a warning's wording give it away.
        assert message[:25].lower() not in lowered, message


def test_no_manager_only_text_on_any_example_plan(example_build):
    out, report = example_build
    warnings = [warning.message for warning in report.warnings]
    assert len(warnings) == 8
    for rep in REPS:
        html = (out / "west-enterprise" / "reps" / f"{rep}.html").read_text(encoding="utf-8")
        assert_reads_right_to_the_rep(visible_text(html), warnings)
        assert_reads_right_to_the_rep(pdf_text(out / "west-enterprise" / "reps"
                                               / f"{rep}.pdf")[1], warnings)
    # The warnings stay where the manager works: on their team's scorecard, as a page
    # words them (dates as the page writes dates; the build's report has the terminal's).
    from reportgen.analysis import analyse
    from reportgen.history import read_history
    from reportgen.i18n import ENGLISH
    from reportgen.workspace import load_workspace
    from tests.conftest import EXAMPLE

    analysis = analyse(load_workspace(EXAMPLE), AS_OF, read_history(EXAMPLE))
    shown = {(warning.file, warning.line): warning.shown for team in analysis.teams
             for warning in (*team.warnings, *(w for rep in team.reps for w in rep.warnings))}
    for warning in report.warnings:
        team_id = warning.file.split("/")[1]
        scorecard = visible_text((out / team_id / "scorecard.html").read_text())
        page_words = ENGLISH(shown.get((warning.file, warning.line), warning.message))
        assert page_words[:40] in scorecard, warning.message


EVERY_WARNING = REP_YAML.replace("  prospecting: 3\n", "") + """\
start_date: 2027-02-01
fixes:
  - {skill: qualification, status: active, actions: [{do: Old step, due: 2026-10-01}]}
  - {skill: deal-strategy, status: active}
  - {skill: business-outcomes, status: active}
one_on_ones:
  - date: 2026-10-10
    actions:
      - {do: Send the deck, owner: manager, due: 2026-10-20}
"""


def test_no_warning_of_any_kind_reaches_the_plan(workspace, tmp_path):
    stale = REP_YAML.replace("  qualification: 4\n",
                             "  qualification: {rating: 4, assessed: 2026-01-05}\n")
    root = workspace(reps={"ann": EVERY_WARNING, "bob": stale})
    report = build(root, BuildOptions(as_of=AS_OF, out=tmp_path / "out", formats=("html",)))
    messages = [warning.message for warning in report.warnings]
    kinds = ["not yet assessed", "overdue since 2026-10-01", "3 active fixes",
             "starts after the period", "manager's one-on-one action overdue",
             "assessed 325 days ago"]
    assert all(any(kind in message for message in messages) for kind in kinds), messages
    for rep in ("ann", "bob"):
        html = (tmp_path / "out" / "core" / "reps" / f"{rep}.html").read_text()
        assert_reads_right_to_the_rep(visible_text(html), messages)


EMPTY_REP = """\
name: Ann Lee
quota: 0
results:
  closed: 0
"""


def test_a_plan_with_every_section_empty_still_reads_well(workspace, tmp_path):
    root = workspace(reps={"ann": EMPTY_REP})
    out = tmp_path / "out"
    build(root, BuildOptions(as_of=AS_OF, out=out))
    pages, text = pdf_text(out / "core" / "reps" / "ann.pdf")
    assert pages == 1
    for expected in ["Ann Lee", "closed · no quota set for this period",
                     "Once your skills are rated, we choose together what to work on.",
                     "No skill in focus yet: today we choose one together",
                     "not rated yet", "AGREED TODAY 26 Nov 2026",
                     "BEFORE OUR NEXT ONE-ON-ONE", "NEXT ONE-ON-ONE",
                     "Ann Lee · rep", "Dana Whitfield · manager", "Date"]:
        assert expected in text, expected
    for absent in ["None", "OPEN FROM LAST TIME", "TO TALK THROUGH", "GOALS",
                   "ROADBLOCKS", "LATEST ONE-ON-ONES", "Later:", "n/a"]:
        assert absent not in text, absent
    assert_reads_right_to_the_rep(text, [])
    html = (out / "core" / "reps" / "ann.html").read_text()
    # No heading is left without anything under it.
    assert not re.search(r"</h2>\s*</section>", html)


def test_next_up_only_while_fewer_than_two_fixes_are_active(workspace, tmp_path):
    one = REP_YAML + "fixes:\n  - {skill: deal-strategy, status: active}\n"
    two = one + "  - {skill: prospecting, status: active}\n"
    root = workspace(reps={"one": one, "two": two})
    build(root, BuildOptions(as_of=AS_OF, out=tmp_path / "out", formats=("html",)))
    one_text = visible_text((tmp_path / "out/core/reps/one.html").read_text())
    two_text = visible_text((tmp_path / "out/core/reps/two.html").read_text())
    # Ann: prospecting 3 and business-outcomes 3 are 1 below target 4, weight 1 each.
    assert "Next up" in one_text
    assert ("Prospecting rated 3, 1 point below the target of 4" in one_text)
    assert "Next up" not in two_text
    assert "Later: Business outcomes, once a skill in focus is done." in two_text


def test_planned_fixes_show_their_steps(workspace, tmp_path):
    rep = REP_YAML + """\
fixes:
  - skill: deal-strategy
    focus: Mutual action plans
    status: planned
    started: 2026-12-01
    actions:
      - {do: Draft the first plan with the champion, due: 2026-12-05}
"""
    root = workspace(reps={"ann": rep})
    build(root, BuildOptions(as_of=AS_OF, out=tmp_path / "out", formats=("html",)))
    text = visible_text((tmp_path / "out/core/reps/ann.html").read_text())
    assert "Planned" in text and "Mutual action plans" in text
    assert "starts 1 Dec 2026" in text
    assert "Draft the first plan with the champion 5 Dec 2026" in text


def test_a_future_one_on_one_is_the_next_meeting_on_the_plan(workspace, tmp_path):
    rep = REP_YAML + """\
one_on_ones:
  - date: 2026-11-10
    notes: Held and written up.
    acknowledged: true
    actions:
      - {do: Call the CFO, due: 2026-11-30}
      - {do: Book the legal review, owner: manager}
      - {do: Already done, done: true}
  - date: 2026-12-03
    notes: Pricing review.
    actions:
      - {do: Bring the pricing sheet, due: 2026-12-02}
"""
    root = workspace(reps={"ann": rep})
    build(root, BuildOptions(as_of=AS_OF, out=tmp_path / "out", formats=("html",)))
    html = (tmp_path / "out/core/reps/ann.html").read_text()
    text = visible_text(html)
    latest = text[text.index("Latest one-on-ones"):text.index("Agreed today")]
    assert "Held and written up." in latest and "✓ agreed" in latest
    assert "Pricing review." not in latest and "3 Dec 2026" not in latest
    assert "Next one-on-one 3 Dec 2026 To cover Pricing review." in text
    open_part = text[text.index("Open from last time"):text.index("Focus now")]
    assert "Call the CFO You 10 Nov 2026 30 Nov 2026" in open_part
    assert "Book the legal review Dana Whitfield 10 Nov 2026" in open_part
    assert "Already done" not in text
    before = text[text.index("Before our next one-on-one"):text.index("Next one-on-one 3")]
    assert "Bring the pricing sheet by 2 Dec 2026" in before


def test_money_reads_alike_on_one_plan(workspace, tmp_path):
    whole = REP_YAML.replace("quota: 100000", "quota: 100001")  # 50,001 left
    cents = REP_YAML.replace("closed: 50000", "closed: 50000.5")
    root = workspace(reps={"whole": whole, "cents": cents})
    build(root, BuildOptions(as_of=AS_OF, out=tmp_path / "out", formats=("html",)))
    whole_text = visible_text((tmp_path / "out/core/reps/whole.html").read_text())
    cents_text = visible_text((tmp_path / "out/core/reps/cents.html").read_text())
    # 50,001 over 35 days = 10,000.2 a week: shown whole, rounded up, like the rest.
    assert "Needed / week $10,001" in whole_text
    assert not re.search(r"\$[\d,]+\.\d\d", whole_text)
    # One amount with cents: every amount shows cents.
    for amount in ("$100,000.00 quota", "$50,000.50 closed", "Remaining $49,999.50",
                   "Pipeline $150,000.00"):
        assert amount in cents_text, amount


def test_ratings_read_you_and_manager(workspace, tmp_path):
    rep = REP_YAML.replace("  prospecting: 3\n", "  prospecting: {rating: 3, self: 5}\n"
                           ).replace("  qualification: 4\n",
                                     "  qualification: {rating: 4, self: 3}\n")
    root = workspace(reps={"ann": rep})
    build(root, BuildOptions(as_of=AS_OF, out=tmp_path / "out", formats=("html",)))
    text = visible_text((tmp_path / "out/core/reps/ann.html").read_text())
    assert "You 5 · Manager 3" in text and "You 3 · Manager 4" in text
    assert "Manager 2" in text  # deal strategy: no self-rating
    talk = text[text.index("To talk through"):text.index("Skill profile")]
    assert "Prospecting : you rate yourself 5, Dana Whitfield rates you 3" in talk
    assert "Qualification" not in talk  # one point apart
    scorecard = (tmp_path / "out/core/scorecard.html").read_text()
    assert scorecard.count('class="self-mark"') == 1


def test_example_notes_typed_as_lists_render_as_lists(example_build):
    out, _ = example_build
    plans = {rep: (out / "west-enterprise" / "reps" / f"{rep}.html").read_text()
             for rep in REPS}
    notes = {rep: html[html.index('id="notes-title"'):] for rep, html in plans.items()}
    # Every plan whose latest notes hold a list typed under a line of text shows it.
    assert "<ol>" in notes["priya-raman"] and "<ul>" in notes["tomas-alvarez"]
    assert "<ul>" in notes["sofia-petrova"] and "<ul>" in notes["marcus-okafor"]
    # No list flattened into its paragraph, nor its markers shown as text.
    assert not any(re.search(r"(<br>|\. )\s*(- |\d\. )", note) for note in notes.values())


def test_scorecard_lists_what_the_manager_owes_oldest_first(example_build):
    out, _ = example_build
    text = visible_text((out / "west-enterprise" / "scorecard.html").read_text())
    owed = text[text.index("You owe"):text.index("To tidy up in the files")]
    first, second = (owed.index("Escalate the Meridian MSA"),
                     owed.index("Get the SE lead to walk through"))
    assert first < second < owed.index("Make the introduction to the partner manager")
    assert "Book a recorded-call review with Maya" not in owed  # done


def test_the_agreement_ends_every_example_plan_on_one_page(example_build):
    import pypdf

    out, _ = example_build
    for rep in REPS:
        reader = pypdf.PdfReader(out / "west-enterprise" / "reps" / f"{rep}.pdf")
        pages = [" ".join(page.extract_text().split()) for page in reader.pages]
        assert len(pages) == 2, rep  # the agreement uses the second page's room
        last = pages[-1]
        start = last.index("AGREED TODAY")
        assert "BEFORE OUR NEXT ONE-ON-ONE" in last[start:]
        assert "NEXT ONE-ON-ONE" in last[start:] and "· rep" in last[start:]
        assert all("AGREED TODAY" not in page for page in pages[:-1])
