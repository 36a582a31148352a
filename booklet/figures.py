"""Big-number cards: how many a row and how large their values, so that every value fits whole on one line.

A value never wraps (booklet.css sets it ``white-space: nowrap``), so the cards
must be wide enough for it. The width of each value is measured here with the
advance widths of the figures' font, against the card widths that booklet.css
gives at the booklet's page size; the group then takes the most columns and
the largest type at which its longest value fits beside its icon. When even one
card a row at the smallest type cannot hold a value, values of 10,000 and more
take their compact form (٢٧٫٨ مليون) unless the data set their style.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

from . import numbers
from .amounts import Amount

#: The card geometry of booklet.css, in mm; keep in step with its rules for
#: @page (the text column), .figures__row (gap) and .figure (padding, icon).
#: tests/test_figures.py reads values back from the PDF at both page sizes.
MEASURE = {"A5": 148 - 14 - 19, "A4": 210 - 14 - 19}
GAP = {"chapter": 3.0, "hero": 4.0}
PADDING = {"chapter": 3.5, "hero": 4.0}
#: The icon (7 mm) and the space kept between it and the value.
ICON = 7.0 + 1.5
#: The value's type, as a share of its size token, from largest to smallest.
SCALES = (1.0, 0.85, 0.7, 0.6, 0.5, 0.42)
#: Two steps of smaller type before a row loses a card.
SCALES_BEFORE_FEWER_COLUMNS = 2
#: Measured widths are sums of nominal advances: Arabic letters joined, and
#: kerning, make a line a little longer or shorter; keep this margin.
SAFETY = 1.08
_POINT = 25.4 / 72
_ARABIC_LETTERS = re.compile("[\u0620-\u064a]")
#: The faces of the figures' values (--font-display, bold), first that has the character.
FONT_FILES = ("NotoKufiArabic-Bold.ttf", "NotoSans-Bold.ttf")


class Figures(list):
    """The figure views of one group of cards, with how they are laid out:
    ``columns`` cards a row and ``scale``, the share of the size token their values take."""

    columns: int = 2
    scale: float = 1.0


def arrange(
    views: list[Any],
    values: list[Amount],
    fonts: Path,
    page_size: str,
    size: float,
    kind: str,
    numbering: numbers.Numbering,
) -> Figures:
    """The cards of ``views`` (with their ``display``), laid out so that every value fits its card.

    ``size`` is the value's type size in points (the --size-figure or --size-hero
    token), ``kind`` "chapter" or "hero" (the highlights page's larger cards).
    """
    group = Figures(views)
    if not views:
        return group
    default = 3 if len(views) in (3, 5) else 2
    for view in views:
        view.direction = _direction(view.display, numbering)
    for compact in (False, True):
        if compact:
            for view, value in zip(views, values, strict=True):
                view.display = numbers.display(value, numbering, style=getattr(value, "style", None) or "compact")
                view.direction = _direction(view.display, numbering)
        widths = [width_em(view.display, fonts) + ICON / (size * _POINT) * bool(view.icon_svg) for view in views]
        for columns in range(min(default, len(views)), 0, -1):
            steps = SCALES if columns == 1 else SCALES[:SCALES_BEFORE_FEWER_COLUMNS]
            room = _content_width(columns, page_size, kind)
            for scale in steps:
                if max(widths) * size * scale * _POINT <= room:
                    group.columns, group.scale = columns, scale
                    return group
    group.columns, group.scale = 1, SCALES[-1]
    return group


def _content_width(columns: int, page_size: str, kind: str) -> float:
    """The width a value has inside one of ``columns`` cards a row, in mm."""
    measure = MEASURE.get(page_size, MEASURE["A5"])
    return (measure - (columns - 1) * GAP[kind]) / columns - 2 * PADDING[kind]


def _direction(text: str, numbering: numbers.Numbering) -> str:
    """ltr for a value in Western digits with no Arabic word, so that a sign stays before it (-12%)."""
    return "ltr" if numbering.digits == "western" and not _ARABIC_LETTERS.search(text) else "rtl"


def width_em(text: str, fonts: Path) -> float:
    """The advance width of ``text`` in ems of the figures' font, with a safety margin."""
    faces = _faces(fonts)
    total = 0.0
    for char in text:
        for advances, units in faces:
            if ord(char) in advances:
                total += advances[ord(char)] / units
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
