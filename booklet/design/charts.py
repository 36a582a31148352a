"""Draw the data's charts as HTML: every word and number typeset by WeasyPrint, only the marks drawn.

A chart's text (labels, values, legends, years) is HTML, so Pango shapes its
Arabic with its vowel marks, a long label wraps over as many lines as it
needs, and the PDF holds real letters in reading order. Its marks are CSS
boxes (bars) or small SVG drawings (dots, lines, shares: chartmarks.py), in
the colour tokens --chart-1 ... --chart-8. Sizes come from the type scale of
booklet.css (layouts/charts.css), not from the page: a chart reads the same
on A5 and A4. Each chart carries one drawing titled with its ``alt``: the
screen edition tags it as a figure with that description.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from booklet.data import numbers
from booklet.data.amounts import Amount
from booklet.data.model import Chart
from booklet.design import chartmarks

_ALL_DIGITS = re.compile(r"[0-9\u0660-\u0669]+\Z")


@dataclass(frozen=True)
class Numbers:
    """How a chart writes numbers: as the booklet prints amounts (``numbering``, booklet.data.numbers),
    every value of the chart grouped from the same digit (``group_from``: numbers.grouping)."""

    numbering: numbers.Numbering
    group_from: int = numbers.GROUP_FROM

    @classmethod
    def plain(cls, digits: str) -> Numbers:
        """Values written in ``digits`` in full, each grouped on its own."""
        return cls(numbers.Numbering(digits))

    @property
    def digits(self) -> str:
        """The booklet's digits setting, for years and for the percent sign."""
        return self.numbering.digits

    def number(self, value: Amount | int) -> str:
        """``value`` as the booklet prints amounts, grouped as the chart's other values."""
        return numbers.display(value, self.numbering, group_from=self.group_from)


def charts_format_value(value: Amount | int, nums: Numbers, *, percent: bool = False) -> str:
    """Every value a chart prints: the one place that says how chart numbers look."""
    text = nums.number(value)
    if percent:
        text += "٪" if nums.digits == "arabic-indic" else "%"
    return text


def _year(value: int, nums: Numbers) -> str:
    """A year, in the booklet's digits and never grouped by thousands nor made compact."""
    return numbers.year(value, nums.numbering)


def _amounts(chart: Chart) -> list[Amount]:
    """The values a chart prints as amounts (a timeline's are years): its bars' values and a stacked
    bar's total share one axis, a legend's values one column, a line chart's values one scale."""
    if chart.kind == "timeline":
        return []
    values = [v for item in chart.items for v in (item.values or [item.value]) if v is not None]
    if chart.kind == "stacked":
        values += [sum(item.values) for item in chart.items]
    return values


def draw(chart: Chart, numbering: numbers.Numbering, marks: chartmarks.Marks) -> Markup:
    """The chart's body as HTML (its title is the layout's).

    ``numbering`` is the booklet's settings for numbers, ``marks`` how the SVG
    marks are drawn. All the chart's values are grouped alike: one of
    ١٢٬٥٠٠ groups ٥٬٦٠٠ beside it (numbers.grouping).
    """
    nums = Numbers(numbering, numbers.grouping(_amounts(chart), numbering))
    body = _KINDS[chart.kind](chart, nums, marks)
    return Markup(f'<div class="chart chart--{chart.kind}">{body}</div>')


def _text(text: str) -> str:
    """A label as HTML: one paragraph, its line breaks in the data made spaces, wrapping where it must."""
    return escape(" ".join(text.split()))


def _value(text: str, extra: str = "") -> str:
    # Never broken (white-space: nowrap in charts.css). A <bdi> says that the
    # number stands apart from the words around it; WeasyPrint 70 has no
    # unicode-bidi, and Pango keeps a run of digits in its own order anyway.
    return f'<bdi class="chart__value{extra}">{escape(text)}</bdi>'


def _swatch(kind: int) -> str:
    return f'<span class="chart__swatch chart__fill--{kind}"></span>'


def _legend(names: list[str]) -> str:
    entries = "".join(f'<li class="chart__key">{_swatch(k)}{_text(n)}</li>' for k, n in enumerate(names, start=1))
    return f'<ul class="chart__legend">{entries}</ul>'


def _reserve(texts: list[str]) -> str:
    """The room kept beside the longest bar for the widest value, in em of the values' type.

    Bars are drawn in what is left of the row, so that the longest bar and
    its value together fill it and no value reaches past the chart's edge.
    Digits and separators are set at most 0.6 em wide in the booklet's faces.
    """
    widest = max((len(t) for t in texts), default=1)
    return f"{0.62 * widest + 0.6:.2f}em"


