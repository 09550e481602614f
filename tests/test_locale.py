"""Every team in its own locale: figures and dates as CLDR writes them, whatever the machine.

Expected strings are what Babel's CLDR data gives (no-break space U+00A0, narrow
no-break space U+202F in French), checked once by eye against the locale's conventions.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen import formatting
from reportgen.cli import cli
from tests import pdf_layout
from tests.conftest import AS_OF, EXAMPLE, REPO, TEAM_YAML, write_workspace
from tests.gitrepo import Repo
from tests.test_phone_layout import PHONE, chromium  # noqa: F401  (the browser fixture)

NBSP, NNBSP = "\u00a0", "\u202f"
TEAM = "teams/core/team.yaml"

MONEY_CASES = [
    # locale, currency, amount, cents (None: as the amount needs), expected
    ("en_US", "USD", 1234500, None, "$1,234,500"),
    ("en_US", "USD", 1234.5, None, "$1,234.50"),
    ("en_US", "USD", -1234500, None, "−$1,234,500"),
    ("en_GB", "GBP", 1234500, None, "£1,234,500"),
    ("en_GB", "USD", 1234500, None, "US$1,234,500"),
    ("de_DE", "EUR", 1234500, None, f"1.234.500{NBSP}€"),
    ("de_DE", "EUR", -1234.5, None, f"−1.234,50{NBSP}€"),
    ("de_DE", "EUR", 1000, True, f"1.000,00{NBSP}€"),
    ("fr_FR", "EUR", 1234500, None, f"1{NNBSP}234{NNBSP}500{NBSP}€"),
    ("fr_FR", "EUR", -1234.5, None, f"−1{NNBSP}234,50{NBSP}€"),
    ("es_ES", "EUR", 1234500, None, f"1.234.500{NBSP}€"),
    # A symbol of letters keeps its distance from the digits (CLDR currency spacing).
    ("en_US", "CHF", 1234500, None, f"CHF{NBSP}1,234,500"),
    ("de_DE", "CHF", 1234500.5, None, f"1.234.500,50{NBSP}CHF"),
    # JPY has no minor unit: never decimals, even when the page shows cents.
    ("en_US", "JPY", 1234500, None, "¥1,234,500"),
    ("en_US", "JPY", 1234.6, None, "¥1,235"),
    ("en_US", "JPY", 1000, True, "¥1,000"),
    ("ja_JP", "JPY", 1234500, None, "￥1,234,500"),
    # KWD has three decimals of minor unit.
    ("en_US", "KWD", 1234.5, None, f"KWD{NBSP}1,234.500"),
    ("en_US", "KWD", 1000, None, f"KWD{NBSP}1,000"),
    ("de_DE", "KWD", 1234.125, None, f"1.234,125{NBSP}KWD"),
    ("en_US", "USD", None, None, "—"),
]


@pytest.mark.parametrize(("locale", "currency", "amount", "cents", "expected"), MONEY_CASES)
def test_money_reads_as_the_locale_writes_the_currency(locale, currency, amount, cents,
                                                       expected):
    assert formatting.money(amount, currency, cents, locale=locale) == expected


@pytest.mark.parametrize(("locale", "amount", "expected"), [
    ("en_US", 1234500, "€1.2M"),
    ("en_US", 640000, "€640K"),
    ("en_US", 123_400_000, "€123M"),
    ("de_DE", 1234500, f"1,2{NBSP}Mio.{NBSP}€"),
    # German has no short form for thousands: the whole amount.
    ("de_DE", 640000, f"640.000{NBSP}€"),
    ("fr_FR", 640000, f"640{NBSP}k{NBSP}€"),
    ("es_ES", 1234500, f"1,2{NBSP}M{NBSP}€"),
    ("de_DE", -1234500, f"−1,2{NBSP}Mio.{NBSP}€"),
    ("en_US", 999, "€999"),
])
def test_short_money_uses_the_locales_short_forms(locale, amount, expected):
    assert formatting.money_short(amount, "EUR", locale=locale) == expected


@pytest.mark.parametrize(("currency", "amounts", "expected"), [
    ("USD", (1000, 2000.0), False),
    ("USD", (1000, 2000.5), True),
    ("JPY", (1000.5,), False),
    ("KWD", (1.125,), True),
    ("KWD", (1.0,), False),
])
def test_a_page_shows_the_minor_unit_only_when_an_amount_has_one(currency, amounts, expected):
    assert formatting.has_cents(*amounts, currency=currency) is expected


@pytest.mark.parametrize(("locale", "percent", "near_quota", "tiny", "coverage", "day"), [
    ("en_US", "42%", "99.9%", "<1%", "3.5×", "1 Dec 2026"),
    ("en_GB", "42%", "99.9%", "<1%", "3.5×", "1 Dec 2026"),
    ("de_DE", f"42{NBSP}%", f"99,9{NBSP}%", f"<1{NBSP}%", "3,5×", "1. Dez. 2026"),
    ("fr_FR", f"42{NBSP}%", f"99,9{NBSP}%", f"<1{NBSP}%", "3,5×", "1 déc. 2026"),
    ("es_ES", f"42{NBSP}%", f"99,9{NBSP}%", f"<1{NBSP}%", "3,5×", "1 dic 2026"),
])
def test_percentages_ratios_and_dates_per_locale(locale, percent, near_quota, tiny, coverage,
                                                 day):
    assert formatting.percent(0.42, locale=locale) == percent
    # Never rounded up to a met quota, in any language.
    assert formatting.percent(0.9996, locale=locale) == near_quota
    assert formatting.percent(0.004, locale=locale) == tiny
    assert formatting.multiple(3.45, locale=locale) == coverage
    assert formatting.day(date(2026, 12, 1), locale=locale) == day


def test_numbers_and_ratings_use_the_locales_separators():
    assert formatting.figure(12345.678, locale="de_DE") == "12.345,68"
    assert formatting.figure(1234567, locale="en_US") == "1,234,567"
    assert formatting.figure(-42, locale="de_DE") == "−42"
    assert formatting.score(3.5, locale="de_DE") == "3,5"
    assert formatting.score(4.0, locale="fr_FR") == "4"


# ------------------------------------------------------------------ team.yaml `locale`

@pytest.mark.parametrize("written", ["xx_YY", "en_ZZ", "german", "de_DE_x_y_z_w", "12"])
def test_an_unknown_locale_names_file_line_and_field(workspace, written):
    root = workspace(TEAM_YAML + f"locale: {written}\n")
    result = CliRunner().invoke(cli, ["validate", str(root), "--as-of", "2026-11-15"])
    assert result.exit_code == 1
    assert (f"{TEAM}:7:9: error: locale: expected a CLDR locale such as en_US, en_GB,"
            f" de_DE, fr_FR or es_ES, got '{written}'") in result.output


@pytest.mark.parametrize(("written", "lang"), [("de_DE", "de-DE"), ("fr-FR", "fr-FR"),
                                               ("es", "es"), ("en_gb", "en-GB")])
def test_a_known_locale_sets_the_pages_language(workspace, tmp_path, written, lang):
    root = workspace(TEAM_YAML + f"locale: {written}\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out), "--format",
                                      "html", "--as-of", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert f'<html lang="{lang}">' in (out / "core/reps/ann.html").read_text("utf-8")
    assert f'<html lang="{lang}">' in (out / "core/scorecard.html").read_text("utf-8")
    # The index is the org's frame: in --index-locale, en_US unless told.
    assert '<html lang="en-US">' in (out / "index.html").read_text("utf-8")


# ------------------------------------------------------------------ a German team's plan

GERMAN_TEAM = TEAM_YAML + "currency: EUR\nlocale: de_DE\npaper: a4\n"


def german_rep(closed: int, pipeline: int) -> str:
    return f"""\
