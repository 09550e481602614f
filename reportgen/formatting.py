"""How figures read: money, percentages, ratios and dates, in the page's locale.

Babel and its CLDR data decide symbols, their position, separators and month names for
every locale and ISO 4217 currency. reportgen decides only what to show: how many
digits (whole amounts unless the page has a fraction), when a percentage must not round
up to a met quota, and the minus sign (U+2212, the typographic one, in every locale).
Every function takes the locale explicitly and never reads the machine's (`LANG`,
`LC_ALL`), so a build makes the same bytes wherever it runs.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date
from decimal import Decimal
from fractions import Fraction

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
    get_currency_symbol,
)

DEFAULT_LOCALE = "en_US"
MINUS = "−"
# The one house style kept over CLDR: en_US pages have always read `26 Nov 2026`
# (unambiguous for every English reader); CLDR's en_US medium date is `Nov 26, 2026`.
DATE_PATTERNS = {"en_US": "d MMM y"}
# Which CLDR skeleton a date uses elsewhere: day, abbreviated month, year
# (`1. Dez. 2026`, `1 déc. 2026`, `1 dic 2026`, `1 Dec 2026`).
DATE_SKELETON = "yMMMd"


@functools.lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def html_lang(locale: str) -> str:
    """The BCP 47 tag for `<html lang>`: `de_DE` → `de-DE`."""
    return locale.replace("_", "-")


def _exact(value: float | int | Fraction, digits: int) -> Decimal:
    """The value rounded as Python rounds (half to even on the binary value), so digits
    are what they were before Babel, then handed to Babel exactly."""
    return Decimal(f"{float(value):.{digits}f}")


@functools.lru_cache(maxsize=256)
def _currency_pattern(locale: str, digits: int) -> str:
    """The locale's currency pattern for positive amounts with `digits` decimals."""
    standard = _locale(locale).currency_formats["standard"].pattern.split(";")[0]
    fraction = "." + "0" * digits if digits else ""
    return re.sub(r"0(?:\.0+)?(?=[^0#,.]*$)", "0" + fraction, standard, count=1)


def _spaced(text: str, symbol: str) -> str:
    """CLDR's currency spacing, which Babel leaves out: a symbol that ends or starts with
    a letter is kept apart from the digits by a no-break space (`CHF 1,200`, `1.200 CHF`
    already has it from the pattern), a sign like `$` is not."""
    if not symbol:
        return text
    if (text.startswith(symbol) and unicodedata.category(symbol[-1]).startswith("L")
            and text[len(symbol):][:1].isdigit()):
        return symbol + "\u00a0" + text[len(symbol):]
    if (text.endswith(symbol) and unicodedata.category(symbol[0]).startswith("L")
            and text[:-len(symbol)][-1:].isdigit()):
        return text[:-len(symbol)] + "\u00a0" + symbol
    return text


def minor_digits(currency: str) -> int:
    """Decimals of the currency's minor unit: 2 for USD and EUR, 0 for JPY, 3 for KWD."""
    return get_currency_precision(currency)


def money(amount: int | float | Fraction | None, currency: str = "USD",
          cents: bool | None = None, *, locale: str = DEFAULT_LOCALE) -> str:
    """`$1,234,500`, `1.234.500 €`; the minor unit only when the amount has one (and the
    currency uses one: never for JPY, three decimals for KWD).

    A page that shows several amounts passes `cents` so they all read alike: True when
    any of them has a fraction (every amount then shows the minor unit), False when none
    has.
    """
    if amount is None:
        return "—"
    value = float(amount)
    digits = minor_digits(currency)
    if cents is False or (cents is None and not has_cents(value, currency=currency)):
        digits = 0
    exact = _exact(abs(value), digits)
    text = format_currency(exact, currency, _currency_pattern(locale, digits),
                           locale=_locale(locale), currency_digits=False)
    text = _spaced(text, get_currency_symbol(currency, locale=_locale(locale)))
    return (MINUS if value < 0 and exact != 0 else "") + text


