"""The performance × capability chart: inline SVG that reads printed in black and white.

Each plotted rep is a numbered circle (the number matches the table beside the chart,
where the names are, so no YAML text reaches the SVG); a ramping rep's circle is
dashed. Dashed lines at 100 % projected and at the target split the four quadrants,
named in the corners. Projected attainment above 200 % is drawn at the top edge as a
triangle pointing up.
"""

from __future__ import annotations

from fractions import Fraction

from markupsafe import Markup, escape

from reportgen import formatting
from reportgen.capability import QUADRANTS, PersonPoint
from reportgen.i18n import ENGLISH, N_, Words

WIDTH, HEIGHT = 440, 310
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 26, 46
Y_MAX = Fraction(2)  # 200 % projected attainment
INK = "#1b2430"
MUTED = "#5b6675"
RULE = "#c9d0d9"
SOFT = "#f6f1e7"
RADIUS = 11
FONT = 'font-family="Inter, sans-serif"'


def _x(value: Fraction, low: Fraction, high: Fraction) -> float:
    share = (min(max(value, low), high) - low) / (high - low)
    return round(LEFT + float(share) * (WIDTH - LEFT - RIGHT), 1)


def _y(value: Fraction) -> float:
    share = min(max(value, Fraction(0)), Y_MAX) / Y_MAX
    return round(HEIGHT - BOTTOM - float(share) * (HEIGHT - TOP - BOTTOM), 1)


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = 10,
          weight: int = 400, fill: str = MUTED) -> str:
    return (f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{size}"'
            f' font-weight="{weight}" fill="{fill}" {FONT}>{text}</text>')


def _fitted(text: str, room: float, size: float) -> float:
    """The font size (at most `size`) at which bold `text` fits in `room` pixels: Inter's
    bold letters average a little over half an em, and the fallback font WeasyPrint may
    draw SVG text in (DejaVu Sans) is wider: 0.62 em keeps "Compétents, bloqués" in."""
    needed = len(text) * 0.62 * size
    return size if needed <= room else round(max(room / (len(text) * 0.62), 7.0), 1)


def _place(points: list[tuple[float, float]], one_x: float, one_y: float
           ) -> list[tuple[float, float]]:
    """Move circles that would cover each other the shortest way that keeps them in their
    quadrant (never across a dashed line), so every number shows and reads true."""
    step = 2 * RADIUS + 1
    moves = [(0.0, 0.0)] + [(dx * ring * step / 2, dy * ring * step / 2)
                            for ring in range(1, 9)
                            for dx, dy in ((0, -1), (0, 1), (1, 0), (-1, 0),
                                           (1, -1), (-1, -1), (1, 1), (-1, 1))]
    placed: list[tuple[float, float]] = []
    for x, y in points:
        side = (x >= one_x, y <= one_y)
        for dx, dy in moves:
            spot = (round(x + dx, 1), round(y + dy, 1))
            if (spot[0] >= one_x, spot[1] <= one_y) != side and (dx, dy) != (0.0, 0.0):
                continue
            if not any((spot[0] - px) ** 2 + (spot[1] - py) ** 2 < step ** 2
                       for px, py in placed):
                break
        else:
            spot = (x, y)  # nowhere free nearby: overlap rather than mislead
        placed.append(spot)
    return placed


