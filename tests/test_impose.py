"""Office-print imposition: the saddle-stitch order against a model of folded paper, and the imposed PDF read back."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import page_texts

# The imposed PDF is written with pikepdf and read back with pypdf (and PDFium): a second opinion.
from pypdf import PdfReader
from pypdf.generic import ContentStream

from booklet.cli import main
from booklet.errors import BookletError
from booklet.tools import spreads
from booklet.tools.impose import impose, imposition, padded, saddle_order

MM = 72 / 25.4
A4_LANDSCAPE = (842, 595)
A3_LANDSCAPE = (1191, 842)

# A model of the paper, written apart from booklet/tools/impose.py -----------------------------------------------------

WIDTH = 1.0  # of a flat sheet; the fold runs down its middle
LEFT, RIGHT = 0.25, 0.75  # a point in the middle of each half, as the sheet lies flat


def _half(x: float) -> str:
    return "left" if x < WIDTH / 2 else "right"


def _face(sheet: int, back_up: bool, x: float) -> tuple[int, str, str]:
    """Which side of ``sheet``, and which half of that side as it is printed, is seen at ``x``.

    The sheet lies with its back up, seen from above. Printed double-sided and
    flipped on the short edge, a sheet turned over like a book page shows its
    back upright, so the back's x is the x we see, while the front (facing down)
    has the point we see at x at WIDTH - x.
    """
    if back_up:
        return (sheet, "back", _half(x))
    return (sheet, "front", _half(WIDTH - x))


def folded_booklet(pages: int, direction: str) -> dict[int, tuple[int, str, str]]:
    """Nest the sheets, fold them, read the booklet from its front cover: where each page (from 1) is printed.

    The sheets lie flat, fronts down (the front of the outermost sheet is the
    outside of the booklet), the outermost sheet at the bottom. Folding lifts one
    half of the stack over the other around the middle: the left half for a
    booklet bound on the left (the fold is then on the left of the closed
    booklet), the right half for one bound on the right. A lifted half turns
    over, so its faces swap, and lands on top in reverse order: the innermost
    sheet's half first, the outermost last, on top as the front cover. Reading
    from the top leaf down, each leaf shows one page on top and the next on its
    underside once turned towards the spine.
    """
    sheets = pages // 4
    lifted, staying = (LEFT, RIGHT) if direction == "ltr" else (RIGHT, LEFT)
    # Bottom to top: (sheet, where the half lay flat, turned over by the fold).
    stack = [(s, staying, False) for s in range(sheets)] + [(s, lifted, True) for s in reversed(range(sheets))]
    order = []
    for sheet, x, turned in reversed(stack):
        back_up = not turned
        order += [_face(sheet, back_up, x), _face(sheet, not back_up, x)]
    return dict(enumerate(order, 1))


def _as_placed(sides: list[tuple[int, int]]) -> dict[int, tuple[int, str, str]]:
    """The implementation's printed sides, in printing order, as page -> (sheet, side, half)."""
    placed = {}
    for index, (left, right) in enumerate(sides):
        sheet, side = divmod(index, 2)
        placed[left] = (sheet, ("front", "back")[side], "left")
        placed[right] = (sheet, ("front", "back")[side], "right")
    return placed


def test_the_model_folds_the_classic_left_bound_sheet():
    """The model, checked on its own against the textbook four-page sheet: front [4 | 1], back [2 | 3]."""
    assert folded_booklet(4, "ltr") == {
        1: (0, "front", "right"),
        2: (0, "back", "left"),
        3: (0, "back", "right"),
        4: (0, "front", "left"),
    }


@pytest.mark.parametrize("direction", ["rtl", "ltr"])
@pytest.mark.parametrize("pages", [4, 8, 12, 28])
def test_order_folds_into_the_booklet(pages, direction):
    assert _as_placed(saddle_order(pages, direction)) == folded_booklet(pages, direction)


def test_order_of_eight_pages():
    # Left-bound: the outer sheet's front is [8 | 1], its back [2 | 7]; the
    # inner sheet's front [6 | 3], its back [4 | 5]. Right-bound mirrors each side.
    assert saddle_order(8, "ltr") == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_order(8, "rtl") == [(1, 8), (7, 2), (3, 6), (5, 4)]


