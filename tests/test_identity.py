"""The booklet's identity, read back from the PDFs: logos, partner logos, section colours,
unnumbered sections, parts in the contents, links in print and on screen, the icon set.

Most tests build tests/identity/ (a booklet that uses every one of these fields)
once, in both editions, and look at its pages' text, pixels and PDF objects.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import segno
from conftest import FILE, ROOT, Built, build_into, edit, problems_of, write
from PIL import Image

import booklet
from booklet.design import printlinks as links
from booklet.preflight import preflight

FIXTURE = ROOT / "tests" / "identity"
#: Colours of the fixture's SVG logos and of the palette, as the screen edition draws them.
PURPLE_LOGO = (0x5B, 0x2A, 0x86)
TEAL_LOGO = (0x00, 0x75, 0x6F)
TEAL = (0x00, 0x75, 0x6F)  # --palette-teal
ORANGE = (0xC2, 0x41, 0x0C)  # --palette-orange
#: A colour no token of the design uses: the PNG logo's.
LOGO_PNG = (230, 20, 160)


def _copy(tmp_path: Path, png_logo: bool = False) -> Path:
    data = Path(shutil.copytree(FIXTURE, tmp_path / "data"))
    if png_logo:
        Image.new("RGB", (600, 200), LOGO_PNG).save(data / "organisation.png")
        source = (data / "booklet.yaml").read_text(encoding="utf-8")
        (data / "booklet.yaml").write_text(source.replace("logo: organisation.svg", "logo: organisation.png"), "utf-8")
    return data


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Both editions of tests/identity/, with its organisation's logo as a PNG."""
    tmp = tmp_path_factory.mktemp("identity")
    return build_into(_copy(tmp, png_logo=True), tmp / "out")


def _page(pdf: Path, index: int, scale: float = 1.0) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[index].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def _count(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 6) -> int:
    """How many pixels of ``image`` are ``colour``, give or take ``tolerance`` on each channel."""
    return sum(
        count
        for count, pixel in image.getcolors(image.width * image.height)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
    )


def _texts(built: Built, edition: str) -> list[str]:
    return built.page_texts(edition)


def _index(texts: list[str], words: str) -> int:
    return next(i for i, text in enumerate(texts) if words in text)


# --- logos ------------------------------------------------------------------------------------------


def test_the_preflight_passes_both_editions(identity):
    """Logos, partner logos, QR codes and colours leave nothing for the press or a screen reader to refuse."""
    report = preflight(identity.out, booklet.Project(identity.out.parent / "data"))
    assert report.errors == []
    # Logos whose name is printed beside them are decoration: no figure repeats its text.
    assert not [row for row in report.warnings if row.check == "tagging"]


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_the_organisations_logo_is_on_the_cover_and_the_back_cover(identity, edition):
    reader = identity.reader(edition)
    pages = [0, len(reader.pages) - 1]
    for index in pages:
        images = reader.pages[index].images
        assert len(images) == 1, f"page {index + 1}: {len(images)} pictures"
        width, height = images[0].image.size
        assert width / height == pytest.approx(3, rel=0.02)  # the 600 x 200 logo (the screen's at 150 ppi)
        if edition == "print":
            assert (width, height) == (600, 200)  # the logo itself, never cut down for the press
    # The logo is painted whole, inside its box: its colour fills a 3:1 area in the screen edition.
    if edition == "screen":
        for index in pages:
            assert _count(_page(identity.pdfs[edition], index), LOGO_PNG, 30) > 2000


def test_partner_logos_are_drawn_in_a_grid_with_their_names(identity):
    texts = _texts(identity, "screen")
    page = _index(texts, "الجهات المانحة")
    for name in ("صندوق التنمية", "مؤسسة الخير", "مبادرة الشباب", "جمعية النور"):
        assert name in texts[page]
    image = _page(identity.pdfs["screen"], page, scale=2)
    assert _count(image, PURPLE_LOGO) > 500  # the square logo
    assert _count(image, TEAL_LOGO) > 100  # the wide logo
    # Right to left: the first partner's logo (the wide one, teal) is right of the third (square, purple).
    teal = [x for x in range(image.width) if _column_has(image, x, TEAL_LOGO)]
    purple = [x for x in range(image.width) if _column_has(image, x, PURPLE_LOGO)]
    assert min(teal) > max(purple)