name: Lena Fischer
quota: 1234500
results:
  closed: {closed}
  pipeline: {pipeline}
skills:
  prospecting: 3
  qualification: 4
  deal-strategy: 2
  high-impact-calls: 4
  business-outcomes: 3
  time-management: 4
  resource-use: 4
"""


def build_html(root: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out), "--format",
                                      "html", "--as-of", "2026-11-26", *extra])
    assert result.exit_code == 0, result.output


def test_a_german_team_builds_a_plan_whose_figures_and_dates_read_german(tmp_path):
    repo = Repo(tmp_path / "ws")
    write_workspace(repo.root, GERMAN_TEAM, {"lena": german_rep(400000, 900000)})
    repo.commit("2026-10-20")
    # Pipeline fell since then: the plan's "since" shows a negative German delta.
    write_workspace(repo.root, GERMAN_TEAM, {"lena": german_rep(450500, 870000)})
    repo.commit("2026-11-20")
    out = tmp_path / "out"
    build_html(repo.root, out, "--since", "2026-11-01")

    plan = (out / "core/reps/lena.html").read_text("utf-8")
    assert '<html lang="de-DE">' in plan
    assert f"1.234.500{NBSP}€" in plan  # the quota
    assert f"450.500{NBSP}€" in plan  # closed
    assert f"+50.500{NBSP}€" in plan and f"−30.000{NBSP}€" in plan  # since 1 Nov
    assert "26. Nov. 2026" in plan  # as of
    assert "$" not in plan.replace("$ref", "")
    assert "Nov 2026" not in plan.replace("Nov. 2026", "")
    scorecard = (out / "core/scorecard.html").read_text("utf-8")
    assert f"1.234.500{NBSP}€" in scorecard
    assert '<html lang="de-DE">' in scorecard


def test_build_locale_overrides_every_team_and_the_index(tmp_path):
    root = write_workspace(tmp_path / "ws", GERMAN_TEAM, {"lena": german_rep(450500, 870000)})
    out = tmp_path / "out"
    build_html(root, out, "--locale", "fr_FR")
    plan = (out / "core/reps/lena.html").read_text("utf-8")
    assert '<html lang="fr-FR">' in plan
    assert f"1{NNBSP}234{NNBSP}500{NBSP}€" in plan and "26 nov. 2026" in plan
    assert '<html lang="fr-FR">' in (out / "index.html").read_text("utf-8")

    # Changing the locale rebuilds; the index follows --index-locale alone.
    build_html(root, out, "--index-locale", "es_ES")
    assert '<html lang="de-DE">' in (out / "core/reps/lena.html").read_text("utf-8")
    index = (out / "index.html").read_text("utf-8")
    assert '<html lang="es-ES">' in index and "26 nov 2026" in index


@pytest.mark.parametrize("command", ["build", "watch"])
@pytest.mark.parametrize("option", ["--locale", "--index-locale"])
def test_an_unknown_locale_option_is_a_usage_error(workspace, tmp_path, command, option):
    root = workspace()
    result = CliRunner().invoke(cli, [command, str(root), "--out", str(tmp_path / "out"),
                                      option, "klingon"])
    assert result.exit_code == 2
    assert "'klingon' is not a CLDR locale Babel knows" in result.output
    assert not (tmp_path / "out").exists()


def test_export_stays_locale_free(tmp_path):
    root = write_workspace(tmp_path / "ws", GERMAN_TEAM, {"lena": german_rep(450500, 870000)})
    result = CliRunner().invoke(cli, ["export", str(root), "--as-of", "2026-11-26"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "€" not in text and "Nov." not in text
    assert "450500" in text.replace(".0", "") and "2026-11-26" in text


def test_the_machines_locale_never_changes_the_bytes(tmp_path):
    """LANG and LC_ALL of the machine running the build do not reach the pages."""
    root = write_workspace(tmp_path / "ws", GERMAN_TEAM, {"lena": german_rep(450500, 870000)})
    pages = []
    for machine in ({"LANG": "C", "LC_ALL": "C"},
                    {"LANG": "fr_FR.UTF-8", "LC_ALL": "ja_JP.UTF-8", "LANGUAGE": "ja"}):
        out = tmp_path / f"out-{len(pages)}"
        environment = {**os.environ, **machine, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-m", "reportgen", "build", str(root), "--out",
                        str(out), "--format", "html", "--as-of", "2026-11-26", "-q"],
                       check=True, env=environment, capture_output=True)
        pages.append({path.relative_to(out).as_posix(): path.read_bytes()
                      for path in sorted(out.rglob("*.html"))})
    assert pages[0] == pages[1]
    assert f"1.234.500{NBSP}€".encode() in pages[0]["core/reps/lena.html"]



def test_the_index_of_a_multi_locale_org_shows_each_team_in_its_own_locale(tmp_path):
    root = write_workspace(tmp_path / "ws", GERMAN_TEAM, {"lena": german_rep(450500, 870000)},
                           team_id="munich")
    write_workspace(root, TEAM_YAML + "currency: EUR\nlocale: fr_FR\n",
                    {"lea": german_rep(450500, 870000)}, team_id="lyon")
    out = tmp_path / "out"
    build_html(root, out)
    index = (out / "index.html").read_text("utf-8")
    # The frame (the org's dates) in the index's locale; each team's row in its own.
    assert '<html lang="en-US">' in index and "as of 26 Nov 2026" in index
    assert f"450.500{NBSP}€ of 1.234.500{NBSP}€" in index
    assert f"450{NNBSP}500{NBSP}€ of 1{NNBSP}234{NNBSP}500{NBSP}€" in index
    assert f"36{NBSP}%" in index  # Lena's attainment, German and French alike
    # `--locale` puts every team's figures, and the frame, in one locale.
    build_html(root, out, "--locale", "en_GB")
    index = (out / "index.html").read_text("utf-8")
    assert "€450,500 of €1,234,500" in index and f"{NBSP}€" not in index


# ------------------------------------------------------------------ translated words

SHIPPED_LANGUAGES = ("de", "fr", "es")


def extracted_messages() -> set[str]:
    """What `pybabel extract -F babel.cfg` finds in the templates today."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (REPO / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {message for _, _, message, _, _ in extract_from_dir(
        str(REPO), method_map, options_map)}


