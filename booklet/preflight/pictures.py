"""Pictures: each one's effective resolution where it is painted, and its colours."""

from __future__ import annotations

import math

from booklet.preflight.reading import Book
from booklet.preflight.report import Row

_MM_PER_PT = 25.4 / 72


def check(book: Book) -> list[Row]:
    placed = book.pictures
    if not placed:
        return [Row(book.name, "images", "ok", "no pictures")]
    rows = []
    expected = book.edition.preflight
    needed = expected.min_ppi
    for p in placed:
        if p.ppi < needed:
            width, height = (round(pt * _MM_PER_PT) for pt in p.size)
            want = " x ".join(str(math.ceil(pt / 72 * needed)) for pt in p.size)
            detail = (
                f"page {p.page}: a picture of {p.pixels[0]} x {p.pixels[1]} px at {width} x {height} mm "
                f"is {p.ppi:.0f} ppi; {expected.ppi_use} {needed} ppi: use one of at least {want} px (the camera's "
                f"original, not a copy from a message or a web page), or show it smaller"
            )
            rows.append(Row(book.name, "images", "warning", detail))
        if book.edition.press and p.colour == "RGB":
            detail = (
                f"page {p.page}: a picture of {p.pixels[0]} x {p.pixels[1]} px is in RGB; the press converts it to "
                "CMYK and its colours may shift: ask for a CMYK version for coated paper"
            )
            rows.append(Row(book.name, "images", "warning", detail))
    if not rows:
        lowest = min(p.ppi for p in placed)
        colours = ", ".join(sorted({p.colour for p in placed}))
        count = len(placed)
        detail = f"{count} picture{'s' if count > 1 else ''}, {lowest:.0f} ppi or more, {colours}"
        rows.append(Row(book.name, "images", "ok", detail))
    return rows
