"""Field types for the models: how a YAML scalar becomes a rating, amount, date or text.

The loader hands the models `Scalar`s (the text as written). Each type here resolves a
scalar only as far as its field needs, and words its own errors for a manager:
"expected a whole-number rating, got 3.5" rather than pydantic's "Input should be…".
Plain Python values are accepted too, so tests and library users can build models
directly.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from reportgen.yamlfile import Scalar

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SOPS_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T00:00:00Z")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_SHOW_LIMIT = 40


def describe(value: Any) -> str:
    """A short, safe description of a bad value for an error message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    raw = value.raw if isinstance(value, Scalar) else str(value)
    if len(raw) > _SHOW_LIMIT:
        raw = raw[:_SHOW_LIMIT] + "…"
    if isinstance(value, Scalar) and not value.plain:
        return f'the quoted text "{raw}"'
    return f"'{raw}'" if isinstance(value, (Scalar, str)) else raw


def _fail(kind: str, message: str, value: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message + ", got {got}", {"got": describe(value)})


def _resolved(value: Any) -> Any:
    return value.resolve() if isinstance(value, Scalar) else value


def _number(value: Any) -> Any:
    """A plain decimal number, or the value itself to be refused by the caller."""
    if isinstance(value, Scalar):
        number = value.number()
        return value if number is None else number
    return value


# Far above any quota, far below where sums and ratios stop being exact.
MONEY_LIMIT = 10**15
MONEY_STEP = 0.001


def to_text(value: Any) -> Any:
    if isinstance(value, Scalar):
        return value.raw
    if isinstance(value, str):
        return value
    # Never echo the value: it may be a private note written as a mapping by mistake.
    raise PydanticCustomError("text", "expected text, got {got}",
                              {"got": "a mapping" if isinstance(value, dict) else
                               "a list" if isinstance(value, list) else "a non-text value"})


def to_whole_number(value: Any) -> Any:
    resolved = _number(value)
    if isinstance(resolved, bool) or not isinstance(resolved, int):
        raise _fail("whole_number", "expected a whole number", value)
    return resolved


def to_rating(value: Any) -> Any:
    resolved = _number(value)
    if isinstance(resolved, bool) or not isinstance(resolved, int):
        raise _fail("rating", "expected a whole-number rating", value)
    return resolved


def to_money(value: Any) -> Any:
    resolved = _number(value)
    if isinstance(resolved, bool) or not isinstance(resolved, (int, float)):
        if isinstance(value, Scalar) and re.fullmatch(r"0[0-9_]+", value.raw):
            raise _fail("money", "write the amount without a leading zero (YAML would read"
                        " it as an octal number)", value)
        raise _fail("money", "expected an amount (a plain number such as 250000)", value)
    if isinstance(resolved, float) and not math.isfinite(resolved):
        raise _fail("money", "expected a finite amount", value)
    if resolved < 0:
        raise PydanticCustomError("money", "amount {got} is negative; it must be 0 or more",
                                  {"got": describe(value).strip("'")})
    if resolved > MONEY_LIMIT:
        raise PydanticCustomError("money", "amount {got} is too large (the limit is"
                                  " 1,000,000,000,000,000)", {"got": describe(value)})
    if 0 < resolved < MONEY_STEP:
        # No currency counts below a thousandth; such a number is a typo, and as a
        # quota it would make every ratio overflow.
        raise PydanticCustomError("money", "amount {got} is too small (the smallest above 0"
                                  " is 0.001)", {"got": describe(value)})
    return resolved


def to_positive_number(value: Any) -> Any:
    resolved = _number(value)
    if isinstance(resolved, bool) or not isinstance(resolved, (int, float)) or not (
        math.isfinite(resolved)
    ):
        raise _fail("number", "expected a number", value)
    if resolved <= 0:
        raise _fail("number", "expected a number above 0", value)
    if resolved > MONEY_LIMIT:
        raise _fail("number", "expected a reasonable number", value)
    return float(resolved)


