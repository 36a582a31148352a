"""Pictures of the data, read back from the real PDFs: upright, in the right colour space, cropped into
the bleed, refused with their place when unusable, prepared once, and their resolution reported.

Every picture is generated here with Pillow, small so that WeasyPrint's work dominates: one build of
both editions (the ``illustrated`` fixture) serves most of the tests.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import struct
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from conftest import ROOT, restored_notes, western
from PIL import Image, ImageDraw
from pypdf import PdfReader

import booklet
from booklet.cli import main
from booklet.data.placed import PlacedPicture
from booklet.typeset import images, picturecache

MM = 72 / 25.4  # PDF points per millimetre
#: The chapter photo: the text column of an A5 page (148 mm less the 14 mm and 19 mm margins) wide,
#: 70 mm high, object-fit: cover (layouts/booklet.css, .photo img).
COLUMN_MM = (148 - 14 - 19, 70)
#: A full-bleed photo page: the A5 trim and 3 mm of bleed on every side.
BLEED_PAGE_MM = (148 + 6, 210 + 6)

BLUE, RED = (0, 0, 255), (255, 0, 0)
PHOTO_RED = (200, 30, 30)
CMYK_INK = (0, 200, 200, 0)  # magenta and yellow: a red, (255, 55, 55) in RGB
GREEN = (0, 128, 0)

#: Where in data/booklet.yaml a picture goes into a chapter: before its groups (the first three chapters
#: and the last).
CHAPTER_MARKERS = [
    "    groups:\n      - title: الجهات المستفيدة من التدريب",
    "    groups:\n      - title: ورش العمل المغلقة",
    "    groups:\n      - title: المناسبات",
    "    groups:\n      - title: مجالات العمل",
]
PHOTO_CAPTION = "لقطة من ورشة العمل"
PHOTO_CREDIT = "تصوير فريق البعثة"


# --- making pictures and data -------------------------------------------------------------------


def _rotated_jpeg(path: Path) -> None:
    """Stored 300 x 200, blue on the left and red on the right, with EXIF Orientation 6 (turn 90°
    clockwise to show it): upright it is 200 x 300, blue on top and red below."""
    image = Image.new("RGB", (300, 200), RED)
    image.paste(BLUE, (0, 0, 150, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(path, quality=92, exif=exif.tobytes())


def _alpha_png(path: Path) -> None:
    """260 x 140, green, its left half fully transparent."""
    image = Image.new("RGBA", (260, 140), (*GREEN, 255))
    image.paste((*GREEN, 0), (0, 0, 130, 140))
    image.save(path)


def _huge_png(path: Path, width: int, height: int) -> None:
    """A PNG whose header says width x height pixels, in a few bytes: Pillow reads the size from the header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def _image_yaml(src: str, caption: str | None = None, credit: str | None = None) -> str:
    """The YAML of a section's image field."""
    lines = ["image:", f"  src: {src}", "  alt: صورة مولدة للاختبار"]
    lines += [f"  caption: {caption}"] if caption else []
    lines += [f"  credit: {credit}"] if credit else []
    return "".join(f"    {line}\n" for line in lines)


def _insert(text: str, marker: str, block: str) -> str:
    assert text.count(marker) == 1, marker
    return text.replace(marker, block + marker)


SMALL_BOOKLET = """\
document:
  title: كتيب تجريبي
  organisation: فريق الاختبار
  subject: كتيب صغير لاختبار الصور
sections:
  - kind: cover
  - kind: chapter
    title: فصل مصور
{image}  - kind: back-cover
    body: نهاية الكتيب
"""


def _small_booklet(data: Path, src: str) -> tuple[int, int]:
    """A booklet of a cover, a chapter showing ``src`` and a back cover, in ``data``: for the tests where
    only the picture matters, and WeasyPrint's time is best spent on few pages. The (line, column) of src."""
    text = SMALL_BOOKLET.format(image=_image_yaml(src))
    (data / "booklet.yaml").write_text(text, encoding="utf-8")
    return text.splitlines().index(f"      src: {src}") + 1, len("      src: ") + 1


# --- reading PDFs back ----------------------------------------------------------------------------