def read_catalogue(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle)


def test_every_word_the_templates_mark_is_translated_in_every_shipped_language():
    from babel.messages.pofile import read_po

    wanted = extracted_messages()
    assert "The numbers" in wanted
    template = read_catalogue(REPO / "reportgen/locale/messages.pot")
    assert {message.id for message in template if message.id} == wanted, (
        "messages.pot is out of date: run pybabel extract (README, Adding a language)")
    for language in SHIPPED_LANGUAGES:
        catalogue = read_catalogue(REPO / f"reportgen/locale/{language}/LC_MESSAGES/messages.po")
        translated = {message.id: message for message in catalogue if message.id}
        missing = sorted(wanted - translated.keys())
        empty = sorted(key for key in wanted & translated.keys() if not translated[key].string)
        fuzzy = sorted(key for key in wanted & translated.keys() if translated[key].fuzzy)
        assert (missing, empty, fuzzy) == ([], [], []), language
        # Every %(name)s of the English in the translation, and the language's number of
        # plural forms (Babel's own checks, as `pybabel compile` runs them).
        with (REPO / f"reportgen/locale/{language}/LC_MESSAGES/messages.po").open("rb") as handle:
            checked = read_po(handle, locale=language)
        assert [(message.id, [str(error) for error in errors])
                for message, errors in checked.check()] == [], language


