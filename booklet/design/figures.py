"""Big-number cards: how many a row and how large their values, so that every value fits whole on one line.

A value never wraps (booklet.css sets it ``white-space: nowrap``), so the cards
must be wide enough for it. The width of each value is measured here with the
advance widths of the figures' font, against the card widths that booklet.css
gives at the booklet's page size; the group then takes the most columns and
the largest type at which each row's longest value fits beside its icon. Where
a row cannot hold a value even at the smallest type, values of 10,000 and more
take their compact form (٢٧٫٨ مليون) unless the data set their style, and only
then does the group lose a column: a highlights page of eight figures stays
one page.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fontTools.ttLib import TTFont

from booklet.data import numbers
from booklet.data.amounts import Amount

#: The card geometry of booklet.css, in mm; keep in step with its rules for
#: @page (the text column), .figures__row (gap) and .figure (padding, icon).
#: tests/test_figures.py reads values back from the PDF at both page sizes.
MEASURE = {"A5": 148 - 14 - 19, "A4": 210 - 14 - 19}
GAP = {"chapter": 3.0, "hero": 4.0}
PADDING = {"chapter": 3.5, "hero": 4.0}
#: The icon (7 mm) and the space kept between it and the value.
ICON = 7.0 + 2.5
#: The value's type, as a share of its size token, from largest to smallest.
SCALES = (1.0, 0.85, 0.7, 0.6, 0.5, 0.42)
#: A row shares its width between cards while their type is at least this share
#: (every step: fewer rows keep a highlights page on one page).
MIN_SHARED_SCALE = SCALES[-1]
#: The currency's name after an amount is set at this share of the value's size.
UNIT_SCALE = 0.45
#: Measured widths are sums of nominal advances: kerning makes a line a little
#: longer or shorter; keep this margin.
SAFETY = 1.08
#: Arabic letters join: a word is narrower than its letters' isolated forms
#: (about 0.8 of them in the Kufi Bold of the values, measured in the PDF).
JOINED = 0.85
_POINT = 25.4 / 72
_ARABIC_LETTERS = re.compile("[\u0620-\u064a]")
#: The faces of the figures' values (--font-display, bold), first that has the character.
FONT_FILES = ("NotoKufiArabic-Bold.ttf", "NotoSans-Bold.ttf")


class FigureGrid(list):
    """The figure views of one group of cards and how they are laid out: ``columns``
    cards a row, and ``rows``, each with its ``items`` and ``scale``, the share of
    the size token its values take."""

    columns: int = 2
    rows: list[SimpleNamespace]


def arrange(
    views: list[Any],
    values: list[Amount],
    fonts: Path,
    page_size: str,
    size: float,
    kind: str,
    numbering: numbers.Numbering,
) -> FigureGrid:
    """The cards of ``views``, laid out so that every value fits its card whole.

    ``size`` is the value's type size in points (the --size-figure or --size-hero
    token), ``kind`` "chapter" or "hero" (the highlights page's larger cards).
    Each view gains ``number``, ``unit``, ``display`` and ``direction``.
    Each row's type is as large as its longest value allows (a step of
    SCALES); a value too long to share a row takes one alone. Only a value
    that fits no row at all makes the group try the compact form of its values.
    """
    group = FigureGrid(views)
    group.rows = []
    default = 3 if len(views) in (3, 5) else 2
    for columns in range(min(default, len(views)), 0, -1):
        for compact in (False, True):
            # The group's values are compared side by side: grouped alike (numbers.grouping), whatever
            # rows the page size makes of them.
            group_from = numbers.grouping(values, numbering, style="compact" if compact else None)
            for view, value in zip(views, values, strict=True):
                style = (getattr(value, "style", None) or "compact") if compact else None
                view.number, view.unit = numbers.parts(value, numbering, style=style, group_from=group_from)
                view.display = numbers.display(value, numbering, style=style, group_from=group_from)
                view.direction = _direction(view.display, numbering)
            rows = _rows(views, columns, fonts, page_size, size, kind)
            if rows is not None:
                group.columns, group.rows = columns, rows
                return group
    group.columns = 1
    group.rows = [SimpleNamespace(items=[view], scale=SCALES[-1], wide=True, units_below=True) for view in views]
    return group


def _rows(views: list[Any], columns: int, fonts: Path, page_size: str, size: float, kind: str) -> list | None:
    """``views`` in rows of up to ``columns`` cards, each row with the largest scale its values fit at.

    A card whose value does not fit a shared row even at MIN_SHARED_SCALE
    closes the row before it and takes a row alone, a wide card; None if a
    value does not fit even alone.
    """
    rows: list[SimpleNamespace] = []
    queue = list(views)
    while queue:
        for count in range(min(columns, len(queue)), 0, -1):
            items = queue[:count]
            # A flex row shares its width between its cards: a short row has wider ones.
            room = _content_width(count, page_size, kind)
            floor = SCALES[-1] if count == 1 else MIN_SHARED_SCALE
            steps = [s for s in SCALES if s >= floor]
            # The largest type, with the currency's name after the number or, if
            # only that way it fits at this size, on a line of its own under it.
            fit = next(
                (
                    (s, below)
                    for s in steps
                    for below in (False, True)
                    if all(_fits(v, fonts, size * s, room, below) for v in items)
                ),
                None,
            )
            if fit is not None:
                break
        else:
            return None
        wide = len(items) == 1 < min(columns, len(queue))
        scale, below = fit
        rows.append(SimpleNamespace(items=items, scale=scale, wide=wide, units_below=below))
        queue = queue[len(items) :]
    # A card set alone because its value is too long to share a row is set no
    # larger than the smallest shared row: it stands out by its width already.
    # So is a last card it left alone, or the group would grow a page taller.
    shared = [row.scale for row in rows if len(row.items) > 1]
    if shared and any(row.wide for row in rows):
        for row in rows:
            if len(row.items) == 1:
                row.scale = min(row.scale, min(shared))
    return rows


def _fits(view: Any, fonts: Path, points: float, room: float, unit_below: bool = False) -> bool:
    """Whether the card's value, set at ``points``, fits ``room`` mm beside its icon
    (with the currency's name after the number, or under it)."""
    unit = width_em(" " + view.unit, fonts) * UNIT_SCALE if view.unit else 0
    number = width_em(view.number, fonts)
    width = max(number, unit) if unit_below else number + unit
    return width * points * _POINT + ICON * bool(view.icon_svg) <= room


def _content_width(columns: int, page_size: str, kind: str) -> float:
    """The width a value has inside one of ``columns`` cards a row, in mm."""
    measure = MEASURE.get(page_size, MEASURE["A5"])
    return (measure - (columns - 1) * GAP[kind]) / columns - 2 * PADDING[kind]


def _direction(text: str, numbering: numbers.Numbering) -> str:
    """ltr for a negative value in Western digits with no Arabic word, so that its sign stays
    before it (-12%); in a right-to-left line the sign would print after the digits."""
    western = numbering.digits == "western" and text.startswith(numbers.MINUS)
    return "ltr" if western and not _ARABIC_LETTERS.search(text) else "rtl"


def width_em(text: str, fonts: Path) -> float:
    """The advance width of ``text`` in ems of the figures' font, with a safety margin."""
    faces = _faces(fonts)
    total = 0.0
    for char in text:
        for advances, units in faces:
            if ord(char) in advances:
                total += advances[ord(char)] / units * (JOINED if _ARABIC_LETTERS.match(char) else 1)
                break
        else:
            total += 0.6  # a character the faces lack: about a digit
    return total * SAFETY


@functools.lru_cache(maxsize=4)
def _faces(fonts: Path) -> tuple[tuple[dict[int, int], int], ...]:
    faces = []
    for name in FONT_FILES:
        path = fonts / name
        if not path.is_file():
            continue
        font = TTFont(path, lazy=True)
        metrics = font["hmtx"]
        advances = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
        faces.append((advances, font["head"].unitsPerEm))
        font.close()
    return tuple(faces)


def points(length: str, body: float = 10.0) -> float:
    """A CSS length of the design tokens (30pt, 12mm, 40px, 3em) in points."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*(pt|mm|cm|px|em|rem|in)\s*", length)
    if not match:
        return 30.0
    number, unit = float(match[1]), match[2]
    factor = {"pt": 1, "mm": 72 / 25.4, "cm": 720 / 25.4, "px": 0.75, "em": body, "rem": body, "in": 72}[unit]
    return number * factor