def _image_xobjects(pdf: Path) -> list:
    """Every image XObject of the PDF, once each (WeasyPrint shares one resource dictionary)."""
    found = {}
    for page in PdfReader(pdf).pages:
        for ref in (page["/Resources"].get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject["/Subtype"] == "/Image":
                found[ref.idnum] = xobject
    return list(found.values())


def _xobject(pdf: Path, size: tuple[int, int]):  # noqa: ANN202 - a pypdf stream
    (found,) = [x for x in _image_xobjects(pdf) if (x["/Width"], x["/Height"]) == size]
    return found


def _images_on(document: pdfium.PdfDocument, index: int) -> list:
    """The images drawn on a page (inside form XObjects too), as pypdfium2 page objects."""
    return list(document[index].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))


def _pages_showing(document: pdfium.PdfDocument, size: tuple[int, int]) -> list[int]:
    """The indexes of the pages that draw an image of ``size`` pixels."""
    return [i for i in range(len(document)) if size in {image.get_px_size() for image in _images_on(document, i)}]


def _placed_images(document: pdfium.PdfDocument) -> dict[tuple[int, int], tuple[int, tuple[float, ...]]]:
    """Each image drawn in the document by its size in pixels: (page index, bounds in PDF points)."""
    return {
        image.get_px_size(): (i, image.get_bounds()) for i in range(len(document)) for image in _images_on(document, i)
    }


def _pixels(document: pdfium.PdfDocument, index: int, *points: tuple[float, float]) -> list[tuple[int, int, int]]:
    """The rendered colours at (x, y) points, in PDF points of the page's default space."""
    page = document[index]
    scale = 3
    left, _bottom, _right, top = page.get_cropbox()
    bitmap = page.render(scale=scale).to_pil().convert("RGB")
    return [bitmap.getpixel((round((x - left) * scale), round((top - y) * scale))) for x, y in points]


def _close(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 16) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


# --- one build of both editions with every kind of picture ---------------------------------------


@dataclass
class Illustrated:
    out: Path
    code: int
    stdout: str

    def pdf(self, edition: str) -> Path:
        return self.out / f"booklet-{edition}.pdf"


@pytest.fixture(scope="module")
def illustrated(tmp_path_factory: pytest.TempPathFactory) -> Illustrated:
    """The sample with a picture of each kind in its chapters and two full-bleed photo pages, built once
    through the command line (whose output reports the effective resolutions)."""
    tmp = tmp_path_factory.mktemp("illustrated")
    data = Path(shutil.copytree(ROOT / "data", tmp / "data"))
    pictures = data / "images"
    pictures.mkdir()
    _rotated_jpeg(pictures / "rotated.jpg")
    Image.new("CMYK", (240, 160), CMYK_INK).save(pictures / "cmyk.jpg", quality=92)
    Image.linear_gradient("L").resize((600, 200)).save(pictures / "grey.jpg", quality=92)  # a panorama
    _alpha_png(pictures / "alpha.png")
    Image.new("RGB", (300, 420), PHOTO_RED).save(pictures / "photo.jpg", quality=92)

    source = data / "booklet.yaml"
    text = source.read_text(encoding="utf-8")
    for marker, src in zip(CHAPTER_MARKERS, ["rotated.jpg", "cmyk.jpg", "grey.jpg", "alpha.png"], strict=True):
        text = _insert(text, marker, _image_yaml(f"images/{src}"))
    photo_pages = (
        "  - kind: photo\n" + _image_yaml("images/photo.jpg") + "\n"
        "  - kind: photo\n" + _image_yaml("images/photo.jpg", caption=PHOTO_CAPTION, credit=PHOTO_CREDIT) + "\n"
    )
    text = _insert(text, "  - kind: partners", photo_pages)
    source.write_text(text, encoding="utf-8")

    out = tmp / "build"
    stdout = io.StringIO()
    with restored_notes(), contextlib.redirect_stdout(stdout):
        code = main(["build", "--data", str(data), "--out", str(out)])
    return Illustrated(out, code, stdout.getvalue())


