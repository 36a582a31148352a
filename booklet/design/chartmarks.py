"""The marks of the charts drawn as SVG (dots, lines, a part-of-a-whole bar, the rule under a title).

Only marks: every word and number of a chart is HTML beside them (charts.py),
typeset by WeasyPrint like the rest of the page. Each drawing carries a
<title>: drawings.py makes it an image whose alternative text is that title,
so the screen edition tags it as a figure with the chart's description.
Colours come from layouts/chart-marks.css, its var(--chart-N) tokens resolved
for the edition (CMYK in print): a drawing is drawn apart from the page.
"""

from __future__ import annotations

import math
from itertools import count
from pathlib import Path
from xml.sax.saxutils import escape

from booklet import readfile
from booklet.design import tokens

#: The colour tokens --chart-1 ... --chart-8 of layouts/booklet.css: a chart tells this many apart.
PALETTE = 8
#: A dots chart's grid: this many dots a row, at most this many rows, so that it fits a page of A5 with
#: its title, key and a legend of eight lines.
COLUMNS = 25
MAX_DOT_ROWS = 18
MAX_DOTS = COLUMNS * MAX_DOT_ROWS
_WIDTH = 100  # drawings are 100 units wide, scaled to the chart's width
_PITCH = _WIDTH / COLUMNS
_RADIUS = 1.45


#: The stylesheet of the marks, in layouts/.
STYLESHEET = "chart-marks.css"


def source(layouts: Path) -> str:
    """layouts/chart-marks.css as written (read as every file of layouts/ the pipeline reads itself)."""
    path = layouts / STYLESHEET
    try:
        return readfile.read_text(path, layouts)
    except readfile.Refused as refused:
        raise readfile.problem(path, refused) from None


def stylesheet(layouts: Path, design: dict[str, str]) -> str:
    """layouts/chart-marks.css with the edition's tokens resolved: what each drawing embeds."""
    return tokens.resolve(source(layouts), design)


def _svg(cls: str, height: float, alt: str, style: str, body: str, stretch: bool = False) -> str:
    aspect = ' preserveAspectRatio="none"' if stretch else ""
    return (
        f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height:g}"{aspect} '
        f'role="img"><title>{escape(" ".join(alt.split()))}</title><style>{style}</style>{body}</svg>'
    )


def units_per_dot(values: list[int]) -> int:
    """The fewest units a dot may stand for (1, 2, 5, 10, 20, 50, 100...) so that the dots fit MAX_DOTS."""
    for power in count():
        for step in (1, 2, 5):
            units = step * 10**power
            if sum(dot_counts(values, units)) <= MAX_DOTS:
                return units
    raise AssertionError  # pragma: no cover - count() never ends


def dot_counts(values: list[int], units: int) -> list[int]:
    """How many dots each value draws at ``units`` a dot: rounded, and never none for a value above 0."""
    return [max(1, round(value / units)) if value > 0 else 0 for value in values]