def test_a_german_plan_prints_its_marked_words_in_german_and_an_english_one_in_english(
        tmp_path):
    root = write_workspace(tmp_path / "ws", GERMAN_TEAM, {"lena": german_rep(450500, 870000)},
                           team_id="munich")
    write_workspace(root, TEAM_YAML + "locale: en_GB\n", team_id="london")
    out = tmp_path / "out"
    build_html(root, out)
    german = (out / "munich/reps/lena.html").read_text("utf-8")
    assert "Ihr Coaching-Plan · Q4 2026" in german and ">Die Zahlen</h2>" in german
    assert ">Hochrechnung</dt>" in german and "The numbers" not in german
    # No English catalogue: English is what the templates are written in.
    english = (out / "london/reps/ann.html").read_text("utf-8")
    assert ">The numbers</h2>" in english and "Your coaching plan" in english


def test_a_language_without_a_catalogue_falls_back_to_english_with_one_warning(workspace,
                                                                              tmp_path):
    root = workspace(TEAM_YAML + "currency: JPY\nlocale: ja_JP\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out), "--format",
                                      "html", "--as-of", "2026-11-26"])
    assert result.exit_code == 0, result.output
    warning = (f"{TEAM}:8:9: warning: locale: no translation of the pages into 'ja' yet:"
               " their words stay in English, figures and dates read as ja_JP")
    assert result.output.count(warning) == 1, result.output
    plan = (out / "core/reps/ann.html").read_text("utf-8")
    assert ">The numbers</h2>" in plan and "￥100,000" in plan and "2026年11月26日" in plan
    # German has a catalogue: no warning.
    german = workspace(GERMAN_TEAM)
    result = CliRunner().invoke(cli, ["validate", str(german), "--as-of", "2026-11-26"])
    assert "warning: locale" not in result.output


# ------------------------------------------------------------------ long words on the page

LONG_WORD_LOCALES = ("de_DE", "fr_FR")
# Spanish runs longer than English too; its pages are checked alike.
PRINTED_LOCALES = (*LONG_WORD_LOCALES, "es_ES")


