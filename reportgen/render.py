"""HTML from templates: the Jinja environment, its filters, and one function per page.

One loader searches the workspace's `templates/` first and the built-in templates
second, so a workspace overrides any file by name (or one block of it, with
`{% extends %}`). Autoescape is on everywhere: YAML text can never become markup.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2
from markupsafe import Markup

from reportgen import __version__, charts, forecast_chart, formatting
from reportgen.assets import asset_file
from reportgen.i18n import Words, ngettext
from reportgen.layout import template_folders
from reportgen.problems import Problem

if TYPE_CHECKING:
    from reportgen.analysis import RepAnalysis, TeamAnalysis
    from reportgen.summary import TeamSummary

Target = Literal["html", "pdf"]
PAPER_SIZES = {"letter": "letter", "a4": "A4"}


def document_date(as_of: date) -> str:
    """The date stamped into documents (the PDF's creation date): `SOURCE_DATE_EPOCH`
    when set (the reproducible-builds convention), else midnight UTC of `--as-of`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return f"{as_of.isoformat()}T00:00:00Z"
    # Raises ValueError: a wrong value is a mistake to report, not to ignore.
    invalid = ValueError(f"SOURCE_DATE_EPOCH={epoch[:20]!r} is not a time: it must be whole"
                         " seconds since 1970-01-01 UTC, up to year 9999")
    if not epoch.isascii() or not epoch.isdigit() or len(epoch) > 12:
        raise invalid
    try:
        moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise invalid from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Page:
    """One rendered page and the warnings its content raised."""

    html: str
    warnings: tuple[Problem, ...] = ()


class Renderer:
    """Renders every page of a workspace for one target (the HTML file or the PDF input)."""

    def __init__(self, workspace: Path, *, target: Target, paper: str | None = None,
                 formats: tuple[str, ...] = ("html", "pdf"), locale: str | None = None,
                 index_locale: str = formatting.DEFAULT_LOCALE) -> None:
        self.folders = template_folders(workspace)
        self.target = target
        self.paper = paper
        # Which documents the build makes, so pages link to files that exist.
        self.formats = formats
        # `build --locale` (every page) and `--index-locale` (the index alone).
        self.locale = locale
        self.index_locale = index_locale
        self.environment = _environment(tuple(self.folders))

    def _for_locale(self, locale: str) -> jinja2.Environment:
        """The environment whose filters write figures and dates in `locale`."""
        return _environment(tuple(self.folders), self.locale or locale)

    def _words(self, locale: str) -> Words:
        """The language of a page in `locale`, for words Python puts on it."""
        return _words(self.locale or locale)

    def _asset_url(self, depth: int) -> Any:
        if self.target == "pdf":
            # WeasyPrint reads assets where they are; its URL fetcher allows only these
            # folders (see pdf.py).
            return lambda name: asset_file(self.folders, name).as_uri()
        prefix = "../" * depth + "_assets/"
        return lambda name: prefix + name

    def _common(self, depth: int, as_of: date, paper: str, locale: str) -> dict[str, Any]:
        return {"asset": self._asset_url(depth), "as_of": as_of, "target": self.target,
                "locale": self.locale or locale,
                "html_lang": formatting.html_lang(self.locale or locale),
                "created": document_date(as_of), "formats": self.formats,
                # Links between documents point at the same kind of file where it exists.
                "link_ext": ("pdf" if self.target == "pdf" or "html" not in self.formats
                             else "html"),
                "paper": PAPER_SIZES[self.paper or paper], "version": __version__,
                "root": "../" * depth}

    def plan(self, as_of: date, team: TeamAnalysis, rep: RepAnalysis) -> Page:
        from reportgen.views import plan_context

        locale = team.file.team.locale
        context, warnings = plan_context(team, rep, as_of, self._words(locale))
        context.update(self._common(2, as_of, team.file.team.paper, locale))
        return Page(self._for_locale(locale).get_template("plan.html").render(context),
                    tuple(warnings))

    def scorecard(self, as_of: date, team: TeamAnalysis) -> Page:
        from reportgen.views import scorecard_context

        context = scorecard_context(team, as_of)
        locale = team.file.team.locale
        context.update(self._common(1, as_of, team.file.team.paper, locale))
        return Page(self._for_locale(locale).get_template("scorecard.html").render(context))

    def index(self, as_of: date, teams: list[TeamSummary]) -> Page:
        from reportgen.views import index_context

        if self.locale is not None:
            # `build --locale`: every team's figures in that locale too.
            teams = [dataclasses.replace(team, locale=self.locale) for team in teams]
        context = index_context(teams)
        paper = min(teams, key=lambda team: team.id).paper if teams else "letter"
        context.update(self._common(0, as_of, paper, self.index_locale))
        return Page(self._for_locale(self.index_locale).get_template("index.html")
                    .render(context))


def _in_locale(function: Any, locale: str) -> Any:
    """A formatting filter bound to the page's locale."""
    return functools.partial(function, locale=locale)


# What else the compiled code of a template depends on: the environment's syntax and
# options, its extensions, and whether gettext calls are new-style.
_COMPILE_OPTIONS = ("block_start_string", "block_end_string", "variable_start_string",
                    "variable_end_string", "comment_start_string", "comment_end_string",
                    "line_statement_prefix", "line_comment_prefix", "trim_blocks",
                    "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
                    "autoescape", "is_async", "newstyle_gettext")


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache, with the environment's options in each template's key: code
    compiled under other options (another reportgen, an extension added) is not used."""

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        # A `finalize` changes the compiled code (every `{{ }}` calls it, passing what its
        # `pass_…` decorator asks for); the function itself may differ run to run.
        finalize = environment.finalize
        finalizes = None if finalize is None else str(getattr(finalize, "jinja_pass_arg", ""))
        # Jinja folds a filter call on literals at compile time, and the filters write
        # in the environment's locale: `{{ 0.5 | percent }}` compiled for German must not
        # serve a French page.
        locale = getattr(environment, "reportgen_locale", None)
        options = repr((sorted(environment.extensions), finalizes, locale,
                        [getattr(environment, option, None) for option in _COMPILE_OPTIONS]))
        return super().get_bucket(environment, f"{name}\0{options}", filename, source)


@functools.lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling the two dozen templates costs a
    fresh `reportgen build` about a fifth of a second, more than rendering them.

    Jinja's own per-user folder (in the temporary folder, created mode 0700 and refused
    if another user owns it; files written whole and renamed). A template is found by
    its file's path and name and the environment's options, and used only if its source
    is unchanged; reportgen's and Jinja's versions are in the file names."""
    try:
        return _CompiledTemplates(
            pattern=f"reportgen-{__version__}-jinja-{jinja2.__version__}-%s.cache")
    except (OSError, RuntimeError):  # no safe folder: compile every time, as before
        return None


@functools.lru_cache(maxsize=32)
def _environment(folders: tuple[Path, ...],
                 locale: str = formatting.DEFAULT_LOCALE) -> jinja2.Environment:
    """One environment per template folders and locale: the filters write figures and
    dates in that locale (one per team language in a build, each compiled once)."""
    words = _words(locale)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Words Python built (a warning, a label, a chart) are printed in the page's
        # language wherever a template prints them (see i18n.py).
        finalize=words,
        bytecode_cache=_bytecode_cache(),
    )
    environment.reportgen_locale = locale  # type: ignore[attr-defined]  (the cache's key)
    # `{{ _("The numbers") }}` in a template: the word in the locale's catalogue.
    environment.install_gettext_translations(words.translations, newstyle=True)
    # Jinja formats a message's parameters itself (escaped, never through `finalize`): a
    # parameter that is a message or a date must be put in the page's language first.
    environment.globals.update(
        {name: _with_page_parameters(environment.globals[name], words)
         for name in ("gettext", "_", "ngettext", "pgettext", "npgettext")})
    environment.filters.update(
        {name: _in_locale(getattr(formatting, name), locale) for name in
         ("money", "money_short", "percent", "multiple", "decimal", "day", "score",
          "figure")},
        plural=functools.partial(_plural, words=words),
    )
    # Charts label themselves (aria-label, axis titles) in the page's language.
    environment.globals.update(
        {name: functools.partial(function, words=words) for name, function in (
            ("rating_bar", charts.rating_bar), ("attainment_bar", charts.attainment_bar),
            ("skill_trend", charts.skill_trend), ("burn_up", charts.burn_up),
            ("forecast_bar", forecast_chart.forecast_bar))},
        Markup=Markup)
    return environment