@pytest.mark.parametrize("pages", [13, 14, 15])
def test_blanks_go_before_the_back_cover(pages):
    order = padded(pages)
    assert len(order) == 16
    assert order[: pages - 1] == list(range(1, pages))
    assert order[pages - 1 : 15] == [None] * (16 - pages)
    assert order[15] == pages
    sides = imposition(pages, "rtl")
    assert len(sides) == 8
    # The back cover stays on the outside of the outer sheet, beside the front cover.
    assert sides[0] == (1, pages)
    assert sorted(p for side in sides for p in side if p is not None) == list(range(1, pages + 1))
    assert sum(p is None for side in sides for p in side) == 16 - pages


def test_whole_sheets_need_no_blanks():
    assert padded(16) == list(range(1, 17))
    assert padded(2) == [1, None, None, 2]
    assert padded(1) == [1, None, None, None]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: padded(0), "at least one page"),
        (lambda: saddle_order(6), "multiple of four"),
        (lambda: saddle_order(8, "up"), "direction must be one of rtl, ltr"),
    ],
)
def test_impossible_orders(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# The imposed PDF, read back -----------------------------------------------------------------------------------------

_MIRRORED = str.maketrans("()«»[]", "))»»]]")


def _chars(text: str) -> Counter[str]:
    """The characters of a text, as a multiset: pdfium orders and mirrors the text of a bounded area its own way."""
    return Counter("".join(text.translate(_MIRRORED).split()))


def _source_texts(path: Path) -> list[Counter[str]]:
    return [_chars(text) for text in page_texts(path)]


def _halves(path: Path) -> list[tuple[Counter[str], Counter[str]]]:
    """The text of the left and right half of every side of an imposed PDF."""
    document = pdfium.PdfDocument(path)
    try:
        halves = []
        for index in range(len(document)):
            width, height = document[index].get_size()
            text = document[index].get_textpage()
            halves.append(
                (
                    _chars(text.get_text_bounded(0, 0, width / 2, height)),
                    _chars(text.get_text_bounded(width / 2, 0, width, height)),
                )
            )
        return halves
    finally:
        document.close()


def _expected(source: Path, sides: list[tuple[int | None, int | None]]) -> list[tuple[Counter[str], ...]]:
    """What each half of each side should read: the source page's text, nothing for a blank."""
    texts = _source_texts(source)
    return [tuple(Counter() if p is None else texts[p - 1] for p in side) for side in sides]


@pytest.fixture(scope="module")
def imposed(sample, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("imposed") / "booklet-imposed.pdf"
    result = impose(sample.pdfs["screen"], target)
    assert (result.pages, result.blanks, result.sheets, result.sides) == (16, 0, 4, 8)
    return target


def test_imposed_sides_are_a4_landscape(imposed):
    reader = PdfReader(imposed)
    assert len(reader.pages) == 8  # 4 sheets, two sides each
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=1)


def test_imposed_pages_are_in_folding_order(sample, imposed):
    texts = _source_texts(sample.pdfs["screen"])
    assert len({tuple(sorted(t.items())) for t in texts}) == 16  # every page tells itself apart
    expected = [(texts[left - 1], texts[right - 1]) for left, right in saddle_order(16, "rtl")]
    assert _halves(imposed) == expected
    # Spelled out for the outer sheet: front cover on the left, back cover on the right.
    assert _halves(imposed)[0] == (texts[0], texts[15])


def _drawn(reader: PdfReader, index: int) -> list[tuple[list[float], list[float]]]:
    """What side ``index`` draws, in order: for each form, its matrix (``cm``) and its bounding box."""
    page = reader.pages[index]
    forms = page["/Resources"]["/XObject"]
    matrix, drawn = None, []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"cm":
            matrix = [float(v) for v in operands]
        elif operator == b"Do":
            drawn.append((matrix, [float(v) for v in forms[operands[0]]["/BBox"]]))
    return drawn


def test_each_page_is_moved_never_scaled(sample, imposed):
    """Every page is drawn at 1:1, its trimmed area touching the fold, centred up and down on the sheet."""
    source = PdfReader(sample.pdfs["screen"])
    trim = [float(v) for v in source.pages[0].trimbox]
    width, height = trim[2] - trim[0], trim[3] - trim[1]
    reader = PdfReader(imposed)
    sheet_width, sheet_height = (float(v) for v in reader.pages[0].mediabox[2:])
    for index, side in enumerate(saddle_order(16, "rtl")):
        drawn = _drawn(reader, index)
        assert len(drawn) == len(side) == 2
        for (matrix, box), on_left in zip(drawn, (True, False), strict=True):
            assert matrix[:4] == [1, 0, 0, 1]  # no scaling, no rotation
            assert box == pytest.approx(trim, abs=1e-3)  # clipped to the trim: no bleed, no crop marks
            left, bottom = box[0] + matrix[4], box[1] + matrix[5]
            assert left == pytest.approx(sheet_width / 2 - width if on_left else sheet_width / 2, abs=1e-3)
            assert bottom == pytest.approx((sheet_height - height) / 2, abs=1e-3)


def test_the_print_dialog_is_asked_for_both_sides_at_actual_size(sample, imposed):
    reader = PdfReader(imposed)
    preferences = reader.trailer["/Root"]["/ViewerPreferences"]
    assert (preferences["/Duplex"], preferences["/PrintScaling"]) == ("/DuplexFlipShortEdge", "/None")
    # The title and author stay; the links of the source pages go.
    source = PdfReader(sample.pdfs["screen"]).metadata
    assert (reader.metadata.title, reader.metadata.author) == (source.title, source.author)
    assert reader.metadata.title
    assert all("/Annots" not in page for page in reader.pages)


def test_the_same_source_gives_the_same_bytes(sample, imposed, tmp_path):
    again = impose(sample.pdfs["screen"], tmp_path / "again.pdf")
    assert again.path.read_bytes() == imposed.read_bytes()


def test_the_halves_touch_at_the_fold(imposed):
    # The cover and the back cover are dark to their edges: dark on both sides
    # of the fold, white only in the sliver of A4 left over outside them.
    image = list(spreads.rasterise(imposed, 144))[0].convert("L")
    width, height = image.size
    middle = height // 2
    assert image.getpixel((width // 2 - 2, middle)) < 100
    assert image.getpixel((width // 2 + 1, middle)) < 100
    assert image.getpixel((0, middle)) == image.getpixel((width - 1, middle)) == 255
    assert image.getpixel((4, middle)) < 100


def test_print_edition_is_trimmed(sample, tmp_path):
    """From the print edition, the bleed and the crop marks stay off the sheet: on A3, all around is white."""
    target = tmp_path / "imposed.pdf"
    impose(sample.pdfs["print"], target, sheet="A3")
    reader = PdfReader(target)
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == pytest.approx(
        A3_LANDSCAPE, abs=1
    )
    texts = _source_texts(sample.pdfs["print"])
    assert _halves(target) == [(texts[left - 1], texts[right - 1]) for left, right in saddle_order(16, "rtl")]
    image = list(spreads.rasterise(target, 72))[0].convert("L")
    # The two A5 pages fill 296 x 210 mm in the middle of 420 x 297 mm: a 1 pt
    # band just outside them must be paper white.
    width, height = image.size
    inner_left, inner_top = round((420 - 2 * 148) / 2 * MM), round((297 - 210) / 2 * MM)
    band = image.crop((inner_left - 4, inner_top - 4, width - inner_left + 4, inner_top - 2))
    assert band.getextrema() == (255, 255)
    band = image.crop((inner_left - 4, inner_top, inner_left - 2, height - inner_top))
    assert band.getextrema() == (255, 255)
    assert image.getpixel((width // 2, height // 2)) < 100


def test_thirteen_pages_get_three_blanks_before_the_back_cover(sample, tmp_path):
    source = tmp_path / "thirteen.pdf"
    with pikepdf.open(sample.pdfs["screen"]) as pdf:
        del pdf.pages[12:15]  # drop pages 13 to 15: 13 pages remain, the back cover last
        pdf.save(source)
    target = tmp_path / "imposed.pdf"
    result = impose(source, target, direction="ltr")
    assert (result.pages, result.blanks, result.sheets) == (13, 3, 4)
    assert len(PdfReader(target).pages) == 8
    sides = imposition(13, "ltr")
    assert sides[0] == (13, 1)  # left-bound: back cover left, front cover right
    assert _halves(target) == _expected(source, sides)


def test_failure_leaves_the_previous_file(tmp_path):
    source, target = tmp_path / "broken.pdf", tmp_path / "booklet-imposed.pdf"
    source.write_bytes(b"%PDF-1.7\nnot really\n")
    target.write_bytes(b"the last good one")
    with pytest.raises(BookletError) as raised:
        impose(source, target)
    [problem] = raised.value.problems
    assert problem.message.startswith("is damaged (")  # booklet/pdfinput.py
    assert target.read_bytes() == b"the last good one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["booklet-imposed.pdf", "broken.pdf"]


def test_pages_too_large_for_the_sheet(tmp_path):
    source = tmp_path / "a4.pdf"
    with pikepdf.new() as pdf:
        for _ in range(4):
            pdf.add_blank_page(page_size=(210 * MM, 297 * MM))
        pdf.save(source)
    with pytest.raises(BookletError) as raised:
        impose(source, tmp_path / "imposed.pdf", sheet="A4")
    assert [p.message for p in raised.value.problems] == [
        "page 1 is 210 x 297 mm: two do not fit side by side on A4 (297 x 210 mm); use A3"
    ]
    assert not (tmp_path / "imposed.pdf").exists()
    assert impose(source, tmp_path / "imposed.pdf", sheet="A3").sheets == 1


def test_no_pages(tmp_path):
    source = tmp_path / "empty.pdf"
    with pikepdf.new() as pdf:
        pdf.save(source)
    with pytest.raises(BookletError, match="has no pages; delete it and build again"):
        impose(source, tmp_path / "imposed.pdf")


# The command line ---------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("notes_logger")
def test_cli_impose(sample, tmp_path, capsys):
    shutil.copy(sample.pdfs["screen"], tmp_path / "booklet-screen.pdf")
    assert main(["impose", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert re.fullmatch(r"  imposing +\d+ ms", lines[0])
    assert lines[1:3] == [
        f"wrote {tmp_path.as_posix()}/booklet-imposed.pdf (8 sides: 16 pages on 4 A4 sheets, bound on the right)",
        "  print double-sided, flipping on the short edge; fold the stack in half and staple on the fold",
    ]
    assert re.fullmatch(r"done in \d+\.\d s", lines[3])
    assert err == ""
    assert len(PdfReader(tmp_path / "booklet-imposed.pdf").pages) == 8


@pytest.mark.usefixtures("notes_logger")
def test_cli_impose_builds_the_screen_edition_first(tmp_path, capsys):
    assert main(["impose", "--out", str(tmp_path), "--direction", "ltr"]) == 0
    out = capsys.readouterr().out
    assert "  typesetting screen" in out
    assert f"wrote {tmp_path.as_posix()}/booklet-screen.pdf (16 pages)\n" in out
    assert "(8 sides: 16 pages on 4 A4 sheets, bound on the left)" in out
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["booklet-imposed.pdf", "booklet-screen.pdf"]


@pytest.mark.usefixtures("notes_logger")
def test_cli_impose_reports_a_broken_source(tmp_path, capsys, caplog):
    (tmp_path / "booklet-screen.pdf").write_bytes(b"not a PDF")
    assert main(["impose", "--out", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{tmp_path.as_posix()}/booklet-screen.pdf: is not a PDF (it does not start with %PDF-); "
        "delete it and build again (make)",
        "1 problem; nothing was written",
    ]
    # Nothing from the PDF libraries' own loggers, which would reach the terminal besides the one line.
    assert [r.getMessage() for r in caplog.records if r.name.startswith(("pikepdf", "pypdf"))] == []
    assert "wrote" not in out
    assert not (tmp_path / "booklet-imposed.pdf").exists()


def test_cli_impose_help(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["impose", "--help"])
    assert raised.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("usage: python -m booklet impose")
    for option in ("--out", "--sheet", "{A4,A3}", "--direction", "{rtl,ltr}", "flipping on the short edge"):
        assert option in out