@functools.lru_cache(maxsize=8)
def example_pages(locale: str, target: str) -> tuple[tuple[str, str], ...]:
    """The example's plans (of the reps the build makes plans for) and scorecards, in
    `locale`, as the build renders them for `target`."""
    from reportgen.analysis import analyse
    from reportgen.history import read_history
    from reportgen.render import Renderer
    from reportgen.workspace import load_workspace

    as_of = date.fromisoformat(AS_OF)
    analysis = analyse(load_workspace(EXAMPLE), as_of, read_history(EXAMPLE))
    renderer = Renderer(EXAMPLE, target=target, locale=locale)
    pages = []
    for team in analysis.teams:
        pages += [(f"{team.id}/{rep.id}", renderer.plan(as_of, team, rep).html)
                  for rep in team.reps if rep.file.rep.departed is None]
        pages.append((f"{team.id}/scorecard", renderer.scorecard(as_of, team).html))
    return tuple(pages)


# Plans: two pages, as in English. West Enterprise's scorecard is three pages in English
# and four in German, French and Spanish (German writes 345.000 $ where English has
# $345K, so the rep rows grow and the performance section, kept whole, moves on).
MOST_PAGES = {"west-enterprise/scorecard": 4, "west-smb/scorecard": 2}
# Spanish money runs longest ("290 mil US$ de 350 mil US$" where English has "$290K of
# $350K"): West SMB's rep rows take a line more each and its files' to-do list moves to
# a third page, whole.
MOST_PAGES_IN = {"es_ES": {"west-smb/scorecard": 3}}


@pytest.fixture(scope="module")
def pdf_renderer():
    from reportgen.pdf import PdfRenderer
    from reportgen.render import Renderer

    return PdfRenderer([folder / "assets" for folder in Renderer(EXAMPLE, target="pdf").folders])


@pytest.mark.parametrize("locale", PRINTED_LOCALES)
def test_german_and_french_pages_print_without_overflow_or_split_cards(pdf_renderer, locale):
    """German and French words are longer: every plan still fits two pages, each
    scorecard its pages (MOST_PAGES), and no word runs out of its box, no table out of
    its column, no card across a page break."""
    problems = {}
    for name, html in example_pages(locale, "pdf"):
        document = pdf_layout.lay_out(pdf_renderer, html)
        found = (pdf_layout.overflowing_text(document) + pdf_layout.overflowing_tables(document)
                 + pdf_layout.split_cards(document))
        pages = len(document.pages)
        if pages > MOST_PAGES_IN.get(locale, {}).get(name, MOST_PAGES.get(name, 2)):
            found.append(f"{pages} pages")
        if found:
            problems[name] = found
    assert problems == {}


def test_the_layout_checks_see_an_overflowing_word_a_wide_table_and_a_split_card(
        pdf_renderer):
    html = ('<html lang="de"><body><p style="width: 4rem; white-space: nowrap">'
            'Zielerreichungsgeschwindigkeit</p>'
            '<div style="width: 6rem"><table><tr><td style="white-space: nowrap">'
            'Abschlüsse + Best Case</td></tr></table></div>'
            '<article class="fix-card" style="break-inside: auto">'
            + "<p>Zeile</p>" * 80 + '</article></body></html>')
    document = pdf_layout.lay_out(pdf_renderer, html)
    assert [line.split(":")[0] for line in pdf_layout.overflowing_text(document)][:1] == [
        "page 1"]
    assert any("Zielerreichungsgeschwindigkeit" in line
               for line in pdf_layout.overflowing_text(document))
    assert len(pdf_layout.overflowing_tables(document)) == 1
    assert pdf_layout.split_cards(document) == [f"{'Zeile' * 10!r} on pages [1, 2]"]


# What a page calls itself and its parts, not the team's data (names, skills, notes).
LABELS = ("h2", "section > h3", ".assignment-box h3", "thead th", "dt:not(.quadrant-key dt)",
          ".kicker", ".label", ".since-kind", ".badge", ".status", ".who", ".flag", ".low",
          ".late", ".empty", ".section-note", ".bar-legend", ".legend .key", "footer",
          "small.ramp", ".sub-head", ".running-header", ".running-footer")
# Words German or French writes as English does.
SAME_IN_BOTH = {"de_DE": {"Team", "Status", "Pipeline", "Commit", "Best Case", "Manager"},
                "fr_FR": {"Manager", "Date", "Total", "Attention", "Pipeline"},
                "es_ES": {"Total", "Pipeline"}}


