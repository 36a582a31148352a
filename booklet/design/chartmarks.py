"""The marks of the charts drawn as SVG (dots, lines, a part-of-a-whole bar, the rule under a title).

Only marks: every word and number of a chart is HTML beside them (charts.py),
typeset by WeasyPrint like the rest of the page. Each drawing carries a
<title>: drawings.py makes it an image whose alternative text is that title,
so the screen edition tags it as a figure with the chart's description.
Colours come from layouts/chart-marks.css, its var(--chart-N) tokens resolved
for the edition (CMYK in print): a drawing is drawn apart from the page. Sizes
(a dot's radius, a line chart's plot, a ring's edges) are design tokens of
booklet.css too (contract.TOKENS), in drawing units: a drawing is 100 units wide.
"""

from __future__ import annotations

import dataclasses
import math
from itertools import count
from pathlib import Path
from xml.sax.saxutils import escape

from booklet import readfile
from booklet.data import chartrules
from booklet.design import contract

#: A dots chart's grid: this many dots a row, at most this many rows, so that it fits a page of A5 with
#: its title, key and a legend of eight lines.
COLUMNS = 25
MAX_DOT_ROWS = chartrules.MAX_DOTS // COLUMNS
_WIDTH = 100  # drawings are 100 units wide, scaled to the chart's width
_PITCH = _WIDTH / COLUMNS


@dataclasses.dataclass(frozen=True)
class Marks:
    """How the marks are drawn: their stylesheet (tokens resolved) and their sizes, in drawing units."""

    style: str
    dot_radius: float
    point_radius: float
    plot_height: float
    plot_padding: float
    bar_height: float
    ring_outer: float
    ring_inner: float

    @classmethod
    def of(cls, style: str, resolved: dict[str, str]) -> Marks:
        """The marks drawn with ``style`` and the sizes of the design tokens ``resolved`` (checked at start-up)."""
        sizes = {field: float(resolved[token]) for field, token in contract.MARK_SIZES.items()}
        return cls(style, **sizes)


def source(layouts: Path) -> str:
    """layouts/chart-marks.css as written (read as every file of layouts/ the pipeline reads itself)."""
    path = layouts / contract.MARKS_STYLESHEET
    try:
        return readfile.read_text(path, layouts)
    except readfile.Refused as refused:
        raise readfile.problem(path, refused) from None


def _svg(cls: str, height: float, alt: str, marks: Marks, body: str, stretch: bool = False) -> str:
    aspect = ' preserveAspectRatio="none"' if stretch else ""
    return (
        f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height:g}"{aspect} '
        f'role="img"><title>{escape(" ".join(alt.split()))}</title><style>{marks.style}</style>{body}</svg>'
    )


def units_per_dot(values: list[int]) -> int:
    """The fewest units a dot may stand for (1, 2, 5, 10, 20, 50, 100...) so that the dots fit chartrules.MAX_DOTS."""
    for power in count():
        for step in (1, 2, 5):
            units = step * 10**power
            if sum(dot_counts(values, units)) <= chartrules.MAX_DOTS:
                return units
    raise AssertionError  # pragma: no cover - count() never ends


def dot_counts(values: list[int], units: int) -> list[int]:
    """How many dots each value draws at ``units`` a dot: rounded, and never none for a value above 0."""
    return [max(1, round(value / units)) if value > 0 else 0 for value in values]


def dots(counts: list[int], alt: str, marks: Marks) -> str:
    """The grid of dots, filled from the top right, a colour (c1, c2...) per category."""
    parts, index = [], 0
    for kind, number in enumerate(counts, start=1):
        for _ in range(number):
            row, column = divmod(index, COLUMNS)
            x = _WIDTH - _PITCH / 2 - column * _PITCH
            y = _PITCH / 2 + row * _PITCH
            parts.append(f'<circle class="c{kind}" cx="{x:g}" cy="{y:g}" r="{marks.dot_radius:g}"/>')
            index += 1
    rows = max(1, -(-index // COLUMNS))
    return _svg("chart__dots", rows * _PITCH, alt, marks, "".join(parts))


def shares(values: list[int], alt: str, marks: Marks) -> str:
    """One bar of the whole width, a segment a part, the first part at the right."""
    total = sum(values) or 1
    parts, right = [], float(_WIDTH)
    for kind, value in enumerate(values, start=1):
        width = value / total * _WIDTH
        parts.append(
            f'<rect class="c{kind}" x="{right - width:.3f}" y="0" width="{width:.3f}" height="{marks.bar_height:g}"/>'
        )
        right -= width
    return _svg("chart__shares", marks.bar_height, alt, marks, "".join(parts), stretch=True)


def donut(values: list[int], alt: str, marks: Marks) -> str:
    """A ring of parts, the first from the top clockwise (to the right, where a right-to-left reader starts)."""
    total = sum(values) or 1
    outer, inner, parts, start = marks.ring_outer, marks.ring_inner, [], 0.0
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
    return _svg("chart__ring", 100, alt, marks, "".join(parts))


def _on_ring(turn: float, radius: float) -> tuple[float, float]:
    """The point ``turn`` of a full turn clockwise from the top of a circle about (50, 50)."""
    angle = 2 * math.pi * turn
    return 50 + radius * math.sin(angle), 50 - radius * math.cos(angle)


def rule(alt: str, marks: Marks) -> str:
    """The hairline under a chart's title: the drawing that carries the chart's description."""
    return _svg("chart__rule", 1, alt, marks, '<rect class="rule" width="100" height="1"/>', stretch=True)


def lines(series: list[list[int]], alt: str, marks: Marks) -> str:
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
    height, pad = marks.plot_height, marks.plot_padding

    def at(i: int, value: int) -> tuple[float, float]:
        x = _WIDTH - (i + 0.5) * _WIDTH / points
        y = pad + (1 - (value - low) / (high - low)) * (height - 2 * pad)
        return x, y

    base = at(0, 0)[1]
    parts = [
        f'<line class="grid" x1="0" y1="{pad:g}" x2="{_WIDTH}" y2="{pad:g}"/>',
        f'<line class="base" x1="0" y1="{base:.3f}" x2="{_WIDTH}" y2="{base:.3f}"/>',
    ]
    for kind, values in enumerate(series, start=1):
        path = " ".join(f"{x:.3f},{y:.3f}" for x, y in (at(i, v) for i, v in enumerate(values)))
        parts.append(f'<polyline class="s{kind}" points="{path}"/>')
        parts += [
            f'<circle class="c{kind}" cx="{x:.3f}" cy="{y:.3f}" r="{marks.point_radius:g}"/>'
            for x, y in (at(i, v) for i, v in enumerate(values))
        ]
    return _svg("chart__plot", height, alt, marks, "".join(parts))
