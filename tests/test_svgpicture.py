"""SVG pictures from the data: labels shaped and ordered, the booklet's fonts, colours for the press, never cropped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import ROOT, build_into, edit, write
from lxml import etree
from PIL import Image, ImageChops

from booklet.preflight import preflight
from booklet.project import Project
from booklet.typeset import svgpicture, svgtext

PRESS = (ROOT / "layouts" / "color" / "booklet-cmyk.icc").read_bytes()
MAP = (ROOT / "examples" / "annual-report" / "images" / "map.svg").read_bytes()
SVG = "{http://www.w3.org/2000/svg}"


def rewritten(data: bytes, press: bytes | None = PRESS) -> etree._Element:
    return etree.fromstring(svgpicture._rewritten("map.svg", data, press))  # noqa: SLF001


def test_labels_are_shaped_and_in_display_order() -> None:
    texts = [t.text for t in rewritten(MAP).iter(f"{SVG}text")]
    assert svgtext.visual("الشمال") in texts
    assert svgtext.visual("الجنوب (UNHCR)") in texts
    assert "الشمال" not in texts


def test_every_font_is_the_booklets_and_every_colour_cmyk_for_the_press() -> None:
    root = rewritten(MAP)
    assert root.get("font-family") == '"Booklet Naskh", "Booklet Sans"'
    assert {t.get("font-family") for t in root.iter(f"{SVG}g") if t.get("font-family")} == {root.get("font-family")}
    colours = [e.get(k) for e in root.iter() for k in ("fill", "stroke") if e.get(k) not in (None, "none")]
    assert colours and all(c.startswith("device-cmyk(") for c in colours), colours
    assert root.get("fill") == "device-cmyk(0 0 0 1)"
    # The screen edition keeps the drawing's own colours.
    assert rewritten(MAP, None).find(f"{SVG}rect").get("fill") == "#eef2f5"


def test_style_colours_and_fonts_are_rewritten_too() -> None:
    data = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>.a { fill: rebeccapurple; }</style>'
        b'<text x="1" y="5" style="font-family: Arial; fill: rgb(10, 20, 30)">'
        b"\xd8\xb9\xd9\x85\xd8\xa7\xd9\x86</text></svg>"
    )
    root = rewritten(data)
    assert "device-cmyk(" in root.find(f"{SVG}style").text
    style = root.find(f"{SVG}text").get("style")
    assert "Arial" not in style
    assert "fill: device-cmyk(" in style


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<image href="photo.jpg" width="5" height="5"/>',
            "map.svg, line 1: <image> puts a picture or HTML inside the drawing",
        ),
        ('<text x="1 2 3 4" y="5">عمان</text>', 'map.svg, line 1: the label «عمان» places each letter (x="1 2 3 4")'),
        ('<text x="1" y="5">عمان <tspan>الشرق</tspan></text>', "map.svg, line 1: the label «عمان» mixes its own text"),
        ('<rect fill="blau" width="1" height="1"/>', "map.svg, line 1: the colour 'blau' is not one a drawing can use"),
    ],
)
def test_what_cannot_be_made_right_is_named_with_what_to_change(body: str, message: str) -> None:
    data = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{body}</svg>'.encode()
    with pytest.raises(svgpicture.Unusable, match=message.replace("(", r"\(").replace(")", r"\)")):
        rewritten(data)


def test_a_map_in_a_chapter_is_whole_in_its_own_proportions_and_passes_the_press_check(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "images").mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "annual-report" / "images" / "map.svg", data / "images" / "map.svg")
    picture = "    image:\n      src: images/map.svg\n      alt: خريطة المناطق الثلاث\n"
    write(data, edit("    title: بناء القدرات\n", "    title: بناء القدرات\n" + picture))
    built = build_into(data, tmp_path / "out")
    report = preflight(built.out, Project(data, root=ROOT))
    assert not report.errors, [r.detail for r in report.errors]
    # Drawn whole at the map's own 4:3, not cut to a band: the box of its background colour (#eef2f5) on the page.
    document = pdfium.PdfDocument(built.pdfs["screen"])
    page = document[1].render(scale=2).to_pil().convert("RGB")
    document.close()
    red, green, blue = ImageChops.difference(page, Image.new("RGB", page.size, (238, 242, 245))).split()
    mask = ImageChops.lighter(ImageChops.lighter(red, green), blue).point(lambda v: 1 if v < 4 else 0)
    pixels = mask.load()
    # Rows and columns where the ground is a run of the picture, not a stray anti-aliased pixel.
    rows = [y for y in range(page.height) if sum(pixels[x, y] for x in range(page.width)) > page.width // 10]
    columns = [x for x in range(page.width) if sum(pixels[x, y] for y in range(page.height)) > page.height // 10]
    left, top, right, bottom = columns[0], rows[0], columns[-1] + 1, rows[-1] + 1
    assert abs((right - left) / (bottom - top) - 4 / 3) < 0.03
    # and every label is on the page, shaped
    text = built.page_texts("print")[1]
    for label in ("الشمال", "الوسط", "UNHCR"):
        assert svgtext.visual(label) in text or label in text, label