def _column_has(image: Image.Image, x: int, colour: tuple[int, int, int]) -> bool:
    column = image.crop((x, 0, x + 1, image.height))
    return _count(column, colour) > 3


def test_forty_partner_logos_fill_rows_and_stay_on_their_pages(tmp_path):
    data = _copy(tmp_path)
    items = "".join(f"          - name: شريك رقم {i}\n            logo: logos/square.svg\n" for i in range(40))
    source = (data / "booklet.yaml").read_text(encoding="utf-8")
    start = source.index("          - name: صندوق التنمية")
    end = source.index("          - مبادرة الشباب\n") + len("          - مبادرة الشباب\n")
    write(data, source[:start] + items + source[end:])
    built = build_into(data, tmp_path / "out", ["screen"])
    texts = _texts(built, "screen")
    pages = [i for i, text in enumerate(texts) if "شريك رقم" in text]
    found = re.findall(r"شريك رقم (\d+|[٠-٩]+)", " ".join(texts[i] for i in pages))
    assert len(found) == 40
    # Four to a row on A5: forty logos take at least ten rows, each on the page.
    image = _page(built.pdfs["screen"], pages[0], scale=1)
    rows = {y for y in range(image.height) if _count(image.crop((0, y, image.width, y + 1)), PURPLE_LOGO) > 0}
    assert rows
    first_row = [x for x in range(image.width) if _column_has(image, x, PURPLE_LOGO)]
    columns = sum(1 for a, b in zip(first_row, first_row[1:], strict=False) if b - a > 5) + 1
    assert columns == 4


# --- section colours ----------------------------------------------------------------------------------


def test_a_coloured_chapter_paints_its_head_and_figures_in_its_colour(identity):
    texts = _texts(identity, "screen")
    water, food = _index(texts, "مياه نظيفة"), _index(texts, "وزعنا السلال")
    water_page = _page(identity.pdfs["screen"], water, scale=2)
    food_page = _page(identity.pdfs["screen"], food, scale=2)
    assert _count(water_page, TEAL) > 2000 and _count(water_page, ORANGE) == 0
    assert _count(food_page, ORANGE) > 2000 and _count(food_page, TEAL) == 0
    # An uncoloured section keeps the brand's blue; the sample has no section colours.
    assert _count(water_page, (0x00, 0x33, 0xA0)) < _count(water_page, TEAL)


