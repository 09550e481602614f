"""Small inline SVG charts: they print sharply and need no script or external file.

Only numbers reach the SVG; every label is drawn in HTML around it, so text escaping
stays with Jinja's autoescape.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from markupsafe import Markup, escape

from reportgen.i18n import ENGLISH, N_, Figure, Words

BAR_WIDTH = 200
BAR_HEIGHT = 14
# Colours as SVG attributes: WeasyPrint does not apply CSS `fill`/`stroke` to inline SVG.
TRACK = "#e6eaf0"
MET = "#1e7a4c"
BELOW = "#c9822b"
BEHIND = "#b3261e"
INK = "#1b2430"


def _x(value: float, low: float, high: float) -> float:
    return round(BAR_WIDTH * (value - low) / (high - low), 2)


def rating_bar(rating: int | None, target: int, low: int, high: int, *, stale: bool = False,
               words: Words = ENGLISH) -> Markup:
    """A track from the scale's min to max, the rating filled, the target as a tick."""
    track = (f'<rect class="track" x="0" y="3" width="{BAR_WIDTH}" height="{BAR_HEIGHT - 6}"'
             f' rx="4" fill="{TRACK}"/>')
    parts = [track]
    if rating is not None:
        # A rating at the minimum still shows a sliver, so "1" is visibly not "unrated".
        width = max(_x(rating, low, high), 6)
        colour = BELOW if rating < target else MET
        # A stale rating is drawn pale with a dashed outline: it reads in black and white.
        style = (f' fill-opacity="0.4" stroke="{INK}" stroke-width="1" stroke-dasharray="3 2"'
                 if stale else "")
        parts.append(f'<rect class="fill" x="0" y="3" width="{width}"'
                     f' height="{BAR_HEIGHT - 6}" rx="4" fill="{colour}"{style}/>')
    tick = min(max(_x(target, low, high), 1), BAR_WIDTH - 1)
    parts.append(f'<line class="target" x1="{tick}" x2="{tick}" y1="0" y2="{BAR_HEIGHT}"'
                 f' stroke="{INK}" stroke-width="2"/>')
    label = escape(words(
        N_("rated %(rating)s of %(high)s, target %(target)s", rating=rating, high=high,
           target=target) if rating is not None
        else N_("not assessed, target %(target)s", target=target)))
    return Markup(
        f'<svg class="rating-bar" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" width="{BAR_WIDTH}"'
        f' height="{BAR_HEIGHT}" role="img" aria-label="{label}">' + "".join(parts) + "</svg>")


def attainment_bar(attainment: Fraction | None, elapsed: Fraction, *, width: int = 400,
                   words: Words = ENGLISH) -> Markup:
    """Closed against quota, with a marker where the rep should be by now."""
    if attainment is None:
        return Markup("")
    shown = min(float(attainment), 1.0)
    height = 18
    fill_width = round(width * shown, 2)
    marker = round(width * float(elapsed), 2)
    colour = MET if attainment >= elapsed else BEHIND
    marker = min(max(marker, 1.5), width - 1.5)
    label = escape(words(N_("attainment against quota, marker at the share of the period"
                            " elapsed")))
    return Markup(
        f'<svg class="attainment-bar" viewBox="0 -4 {width} {height + 8}" width="{width}"'
        f' height="{height + 8}" role="img" aria-label="{label}">'
        f'<rect x="0" y="0" width="{width}" height="{height}" rx="3" fill="{TRACK}"/>'
        f'<rect x="0" y="0" width="{fill_width}" height="{height}" rx="3" fill="{colour}"/>'
        f'<line x1="{marker}" x2="{marker}" y1="-4" y2="{height + 4}" stroke="{INK}"'
        ' stroke-width="3"/>'
        "</svg>")


TREND_WIDTH = 64
TREND_HEIGHT = 16


