"""The print edition as a press wants it: crop marks outside the bleed, no annotations.

WeasyPrint 70 draws ``marks: crop`` inside the CSS bleed area and makes its
MediaBox the BleedBox (weasyprint/draw/__init__.py, draw_background): on a
cover whose ground runs into the bleed, the marks sit on the ink, and a press
that trims to the bleed box cuts them off. No CSS of WeasyPrint's puts them
further out (a wider ``bleed`` widens the ground too), so the print edition
is laid out with ``marks: none`` and this pass, run on the finished file, does
what InDesign's "marks and bleed" export does: the MediaBox grows by room for
the marks around the BleedBox, and each corner gets two crop marks in the
registration colour, on the lines of the trim, starting a little outside the
bleed. The page's own content is not touched: the new room is blank paper.

A printed page cannot be clicked: the links' annotations go (bookmarks stay,
they are not on the page), as strict press preflights ask.
"""

from __future__ import annotations

import pikepdf

_MM = 72 / 25.4
#: From the bleed's edge to where a mark starts, the mark's length, and the room beyond it.
MARK_OFFSET_MM = 1.0
MARK_LENGTH_MM = 5.0
MARK_ROOM_MM = 1.0
#: What each crop mark is drawn with: 0.25 pt, as InDesign draws them.
MARK_WIDTH_PT = 0.25


def room() -> float:
    """How far, in points, the MediaBox reaches past the BleedBox on every side."""
    return (MARK_OFFSET_MM + MARK_LENGTH_MM + MARK_ROOM_MM) * _MM


def _box(page: pikepdf.Page, key: str) -> list[float]:
    value = page.obj.get(key) or page.obj.get("/MediaBox")
    return [float(v) for v in value]


def _registration(pdf: pikepdf.Pdf) -> pikepdf.Array:
    """The /All separation: a mark in it prints on every plate, as registration marks must."""
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    return pdf.make_indirect(pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, tint]))


def _marks(trim: list[float], bleed: list[float]) -> bytes:
    x0, y0, x1, y1 = trim
    offset, length = MARK_OFFSET_MM * _MM, MARK_LENGTH_MM * _MM
    left, bottom, right, top = bleed[0] - offset, bleed[1] - offset, bleed[2] + offset, bleed[3] + offset
    lines = []
    for x in (x0, x1):  # vertical marks at each trim x, above and below the page
        lines.append((x, bottom, x, bottom - length))
        lines.append((x, top, x, top + length))
    for y in (y0, y1):  # horizontal marks at each trim y, left and right of the page
        lines.append((left, y, left - length, y))
        lines.append((right, y, right + length, y))
    drawn = [f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l" for a, b, c, d in lines]
    return (f"q /BookletMarks CS 1 SCN {MARK_WIDTH_PT} w 0 J [] 0 d\n" + "\n".join(drawn) + "\nS Q\n").encode()


def finish(pdf: pikepdf.Pdf) -> None:
    """Marks outside the bleed on every page with a TrimBox, and no annotations."""
    space = _registration(pdf)
    extra = room()
    for page in pdf.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
        if "/TrimBox" not in page.obj:
            continue
        trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
        page.obj.MediaBox = pikepdf.Array([bleed[0] - extra, bleed[1] - extra, bleed[2] + extra, bleed[3] + extra])
        if "/CropBox" in page.obj:
            del page.obj["/CropBox"]
        resources = page.obj.get("/Resources")
        if resources is None:
            page.obj.Resources = resources = pikepdf.Dictionary()
        if "/ColorSpace" not in resources:
            resources.ColorSpace = pikepdf.Dictionary()
        resources.ColorSpace.BookletMarks = space
        # The page's stream first, clipped to the bleed (what WeasyPrint drew
        # past it, such as a motif placed over the edge, was outside the old
        # MediaBox too) and wrapped in q/Q, so that nothing it leaves set (a
        # clip, a transformation) reaches the marks.
        page.contents_coalesce()
        x0, y0, x1, y1 = bleed
        clip = f"q {x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re W n\n".encode()
        page.contents_add(pdf.make_stream(clip), prepend=True)
        page.contents_add(pdf.make_stream(b"Q\n" + _marks(trim, bleed)), prepend=False)
