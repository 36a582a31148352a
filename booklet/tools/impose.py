"""Impose the booklet for office printing: two trimmed pages a sheet side, in saddle-stitch order."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from booklet import lock, pdfinput
from booklet.errors import BookletError, Place, Problem, display_path
from booklet.output import replacing
from booklet.pipeline import Built, TimingCallback, quiet, screen_pdf
from booklet.project import Project
from booklet.tools.spreads import DIRECTIONS

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
    pdfinput.check(source)  # empty, not a PDF, encrypted, damaged: one line, before pikepdf reads it
    with pdfinput.reading(source):
        return _impose(source, target, sheet, direction, shown, width, height)


def _impose(source: Path, target: Path, sheet: str, direction: str, shown: str, width: float, height: float) -> Imposed:
    try:
        with pikepdf.open(source) as pdf:
            pages = list(pdf.pages)
            if not pages:
                raise BookletError([Problem(Place(shown), "has no pages; there is nothing to impose")])
            trims = [pikepdf.Rectangle(page.trimbox) for page in pages]
            too_big = [number for number, trim in enumerate(trims, 1) if not _fits(trim, width, height)]
            if too_big:
                trim = trims[too_big[0] - 1]
                larger = [name for name, (w, h) in SHEETS.items() if _fits(trim, w, h)]
                raise BookletError(
                    [
                        Problem(
                            Place(shown),
                            f"page {too_big[0]} is {trim.width / MM:.0f} x {trim.height / MM:.0f} mm: "
                            f"two do not fit side by side on {sheet} ({width / MM:.0f} x {height / MM:.0f} mm); "
                            + (f"use {larger[0]}" if larger else "no sheet offered here is large enough"),
                        )
                    ]
                )
            imposed = pikepdf.new()
            for left, right in imposition(len(pages), direction):
                drawn, names = [], pikepdf.Dictionary()
                for number, on_left in ((left, True), (right, False)):
                    if number is not None:
                        name = f"/Page{number}"
                        names[name] = imposed.copy_foreign(_form(pages[number - 1], trims[number - 1]))
                        drawn.append(_placement(name, trims[number - 1], width, height, on_left))
                side = imposed.add_blank_page(page_size=(width, height))
                side.Resources = pikepdf.Dictionary(XObject=names)
                side.Contents = imposed.make_stream(b"\n".join(drawn))
            # The title and author stay with the booklet in whatever form it is printed.
            for key, value in pdf.docinfo.items():
                if key != "/Producer":
                    imposed.docinfo[key] = imposed.copy_foreign(value) if value.is_indirect else value
            # What the print dialog should offer: both sides, turned on the short
            # edge (the sheets are landscape), at actual size, never fitted to the paper.
            imposed.Root.ViewerPreferences = pikepdf.Dictionary(
                Duplex=pikepdf.Name.DuplexFlipShortEdge, PrintScaling=pikepdf.Name("/None")
            )
            with replacing(target) as temporary:
                # Streams compressed, objects packed, and an /ID made from the content: the same
                # source gives the same bytes.
                imposed.save(
                    temporary,
                    compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate,
                    min_version=pdf.pdf_version,
                    deterministic_id=True,
                )
    except (OSError, pikepdf.PdfError) as error:
        raise BookletError([Problem(Place(shown), f"cannot impose this PDF: {error}")]) from error
    blanks = blanks_needed(len(pages))
    return Imposed(Path(target), Path(source), sheet, direction, len(pages), blanks)


def _fits(trim: pikepdf.Rectangle, width: float, height: float) -> bool:
    """Whether a page trimmed to ``trim`` fits on half of a sheet of ``width`` x ``height``."""
    return trim.width <= width / 2 + _TOLERANCE and trim.height <= height + _TOLERANCE


def _form(page: pikepdf.Page, trim: pikepdf.Rectangle) -> pikepdf.Stream:
    """``page`` as a form XObject clipped to its trimmed area.

    The bounding box clips: the bleed and the crop marks of the print edition
    stay off the other half of the sheet. A form carries no annotations: the
    links point at pages of the source, and on a printed sheet they are dead weight.
    """
    form = page.as_form_xobject(handle_transformations=False)
    form.BBox = [trim.llx, trim.lly, trim.urx, trim.ury]
    return form


def _placement(name: str, trim: pikepdf.Rectangle, width: float, height: float, on_left: bool) -> bytes:
    """The content that draws the form ``name`` on one half of a side, touching the fold, centred up and down."""
    x = width / 2 - trim.width if on_left else width / 2
    y = (height - trim.height) / 2
    # Moved only, never scaled: the pages print at their size.
    return f"q 1 0 0 1 {_number(x - trim.llx)} {_number(y - trim.lly)} cm {name} Do Q".encode()


def _number(value: float) -> str:
    """A PDF number: fixed-point, four decimals (a fifty-thousandth of a millimetre), no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def impose_booklet(
    project: Project, out_dir: Path, sheet: str = "A4", direction: str = "rtl", report: TimingCallback = quiet
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
