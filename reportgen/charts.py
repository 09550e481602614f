"""Small inline SVG charts: they print sharply and need no script or external file.

Only numbers reach the SVG; every label is drawn in HTML around it, so text escaping
stays with Jinja's autoescape.
"""

from __future__ import annotations

from fractions import Fraction

from markupsafe import Markup

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


def rating_bar(rating: int | None, target: int, low: int, high: int, *, stale: bool = False
               ) -> Markup:
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
    label = (f"rated {rating} of {high}, target {target}" if rating is not None
             else f"not assessed, target {target}")
    return Markup(
        f'<svg class="rating-bar" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" width="{BAR_WIDTH}"'
        f' height="{BAR_HEIGHT}" role="img" aria-label="{label}">' + "".join(parts) + "</svg>")


def attainment_bar(attainment: Fraction | None, elapsed: Fraction, *, width: int = 400
                   ) -> Markup:
    """Closed against quota, with a marker where the rep should be by now."""
    if attainment is None:
        return Markup("")
    shown = min(float(attainment), 1.0)
    height = 18
    fill_width = round(width * shown, 2)
    marker = round(width * float(elapsed), 2)
    colour = MET if attainment >= elapsed else BEHIND
    marker = min(max(marker, 1.5), width - 1.5)
    return Markup(
        f'<svg class="attainment-bar" viewBox="0 -4 {width} {height + 8}" width="{width}"'
        f' height="{height + 8}" role="img" aria-label="attainment against quota, marker at'
        f' the share of the period elapsed">'
        f'<rect x="0" y="0" width="{width}" height="{height}" rx="3" fill="{TRACK}"/>'
        f'<rect x="0" y="0" width="{fill_width}" height="{height}" rx="3" fill="{colour}"/>'
        f'<line x1="{marker}" x2="{marker}" y1="-4" y2="{height + 4}" stroke="{INK}"'
        ' stroke-width="3"/>'
        "</svg>")