def dots(counts: list[int], alt: str, style: str) -> str:
    """The grid of dots, filled from the top right, a colour (c1, c2...) per category."""
    parts, index = [], 0
    for kind, number in enumerate(counts, start=1):
        for _ in range(number):
            row, column = divmod(index, COLUMNS)
            x = _WIDTH - _PITCH / 2 - column * _PITCH
            y = _PITCH / 2 + row * _PITCH
            parts.append(f'<circle class="c{kind}" cx="{x:g}" cy="{y:g}" r="{_RADIUS:g}"/>')
            index += 1
    rows = max(1, -(-index // COLUMNS))
    return _svg("chart__dots", rows * _PITCH, alt, style, "".join(parts))


def shares(values: list[int], alt: str, style: str) -> str:
    """One bar of the whole width, a segment a part, the first part at the right."""
    total = sum(values) or 1
    parts, right = [], float(_WIDTH)
    for kind, value in enumerate(values, start=1):
        width = value / total * _WIDTH
        parts.append(f'<rect class="c{kind}" x="{right - width:.3f}" y="0" width="{width:.3f}" height="10"/>')
        right -= width
    return _svg("chart__shares", 10, alt, style, "".join(parts), stretch=True)


def donut(values: list[int], alt: str, style: str) -> str:
    """A ring of parts, the first from the top clockwise (to the right, where a right-to-left reader starts)."""
    total = sum(values) or 1
    outer, inner, parts, start = 48.0, 30.0, [], 0.0
    for kind, value in enumerate(values, start=1):
        share = value / total
        if share <= 0:
            continue
        if share >= 0.99999:  # the whole ring: an arc from a point to itself draws nothing, so two halves
            ring = f"M50 {50 - outer}A{outer} {outer} 0 1 1 50 {50 + outer}A{outer} {outer} 0 1 1 50 {50 - outer}"
            hole = f"M50 {50 - inner}A{inner} {inner} 0 1 0 50 {50 + inner}A{inner} {inner} 0 1 0 50 {50 - inner}"
            parts.append(f'<path class="c{kind}" fill-rule="evenodd" d="{ring}{hole}Z"/>')
            break
        end = start + share
        large = 1 if share > 0.5 else 0
        (x0, y0), (x1, y1) = _on_ring(start, outer), _on_ring(end, outer)
        (x2, y2), (x3, y3) = _on_ring(end, inner), _on_ring(start, inner)
        path = (
            f"M{x0:.3f} {y0:.3f}A{outer} {outer} 0 {large} 1 {x1:.3f} {y1:.3f}"
            f"L{x2:.3f} {y2:.3f}A{inner} {inner} 0 {large} 0 {x3:.3f} {y3:.3f}Z"
        )
        parts.append(f'<path class="c{kind}" d="{path}"/>')
        start = end
    return _svg("chart__ring", 100, alt, style, "".join(parts))


def _on_ring(turn: float, radius: float) -> tuple[float, float]:
    """The point ``turn`` of a full turn clockwise from the top of a circle about (50, 50)."""
    angle = 2 * math.pi * turn
    return 50 + radius * math.sin(angle), 50 - radius * math.cos(angle)


def rule(alt: str, style: str) -> str:
    """The hairline under a chart's title: the drawing that carries the chart's description."""
    return _svg("chart__rule", 1, alt, style, '<rect class="rule" width="100" height="1"/>', stretch=True)


#: A line chart's plot: its height in units of a 100-unit width, and the room kept above and below.
PLOT_HEIGHT = 32
_PAD = 3


def lines(series: list[list[int]], alt: str, style: str) -> str:
    """One line per series across the plot, earliest point at the right; a point on every value.

    Point i stands at the middle of the i-th of as many equal columns as
    there are points, counted from the right: the HTML under the plot, a
    column per point, sets its years and values at the same places.
    """
    every = [v for values in series for v in values]
    low, high = min(0, *every), max(every)
    if high == low:
        high = low + 1
    points = len(series[0])

    def at(i: int, value: int) -> tuple[float, float]:
        x = _WIDTH - (i + 0.5) * _WIDTH / points
        y = _PAD + (1 - (value - low) / (high - low)) * (PLOT_HEIGHT - 2 * _PAD)
        return x, y

    base = at(0, 0)[1]
    parts = [
        f'<line class="grid" x1="0" y1="{_PAD}" x2="{_WIDTH}" y2="{_PAD}"/>',
        f'<line class="base" x1="0" y1="{base:.3f}" x2="{_WIDTH}" y2="{base:.3f}"/>',
    ]
    for kind, values in enumerate(series, start=1):
        path = " ".join(f"{x:.3f},{y:.3f}" for x, y in (at(i, v) for i, v in enumerate(values)))
        parts.append(f'<polyline class="s{kind}" points="{path}"/>')
        parts += [
            f'<circle class="c{kind}" cx="{x:.3f}" cy="{y:.3f}" r="0.9"/>'
            for x, y in (at(i, v) for i, v in enumerate(values))
        ]
    return _svg("chart__plot", PLOT_HEIGHT, alt, style, "".join(parts))
