"""Proof sheets: a picture of every spread and a contact sheet, for a review without a PDF viewer."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from booklet import lock, output, pdfinput
from booklet.pipeline import Built, TimingCallback, quiet, screen_pdf
from booklet.project import Project
from booklet.tools import spreads

#: Sharp enough to read the text of an A5 page on a screen.
SPREAD_DPI = 100
#: Small enough for all the pages of a booklet on one screen, large enough to tell them apart.
SHEET_DPI = 30
#: Spreads side by side on one row of the contact sheet.
SHEET_COLUMNS = 3
GROUND = (232, 232, 232)
INK = (60, 64, 67)
FOLD = (170, 170, 170)
CONTACT_SHEET = "contact-sheet.png"


@dataclass(frozen=True)
class Proof:
    folder: Path
    spreads: list[Path]
    contact_sheet: Path
    pages: int
    #: The editions that had to be built first, when the screen edition was missing.
    built: list[Built] = field(default_factory=list)


def proof_booklet(project: Project, out_dir: Path, report: TimingCallback = quiet) -> Proof:
    """Write ``out_dir``/proof/ from ``out_dir``/booklet-screen.pdf, building it first if missing."""
    out_dir = Path(out_dir)
    with lock.held(out_dir):  # one tool or build at a time writes into out_dir (lock.py)
        source, built = screen_pdf(project, out_dir, report)
        start = time.perf_counter()
        result = proof(source, out_dir / "proof")
    report("proof sheets", time.perf_counter() - start)
    return dataclasses.replace(result, built=built)


def proof(pdf: Path, folder: Path) -> Proof:
    """Write a PNG per spread of ``pdf`` (spread-01.png: the cover) and a contact sheet of all pages into ``folder``.

    Spreads are laid out as the bound book opens (booklet/tools/spreads.py, as in the
    preview): right to left, each page numbered underneath.
    """
    folder = Path(folder)
    pdfinput.check(pdf)  # empty, not a PDF, encrypted, damaged: one line, before PDFium draws it
    with pdfinput.reading(pdf):
        pictures = list(spreads.rasterise(pdf, SPREAD_DPI))
    layout = spreads.spreads(len(pictures))
    font = _font(max(12, pictures[0].height // 60))
    thumbnails = [picture.resize(_scaled(picture.size, SHEET_DPI / SPREAD_DPI)) for picture in pictures]
    written = [folder / f"spread-{index:02}.png" for index in range(1, len(layout) + 1)]
    sheet = folder / CONTACT_SHEET
    # All the sheets or none: a failure leaves the last proof as it was.
    with output.files() as pending:
        for spread, target in zip(layout, written, strict=True):
            with pending.writing(target) as temporary:
                _spread(spread, pictures, font).save(temporary, format="PNG")
        with pending.writing(sheet) as temporary:
            _contact_sheet(layout, thumbnails).save(temporary, format="PNG")
    # Spreads of an earlier, longer booklet would be taken for this one's.
    for stale in set(folder.glob("spread-*.png")) - set(written):
        stale.unlink()
    return Proof(folder, written, sheet, len(pictures))


def _scaled(size: tuple[int, int], factor: float) -> tuple[int, int]:
    return round(size[0] * factor), round(size[1] * factor)


def _font(size: int) -> ImageFont.FreeTypeFont:
    # The booklet's own Latin face: page numbers look the same on every machine.
    return ImageFont.truetype(str(Path(__file__).resolve().parents[2] / "fonts" / "NotoSans-Regular.ttf"), size)


def _spread(spread: spreads.Spread, pictures: list[Image.Image], font: ImageFont.FreeTypeFont) -> Image.Image:
    """One spread on a quiet ground: the left page, then the right, touching at the fold, numbered underneath."""
    width, height = pictures[0].size
    margin, label = width // 12, round(font.size * 2.2)
    canvas = Image.new("RGB", (2 * width + 2 * margin, height + 2 * margin + label), GROUND)
    _pair(canvas, spread, pictures, (margin, margin), font, label)
    if spread.left and spread.right:
        ImageDraw.Draw(canvas).line([(margin + width, margin), (margin + width, margin + height - 1)], FOLD)
    return canvas


def _contact_sheet(layout: list[spreads.Spread], thumbnails: list[Image.Image]) -> Image.Image:
    """Every spread, small, read as the book is: right to left along a row, rows top to bottom."""
    width, height = thumbnails[0].size
    font = _font(max(10, height // 16))
    gap, label = width // 5, round(font.size * 2)
    cell_width, cell_height = 2 * width + gap, height + label + gap
    columns = min(SHEET_COLUMNS, len(layout))
    rows = -(-len(layout) // columns)
    canvas = Image.new("RGB", (columns * cell_width + gap, rows * cell_height + gap), GROUND)
    for index, spread in enumerate(layout):
        row, column = divmod(index, columns)
        # The first spread of a row is at its right end.
        _pair(
            canvas, spread, thumbnails, (canvas.width - (column + 1) * cell_width, gap + row * cell_height), font, label
        )
    return canvas


def _pair(
    canvas: Image.Image,
    spread: spreads.Spread,
    pictures: list[Image.Image],
    at: tuple[int, int],
    font: ImageFont.FreeTypeFont,
    label: int,
) -> None:
    """Paste the spread's left page at ``at`` and its right page beside it, each numbered underneath."""
    draw = ImageDraw.Draw(canvas)
    x, top = at
    width = pictures[0].width
    for number, left in ((spread.left, x), (spread.right, x + width)):
        if number is None:
            continue
        picture = pictures[number - 1]
        canvas.paste(picture, (left, top))
        draw.text((left + picture.width / 2, top + picture.height + label / 2), str(number), INK, font, anchor="mm")