def test_a_coloured_chapters_charts_take_its_colour(identity):
    # The bars are boxes in --chart-1, which a coloured section sets to its colour (charts.css):
    # --palette-orange here, where the sample's bars are --brand.
    image = _page(identity.pdfs["screen"], _index(_texts(identity, "screen"), "وزعنا السلال"), scale=2)
    bars = image.crop((0, image.height // 2, image.width, image.height))  # the chart, under the text
    assert _count(bars, ORANGE) > 5000


def test_the_print_edition_paints_section_colours_in_cmyk(identity):
    texts = _texts(identity, "print")
    with pikepdf.open(identity.pdfs["print"]) as pdf:
        page = pdf.pages[_index(texts, "مياه نظيفة")]
        contents = page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]
        content = b"".join(part.read_bytes() for part in contents)
    assert b"1 0 0.05 0.54 scn" in content  # --palette-teal in print.css


# --- numbers and parts --------------------------------------------------------------------------------


def test_unnumbered_sections_have_no_number_and_the_others_count_on(identity):
    texts = _texts(identity, "screen")
    contents = texts[_index(texts, "المحتويات")]
    assert [n for n in ("٠١", "٠٢", "٠٣", "٠٤", "٠٥", "٠٦") if n in contents] == ["٠١", "٠٢", "٠٣", "٠٤"]
    foreword = texts[_index(texts, "تقديم")]
    assert not re.search("[٠-٩]{2}", foreword.split("تقديم")[0])
    assert "٠١" in texts[_index(texts, "مياه نظيفة")]  # the first numbered chapter is 01


def _heights(pdf: Path, index: int, words: list[str]) -> list[float]:
    """How far down page ``index`` each of ``words`` first stands (PDF points from the top)."""
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        text = page.get_textpage()
        found = []
        for word in words:
            match = text.search(word).get_next()
            assert match, f"{word!r} is not on page {index + 1}"
            found.append(page.get_height() - text.get_charbox(match[0])[3])
        return found
    finally:
        document.close()


def test_parts_are_headings_of_the_contents_before_their_sections(identity):
    texts = _texts(identity, "screen")
    page = _index(texts, "المحتويات")
    words = ["تقديم", "أبرز الأرقام", "الجزء الأول", "المياه", "الغذاء", "الجزء الثاني", "المأوى", "شركاؤنا"]
    heights = _heights(identity.pdfs["screen"], page, words)
    assert heights == sorted(heights)
    assert texts[page].count("الجزء الأول") == 1 and texts[page].count("الجزء الثاني") == 1


# --- links --------------------------------------------------------------------------------------------


def _extracted(built: Built, edition: str) -> str:
    """The text of every page as pypdf extracts it: it keeps a left-to-right address in one piece."""
    return " ".join(page.extract_text() for page in built.reader(edition).pages)


def test_print_shows_where_links_go_and_screen_keeps_them_clickable(identity):
    printed, screen = _extracted(identity, "print"), _extracted(identity, "screen")
    for address in ("example.org/ar/report", "data.example.org/water"):
        assert address in printed
        assert address not in screen
    uris = {
        annotation.get("/A", {}).get("/URI")
        for page in identity.reader("screen").pages
        for annotation in (a.get_object() for a in page.get("/Annots", []))
    }
    assert {"https://www.example.org/ar/report", "https://data.example.org/water/"} <= uris
    # The section link: its address in both editions, clickable on screen.
    assert "example.org/water" in screen and "https://www.example.org" in uris


def _black(image: Image.Image) -> int:
    return _count(image, (0, 0, 0), 40)


def test_section_links_get_a_qr_code_in_print_only(identity):
    last = len(identity.reader("print").pages) - 1
    assert _black(_page(identity.pdfs["print"], last, scale=2)) > 2000
    assert _black(_page(identity.pdfs["screen"], last, scale=2)) == 0
    water = _index(_texts(identity, "print"), "مياه نظيفة")
    assert _black(_page(identity.pdfs["print"], water, scale=2)) > 2000


def test_the_print_edition_holds_no_rgb_colour_with_logos_and_qr_codes(identity, tmp_path):
    # The SVG logos are separated for the press; the QR code is painted in black ink only.
    built = build_into(_copy(tmp_path), tmp_path / "out", ["print"])
    with pikepdf.open(built.pdfs["print"]) as pdf:
        last = pdf.pages[len(pdf.pages) - 1]
        contents = last.Contents if isinstance(last.Contents, pikepdf.Array) else [last.Contents]
        content = b"".join(part.read_bytes() for part in contents)
    assert b"0 0 0 1 scn" in content
    report = preflight(tmp_path / "out", booklet.Project(tmp_path / "data"), ["print"])
    assert report.errors == [], report.errors
    assert [row.detail for row in report.rows if row.check == "standards"][0].endswith("no RGB colour")


def test_the_qr_code_draws_the_modules_of_its_address():
    url = "https://www.example.org"
    svg = links.qr_code(url, "#000000", "#ffffff")
    matrix = segno.make(url, error="m", micro=False).matrix
    size = len(matrix)
    drawn = [[0] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)", svg):
        for dx in range(int(width)):
            drawn[int(y) - links.QUIET_ZONE][int(x) - links.QUIET_ZONE + dx] = 1
    assert drawn == [list(row) for row in matrix]
    assert f'viewBox="0 0 {size + 8} {size + 8}"' in svg


def test_a_link_whose_text_is_its_address_is_not_printed_twice():
    html = links.annotate(
        booklet.data.markup.to_html(
            "[iom.int](https://www.iom.int/) و[www.iom.int](https://iom.int) و[الموقع](https://iom.int/ar) "
            "و[البريد](mailto:info@iom.int) و[الفهرس](#section-3)"
        )
    )
    assert html.count("<span") == 2
    assert "(\u2066iom.int/ar\u2069)" in html and "(\u2066info@iom.int\u2069)" in html


# --- icons --------------------------------------------------------------------------------------------

#: What the brief of the icon set names: water, food, health, shelter, cash, education, protection...
NEEDED = [
    "droplet",
    "tools-kitchen-2",
    "first-aid-kit",
    "tent",
    "cash",
    "school",
    "shield",
    "mood-kid",
    "woman",
    "luggage",
    "walk",
    "presentation",
    "heart-handshake",
    "coins",
    "pill",
    "vaccine",
    "truck",
    "home",
    "book",
    "briefcase",
    "globe",
    "map",
    "scale",
    "hand-stop",
    "heart",
    "leaf",
    "sun",
    "plant",
    "recycle",
    "bolt",
    "wifi",
    "phone",
    "chart-bar",
    "chart-pie",
    "chart-line",
]


def test_the_icon_set_covers_humanitarian_work():
    names = booklet.design.icons.available(ROOT / "layouts")
    assert len(names) >= 100
    assert [n for n in NEEDED if n not in names] == []


def test_a_designers_own_icon_is_used_by_its_name(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "layouts", root / "layouts")
    shutil.copytree(ROOT / "fonts", root / "fonts")
    icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="9"/></svg>'
    (root / "layouts" / "icons" / "our-mark.svg").write_text(icon, encoding="utf-8")
    data = root / "data"
    data.mkdir()
    write(
        data,
        edit(
            "    title: بناء القدرات\n",
            "    title: بناء القدرات\n    figures:\n      - value: 3\n        label: فرق\n        icon: our-mark\n",
        ),
    )
    built = build_into(data, tmp_path / "out", ["screen"], root=root)
    assert "فرق" in " ".join(built.page_texts("screen"))


# --- A4 -----------------------------------------------------------------------------------------------


def test_a4_puts_more_partner_logos_in_a_row(tmp_path):
    data = _copy(tmp_path)
    source = (data / "booklet.yaml").read_text(encoding="utf-8")
    items = "".join(f"          - name: شريك {i}\n            logo: logos/square.svg\n" for i in range(12))
    start = source.index("          - name: صندوق التنمية")
    end = source.index("          - مبادرة الشباب\n") + len("          - مبادرة الشباب\n")
    write(data, "settings:\n  page_size: A4\n" + source[:start] + items + source[end:])
    built = build_into(data, tmp_path / "out", ["screen"])
    texts = built.page_texts("screen")
    image = _page(built.pdfs["screen"], _index(texts, "شريك"), scale=1)
    first_row = [x for x in range(image.width) if _column_has(image, x, PURPLE_LOGO)]
    assert sum(1 for a, b in zip(first_row, first_row[1:], strict=False) if b - a > 5) + 1 == 6


# --- validation ---------------------------------------------------------------------------------------

PALETTE = "blue, sky, teal, green, olive, sand, orange, red, maroon, purple, slate"


CHAPTER = "    title: بناء القدرات\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            edit(CHAPTER, CHAPTER + "    colour: tael\n"),
            [
                f"{FILE}:9:13: sections[2].colour: no colour 'tael' in the palette; did you mean 'teal'? "
                f"the palette: {PALETTE}"
            ],
            id="colour-misspelt",
        ),
        pytest.param(
            edit(CHAPTER, CHAPTER + "    color: Teal\n"),
            [
                f"{FILE}:9:12: sections[2].colour: no colour 'Teal' in the palette; did you mean 'teal'? "
                f"the palette: {PALETTE}"
            ],
            id="color-spelling-and-case",
        ),
        pytest.param(
            edit(CHAPTER, CHAPTER + "    colour: teal\n    color: sand\n"),
            [f"{FILE}:10:5: sections[2].colour: duplicate key (first given at line 9); keep only one"],
            id="colour-given-twice",
        ),
        pytest.param(
            edit(CHAPTER, CHAPTER + "    numbered: no\n"),
            [f"{FILE}:9:15: sections[2].numbered: expected true or false, found 'no'"],
            id="numbered-not-a-boolean",
        ),
        pytest.param(
            edit("  - kind: cover\n", "  - kind: cover\n    numbered: false\n"),
            [f"{FILE}:7:5: sections[1].numbered: unknown key; known keys: kind, kicker, tagline, image"],
            id="numbered-on-a-cover",
        ),
        pytest.param(
            edit(
                CHAPTER,
                CHAPTER + "    part: أ\n  - kind: chapter\n    title: ب\n    part: ب\n"
                "  - kind: chapter\n    title: ج\n    part: أ\n",
            ),
            [
                f"{FILE}:15:11: sections[4].part: the part 'أ' already ended at sections[2]; "
                "the sections of a part follow each other: move this section up to them, or name another part"
            ],
            id="part-scattered",
        ),
        pytest.param(
            edit(CHAPTER, CHAPTER + "    link: www.example.org\n"),
            [
                f"{FILE}:9:11: sections[2].link: 'www.example.org' is not a web address; "
                "write it whole, such as https://www.iom.int/ar"
            ],
            id="link-without-scheme",
        ),
        pytest.param(
            edit("    body: شكرا لكم\n", "    body: شكرا لكم\n    url: javascript:alert(1)\n"),
            [
                f"{FILE}:11:10: sections[3].link: 'javascript:alert(1)' is not a web address; "
                "write it whole, such as https://www.iom.int/ar"
            ],
            id="url-spelling-not-the-web",
        ),
        pytest.param(
            edit(CHAPTER, CHAPTER + f"    link: https://example.org/{'a' * 300}\n"),
            [
                f"{FILE}:9:11: sections[2].link: 'https://example.org/{'a' * 300}' is not a web address "
                "(320 characters; a QR code holds 300); write it whole, such as https://www.iom.int/ar"
            ],
            id="link-too-long-for-a-qr-code",
        ),
        pytest.param(
            edit(
                "  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير مصور عن برامج البعثة\n  logo: logo.svg\n"
            ),
            [f"{FILE}:5:9: document.logo: no such file 'logo.svg' in data/"],
            id="logo-missing",
        ),
    ],
)
def test_identity_fields_are_validated(data, source, expected):
    write(data, source)
    assert problems_of(data) == expected