def label_texts(html: str) -> list[str]:
    import cssselect2
    import tinyhtml5

    root = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(html))
    texts = []
    for selector in LABELS:
        for element in root.query_all(selector):
            node = element.etree_element
            # A heading's own words: the date or figure beside it is data.
            own = [node.text or ""] + [child.tail or "" for child in node]
            if node.tag.endswith("h2") or node.tag.endswith("dt"):
                text = " ".join("".join(own).split())
            else:
                text = " ".join("".join(node.itertext()).split())
            texts.append(text)
    return texts


def the_teams_own_words() -> set[str]:
    """Names from the team's files that the pages print as headings or labels: skill
    names, the manager's name, the rep's own result names ("Win rate")."""
    from reportgen.workspace import load_workspace

    words = set()
    for team in load_workspace(EXAMPLE).teams:
        words.add(team.team.manager)
        words.update(skill.name for skill in team.team.skills)
        for rep in team.reps:
            words.update(name.replace("_", " ").capitalize()
                         for name in rep.rep.results.others)
    return words


@pytest.mark.parametrize("locale", PRINTED_LOCALES)
def test_no_heading_or_label_of_a_german_or_french_page_is_left_in_english(locale):
    english = dict(example_pages("en_US", "html"))
    data = the_teams_own_words()
    assert {"Dana Whitfield", "Qualification", "Win rate"} <= data
    untranslated = {}
    for name, html in example_pages(locale, "html"):
        theirs, ours = label_texts(english[name]), label_texts(html)
        assert len(theirs) == len(ours), name
        left = sorted({mine for mine, original in zip(ours, theirs, strict=True)
                       if mine == original and re.search("[A-Za-z]{2}", mine)
                       and mine not in SAME_IN_BOTH[locale] and mine not in data})
        if left:
            untranslated[name] = left
    assert untranslated == {}


@pytest.fixture(scope="module")
def long_word_builds(tmp_path_factory):
    """The example built as HTML in German and in French."""
    builds = {}
    for locale in LONG_WORD_LOCALES:
        out = tmp_path_factory.mktemp(locale)
        build_html(EXAMPLE, out, "--locale", locale)
        builds[locale] = out
    return builds


@pytest.mark.parametrize("locale", LONG_WORD_LOCALES)
def test_german_and_french_pages_fit_a_phone(long_word_builds, chromium, locale):  # noqa: F811
    out = long_word_builds[locale]
    pages = ["index.html", *sorted(path.relative_to(out).as_posix()
                                   for path in out.glob("*/scorecard.html")),
             "west-enterprise/reps/priya-raman.html"]
    too_wide = {}
    for page in pages:
        widths = chromium.page_widths(out / page, PHONE)
        if widths["scroll"] > PHONE:
            too_wide[page] = widths
    assert too_wide == {}


@pytest.mark.parametrize(("option", "locale", "language", "day"), [
    ("--locale", "it_IT", "it", "26 nov 2026"),
    ("--index-locale", "ja_JP", "ja", "2026年11月26日"),
])
def test_an_option_naming_a_language_without_a_catalogue_warns_once(workspace, tmp_path,
                                                                   option, locale, language,
                                                                   day):
    root = workspace()
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out), "--format",
                                      "html", "--as-of", "2026-11-26", option, locale])
    assert result.exit_code == 0, result.output
    warning = (f"{option} {locale}: warning: no translation of the pages into '{language}' yet:"
               f" their words stay in English, figures and dates read as {locale}")
    assert result.output.count("no translation of the pages") == 1, result.output
    assert warning in result.output
    # English words, the locale's dates.
    page = (out / ("index.html" if option == "--index-locale" else "core/reps/ann.html")
            ).read_text("utf-8")
    assert day in page and f'<html lang="{locale.replace("_", "-")}">' in page
    assert "Your coaching plan" in page or "as of" in page
    # A language with a catalogue, or English, warns about nothing.
    for known in ("de_DE", "en_GB"):
        result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out), "--format",
                                          "html", "--as-of", "2026-11-26", option, known])
        assert result.exit_code == 0 and "no translation" not in result.output, result.output