def _bar(share: float, reserve: str, kind: int = 1) -> str:
    share = max(share, 0.004)  # a value of 0 still shows where its bar starts
    return f'<span class="chart__bar chart__fill--{kind}" style="width: calc((100% - {reserve}) * {share:.4f})"></span>'


def _bars(chart: Chart, nums: Numbers, marks: chartmarks.Marks) -> str:
    """A row per item: its label (wrapping), then its bar from the right edge with the value at its tip."""
    shown = [charts_format_value(item.value, nums) for item in chart.items]
    longest = max(item.value for item in chart.items) or 1
    reserve = _reserve(shown)
    rows = "".join(
        f'<div class="chart__row"><p class="chart__label">{_text(item.label)}</p>'
        f'<div class="chart__track">{_bar(item.value / longest, reserve)}{_value(text)}</div></div>'
        for item, text in zip(chart.items, shown, strict=True)
    )
    return chartmarks.rule(chart.alt, marks) + rows


def _stacked(chart: Chart, nums: Numbers, marks: chartmarks.Marks) -> str:
    """A bar per item made of a segment per series, its total at the tip and each part's value under it."""
    totals = [sum(item.values) for item in chart.items]
    shown = [charts_format_value(total, nums) for total in totals]
    longest = max(totals) or 1
    reserve = _reserve(shown)
    rows = []
    for item, total, text in zip(chart.items, totals, shown, strict=True):
        segments = "".join(
            f'<span class="chart__segment chart__fill--{k}" style="width: {v / (total or 1) * 100:.3f}%"></span>'
            for k, v in enumerate(item.values, start=1)
        )
        stack = (
            f'<span class="chart__stack" style="width: calc((100% - {reserve}) * {max(total / longest, 0.004):.4f})">'
        )
        parts = "".join(
            f'<span class="chart__part">{_swatch(k)}{_value(charts_format_value(v, nums))}</span>'
            for k, v in enumerate(item.values, start=1)
        )
        rows.append(
            f'<div class="chart__row"><p class="chart__label">{_text(item.label)}</p>'
            f'<div class="chart__track">{stack}{segments}</span>{_value(text)}</div>'
            f'<p class="chart__parts">{parts}</p></div>'
        )
    return chartmarks.rule(chart.alt, marks) + _legend(chart.series) + "".join(rows)


def _grouped(chart: Chart, nums: Numbers, marks: chartmarks.Marks) -> str:
    """A group of bars per item, one per series in its colour, each with its value at its tip."""
    longest = max(v for item in chart.items for v in item.values) or 1
    reserve = _reserve([charts_format_value(v, nums) for item in chart.items for v in item.values])
    rows = []
    for item in chart.items:
        tracks = "".join(
            f'<div class="chart__track">{_bar(v / longest, reserve, k)}{_value(charts_format_value(v, nums))}</div>'
            for k, v in enumerate(item.values, start=1)
        )
        rows.append(f'<div class="chart__row"><p class="chart__label">{_text(item.label)}</p>{tracks}</div>')
    return chartmarks.rule(chart.alt, marks) + _legend(chart.series) + "".join(rows)