def money_short(amount: int | float | None, currency: str = "USD", *,
                locale: str = DEFAULT_LOCALE) -> str:
    """`$1.2M`, `$640K`, `1,2 Mio. €`: for tight cells. Where the locale has no short
    form for a size (German thousands), the whole amount is shown (`640.000 €`)."""
    if amount is None:
        return "—"
    value = float(amount)
    size = abs(value)
    # CLDR keys its short forms by the power of ten of the amount ("1000", "100000").
    key = str(10 ** math.floor(math.log10(size))) if size >= 1 else ""
    patterns = _locale(locale).compact_currency_formats.get("short", {}).get("other", {})
    found = patterns.get(key)
    pattern = str(found.pattern) if found is not None else "0"
    if re.fullmatch(r"[0#.,]+", pattern):
        return money(round(value), currency, cents=False, locale=locale)
    # One decimal while one or two digits are shown (`$1.2M`, `$64.5K`), none from three.
    digits = 1 if pattern.count("0") < 3 else 0
    text = format_compact_currency(size, currency, locale=_locale(locale),
                                   fraction_digits=digits)
    return (MINUS if value < 0 else "") + text


def _number(value: Decimal, pattern: str, locale: str) -> str:
    return format_decimal(value, pattern, locale=_locale(locale))


@functools.lru_cache(maxsize=64)
def _percent_pattern(locale: str, decimals: int) -> str:
    standard = _locale(locale).percent_formats[None].pattern.split(";")[0]
    fraction = "." + "0" * decimals if decimals else ""
    return re.sub(r"0(?=[^0#,.]*$)", "0" + fraction, standard, count=1)


def percent(ratio: Fraction | float | None, *, locale: str = DEFAULT_LOCALE) -> str:
    """Whole percent, except where that would mislead: `<1%`, `99.6%` is not `100%`."""
    if ratio is None:
        return "n/a"
    value = float(ratio) * 100
    if 0 < value < 1:
        return "<" + format_percent(Decimal("0.01"), _percent_pattern(locale, 0),
                                    locale=_locale(locale))
    if 99 < value < 100:
        # Never round up to a met quota: 99.96% reads 99.9%.
        shown = Decimal(f"{math.floor(value * 10) / 10:.1f}") / 100
        return format_percent(shown, _percent_pattern(locale, 1), locale=_locale(locale))
    shown = Decimal(f"{value:.0f}") / 100
    return _signed(format_percent(abs(shown), _percent_pattern(locale, 0),
                                  locale=_locale(locale)), shown < 0)


def _signed(text: str, negative: bool) -> str:
    return MINUS + text if negative else text


def multiple(ratio: Fraction | float | None, digits: int = 1, *,
             locale: str = DEFAULT_LOCALE) -> str:
    """Coverage as `3.4×` (`3,4×` in German); `digits=2` where 2.98× must not read 3.0×."""
    if ratio is None:
        return "n/a"
    return decimal(ratio, digits, locale=locale) + "×"


def decimal(value: Fraction | float | int | None, digits: int = 1, *,
            locale: str = DEFAULT_LOCALE) -> str:
    """A number with exactly `digits` decimals: `3.5`, `3,5` in German."""
    if value is None:
        return "—"
    exact = _exact(value, digits)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _signed(_number(abs(exact), pattern, locale), exact < 0)


@functools.lru_cache(maxsize=64)
def _date_pattern(locale: str) -> str:
    if locale in DATE_PATTERNS:
        return DATE_PATTERNS[locale]
    skeletons = _locale(locale).datetime_skeletons
    found = skeletons.get(DATE_SKELETON)
    return str(found.pattern) if found is not None else str(
        _locale(locale).date_formats["medium"].pattern)


def day(value: date | None, *, locale: str = DEFAULT_LOCALE) -> str:
    """`26 Nov 2026`, `26. Nov. 2026`, `26 nov. 2026`: day, short month, year."""
    if value is None:
        return "—"
    return format_date(value, _date_pattern(locale), locale=_locale(locale))


def score(value: float | None, *, locale: str = DEFAULT_LOCALE) -> str:
    """A rating as written: `3`, `3.5` (`3,5` in German)."""
    if value is None:
        return "—"
    exact = Decimal(f"{value:g}") if math.isfinite(value) else Decimal(0)
    return _signed(_number(abs(exact), "0.###", locale), exact < 0)


def figure(value: int | float | str, *, locale: str = DEFAULT_LOCALE) -> str:
    """A `results.*` figure as written, numbers with the locale's separators."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    exact = Decimal(value) if isinstance(value, int) else _exact(value, 2)
    return _signed(_number(abs(exact), "#,##0.##", locale), exact < 0)


def has_cents(*amounts: int | float | Fraction | None, currency: str = "USD") -> bool:
    """Whether any of these amounts needs the currency's minor unit to be shown exactly."""
    digits = minor_digits(currency)
    return any(amount is not None and round(float(amount), digits) != round(float(amount))
               for amount in amounts)
