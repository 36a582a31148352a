"""Make a table ready to print: which columns hold numbers, and each cell as the booklet writes it."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

from booklet.data import numbers
from booklet.data.blocks import Table
from booklet.data.numbers import Numbering

#: The width of the text on each page size, in points (booklet.css: the page less its margins).
MEASURE_PT = {"A5": (148 - 14 - 19) * 72 / 25.4, "A4": (210 - 14 - 19) * 72 / 25.4}
#: The type sizes a table may take, largest first: a wide table steps down until it fits.
SIZES_PT = (9.0, 8.0, 7.0, 6.5)
#: An estimate of the width of one character and of a cell's padding, in ems: tabular
#: digits are 0.57 em wide in Noto Naskh (Latin) and 0.45 em (Arabic-Indic); letters vary.
_EM_PER_CHAR = 0.58
_PADDING_EM = 1.2

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
#: A number as a writer types it in a cell: a sign, digits (in either script) with
#: or without thousands separators, a decimal part, a percent sign.
_NUMBER = re.compile(r"([+\-−]?)([0-9]{1,3}(?:[,٬][0-9]{3})+|[0-9]+)(?:[.٫]([0-9]+))?\s*([%٪]?)\Z")


def number_of(text: str) -> tuple[Decimal, int, bool] | None:
    """The number a cell holds, its decimal places and whether it is a percentage; None for text."""
    match = _NUMBER.match(text.strip().translate(_DIGITS))
    if not match:
        return None
    sign, whole, fraction, percent = match.groups()
    value = Decimal(f"{'-' if sign in ('-', '−') else ''}{whole.replace(',', '').replace('٬', '')}.{fraction or 0}")
    return value, len(fraction or ""), bool(percent)


def format_number(
    value: Decimal,
    places: int,
    percent: bool,
    numbering: Numbering,
    grouped: bool = True,
    group_from: int = numbers.GROUP_FROM,
) -> str:
    """A cell's number as the booklet prints it, through booklet.data.numbers (the one place that decides):
    ``places`` decimals and ``group_from`` (the column's, so that digits line up: numbers.grouping),
    the booklet's digits and separators, years (``grouped`` false) never grouped."""
    if not grouped:
        return numbers.year(int(value), numbering)
    text = numbers.display(value, numbering, style="full", places=places, group_from=group_from)
    return text + numbers.symbols(numbering.digits)["percentSign"] if percent else text


def view(table: Table, numbering: Numbering) -> dict[str, object]:
    """The table's ``head``, ``body`` rows and ``foot`` (totals, or None) as cells with ``text`` and
    ``numeric``; the numbers of a numeric column written in the booklet's digits, aligned."""
    lines = [*table.rows, *([table.totals] if table.totals else [])]
    parsed = [[number_of(cell) if cell else None for cell in line] for line in lines]
    columns = [
        _column([line[i] for line in lines], [row[i] for row in parsed], numbering) for i in range(len(table.header))
    ]

    def cells(line: list[str], numbers: list) -> list[SimpleNamespace]:
        shown = []
        for cell, number, column in zip(line, numbers, columns, strict=True):
            text = cell
            if column.numeric and number is not None:
                text = format_number(
                    number[0], column.places, number[2], numbering, not column.years, column.group_from
                )
            shown.append(SimpleNamespace(text=text, numeric=column.numeric))
        return shown

    rows = [cells(line, numbers) for line, numbers in zip(lines, parsed, strict=True)]
    head = [
        SimpleNamespace(text=_heading(text, numbering), numeric=c.numeric)
        for text, c in zip(table.header, columns, strict=True)
    ]
    return {"head": head, "body": rows[: len(table.rows)], "foot": rows[len(table.rows)] if table.totals else None}


def width_em(view: dict[str, object]) -> float:
    """About how wide the table must be, in ems of its type: numbers never wrap, text (and every
    heading) wraps between words."""
    lines = [view["head"], *view["body"], *([view["foot"]] if view["foot"] else [])]
    total = 0.0
    for column in zip(*lines, strict=True):
        chars = max(
            len(c.text) if c.numeric and row else max(map(len, c.text.split()), default=0)
            for row, c in enumerate(column)
        )
        total += chars * _EM_PER_CHAR + _PADDING_EM
    return total


def type_size(view: dict[str, object], page_size: str) -> float | None:
    """The largest of SIZES_PT at which the table fits the page's text, or None if none does."""
    need = width_em(view)
    return next((size for size in SIZES_PT if need * size <= MEASURE_PT[page_size]), None)


#: What may stand among a column's numbers without making it a text column.
_BLANKS = {"", "-", "–", "—"}
_YEAR = re.compile(r"(1[89]|2[01])[0-9]{2}\Z")


def _heading(text: str, numbering: Numbering) -> str:
    """A column's heading: a number there (a year, most often) in the booklet's digits too."""
    number = number_of(text) if text else None
    if number is None:
        return text
    year = bool(_YEAR.match(text.strip().translate(_DIGITS)))
    return format_number(number[0], number[1], number[2], numbering, grouped=not year)


def _column(cells: list[str], parsed: list, numbering: Numbering) -> SimpleNamespace:
    """Whether a column holds numbers (every filled cell is one), their decimals, whether they are
    years, and the digit they are grouped from (all alike: the totals' ١٨٬٤٠٠ groups ٥٬٦٠٠ above it)."""
    filled = [(cell, n) for cell, n in zip(cells, parsed, strict=True) if cell.strip() not in _BLANKS]
    numeric = bool(filled) and all(n is not None for _, n in filled)
    if not numeric:
        return SimpleNamespace(numeric=False, places=0, years=False, group_from=numbers.GROUP_FROM)
    # Years (2019, ٢٠٢٣) name years, they are not amounts: never grouped as 2,019.
    years = all(_YEAR.match(cell.strip().translate(_DIGITS)) for cell, _ in filled)
    places = max(n[1] for _, n in filled)
    group_from = numbers.grouping([n[0] for _, n in filled], numbering, style="full", places=places)
    return SimpleNamespace(numeric=True, places=places, years=years, group_from=group_from)