def percentages(values: list[int]) -> list[int]:
    """Whole percentages of the total that add up to 100 (largest remainders get the rounding)."""
    total = sum(values)
    exact = [v * 100 / total for v in values]
    whole = [int(e) for e in exact]
    for i in sorted(range(len(values)), key=lambda i: whole[i] - exact[i])[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def _proportion(chart: Chart, nums: Numbers, marks: chartmarks.Marks) -> str:
    """The whole as one bar or a ring of coloured parts, then a legend: each part's label, value and share."""
    values = [item.value for item in chart.items]
    entries = "".join(
        f'<li class="chart__key">{_swatch(k)}<span class="chart__name">{_text(item.label)}</span> '
        f"{_value(charts_format_value(item.value, nums))} "
        f"{_value(charts_format_value(share, nums, percent=True), ' chart__share')}</li>"
        for k, (item, share) in enumerate(zip(chart.items, percentages(values), strict=True), start=1)
    )
    legend = f'<ul class="chart__legend chart__legend--parts">{entries}</ul>'
    if chart.shape == "donut":
        return f'<div class="chart__donut">{chartmarks.donut(values, chart.alt, marks)}{legend}</div>'
    return chartmarks.shares(values, chart.alt, marks) + legend


def dots_key(units: int, unit: str | None, plural: str | None, nums: Numbers) -> str | None:
    """The line that says what a dot stands for, such as «كل نقطة = ١٠ أطفال».

    None when a dot is one unit of nothing named: the title says it.
    """
    if unit is None:
        return None if units == 1 else f"كل نقطة = {charts_format_value(units, nums)}"
    return f"كل نقطة = {_counted(units, unit, plural or unit, nums)}"


def _counted(number: int, unit: str, plural: str, nums: Numbers) -> str:
    """``number`` of ``unit`` as Arabic counts: طفل واحد، طفلان، ٥ أطفال، ٢٠ طفلا، ١٠٠ طفل."""
    if number == 1:
        return f"{unit} واحد"
    if number == 2:
        return unit[:-1] + "تان" if unit.endswith("ة") else unit + "ان"
    shown, rest = charts_format_value(number, nums), number % 100
    if 3 <= rest <= 10:
        return f"{shown} {plural}"
    if 11 <= rest <= 99:  # the singular, accusative: an alif after the last letter, as in طفلا
        return f"{shown} {unit if unit.endswith(('ة', 'ء', 'ى', 'ا')) else unit + 'ا'}"
    return f"{shown} {unit}"


def _dots(chart: Chart, nums: Numbers, marks: chartmarks.Marks) -> str:
    """The dots, each standing for one unit or more, then the key and a legend counting the real units."""
    values = [item.value for item in chart.items]
    units = chart.per_dot or chartmarks.units_per_dot(values)
    counts = chartmarks.dot_counts(values, units)
    key = dots_key(units, chart.unit, chart.units, nums)
    entries = "".join(
        f'<li class="chart__key">{_swatch(k)}{_value(charts_format_value(item.value, nums))} {_text(item.label)}</li>'
        for k, item in enumerate(chart.items, start=1)
    )
    said = f'<p class="chart__unit">{escape(key)}</p>' if key else ""
    return chartmarks.dots(counts, chart.alt, marks) + said + f'<ul class="chart__legend">{entries}</ul>'


def _timeline(chart: Chart, nums: Numbers, marks: chartmarks.Marks) -> str:
    """Milestones down a line on the right, earliest first, as a right-to-left reader scans."""
    events = []
    for item in chart.items:
        when = _value(_year(item.value, nums))
        if item.note:
            when = f"{_text(item.note)} {when}"
        events.append(
            f'<li class="chart__event"><p class="chart__when">{when}</p>'
            f'<p class="chart__label">{_text(item.label)}</p></li>'
        )
    return chartmarks.rule(chart.alt, marks) + f'<ol class="chart__events">{"".join(events)}</ol>'


def _point_label(label: str, nums: Numbers) -> str:
    """A line chart's year or period: a bare number is written in the booklet's digits."""
    text = " ".join(label.split())
    if _ALL_DIGITS.match(text):
        return _year(int(text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))), nums)
    return text


#: What a year left out shows: a no-break space, so that its column keeps the line and its values align.
_BLANK = "\u00a0"
#: The narrowest measure a chart may be set in (a column of a two-column A4 page; A5's text is 116 mm
#: wide), and the values' type: what decides whether every year and value of a line chart fits its column.
_MEASURE_MM = 80
_VALUE_EM_MM = 8 * 25.4 / 72


def _line(chart: Chart, nums: Numbers, marks: chartmarks.Marks) -> str:
    """Lines over years: the marks as one drawing; under it, a column per point with its year and values."""
    series = (
        [[item.values[k] for item in chart.items] for k in range(len(chart.series))]
        if chart.series
        else [[item.value for item in chart.items]]
    )
    shown = [[charts_format_value(v, nums) for v in values] for values in series]
    points = len(chart.items)
    widest = max(len(t) for texts in shown for t in texts) * 0.62 * _VALUE_EM_MM
    # Every value under its year when they fit their columns; else the first and the last, which have
    # room beside them towards the middle.
    column = 0.9 * _MEASURE_MM / points
    every = widest <= column
    # Years too: every one when they fit, else one in ``step``, so that none runs into the next.
    labels = [_point_label(item.label, nums) for item in chart.items]
    step = max(1, math.ceil(max(len(label) for label in labels) * 0.62 * _VALUE_EM_MM / column))
    ticks = []
    for i, label in enumerate(labels):
        values = (
            "".join(_value(texts[i], f" chart__ink--{k}") for k, texts in enumerate(shown, start=1))
            if every or i in (0, points - 1)
            else ""
        )
        ticks.append(
            f'<div class="chart__tick"><span class="chart__year">{escape(label) if i % step == 0 else _BLANK}</span>'
            f"{values}</div>"
        )
    legend = _legend(chart.series) if len(chart.series) > 1 else ""
    axis = f'<div class="chart__axis{"" if every else " chart__axis--ends"}">{"".join(ticks)}</div>'
    return legend + chartmarks.lines(series, chart.alt, marks) + axis


_KINDS = {
    "bars": _bars,
    "dots": _dots,
    "timeline": _timeline,
    "stacked": _stacked,
    "grouped": _grouped,
    "proportion": _proportion,
    "line": _line,
}