def test_an_option_warning_is_a_github_annotation_of_the_run_not_of_a_file(workspace,
                                                                          tmp_path):
    result = CliRunner().invoke(cli, [
        "build", str(workspace()), "--out", str(tmp_path / "out"), "--format", "html",
        "--as-of", "2026-11-26", "--locale", "it_IT", "--output-format", "github"])
    assert result.exit_code == 0, result.output
    annotations = [line for line in result.output.splitlines() if "no translation" in line
                   and line.startswith("::warning")]
    assert annotations == ["::warning title=reportgen%3A --locale it_IT::no translation of"
                           " the pages into 'it' yet: their words stay in English, figures"
                           " and dates read as it_IT"]


@pytest.mark.parametrize(("locale", "footer"), [
    ("de_DE", "Seite 2 von 2"), ("fr_FR", "Page 2 sur 2"), ("es_ES", "Página 2 de 2"),
    ("en_US", "Page 2 of 2")])
def test_the_page_number_in_the_footer_reads_in_the_page_language(pdf_renderer, locale,
                                                                   footer):
    name, html = example_pages(locale, "pdf")[0]
    document = pdf_layout.lay_out(pdf_renderer, html)
    last_page = document.pages[-1]._page_box
    words = " ".join(box.text for box in pdf_layout.boxes(last_page)
                     if getattr(box, "text", None))
    assert footer in words, (name, words[-200:])


# ------------------------------------------------------------------ one plan per language

GOLDEN_LANGUAGES = REPO / "tests" / "golden" / "languages"


def _example_html(out: Path, locale: str, **selection) -> Path:
    from reportgen.build import BuildOptions, build
    from tests.conftest import EXAMPLE

    build(EXAMPLE, BuildOptions(as_of=date(2026, 11, 26), out=out, formats=("html",),
                                locale=locale, **selection))
    return out


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR", "es_ES"])
def test_golden_plan_in_each_shipped_language(tmp_path, locale, update_golden):
    """One plan of the example (with history: the since box, trends, overdue actions) in
    each shipped language, byte for byte. `pytest --update-golden` rewrites them; look
    at the pages first."""
    out = _example_html(tmp_path / "out", locale, reps=("west-enterprise/priya-raman",))
    built = (out / "west-enterprise/reps/priya-raman.html").read_text("utf-8")
    # English is the default: its golden is the example's own (tests/test_build.py).
    golden = (REPO / "tests/golden/west-enterprise/reps/priya-raman.html" if locale == "en_US"
              else GOLDEN_LANGUAGES / f"priya-raman.{locale}.html")
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(built, encoding="utf-8")
    assert golden.is_file(), "no golden file yet: run pytest --update-golden"
    assert built == golden.read_text("utf-8"), (
        f"{locale} plan differs from {golden.name} (if intended: pytest --update-golden)")


# Left-overs of gettext that must never reach an English page: a placeholder that was not
# filled, a template tag, a marker call printed as text.
GETTEXT_LEFTOVERS = re.compile(r"%\(\w+\)s|%s\b|\{\{|\{%|\b_\(|\bN_\(|ngettext|msgid")


@pytest.mark.parametrize("locale", ["en_US", "en_GB"])
def test_english_pages_are_complete_without_a_catalogue(tmp_path, locale):
    """English is the language the templates and the Python messages are written in:
    no catalogue, and every page reads whole (no placeholder left, no identifier)."""
    from reportgen.translations import catalogue_file

    assert catalogue_file(locale) is None
    out = _example_html(tmp_path / "out", locale)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 12
    for page in pages:
        text = page.read_text("utf-8")
        assert not GETTEXT_LEFTOVERS.search(text), (page, GETTEXT_LEFTOVERS.search(text))
    scorecard = (out / "west-enterprise/scorecard.html").read_text("utf-8")
    assert "Skills: weighted mean rating, target 4" in scorecard
    assert "action overdue since 13 Nov 2026" in scorecard


