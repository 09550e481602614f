"""How figures read: money, percentages, ratios and dates, one style everywhere."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$",
                    "AUD": "A$", "NZD": "NZ$", "CHF": "CHF ", "INR": "₹", "CNY": "CN¥",
                    "SEK": "SEK ", "NOK": "NOK ", "DKK": "DKK ", "BRL": "R$", "MXN": "MX$",
                    "SGD": "S$", "HKD": "HK$", "ZAR": "R ", "KRW": "₩", "PLN": "PLN "}
# Currencies with no minor unit in everyday use.
NO_DECIMALS = {"JPY", "KRW"}


def money(amount: int | float | Fraction | None, currency: str = "USD",
          cents: bool | None = None) -> str:
    """`$1,234,500`; cents only when the amount has them (and the currency uses them).

    A page that shows several amounts passes `cents` so they all read alike: True when
    any of them has cents (every amount then shows two decimals), False when none has.
    """
    if amount is None:
        return "—"
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    value = float(amount)
    sign = "−" if value < 0 else ""
    value = abs(value)
    whole = round(value, 2) == round(value) if cents is None else not cents
    text = f"{round(value):,}" if currency in NO_DECIMALS or whole else f"{value:,.2f}"
    return f"{sign}{symbol}{text}"


def money_short(amount: int | float | None, currency: str = "USD") -> str:
    """`$1.2M`, `$640K`: for tight table cells."""
    if amount is None:
        return "—"
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    value = float(amount)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            scaled = value / limit
            digits = 1 if abs(scaled) < 100 else 0
            text = f"{scaled:,.{digits}f}".removesuffix(".0")
            return f"{symbol}{text}{suffix}"
    return f"{symbol}{value:,.0f}"


def percent(ratio: Fraction | float | None) -> str:
    """Whole percent, except where that would mislead: `<1%`, `99.6%` is not `100%`."""
    if ratio is None:
        return "n/a"
    value = float(ratio) * 100
    if 0 < value < 1:
        return "<1%"
    if 99 < value < 100:
        # Never round up to a met quota: 99.96% reads 99.9%.
        return f"{math.floor(value * 10) / 10:.1f}%"
    return f"{value:.0f}%"


def multiple(ratio: Fraction | float | None) -> str:
    """Coverage as `3.4×`."""
    if ratio is None:
        return "n/a"
    return f"{float(ratio):.1f}×"


def day(value: date | None) -> str:
    """`26 Nov 2026`: unambiguous wherever the plan is read."""
    if value is None:
        return "—"
    return f"{value.day} {value:%b %Y}"


def score(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


def figure(value: int | float | str) -> str:
    """A `results.*` figure as written, numbers with thousands separators."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def has_cents(*amounts: int | float | Fraction | None) -> bool:
    """Whether any of these amounts needs cents to be shown exactly."""
    return any(amount is not None and round(float(amount), 2) != round(float(amount))
               for amount in amounts)