def test_illustrated_sample_builds(illustrated):
    assert illustrated.code == 0, illustrated.stdout
    assert illustrated.pdf("print").is_file() and illustrated.pdf("screen").is_file()


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_exif_rotated_jpeg_is_upright(illustrated, edition):
    pdf = illustrated.pdf(edition)
    sizes = {(x["/Width"], x["/Height"]) for x in _image_xobjects(pdf)}
    assert (300, 200) not in sizes, "the picture was embedded as stored, on its side"
    placed = _xobject(pdf, (200, 300))
    # An opaque RGB picture is separated into the press's CMYK for print.
    assert placed["/ColorSpace"] == ("/DeviceCMYK" if edition == "print" else "/DeviceRGB")
    upright = placed.decode_as_image().convert("RGB")
    top, bottom = upright.getpixel((100, 20)), upright.getpixel((100, 280))
    if edition == "print":
        # Separated into the press's CMYK: pure sRGB blue and red are out of
        # its gamut, so compare which ink dominates, not the exact colour.
        assert max(range(3), key=lambda i: top[i]) == 2, f"the top of the upright picture is blue: {top}"
        assert max(range(3), key=lambda i: bottom[i]) == 0, f"its bottom is red: {bottom}"
    else:
        assert _close(top, BLUE, 40), "the top of the upright picture is blue"
        assert _close(bottom, RED, 40), "its bottom is red"
    # ... and drawn as it is, not turned by the page: no rotation in the image's matrix.
    document = pdfium.PdfDocument(pdf)
    index, _bounds = _placed_images(document)[(200, 300)]
    (image,) = [i for i in _images_on(document, index) if i.get_px_size() == (200, 300)]
    matrix = image.get_matrix()
    assert matrix.b == 0 and matrix.c == 0 and matrix.a > 0 and matrix.d > 0


def test_cmyk_jpeg_is_cmyk_for_print_and_rgb_for_screen(illustrated):
    printed = _xobject(illustrated.pdf("print"), (240, 160))
    screen = _xobject(illustrated.pdf("screen"), (240, 160))
    assert printed["/ColorSpace"] == "/DeviceCMYK"
    assert printed["/Filter"] == "/DCTDecode"  # the original JPEG, not re-encoded
    assert screen["/ColorSpace"] == "/DeviceRGB"
    # Both show a red where they stand (the viewer turns CMYK into RGB its own way, so not the same
    # red); an Adobe CMYK JPEG drawn without its Decode array would come out as its negative, cyan.
    for edition in ("print", "screen"):
        document = pdfium.PdfDocument(illustrated.pdf(edition))
        index, (left, bottom, right, top) = _placed_images(document)[(240, 160)]
        ((red, green, blue),) = _pixels(document, index, ((left + right) / 2, (bottom + top) / 2))
        assert red > 200 and green < 120 and blue < 120, (edition, (red, green, blue))


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_greyscale_jpeg_stays_grey(illustrated, edition):
    grey = _xobject(illustrated.pdf(edition), (600, 200))
    assert grey["/ColorSpace"] == "/DeviceGray"
    picture = grey.decode_as_image()
    assert picture.getpixel((300, 5)) < 40 and picture.getpixel((300, 195)) > 215  # the gradient, top to bottom


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_png_keeps_its_transparency(illustrated, edition):
    picture = _xobject(illustrated.pdf(edition), (260, 140))
    # Separated for the press like any colour picture, its alpha kept as the soft mask.
    assert picture["/ColorSpace"] == ("/DeviceCMYK" if edition == "print" else "/DeviceRGB")
    assert "/SMask" in picture
    mask = picture["/SMask"].get_object().decode_as_image()
    assert mask.getpixel((20, 70)) == 0 and mask.getpixel((240, 70)) == 255
    # Where the picture is transparent the page shows through.
    document = pdfium.PdfDocument(illustrated.pdf(edition))
    index, (left, bottom, right, top) = _placed_images(document)[(260, 140)]
    middle = (bottom + top) / 2
    clear, solid = _pixels(
        document, index, (left + (right - left) * 0.2, middle), (left + (right - left) * 0.8, middle)
    )
    assert _close(clear, (255, 255, 255), 8)
    # The press's green is not sRGB's (the viewer turns the CMYK back its own way): green still dominates.
    assert _close(solid, GREEN, 24 if edition == "screen" else 60) and solid[1] > 2 * max(solid[0], solid[2])


