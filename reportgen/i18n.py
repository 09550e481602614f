"""Words built in Python that reach a page, kept as a message and its parameters until
the page's language is known.

A warning is printed on the terminal in English (CI logs are read by engineers) and
shown on the scorecard in the team's language; a chart's label is drawn in the page's
language. So Python code never writes the finished sentence: it says *which* message
(`N_("was assessed %(days)s days ago", days=age)`, or `ngettext(...)` for a count) and
each destination renders it: `str(text)` is the terminal's English, with dates in ISO
form as before; `words(text)` is the page's, through the catalogue of the page's
language and with dates and figures in its locale.

`N_` and `ngettext` are the names `pybabel extract` looks for by default, so the one
extract command (README, "Adding a language") collects these messages with the
templates'. Placeholders are `%(name)s`, as in the templates, which Babel checks as
python-format in every translation.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from markupsafe import Markup

from reportgen import formatting


@dataclass(frozen=True)
class Figure:
    """A number a sentence quotes (an amount without its currency): `1,234` on the
    terminal, `1.234` on a German page."""

    value: int | float

    def __str__(self) -> str:
        return f"{self.value:,}"


@dataclass(frozen=True)
class Text:
    """One message and its parameters, not yet in any language."""

    singular: str
    plural: str | None = None
    count: int | None = None
    params: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        """The English of the terminal (and of JSON output): dates as ISO dates."""
        return self._render(self.singular if self.plural is None or self.count == 1
                            else self.plural, {name: _terminal(value)
                                               for name, value in self._values().items()})

    def on_page(self, words: Words) -> str:
        if self.plural is None:
            message = words.translations.gettext(self.singular)
        else:
            message = words.translations.ngettext(self.singular, self.plural,
                                                  self.count or 0)
        return self._render(message, {name: words.value(value)
                                      for name, value in self._values().items()})

    def _values(self) -> dict[str, Any]:
        values = dict(self.params)
        if self.plural is not None:
            values.setdefault("count", self.count)
        return values

    @staticmethod
    def _render(message: str, values: dict[str, Any]) -> str:
        # Like Jinja's i18n extension: only a message with parameters is a format string,
        # so a message without any may hold a plain "%".
        return message % values if values else message


def N_(message: str, /, **params: Any) -> Text:
    """A message for a page and the terminal alike, rendered where it is shown."""
    return Text(message, params=tuple(params.items()))


def ngettext(singular: str, plural: str, count: int, /, **params: Any) -> Text:
    """A message whose wording depends on `count` (`%(count)s` in it), in every language's
    own plural forms."""
    return Text(singular, plural, count, tuple(params.items()))


def _terminal(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class OnPage(Protocol):
    def on_page(self, words: Words) -> str: ...


@dataclass(frozen=True)
class Words:
    """A page's language: its catalogue and its locale."""

    translations: gettext.NullTranslations
    locale: str = formatting.DEFAULT_LOCALE

    def __call__(self, value: Any) -> Any:
        """`value` as the page shows it: a message in the page's language, anything else
        as it is."""
        # Looked up on the type: an undefined value (Jinja's StrictUndefined) must reach
        # the template engine untouched, to fail or print as Jinja decides.
        return value.on_page(self) if hasattr(type(value), "on_page") else value

    def value(self, value: Any) -> Any:
        """A message's parameter on the page: dates and figures in the page's locale."""
        if hasattr(type(value), "on_page"):
            return value.on_page(self)
        if isinstance(value, date):
            return formatting.day(value, locale=self.locale)
        if isinstance(value, Figure):
            return formatting.figure(value.value, locale=self.locale)
        return value


ENGLISH = Words(gettext.NullTranslations())


@dataclass(frozen=True)
class Drawn:
    """Markup drawn for one page (a chart with labels): made when the page's language is
    known. `draw(*args, words=..., **kwargs)`."""

    draw: Callable[..., Markup]
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def on_page(self, words: Words) -> Markup:
        return self.draw(*self.args, words=words, **dict(self.kwargs))

    def __html__(self) -> str:
        # Outside a page (a test printing the context): English.
        return str(self.on_page(ENGLISH))
