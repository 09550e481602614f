"""The forecast bar: closed, commit and best case against the manager's number.

Closed is solid, the commit on top of it grey, the best case's upside an outlined box;
the number is a thick line. It reads in black and white: the segments differ in fill
and outline, not only in colour, and the figures are in the table beside it.
"""

from __future__ import annotations

from fractions import Fraction

from markupsafe import Markup, escape

from reportgen.i18n import ENGLISH, N_, Words

Amount = int | float

INK = "#1b2430"
CLOSED = "#1f5f8b"
COMMIT = "#9fb8cc"
TRACK = "#e6eaf0"


def forecast_bar(closed: Amount, forecast_commit: Amount, forecast_best_case: Amount,
                 number: Amount, *, width: int = 640, words: Words = ENGLISH) -> Markup:
    # Imported here: render.py imports this module, and a no-op build must not pay for
    # the models' import (pydantic) just to find it has nothing to do.
    from reportgen.coaching import exact

    height = 22
    scale_to = max(exact(number), exact(forecast_best_case), exact(forecast_commit),
                   Fraction(1))

    def x(amount: Amount) -> float:
        return round(width * float(min(exact(amount), scale_to) / scale_to), 2)

    closed_x, commit_x, best_x = x(closed), x(forecast_commit), x(forecast_best_case)
    parts = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="{TRACK}"/>']
    if best_x > commit_x:
        parts.append(f'<rect x="{commit_x}" y="1" width="{round(best_x - commit_x, 2)}"'
                     f' height="{height - 2}" fill="#fff" stroke="{INK}" stroke-width="1.2"'
                     ' stroke-dasharray="4 2"/>')
    if commit_x > closed_x:
        parts.append(f'<rect x="{closed_x}" y="0" width="{round(commit_x - closed_x, 2)}"'
                     f' height="{height}" fill="{COMMIT}"/>')
    parts.append(f'<rect x="0" y="0" width="{closed_x}" height="{height}" fill="{CLOSED}"/>')
    if exact(number) > 0:
        marker = min(max(x(number), 1.5), width - 1.5)
        parts.append(f'<line x1="{marker}" x2="{marker}" y1="-5" y2="{height + 5}"'
                     f' stroke="{INK}" stroke-width="3"/>')
    label = escape(words(N_("closed, commit and best case against the manager's number (the"
                            " thick line)")))
    return Markup(
        f'<svg class="forecast-bar" viewBox="0 -5 {width} {height + 10}" width="{width}"'
        f' height="{height + 10}" role="img" aria-label="{label}">' + "".join(parts)
        + "</svg>")