def to_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    raw = value.raw if isinstance(value, Scalar) else value
    if isinstance(raw, str) and _SOPS_DATE.fullmatch(raw.strip()):
        # sops rewrites every date of a file it encrypts or edits as midnight UTC
        # (2026-11-01T00:00:00Z): the same day.
        raw = raw.strip()[:10]
    if isinstance(raw, str) and _DATE.fullmatch(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            raise _fail("date", "not a calendar date", value) from None
    raise _fail("date", "expected a date written YYYY-MM-DD", value)


def to_flag(value: Any) -> Any:
    resolved = _resolved(value)
    if not isinstance(resolved, bool):
        raise _fail("flag", "expected true or false", value)
    return resolved


def to_lower_word(value: Any) -> Any:
    """For closed vocabularies (status, paper): case-insensitive, as written otherwise."""
    text = to_text(value)
    return text.strip().lower()


def to_result_value(value: Any) -> Any:
    """A `results.*` figure: a number when it reads as one, else short text as written."""
    resolved = _number(value)
    if isinstance(resolved, (int, float)) and not isinstance(resolved, bool) and math.isfinite(
        resolved
    ):
        return resolved
    if isinstance(value, (dict, list)):
        raise _fail("result", "expected a number or short text", value)
    text = value.raw if isinstance(value, Scalar) else str(value)
    if len(text) > 80:
        raise PydanticCustomError("result", "text of {length} characters; keep a result to 80"
                                  " characters or fewer", {"length": len(text)})
    return text


def to_currency(value: Any) -> Any:
    text = to_text(value).strip()
    if not re.fullmatch(r"[A-Za-z]{3}", text):
        raise _fail("currency", "expected a three-letter ISO 4217 code such as USD or EUR",
                    value)
    return text.upper()


_LOCALE_SHAPE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,3}")


def to_locale(value: Any) -> Any:
    """A CLDR locale (`de_DE`, `fr-FR`, `es`) as Babel spells it (`de_DE`).

    Babel quietly turns a locale it does not know into a neighbour (`en_ZZ` into `en_US`);
    here that is an error, since the pages would not read as the team asked."""
    from babel import Locale, UnknownLocaleError
    from babel.localedata import locale_identifiers

    text = to_text(value).strip()
    wanted = text.replace("-", "_")
    failure = _fail("locale", "expected a CLDR locale such as en_US, en_GB, de_DE, fr_FR or"
                    " es_ES", value)
    if not _LOCALE_SHAPE.fullmatch(text):
        raise failure
    try:
        known = str(Locale.parse(wanted))
    except (UnknownLocaleError, ValueError):
        raise failure from None
    if known.lower() != wanted.lower() or known not in locale_identifiers():
        raise failure
    return known


def to_slug(value: Any) -> Any:
    text = to_text(value)
    if not SLUG.fullmatch(text):
        raise _fail("slug", "expected an id of lowercase letters, digits and dashes"
                    " (such as 'deal-strategy')", value)
    return text


# The JSON Schema of each type is what an editor sees: YAML read as YAML 1.2 (dates and
# `1_200_000` are strings there), and looser than `validate` rather than stricter, so
# a file that validates is never flagged while typing.
_MONEY_SCHEMA = {"anyOf": [
    {"type": "number", "minimum": 0, "maximum": MONEY_LIMIT},
    {"type": "string", "pattern": r"^[0-9][0-9_]*(\.[0-9_]+)?$"}]}
Text = Annotated[str, BeforeValidator(to_text),
                 # Text keeps the scalar as written: `period.name: 2026` is the text "2026".
                 WithJsonSchema({"type": ["string", "number", "boolean"]})]
WholeNumber = Annotated[int, BeforeValidator(to_whole_number)]
Rating = Annotated[int, BeforeValidator(to_rating)]
Money = Annotated[int | float, BeforeValidator(to_money), Field(ge=0),
                  WithJsonSchema(_MONEY_SCHEMA)]
PositiveNumber = Annotated[float, BeforeValidator(to_positive_number), Field(gt=0),
                           WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]
Day = Annotated[date, BeforeValidator(to_date),
                WithJsonSchema({"type": "string", "format": "date"})]
Flag = Annotated[bool, BeforeValidator(to_flag)]
ResultValue = Annotated[int | float | str, BeforeValidator(to_result_value),
                        WithJsonSchema({"type": ["number", "string"]})]
Currency = Annotated[str, BeforeValidator(to_currency), Field(pattern=r"^[A-Z]{3}$"),
                     WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$"})]
LocaleName = Annotated[str, BeforeValidator(to_locale),
                       WithJsonSchema({"type": "string",
                                       "pattern": r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,3}$"})]
Slug = Annotated[str, BeforeValidator(to_slug), Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
