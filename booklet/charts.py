"""Draw the data's charts as vector SVG: bars, dots (one per unit) and timelines."""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from markupsafe import Markup

from .model import Chart
from .svgtext import visual

#: Charts are drawn on a grid 100 units wide, scaled to the text column: one
#: unit is about 1.1 mm on an A5 page. Type sizes below are in these units.
WIDTH = 100


def draw(chart: Chart, number: Callable[[int], str], style: str) -> Markup:
    """The chart as an inline SVG element; ``number`` writes values in the booklet's digits."""
    body, height = _KINDS[chart.kind](chart, number)
    return Markup(
        f'<svg class="chart chart--{chart.kind}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height:g}" role="img">'
        f"<title>{escape(chart.alt)}</title><style>{style}</style>{body}</svg>"
    )


def _text(x: float, y: float, text: str, cls: str) -> str:
    # Labels reach the SVG in visual order: WeasyPrint draws SVG text one code
    # point at a time, left to right, without shaping or bidi (issue 2249).
    # text-anchor="end" sets each label flush right, as right-to-left text sits.
    # One line each: a label written over several lines in the YAML is joined.
    line = " ".join(text.split())
    return f'<text x="{x:g}" y="{y:g}" class="{cls}" text-anchor="end">{escape(visual(line))}</text>'


def _bars(chart: Chart, number: Callable[[int], str]) -> tuple[str, float]:
    """One row per item: the label, then a bar growing from the right edge, its value at the tip."""
    row, top = 12.5, 1.0
    longest = max(item.value for item in chart.items) or 1
    reach = WIDTH - 14  # room for the value beyond the longest bar
    parts = []
    for i, item in enumerate(chart.items):
        y = top + i * row
        length = max(item.value / longest * reach, 0.8)
        parts.append(_text(WIDTH, y + 3.6, item.label, "label"))
        parts.append(f'<rect class="bar" x="{WIDTH - length:g}" y="{y + 5.3:g}" width="{length:g}" height="4.2"/>')
        parts.append(_text(WIDTH - length - 1.8, y + 9.0, number(item.value), "value"))
    return "".join(parts), top + len(chart.items) * row


def _dots(chart: Chart, number: Callable[[int], str]) -> tuple[str, float]:
    """One dot per unit, filled from the top right; each item a colour, named in a legend below."""
    columns, pitch, radius = 25, WIDTH / 25, 1.45
    parts, index = [], 0
    for kind, item in enumerate(chart.items, start=1):
        for _ in range(item.value):
            row, column = divmod(index, columns)
            x = WIDTH - pitch / 2 - column * pitch
            y = pitch / 2 + row * pitch
            parts.append(f'<circle class="dot dot--{kind}" cx="{x:g}" cy="{y:g}" r="{radius:g}"/>')
            index += 1
    rows = -(-index // columns)
    y = rows * pitch + 4
    for kind, item in enumerate(chart.items, start=1):
        parts.append(f'<circle class="dot dot--{kind}" cx="{WIDTH - radius:g}" cy="{y + 2.2:g}" r="{radius:g}"/>')
        parts.append(_text(WIDTH - 2 * radius - 2, y + 3.4, f"{number(item.value)} {item.label}", "label"))
        y += 6
    return "".join(parts), y


def _timeline(chart: Chart, number: Callable[[int], str]) -> tuple[str, float]:
    """Milestones down a line on the right, earliest first, as a right-to-left reader scans."""
    step, top, axis = 13.5, 3.0, WIDTH - 3
    last = top + (len(chart.items) - 1) * step
    parts = [f'<line class="axis" x1="{axis:g}" y1="{top:g}" x2="{axis:g}" y2="{last:g}"/>']
    for i, item in enumerate(chart.items):
        y = top + i * step
        when = f"{item.note} {number(item.value)}" if item.note else number(item.value)
        parts.append(f'<circle class="milestone" cx="{axis:g}" cy="{y:g}" r="2.2"/>')
        parts.append(_text(axis - 5, y + 1.6, when, "year"))
        parts.append(_text(axis - 5, y + 6.8, item.label, "label"))
    return "".join(parts), last + 9


_KINDS = {"bars": _bars, "dots": _dots, "timeline": _timeline}