def test_print_edition_holds_no_rgb_picture(illustrated):
    """Every picture of the print edition is CMYK or grey: the press finds no RGB to convert."""
    import pikepdf

    with pikepdf.open(illustrated.pdf("print")) as pdf:
        pictures = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        masks = {o.SMask.objgen for o in pictures if "/SMask" in o}
        spaces = {(int(o.Width), int(o.Height)): str(o.ColorSpace) for o in pictures if o.objgen not in masks}
    assert "/DeviceRGB" not in spaces.values(), spaces
    assert spaces[(260, 140)] == "/DeviceCMYK"


#: A logo as a designer exports it: flat colours with soft (anti-aliased) edges on a clear ground.
LOGO_PX = (640, 320)


def _transparent_logo(path: Path) -> None:
    """A red disc on the left and a blue bar on the right, drawn four times larger and scaled down, so
    that their edges are soft."""
    width, height = LOGO_PX[0] * 4, LOGO_PX[1] * 4
    big = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(big).ellipse((height // 12, height // 12, height * 11 // 12, height * 11 // 12), fill=(200, 30, 60))
    ImageDraw.Draw(big).rectangle((width * 13 // 24, height // 5, width * 23 // 24, height * 4 // 5), fill=(0, 90, 160))
    big.resize(LOGO_PX, Image.Resampling.LANCZOS).save(path)


@pytest.fixture(scope="module")
def logo_booklet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small booklet whose organisation's logo is a transparent PNG, on the cover's coloured ground."""
    tmp = tmp_path_factory.mktemp("logo")
    data = tmp / "data"
    (data / "images").mkdir(parents=True)
    _transparent_logo(data / "images" / "logo.png")
    text = SMALL_BOOKLET.format(image="    body: نص قصير.\n").replace(
        "  subject: كتيب صغير لاختبار الصور\n", "  subject: كتيب صغير لاختبار الصور\n  logo: images/logo.png\n"
    )
    (data / "booklet.yaml").write_text(text, encoding="utf-8")
    with restored_notes(), contextlib.redirect_stdout(io.StringIO()):
        assert main(["build", "--data", str(data), "--out", str(tmp / "build")]) == 0
    return data, tmp / "build"


def test_a_transparent_logo_is_separated_for_print_and_stays_transparent(logo_booklet):
    import pikepdf

    _data, out = logo_booklet
    with pikepdf.open(out / "booklet-print.pdf") as pdf:
        pictures = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert not [o for o in pictures if o.ColorSpace == "/DeviceRGB"], "an RGB picture in the press's file"
        (logo,) = [o for o in pictures if (int(o.Width), int(o.Height)) == LOGO_PX and "/SMask" in o]
        assert logo.ColorSpace == "/DeviceCMYK"
        mask = pikepdf.PdfImage(logo.SMask).as_pil_image()
    # Clear around the shapes, solid inside them, and soft edges kept soft (not cut to 0 or 255).
    assert mask.getpixel((2, 2)) == 0 and mask.getpixel((LOGO_PX[0] - 3, LOGO_PX[1] - 3)) == 0
    assert mask.getpixel((160, 160)) == 255 and mask.getpixel((500, 160)) == 255
    assert any(0 < mask.getpixel((x, 160)) < 255 for x in range(20, 40))
    # On the page, the cover's ground shows through the logo's clear corners, as in the screen edition.
    for edition in ("print", "screen"):
        document = pdfium.PdfDocument(out / f"booklet-{edition}.pdf")
        # The cover's one picture (the screen edition's is its light copy, of fewer pixels).
        (logo_on_cover,) = _images_on(document, 0)
        index, (left, bottom, right, top) = 0, logo_on_cover.get_bounds()
        inside = 1.5 / LOGO_PX[0] * (right - left)  # a pixel and a half of the logo inside its corner
        corner, ground, circle = _pixels(
            document,
            index,
            (left + inside, top - inside),
            (left - 4, top + 4),
            (left + (right - left) * 0.25, (bottom + top) / 2),
        )
        assert _close(corner, ground, 12), (edition, corner, ground)
        assert circle[0] > 150 and circle[1] < 90, (edition, circle)


def test_a_transparent_copy_for_print_is_made_once_with_its_alpha(tmp_path):
    """The press copy (a CMYK JPEG) and its alpha beside it are made once and reused together; a grey
    picture with one grey made clear becomes grey with alpha (WeasyPrint would make it RGB)."""
    press = (ROOT / "layouts" / "color" / "booklet-cmyk.icc").read_bytes()
    logo, keyed = tmp_path / "logo.png", tmp_path / "keyed.png"
    _transparent_logo(logo)
    grey = Image.new("L", (40, 20), 90)
    grey.paste(255, (0, 0, 20, 20))
    grey.save(keyed, transparency=255)
    cache = tmp_path / "cache"
    pictures = [PlacedPicture(booklet.errors.Place(tmp_path / "d.yaml"), "logo", path) for path in (logo, keyed)]

    prepared = images.prepare(pictures, cache, "A5", press)
    copy = prepared[logo].print_file
    alpha = images.alpha_file(copy)
    with Image.open(copy) as separated, Image.open(alpha) as mask:
        assert (separated.format, separated.mode, mask.mode, mask.size) == ("JPEG", "CMYK", "L", LOGO_PX)
        # Clear where the logo is clear; there its colours are its edges', not black (no dark fringe).
        assert mask.getpixel((2, 2)) == 0 and mask.getpixel((22, 160)) == 0
        assert separated.getpixel((22, 160))[1] > 150, "the disc's magenta, a few pixels out of it"
    with Image.open(prepared[keyed].print_file) as made:
        assert made.mode == "LA" and made.getpixel((5, 5))[1] == 0 and made.getpixel((30, 5)) == (90, 255)
    made = {path: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert images.prepare(pictures, cache, "A5", press)[logo].print_file == copy
    assert {path: path.stat().st_mtime_ns for path in cache.iterdir()} == made, "prepared again"
    # Pruning keeps a copy's alpha with it.
    picturecache.prune(cache, {f for p in prepared.values() for f in (p.print_file, p.screen_file, alpha)}, 1e12)
    assert alpha.is_file()


def test_the_preflight_finds_no_rgb_logo(logo_booklet):
    from booklet.pipeline import Project
    from booklet.preflight import preflight

    data, out = logo_booklet
    report = preflight(out, Project(data, root=ROOT))
    rows = [row for row in report.rows if row.check == "images" and row.edition == "print"]
    assert [(row.status, row.detail.rsplit(", ", 1)[-1]) for row in rows] == [("ok", "CMYK")], rows


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_photo_page_covers_the_bleed(illustrated, edition):
    """The first photo page has no caption: 1 mm inside every edge of the bleed box (the trimmed page in
    the screen edition) is the picture, not paper."""
    reader = PdfReader(illustrated.pdf(edition))
    document = pdfium.PdfDocument(illustrated.pdf(edition))
    index = _pages_showing(document, (300, 420))[0]
    page = reader.pages[index]
    left, bottom, right, top = (float(v) for v in page.bleedbox)
    if edition == "print":
        trim = [float(v) for v in page.trimbox]
        assert [round(v, 2) for v in (left, bottom, right, top)] == [
            round(trim[0] - 3 * MM, 2),
            round(trim[1] - 3 * MM, 2),
            round(trim[2] + 3 * MM, 2),
            round(trim[3] + 3 * MM, 2),
        ]
    x, y = (left + right) / 2, (bottom + top) / 2
    edges = {
        "left": (left + MM, y),
        "right": (right - MM, y),
        "top": (x, top - MM),
        "bottom": (x, bottom + MM),
    }
    colours = dict(zip(edges, _pixels(document, index, *edges.values()), strict=True))
    assert {edge: _close(colour, PHOTO_RED) for edge, colour in colours.items()} == dict.fromkeys(edges, True), colours


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_photo_page_caption_and_credit(illustrated, edition):
    document = pdfium.PdfDocument(illustrated.pdf(edition))
    placed = _pages_showing(document, (300, 420))
    assert len(placed) == 2
    first, second = (western(document[i].get_textpage().get_text_range()) for i in placed)
    assert PHOTO_CAPTION not in first and PHOTO_CREDIT not in first
    assert PHOTO_CAPTION in second and PHOTO_CREDIT in second


def _expected_ppi(pixels: tuple[int, int], box_mm: tuple[float, float]) -> float:
    """object-fit: cover scales the picture until it fills the box on both axes: the axis it just fills
    sets the resolution, the other overflows and is cropped."""
    return min(pixels[0] / (box_mm[0] / 25.4), pixels[1] / (box_mm[1] / 25.4))


def test_effective_resolution_is_reported_for_print(illustrated):
    reported = re.findall(r"^  picture (\S+) on page (\d+): (\d+) ppi at (\d+) x (\d+) mm$", illustrated.stdout, re.M)
    upright = {  # pixels as shown, after EXIF orientation
        "images/rotated.jpg": (200, 300),
        "images/cmyk.jpg": (240, 160),
        "images/grey.jpg": (600, 200),
        "images/alpha.png": (260, 140),
    }
    # A column picture is 70 mm high, or shorter (never under 38 mm) where that ends its chapter a page
    # earlier (booklet/typeset/flow.py): the ppi is the one of the box it is shown in.
    shown = {src: (int(w), int(h)) for src, _page, _ppi, w, h in reported}
    assert all(shown[src][0] == COLUMN_MM[0] and 38 <= shown[src][1] <= COLUMN_MM[1] for src in upright), shown
    expected = [
        (src, f"{_expected_ppi(size, shown[src]):.0f}", *(str(mm) for mm in shown[src]))
        for src, size in upright.items()
    ]
    expected += [("images/photo.jpg", f"{_expected_ppi((300, 420), BLEED_PAGE_MM):.0f}", "154", "216")] * 2
    assert sorted((src, ppi, w, h) for src, _page, ppi, w, h in reported) == sorted(expected)
    # The cover fit makes the difference: the panorama fills the box's height at 73 ppi and overflows its
    # width (at the column's width it would be 133 ppi); the upright portrait fills its width at 44 ppi
    # (on its side it would be 66 ppi).
    ppi = {src: ppi for src, _page, ppi, _width, _height in reported}
    assert (ppi["images/grey.jpg"], ppi["images/rotated.jpg"]) == ("73", "44")
    # Each is on the page it names.
    document = pdfium.PdfDocument(illustrated.pdf("print"))
    for src, page, *_rest in reported:
        size = upright.get(src, (300, 420))
        assert int(page) - 1 in _pages_showing(document, size), (src, page)
    # Only print placements are reported.
    assert illustrated.stdout.count(" ppi at ") == 6


# --- refused pictures ---------------------------------------------------------------------------


def _huge(path: Path) -> None:
    assert images.MAX_PIXELS < 9000 * 9000
    _huge_png(path, 9000, 9000)


def _truncated_jpeg(path: Path) -> None:
    encoded = io.BytesIO()
    Image.linear_gradient("L").resize((400, 300)).convert("RGB").save(encoded, format="JPEG", quality=90)
    path.write_bytes(encoded.getvalue()[: len(encoded.getvalue()) // 2])


LIMIT = images.MAX_PIXELS // 1_000_000
REFUSED = [
    pytest.param(
        _huge,
        "images/huge.png",
        rf"(9000 x 9000 pixels )?is too large( to decode safely)?; save it at most {LIMIT} million pixels$",
        id="huge",
    ),
    pytest.param(
        lambda path: path.write_bytes(b"<html>not a picture</html>\n" * 20),
        "images/page.jpg",
        r"is not a picture Pillow can read; save it as JPEG or PNG$",
        id="not-a-picture",
    ),
    pytest.param(
        _truncated_jpeg,
        "images/cut.jpg",
        r"cannot be read as a picture \(.+\); export it again$",
        id="truncated",
    ),
]


@pytest.mark.parametrize(("make", "src", "message"), REFUSED)
def test_unusable_picture_is_refused_with_its_place(tmp_path, monkeypatch, cli, make, src, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "images").mkdir(parents=True)
    make(tmp_path / "data" / src)
    line, column = _small_booklet(tmp_path / "data", src)
    code, out, err = cli("build", "--data", "data", "--out", str(tmp_path / "out"), "--edition", "screen")
    assert code == 1
    assert len(err) == 2, err
    place = f"data/booklet.yaml:{line}:{column}: sections[2].image.src: "
    assert err[0].startswith(place) and re.fullmatch(message, err[0][len(place) :]), err[0]
    assert err[1] == "1 problem; nothing was written"
    assert "Traceback" not in out + "\n".join(err)
    assert not (tmp_path / "out" / "booklet-screen.pdf").exists()


def test_large_picture_under_the_limit_builds_without_warnings(tmp_path):
    data = tmp_path / "data"
    (data / "images").mkdir(parents=True)
    width, height = 7000, 5000  # 35 million pixels: a 45-megapixel camera gives more
    assert 30_000_000 < width * height <= images.MAX_PIXELS
    Image.new("L", (width, height), 128).save(data / "images/large.jpg", quality=80)
    _small_booklet(data, "images/large.jpg")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (built,) = booklet.build(booklet.Project(data), tmp_path / "out", ["print"])
    assert [placed.picture for placed in built.placements] == ["images/large.jpg"]
    assert [str(w.message) for w in caught] == []


def test_relative_out_folder_with_pictures(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    (data / "images").mkdir(parents=True)
    Image.linear_gradient("L").resize((300, 200)).save(data / "images/gradient.jpg")
    _small_booklet(data, "images/gradient.jpg")
    code, out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert code == 0, err
    assert (tmp_path / "out" / "booklet-screen.pdf").is_file()


# --- the cache of prepared pictures ---------------------------------------------------------------


def test_screen_copies_are_cached_by_content(tmp_path):
    data = tmp_path / "data"
    (data / "images").mkdir(parents=True)
    picture = data / "images" / "gradient.jpg"
    Image.linear_gradient("L").resize((400, 300)).convert("RGB").save(picture, quality=90)
    _small_booklet(data, "images/gradient.jpg")
    out = tmp_path / "build"
    cache = out / "cache" / "images"
    project = booklet.Project(data)

    booklet.build(project, out, ["screen"])
    (copy,) = cache.iterdir()
    assert copy.name.endswith("-screen.jpg")
    made = copy.stat().st_mtime_ns

    steps: list[str] = []
    booklet.build(project, out, ["screen"], lambda step, _seconds: steps.append(step))
    assert "preparing pictures" in steps
    assert list(cache.iterdir()) == [copy]
    assert copy.stat().st_mtime_ns == made, "an unchanged picture was prepared again"

    Image.new("RGB", (400, 300), PHOTO_RED).save(picture, quality=90)
    booklet.build(project, out, ["screen"])
    (new,) = set(cache.iterdir()) - {copy}
    assert new.name.endswith("-screen.jpg")
    assert copy.stat().st_mtime_ns == made
    # The screen edition shows the new picture.
    (shown,) = _image_xobjects(out / "booklet-screen.pdf")
    assert _close(shown.decode_as_image().convert("RGB").getpixel((10, 10)), PHOTO_RED)


def test_only_a_press_edition_lays_out_the_press_copy(tmp_path):
    """Built with a press edition, an RGB photograph has a CMYK copy for the press; an edition neither for the
    press nor light (a proof, say) lays out the picture in its own colours, turned upright if it must be."""
    press = (ROOT / "layouts" / "color" / "booklet-cmyk.icc").read_bytes()
    plain, rotated = tmp_path / "plain.jpg", tmp_path / "rotated.jpg"
    Image.new("RGB", (300, 200), RED).save(plain, quality=92)
    _rotated_jpeg(rotated)
    cache = tmp_path / "cache"
    pictures = [PlacedPicture(booklet.errors.Place(tmp_path / "d.yaml"), "photo", path) for path in (plain, rotated)]
    proof = booklet.editions.Edition("proof", "print.css")
    for _build in range(2):  # made, then found in the cache
        prepared = images.prepare(pictures, cache, "A5", press)
        assert prepared[plain].file_for(proof) == plain
        for source in (plain, rotated):
            with Image.open(prepared[source].file_for(booklet.EDITIONS["print"])) as pressed:
                assert pressed.mode == "CMYK"
            with Image.open(prepared[source].file_for(proof)) as own:
                assert own.mode == "RGB"
        with Image.open(prepared[rotated].file_for(proof)) as upright:
            assert upright.size == (200, 300) and upright.getexif().get(0x0112, 1) == 1
            assert _close(upright.getpixel((100, 20)), BLUE, 40) and _close(upright.getpixel((100, 280)), RED, 40)
        assert prepared[plain].file_for(booklet.EDITIONS["screen"]) == prepared[plain].screen_file