def test_warnings_read_german_on_the_scorecard_and_english_on_the_terminal(workspace,
                                                                          tmp_path):
    """One message, two destinations: the page in the team's language (dates as the
    locale writes them), the terminal in English with ISO dates."""
    rep = german_rep(450500, 870000).replace(
        "  qualification: 4\n", "  qualification: {rating: 4, assessed: 2026-01-05}\n") + """\
fixes:
  - skill: qualification
    status: active
    actions: [{do: Alten Schritt erledigen, due: 2026-10-01}]
roadblocks:
  - {issue: Kein CRM-Zugang, raised: 2026-11-02}
"""
    root = workspace(GERMAN_TEAM, {"lena": rep})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(root), "--out", str(out), "--format",
                                      "html", "--as-of", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert "action overdue since 2026-10-01: Alten Schritt erledigen" in result.output
    assert "Qualification was assessed 325 days ago (stale after 90); reassess it" in (
        result.output)
    scorecard = (out / "core/scorecard.html").read_text("utf-8")
    assert "Maßnahme überfällig seit 1. Okt. 2026: Alten Schritt erledigen" in scorecard
    assert ("Qualification wurde vor 325 Tagen bewertet (veraltet nach 90); neu bewerten"
            in scorecard)
    assert ">1 veraltete Bewertung<" in scorecard and ">1 überfällige Maßnahme<" in scorecard
    assert "Noch niemand zuständig" in scorecard and "No owner yet" not in scorecard
    assert "Hochgerechnete Zielerreichung" in scorecard  # the chart's axis
    assert "action overdue" not in scorecard and "stale rating" not in scorecard


def test_a_python_message_renders_per_destination_with_each_languages_plurals():
    from reportgen.i18n import N_, Figure, Words, ngettext
    from reportgen.translations import translations

    def page(locale: str, text) -> str:
        return Words(translations(locale), locale)(text)

    overdue = N_("action overdue since %(day)s: %(action)s", day=date(2026, 10, 1),
                 action="Call Meridian")
    assert str(overdue) == "action overdue since 2026-10-01: Call Meridian"  # the terminal
    assert page("en_US", overdue) == "action overdue since 1 Oct 2026: Call Meridian"
    assert page("de_DE", overdue) == "Maßnahme überfällig seit 1. Okt. 2026: Call Meridian"
    # CLDR plural rules: French counts 0 and 1 alike, German and English do not.
    for count, english, german, french in (
            (0, "0 stale ratings", "0 veraltete Bewertungen", "0 note périmée"),
            (1, "1 stale rating", "1 veraltete Bewertung", "1 note périmée"),
            (2, "2 stale ratings", "2 veraltete Bewertungen", "2 notes périmées")):
        label = ngettext("%(count)s stale rating", "%(count)s stale ratings", count)
        assert (str(label), page("de_DE", label), page("fr_FR", label)) == (
            english, german, french)
    # An amount quoted in a sentence: grouped as the page's locale groups digits.
    below = N_("best case %(best_case)s is below commit %(commit)s; the best case includes"
               " the commit, so it is at least the commit", best_case=Figure(40000),
               commit=Figure(50000))
    assert str(below).startswith("best case 40,000 is below commit 50,000;")
    assert page("de_DE", below).startswith("Best Case 40.000 liegt unter dem Commit 50.000;")
    # A language without a catalogue: English words, the locale's dates.
    assert page("it_IT", overdue) == "action overdue since 1 ott 2026: Call Meridian"


def test_a_message_passed_to_a_templates_message_is_in_the_page_language(tmp_path):
    """Jinja formats `_()`'s parameters itself, never through `finalize`: a reason built in
    Python ("no quota") inside a template's sentence must still read German."""
    from reportgen.i18n import N_
    from reportgen.render import _environment

    (tmp_path / "reason.html").write_text(
        '{{ _("not on the chart: %(reason)s", reason=reason) }}'
        ' | {% trans day=day %}since {{ day }}{% endtrans %}', encoding="utf-8")
    page = _environment((tmp_path,), "de_DE").get_template("reason.html").render(
        reason=N_("no quota"), day=date(2026, 11, 26))
    assert page == "nicht im Diagramm: keine Quote | seit 26. Nov. 2026", page


def test_templates_compiled_for_one_locale_never_serve_another(tmp_path):
    """Jinja folds a filter on literals when it compiles, and the compiled templates are
    kept between runs: the German figures must not come back on a French page."""
    from reportgen.render import _environment

    folder = tmp_path / "literals"
    folder.mkdir()
    (folder / "t.html").write_text("{{ 1234567 | figure }} | {{ 0.5 | percent }}",
                                   encoding="utf-8")
    pages = {locale: _environment((folder,), locale).get_template("t.html").render()
             for locale in ("de_DE", "fr_FR", "en_US")}
    assert pages == {"de_DE": "1.234.567 | 50\u00a0%", "fr_FR": "1\u202f234\u202f567 | 50\u00a0%",
                     "en_US": "1,234,567 | 50%"}, pages