def skill_trend(points: list[tuple[date, int]] | tuple[tuple[date, int], ...], low: int,
                high: int, *, words: Words = ENGLISH) -> Markup:
    """A skill's latest ratings as dots joined by a line, oldest left, in ink only (it
    reads in black and white): hollow dots for the past, a filled one for now."""
    if not points:
        return Markup("")
    pad = 3
    step = (TREND_WIDTH - 2 * pad) / max(len(points) - 1, 1)

    def y(rating: int) -> float:
        share = (min(max(rating, low), high) - low) / (high - low)
        return round(TREND_HEIGHT - pad - share * (TREND_HEIGHT - 2 * pad), 2)

    spots = [(round(pad + index * step, 2) if len(points) > 1 else TREND_WIDTH / 2,
              y(rating)) for index, (_, rating) in enumerate(points)]
    parts = []
    if len(spots) > 1:
        parts.append('<polyline fill="none" stroke="' + INK + '" stroke-width="1.2" points="'
                     + " ".join(f"{x},{y_}" for x, y_ in spots) + '"/>')
    for index, (x, y_) in enumerate(spots):
        last = index == len(spots) - 1
        parts.append(f'<circle cx="{x}" cy="{y_}" r="{2.6 if last else 2}"'
                     f' fill="{INK if last else "#ffffff"}" stroke="{INK}" stroke-width="1.2"/>')
    # One message per dot, then the list: the extractor reads no message nested in another.
    dots = [words(N_("%(rating)s on %(day)s", rating=rating, day=day))
            for day, rating in points]
    label = escape(words(N_("ratings over time: %(ratings)s", ratings=", ".join(dots))))
    return Markup(
        f'<svg class="skill-trend" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}"'
        f' width="{TREND_WIDTH}" height="{TREND_HEIGHT}" role="img" aria-label="{label}">'
        f"<title>{label}</title>" + "".join(parts) + "</svg>")


BURN_WIDTH = 640
BURN_HEIGHT = 170


def burn_up(progress: list[tuple[date, int | float]] | tuple[tuple[date, int | float], ...],
            quota: int | float, start: date, end: date, *, words: Words = ENGLISH) -> Markup:
    """Closed by week against the even-pace line (dashed) and the manager's number
    (dotted); the closed line is solid with a dot per week, so it reads in print."""
    if not progress:
        return Markup("")
    top = max([float(quota), *(float(closed) for _, closed in progress)]) or 1.0
    days = max((end - start).days + 1, 1)
    left, right, bottom, up = 4, 8, 6, 8

    def x(day: date) -> float:
        share = min(max(((day - start).days + 1) / days, 0), 1)
        return round(left + share * (BURN_WIDTH - left - right), 2)

    def y(amount: float) -> float:
        return round(BURN_HEIGHT - bottom - (amount / top) * (BURN_HEIGHT - bottom - up), 2)

    base = y(0)
    parts = [f'<line x1="{left}" x2="{BURN_WIDTH - right}" y1="{base}" y2="{base}"'
             f' stroke="{INK}" stroke-width="1"/>']
    if quota:
        parts.append(f'<line class="pace" x1="{x(start - timedelta(days=1))}" y1="{base}"'
                     f' x2="{x(end)}" y2="{y(float(quota))}" stroke="{INK}" stroke-width="1.2"'
                     ' stroke-dasharray="5 4"/>')
        parts.append(f'<line class="number" x1="{left}" x2="{BURN_WIDTH - right}"'
                     f' y1="{y(float(quota))}" y2="{y(float(quota))}" stroke="{INK}"'
                     ' stroke-width="1" stroke-dasharray="1 3"/>')
    spots = [(x(start - timedelta(days=1)), base)] + [(x(day), y(float(closed)))
                                                       for day, closed in progress]
    parts.append(f'<polyline class="closed" fill="none" stroke="{MET}" stroke-width="2.5"'
                 ' points="' + " ".join(f"{px},{py}" for px, py in spots) + '"/>')
    parts.extend(f'<circle cx="{px}" cy="{py}" r="2.8" fill="{INK}"/>' for px, py in spots[1:])
    weeks = [words(N_("%(closed)s by %(day)s", closed=Figure(closed), day=day))
             for day, closed in progress]
    label = escape(words(N_(
        "closed by week against the even pace to the manager's number: %(weeks)s",
        weeks=", ".join(weeks))))
    return Markup(
        f'<svg class="burn-up" viewBox="0 0 {BURN_WIDTH} {BURN_HEIGHT}" width="{BURN_WIDTH}"'
        f' height="{BURN_HEIGHT}" role="img" aria-label="{label}">' + "".join(parts) + "</svg>")