def _with_page_parameters(translate: Any, words: Words) -> Any:
    @functools.wraps(translate)  # keeps Jinja's pass_context mark
    def translated(*args: Any, **parameters: Any) -> Any:
        return translate(*args, **{name: words.value(value)
                                   for name, value in parameters.items()})
    return translated


@functools.lru_cache(maxsize=32)
def _words(locale: str) -> Words:
    from reportgen.translations import translations

    return Words(translations(locale), locale)


# The words templates count with `{{ n | plural("rep") }}`, as messages `pybabel extract`
# finds, so each language counts with its own plural forms ("0 jour", "2 Tage").
# The same messages as the templates' own counts (`%(num)s`, Jinja's name), so a word is
# translated once.
_COUNTED: dict[str, Any] = {
    "day": lambda n: ngettext("%(num)s day", "%(num)s days", n, num=n),
    "earlier one-on-one": lambda n: ngettext("%(num)s earlier one-on-one",
                                             "%(num)s earlier one-on-ones", n, num=n),
    "open roadblock": lambda n: ngettext("%(num)s open roadblock",
                                         "%(num)s open roadblocks", n, num=n),
    "point": lambda n: ngettext("%(num)s point", "%(num)s points", n, num=n),
    "rep": lambda n: ngettext("%(num)s rep", "%(num)s reps", n, num=n),
    "team": lambda n: ngettext("%(num)s team", "%(num)s teams", n, num=n),
}


def _plural(count: int, singular: str, plural: str | None = None, *,
            words: Words) -> str:
    """`3 reps`: in the page's language for the words above; a word a workspace's own
    template counts with stays English, with an English plural."""
    counted = _COUNTED.get(singular) if plural is None else None
    if counted is not None:
        return str(words(counted(count)))
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