def _partners(items: str) -> str:
    return edit(
        "  - kind: back-cover\n",
        "  - kind: partners\n    title: شركاؤنا\n    groups:\n      - title: المانحون\n        items:\n"
        + items
        + "  - kind: back-cover\n",
    )


def test_every_problem_of_logos_and_partners_at_once(data, tmp_path):
    (data / "photo.jpg").write_bytes(b"\xff\xd8")
    outside = tmp_path / "outside.svg"
    outside.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (data / "linked.svg").symlink_to(outside)
    items = (
        "          - name: صندوق\n            logo: photo.jpg\n"
        "          - name: مؤسسة\n            logo: linked.svg\n"
        "          - logo: x.svg\n"
        "          - name: هيئة\n            logos: x.svg\n"
        "          - جمعية\n"
    )
    subject = "  subject: تقرير مصور عن برامج البعثة\n"
    write(data, _partners(items).replace(subject, subject + "  logo: linked.svg\n"))
    assert problems_of(data) == [
        f"{FILE}:5:9: document.logo: 'linked.svg' leads outside data/ (through a link); copy the picture into data/",
        f"{FILE}:16:19: sections[3].groups[1].items[1].logo: 'photo.jpg' is not an SVG or PNG file; "
        "export the logo as SVG (best) or PNG",
        f"{FILE}:18:19: sections[3].groups[1].items[2].logo: 'linked.svg' leads outside data/ (through a link); "
        "copy the picture into data/",
        f"{FILE}:19:13: sections[3].groups[1].items[3].name: missing; "
        "expected the partner's name, printed under its logo",
        f"{FILE}:19:19: sections[3].groups[1].items[3].logo: no such file 'x.svg' in data/",
        f"{FILE}:21:13: sections[3].groups[1].items[4].logos: unknown key; did you mean 'logo'?",
    ]


def test_a_huge_or_broken_logo_is_refused_before_typesetting(data):
    Image.new("1", (9000, 8000)).save(data / "huge.png")
    (data / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    write(
        data,
        edit(
            "  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير مصور عن برامج البعثة\n  logo: huge.png\n"
        ).replace(
            "  - kind: back-cover\n",
            "  - kind: partners\n    title: ش\n    groups:\n      - title: م\n"
            "        items:\n          - name: ص\n            logo: broken.png\n  - kind: back-cover\n",
        ),
    )
    with pytest.raises(booklet.BookletError) as caught:
        booklet.build(booklet.Project(data), data.parent / "out")
    messages = [str(p) for p in caught.value.problems]
    assert messages[0] == (
        f"{FILE}:5:9: document.logo: 9000 x 8000 pixels is too large; save it at most 64 million pixels"
    )
    assert messages[1].startswith(f"{FILE}:16:19: sections[3].groups[1].items[1].logo: ")
    assert len(messages) == 2
    assert not (data.parent / "out" / "booklet-print.pdf").exists()
