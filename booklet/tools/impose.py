"""Impose the booklet for office printing: two trimmed pages a sheet side, in saddle-stitch order."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from booklet import lock, pdfinput
from booklet.errors import BookletError, Place, Problem, display_path
from booklet.output import replacing
from booklet.pipeline import Built, Report, quiet, screen_pdf
from booklet.project import Project
from booklet.tools.pages import DIRECTIONS

if TYPE_CHECKING:
    from pypdf import PageObject
    from pypdf.generic import RectangleObject

MM = 72 / 25.4
#: Sheet sizes in points, landscape (width, height): each holds two pages of half its width.
SHEETS = {"A4": (297 * MM, 210 * MM), "A3": (420 * MM, 297 * MM)}
IMPOSED = "booklet-imposed.pdf"

#: WeasyPrint writes sizes in millimetres as rounded points: an A4 page on half an A3 sheet is a few
#: thousandths of a point too wide, which is no reason to refuse it.
_TOLERANCE = 0.5

#: What sits on the left and the right half of one side of a sheet: a page number (from 1) or None, a blank.
Side = tuple[int | None, int | None]


def blanks_needed(pages: int) -> int:
    """Blank pages to add so that a saddle-stitched booklet folds: its pages are a multiple of four."""
    return -pages % 4


def padded(pages: int) -> list[int | None]:
    """The source page (from 1) at each position of the folded booklet, None for a blank.

    Blanks fill up to a multiple of four just before the last page: the last page
    is the back cover and must stay on the outside of the booklet.
    """
    if pages < 1:
        raise ValueError(f"a booklet needs at least one page, not {pages}")
    blanks = [None] * blanks_needed(pages)
    if pages == 1:
        # A lone cover has no back cover to keep in place.
        return [1, *blanks]
    return [*range(1, pages), *blanks, pages]


def saddle_order(positions: int, direction: str = "rtl") -> list[tuple[int, int]]:
    """The positions (from 1) on the left and right halves of every printed side, in printing order.

    Sides come sheet by sheet, the outermost sheet first, each sheet's front (the
    outside once folded) before its back. Sheet ``s`` carries the positions
    ``2s+1`` and ``n-2s`` on its front and ``2s+2`` and ``n-2s-1`` on its back.
    """
    if positions < 4 or positions % 4:
        raise ValueError(f"a saddle-stitched booklet has a multiple of four pages, not {positions}")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    sides = []
    for sheet in range(positions // 4):
        low, high = 2 * sheet + 1, positions - 2 * sheet
        # Bound on the left, the fold runs down the left edge of the front page
        # (low), so on the outside of the sheet it is right of the fold and its
        # partner (high) left of it: [high | low]. Turned over its short edge (a
        # vertical axis), right and left trade places, so the page printed behind
        # low (low + 1) is on the left of the back: [low + 1 | high - 1].
        front, back = (high, low), (low + 1, high - 1)
        if direction == "rtl":
            # Bound on the right, the fold runs down the right edge of the front
            # page: the same sheets, every side read the other way round.
            front, back = front[::-1], back[::-1]
        sides += [front, back]
    return sides


def imposition(pages: int, direction: str = "rtl") -> list[Side]:
    """The source pages (from 1, None for a blank) on the left and right of every printed side, in order."""
    order = padded(pages)
    return [(order[left - 1], order[right - 1]) for left, right in saddle_order(len(order), direction)]


@dataclass(frozen=True)
class Imposed:
    """An imposed PDF: where it is, what it came from and what it holds."""

    path: Path
    source: Path
    sheet: str
    direction: str
    pages: int
    blanks: int
    #: The editions that had to be built first, when the source was missing.
    built: list[Built] = field(default_factory=list)

    @property
    def sheets(self) -> int:
        return (self.pages + self.blanks) // 4

    @property
    def sides(self) -> int:
        return 2 * self.sheets


def impose(source: Path, target: Path, sheet: str = "A4", direction: str = "rtl") -> Imposed:
    """Write ``target``: the pages of the PDF ``source``, trimmed, imposed two to a side of ``sheet``."""
    if sheet not in SHEETS:
        raise ValueError(f"sheet must be one of {', '.join(SHEETS)}, not {sheet!r}")
    shown = display_path(source)
    width, height = SHEETS[sheet]
    pdfinput.check(source)  # empty, not a PDF, encrypted, damaged: one line, before pypdf reads it
    with pdfinput.reading(source):
        return _impose(source, target, sheet, direction, shown, width, height)


def _impose(source: Path, target: Path, sheet: str, direction: str, shown: str, width: float, height: float) -> Imposed:
    # pypdf is imported here, not with the module: the command line loads this
    # module for every command, and a build has no use for pypdf.
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        # Strict: a broken or truncated file fails here with pypdf's reason,
        # instead of pypdf logging its repairs to the terminal.
        reader = PdfReader(source, strict=True)
        pages = list(reader.pages)
        if not pages:
            raise BookletError([Problem(Place(shown), "has no pages; there is nothing to impose")])
        too_big = [number for number, page in enumerate(pages, 1) if not _fits(page.trimbox, width, height)]
        if too_big:
            trim = pages[too_big[0] - 1].trimbox
            larger = [name for name, (w, h) in SHEETS.items() if _fits(trim, w, h)]
            raise BookletError(
                [
                    Problem(
                        Place(shown),
                        f"page {too_big[0]} is {float(trim.width) / MM:.0f} x {float(trim.height) / MM:.0f} mm: "
                        f"two do not fit side by side on {sheet} ({width / MM:.0f} x {height / MM:.0f} mm); "
                        + (f"use {larger[0]}" if larger else "no sheet offered here is large enough"),
                    )
                ]
            )
        writer = PdfWriter()
        for left, right in imposition(len(pages), direction):
            side = writer.add_blank_page(width, height)
            for number, on_left in ((left, True), (right, False)):
                if number is not None:
                    _place(side, pages[number - 1], width, height, on_left)
            # pypdf leaves merged content uncompressed: three times the size of the source.
            side.compress_content_streams()
        if reader.metadata:
            # The title and author stay with the booklet in whatever form it is printed.
            writer.add_metadata({key: value for key, value in reader.metadata.items() if key != "/Producer"})
        # What the print dialog should offer: both sides, turned on the short
        # edge (the sheets are landscape), at actual size, never fitted to the paper.
        preferences = writer.create_viewer_preferences()
        preferences.duplex, preferences.print_scaling = "/DuplexFlipShortEdge", "/None"
        with replacing(target) as temporary:
            writer.write(temporary)
    except (OSError, PyPdfError) as error:
        raise BookletError([Problem(Place(shown), f"cannot impose this PDF: {error}")]) from error
    blanks = blanks_needed(len(pages))
    return Imposed(Path(target), Path(source), sheet, direction, len(pages), blanks)


def _fits(trim: RectangleObject, width: float, height: float) -> bool:
    """Whether a page trimmed to ``trim`` fits on half of a sheet of ``width`` x ``height``."""
    return float(trim.width) <= width / 2 + _TOLERANCE and float(trim.height) <= height + _TOLERANCE


def _place(side: PageObject, page: PageObject, width: float, height: float, on_left: bool) -> None:
    """Draw ``page``'s trimmed area on one half of ``side``, touching the fold, centred up and down."""
    from pypdf import Transformation

    trim = page.trimbox
    # pypdf clips a merged page to its crop box: narrow it to the trim so that
    # the bleed and the crop marks of the print edition stay off the other half.
    page.cropbox = trim
    # Links point at pages of the source; on a printed sheet they are dead weight.
    page.pop("/Annots", None)
    x = width / 2 - float(trim.width) if on_left else width / 2
    y = (height - float(trim.height)) / 2
    side.merge_transformed_page(page, Transformation().translate(x - float(trim.left), y - float(trim.bottom)))


def impose_booklet(
    project: Project, out_dir: Path, sheet: str = "A4", direction: str = "rtl", report: Report = quiet
) -> Imposed:
    """Impose ``out_dir``/booklet-screen.pdf into ``out_dir``/booklet-imposed.pdf, building it first if missing.

    The screen edition, not the print one: the same pages, trimmed, with
    pictures at a resolution an office printer can use, in a lighter file.
    """
    out_dir = Path(out_dir)
    with lock.held(out_dir):  # one tool or build at a time writes into out_dir (lock.py)
        source, built = screen_pdf(project, out_dir, report)
        start = time.perf_counter()
        imposed = impose(source, out_dir / IMPOSED, sheet, direction)
    report("imposing", time.perf_counter() - start)
    return dataclasses.replace(imposed, built=built)