def people_chart(points: list[tuple[int, PersonPoint]], scale_min: int, scale_max: int,
                 target: int, *, words: Words = ENGLISH) -> Markup:
    """`points`: (number shown, point) of the reps to plot; its words in `words`'
    language."""

    def say(text: object) -> str:
        return str(escape(words(text)))

    low, high = Fraction(scale_min, target), Fraction(scale_max, target)
    one_x, one_y = _x(Fraction(1), low, high), _y(Fraction(1))
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    parts = [
        # The quadrant that needs the manager most is lightly shaded (and named).
        f'<rect x="{LEFT}" y="{one_y}" width="{round(one_x - LEFT, 1)}"'
        f' height="{round(bottom - one_y, 1)}" fill="{SOFT}"/>',
        f'<rect x="{LEFT}" y="{TOP}" width="{right - LEFT}" height="{bottom - TOP}"'
        f' fill="none" stroke="{RULE}" stroke-width="1"/>',
    ]
    for percent in (0, 50, 100, 150, 200):
        y = _y(Fraction(percent, 100))
        if 0 < percent < 200 and percent != 100:
            parts.append(f'<line x1="{LEFT}" x2="{right}" y1="{y}" y2="{y}" stroke="{RULE}"'
                         ' stroke-width="0.5"/>')
        parts.append(_text(LEFT - 5, y + 4, say(formatting.percent(
            Fraction(percent, 100), locale=words.locale)), anchor="end", size=12))
    for rating in range(scale_min, scale_max + 1):
        x = _x(Fraction(rating, target), low, high)
        parts.append(f'<line x1="{x}" x2="{x}" y1="{bottom}" y2="{bottom + 4}" stroke="{MUTED}"'
                     ' stroke-width="1"/>')
        parts.append(_text(x, bottom + 17, str(rating), anchor="middle", size=12))
    parts += [
        f'<line x1="{one_x}" x2="{one_x}" y1="{TOP}" y2="{bottom}" stroke="{INK}"'
        ' stroke-width="1.2" stroke-dasharray="5 3"/>',
        f'<line x1="{LEFT}" x2="{right}" y1="{one_y}" y2="{one_y}" stroke="{INK}"'
        ' stroke-width="1.2" stroke-dasharray="5 3"/>',
        _text(LEFT, TOP - 10, say(N_("Projected attainment ↑")), size=12.5, weight=600,
              fill=INK),
        _text(right, HEIGHT - 6,
              say(N_("Skills: weighted mean rating, target %(target)s →", target=target)),
              anchor="end", size=12.5, weight=600, fill=INK),
    ]
    # Each quadrant's name in its corner, smaller where the language's words are longer
    # than the room beside the dashed line ("Fähig, aber festgefahren").
    for key, right_side, y in (("stars", True, TOP + 15), ("ahead", False, TOP + 15),
                               ("stuck", True, bottom - 7), ("plan", False, bottom - 7)):
        name = str(words(QUADRANTS[key][0]))
        # Up to the picture's edge on the right, the axis on the left.
        room = WIDTH - 2 - (one_x + 5) if right_side else one_x - 5 - LEFT - 4
        parts.append(_text(one_x + 5 if right_side else one_x - 5, y, str(escape(name)),
                           anchor="start" if right_side else "end",
                           size=_fitted(name, room, 12.5), weight=700))
    plotted = [(number, point) for number, point in points if point.plotted]
    spots = _place([(_x(point.capability or Fraction(0), low, high),
                     _y(point.performance or Fraction(0))) for _, point in plotted],
                   one_x, one_y)
    for (number, point), (x, y) in zip(plotted, spots, strict=True):
        dashed = ' stroke-dasharray="2.5 1.5"' if point.ramping else ""
        if (point.performance or 0) > Y_MAX:
            tip = round(y - RADIUS - 1, 1)
            parts.append(f'<path d="M{x} {tip} L{round(x + RADIUS + 2, 1)} {round(y + 7, 1)}'
                         f' L{round(x - RADIUS - 2, 1)} {round(y + 7, 1)} Z" fill="#fff"'
                         f' stroke="{INK}" stroke-width="1.5"{dashed}/>')
        else:
            parts.append(f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="#fff" stroke="{INK}"'
                         f' stroke-width="1.5"{dashed}/>')
        parts.append(_text(x, round(y + 4.3, 1), str(number), anchor="middle", size=12.5,
                           weight=700, fill=INK))
    label = say(N_("Reps by projected attainment and skills against target; the table"
                   " beside it lists the same figures"))
    return Markup(
        f'<svg class="people-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}"'
        f' height="{HEIGHT}" role="img" aria-label="{label}">'
        + "".join(parts) + "</svg>")
