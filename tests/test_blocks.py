"""Chapter blocks, read back from the real PDFs of tests/blocks/booklet.yaml (a booklet that uses every
block), and their validation as exact (data, message) pairs."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import FILE, MINIMAL, ROOT, build_into, edit, problems_of, western, write
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

import booklet
from booklet.data import blocks, tables
from booklet.data.markup import to_html
from booklet.data.numbers import Numbering

sys.path.insert(0, str(ROOT / "tests" / "blocks"))
from pictures import FRAME, SIZES, make_pictures  # noqa: E402

FIXTURE = ROOT / "tests" / "blocks" / "booklet.yaml"
KINDS = "text, figures, chart, table, picture, gallery, testimonial, case"
MM = 72 / 25.4


def fixture_data(folder: Path, page_size: str = "A5") -> Path:
    """A data folder with the blocks booklet and its pictures."""
    folder.mkdir(parents=True)
    text = FIXTURE.read_text(encoding="utf-8").replace("page_size: A5", f"page_size: {page_size}")
    (folder / "booklet.yaml").write_text(text, encoding="utf-8")
    make_pictures(folder / "images")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - conftest.Built
    tmp = tmp_path_factory.mktemp("blocks")
    return build_into(fixture_data(tmp / "data"), tmp / "build")


def _struct(pdf: Path) -> list[tuple[int, str, DictionaryObject]]:
    """The screen edition's structure elements in document order, with their depth."""
    found = []

    def walk(node, depth: int) -> None:  # noqa: ANN001 - pypdf objects
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return
        if "/S" in node:
            found.append((depth, str(node["/S"]), node))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid, depth + 1)

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"], 0)
    return found


def _children(elements: list, index: int) -> list[str]:
    """The tags directly under elements[index]."""
    depth = elements[index][0]
    kids = []
    for d, tag, _ in elements[index + 1 :]:
        if d <= depth:
            break
        if d == depth + 1:
            kids.append(tag)
    return kids


# --- reading the PDF back -------------------------------------------------------------------------


def test_blocks_print_in_the_writers_order(built):
    text = western("".join(built.page_texts("screen")))
    order = [
        "بدأ العام بموجة برد قاسية",
        "ما الذي قدمناه",
        "خزانات مياه للمنازل",
        "خطوات التوزيع",
        "حصر الأسر الأشد حاجة",
        "لا تنمية من دون ماء نظيف",
        "ولا يزال العمل مستمرا",
        "توزيع خزانات المياه",
        "المحافظات التي وصلتها البرامج",
        "صورة بنصف عرض النص",
        "صورة صغيرة داخل النص",
        "كنا نحمل الماء من بعيد",
        "أم خالد",
        "قصة: مدرسة الأمل في إربد",
        "ساحة المدرسة بعد الإصلاح",
        "لجنة من الأهالي تتابع الصيانة",
        "يعرض الجدول التالي",
        "الإيرادات والنفقات حسب المحافظة",
        "المانحون",
        "النفقات حسب البرنامج",
        "من الميدان",
        "فصل بلا كتل يبقى كما كان",
    ]
    texts = built.page_texts("screen")
    pages = [_page_of(texts, western(piece)) for piece in order]
    assert pages == sorted(pages)
    # Within a page, text in the flow reads in order (positioned cards and floats are painted
    # after the text around them, so only the rich text is compared here).
    positions = [text.find(western(piece)) for piece in order[:7]]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_numbered_list_counts_in_the_booklets_digits(built):
    # pdftotext (poppler) reads list markers, which PDFium leaves out; it writes each line in
    # visual order between direction marks: the marker ".١" stands right of its item.
    result = subprocess.run(["pdftotext", str(built.pdfs["screen"]), "-"], capture_output=True, text=True, check=True)
    text = re.sub("[\u200e\u200f\u202a-\u202e]", "", result.stdout)
    steps = [("١", "حصر الأسر"), ("٢", "التحقق من البيانات"), ("٣", "التوزيع عبر المراكز")]
    # A list written from 4. counts on from ٤.
    for number, item in [*steps, ("٤", "فحص الخزانات"), ("٥", "تعقيم الشبكة")]:
        assert re.search(f"\\.{number}\\s*{item}", text), item


def test_screen_edition_tags_rich_text(built):
    tags = Counter(tag for _, tag, _ in _struct(built.pdfs["screen"]))
    # Sub-headings are H2 and H3, never H1: that stays the title of the page.
    assert tags["/H1"] == 4  # the cover's title and the three chapters' titles
    # The ## sub-headings of a chapter and of the back cover, the case study's title, the old chapter's list title.
    assert tags["/H2"] == 4
    assert tags["/H3"] == 1
    assert tags["/BlockQuote"] == 3  # the > quotes of a chapter and of the back cover, and the testimonial
    elements = _struct(built.pdfs["screen"])
    lists = [i for i, (_, tag, _) in enumerate(elements) if tag == "/L"]
    numbered = next(i for i in lists if "/Lbl" in [t for _, t, _ in elements[i : i + 3]])
    assert set(_children(elements, numbered)) == {"/LI"}
    assert _children(elements, numbered + 1) == ["/Lbl", "/LBody"]


def test_screen_edition_tags_tables(built):
    elements = _struct(built.pdfs["screen"])
    tables_at = [i for i, (_, tag, _) in enumerate(elements) if tag == "/Table"]
    # The long table runs over two pages, so it is tagged in two parts; the donors' table is one.
    assert len(tables_at) >= 2
    for index in tables_at:
        parts = _children(elements, index)
        assert "/THead" in parts and "/TBody" in parts
    first = tables_at[0]
    assert _children(elements, first)[0] == "/Caption"
    head = next(i for i in range(first, len(elements)) if elements[i][1] == "/THead")
    row = head + 1
    assert elements[row][1] == "/TR"
    assert _children(elements, row) == ["/TH"] * 4
    body = next(i for i in range(head, len(elements)) if elements[i][1] == "/TBody")
    # A row: its region heads it (TH), its three numbers are data (TD).
    assert _children(elements, body + 1) == ["/TH", "/TD", "/TD", "/TD"]


def _page_of(texts: list[str], piece: str) -> int:
    return next(i for i, text in enumerate(texts) if piece in western(text))


def test_table_head_repeats_on_the_next_page(built):
    texts = built.page_texts("screen")
    first = _page_of(texts, "عمان 2022")
    last = _page_of(texts, "الطفيلة 2023")
    assert last == first + 1, "the table of 24 rows runs onto one more page in this fixture"
    for page in (first, last):
        lines = [western(line) for line in texts[page].splitlines() if line.strip()]
        head = next(i for i, line in enumerate(lines) if "المحافظة" in line)
        assert all(word in " ".join(lines[head : head + 2]) for word in ("الإيرادات", "النفقات", "نسبة الإنفاق"))
    # The totals close the table once, on its last page.
    assert sum("المجموع" in western(t) for t in texts) == 1
    assert "المجموع" in western(texts[last])


def test_table_numbers_are_written_in_the_booklets_digits(built):
    text = " ".join("".join(built.page_texts("screen")).split())
    assert "٢٧٬٩١٩" in text  # "27,919" in the data
    assert "١٧٬٠٣٠" in text  # 17030: grouped
    assert "٦١٫٠" in text and "٪" in text  # 61.0%
    assert "١٥٠٬٠٠٠٫٠" in text  # the column's one decimal, so digits line up with 1250.5
    # Grouped as the column's other numbers (١٥٠٬٠٠٠٫٠), so that it reads alike and its digits align.
    assert "١٬٢٥٠٫٥" in text and "١٢٥٠٫٥" not in text
    assert "٢٠٢٢" in text and "٢٬٠٢٢" not in text  # a year column is never grouped


def test_numbers_stand_flush_right_in_their_column(built):
    # Flush right whatever the page's direction: the units of every row line up.
    document = pdfium.PdfDocument(built.pdfs["screen"])
    try:
        texts = built.page_texts("screen")
        page = document[_page_of(texts, "عمان 2022")]
        textpage = page.get_textpage()
        rights = []
        for value in ("٢٧٬٩١٩", "٣٥٬٨٣٨", "٤٣٬٧٥٧"):
            searcher = textpage.search(value)
            start, count = searcher.get_next()
            boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
            rights.append(max(box[2] for box in boxes))
        assert max(rights) - min(rights) < 0.5  # points
    finally:
        document.close()


def test_a_columns_separators_align(built):
    # The donors' column holds ١٥٠٬٠٠٠٫٠ and ١٬٢٥٠٫٥: grouped alike, their decimal and thousands
    # separators stand one above the other (an ungrouped ١٢٥٠٫٥ would put a digit under the ٬).
    document = pdfium.PdfDocument(built.pdfs["screen"])
    try:
        texts = built.page_texts("screen")
        textpage = document[_page_of(texts, "صندوق التنمية")].get_textpage()
        centres = {}
        for value in ("١٥٠٬٠٠٠٫٠", "١٬٢٥٠٫٥"):
            start, count = textpage.search(value).get_next()
            boxes = {value[i]: textpage.get_charbox(start + i) for i in range(count) if value[i] in "٬٫"}
            centres[value] = {sign: (box[0] + box[2]) / 2 for sign, box in boxes.items()}
        for sign in "٬٫":
            assert abs(centres["١٥٠٬٠٠٠٫٠"][sign] - centres["١٬٢٥٠٫٥"][sign]) < 0.5, sign  # points
    finally:
        document.close()


def _image_rects(document: pdfium.PdfDocument, index: int) -> list[tuple[float, float, float, float]]:
    import pypdfium2.raw as pdfium_c

    page = document[index]
    return [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4)]


def test_contain_shows_the_whole_picture(built):
    # The map is drawn whole, at its own proportions, inside the text column: nothing is cut.
    document = pdfium.PdfDocument(built.pdfs["screen"])
    try:
        texts = built.page_texts("screen")
        index = _page_of(texts, "المحافظات التي وصلتها البرامج")
        width, _ = document[index].get_size()
        map_ratio = SIZES["map.png"][0] / SIZES["map.png"][1]
        rects = _image_rects(document, index)
        whole = [r for r in rects if abs((r[2] - r[0]) / (r[3] - r[1]) - map_ratio) < 0.01]
        assert whole, rects
        left, _, right, _ = whole[0]
        assert left >= 14 * MM - 1 and right <= width - 14 * MM + 1
        # Its frame is seen on both sides.
        bitmap = document[index].render(scale=1).to_pil().convert("RGB")
        middle = (whole[0][1] + whole[0][3]) / 2
        y = round(bitmap.height - middle)
        for x in (round(left) + 2, round(right) - 3):
            assert all(abs(a - b) < 40 for a, b in zip(bitmap.getpixel((x, y)), FRAME, strict=True))
    finally:
        document.close()


def test_an_svg_drawing_is_never_cropped_unless_asked(data):
    # Left out, fit is cover for a photograph and contain for an SVG drawing.
    pictures = [("diagram.svg", "رسم", ""), ("wide.jpg", "صورة", ""), ("diagram.svg", "رسم مقصوص", "cover")]
    write(
        data,
        with_blocks(
            "".join(
                f"      - picture:\n          src: images/{src}\n          alt: {alt}\n"
                + (f"          fit: {fit}\n" if fit else "")
                for src, alt, fit in pictures
            )
        ),
    )
    result = build_into(data, data.parent / "build", ["screen"])
    html = (result.out / "booklet.html").read_text(encoding="utf-8")
    shown = re.findall(r'<figure class="picture ([^"]*)">\s*<img src="[^"]*" alt="([^"]*)"', html)
    assert [(alt, classes.split()[1]) for classes, alt in shown] == [
        ("رسم", "picture--contain"),
        ("صورة", "picture--cover"),
        ("رسم مقصوص", "picture--cover"),
    ]


def test_gallery_reads_from_the_right(built):
    document = pdfium.PdfDocument(built.pdfs["screen"])
    try:
        texts = built.page_texts("screen")
        index = next(i for i, t in enumerate(texts) if "متطوعة" in t and "الحملة" in t)
        page = document[index].get_textpage()
        lefts = {}
        for caption in ("العاصمة", "الشمال", "الحملة", "متطوعة"):
            start, _ = page.search(caption).get_next()
            lefts[caption] = page.get_charbox(start)[0]
        # Two across: the first picture of each row on the right.
        assert lefts["العاصمة"] > lefts["الشمال"]
        assert lefts["الحملة"] > lefts["متطوعة"]
    finally:
        document.close()


def test_every_picture_of_every_block_is_prepared(tmp_path, monkeypatch):
    data = fixture_data(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    validated = booklet.check(booklet.Project(data))
    places = {picture.where for picture in validated.pictures}
    assert {
        "sections[2].blocks[3].picture.src",
        "sections[2].blocks[4].src",
        "sections[2].blocks[9].testimonial.portrait.src",
        "sections[2].blocks[10].picture.src",
        "sections[3].blocks[5].gallery[4].src",
        "sections[3].blocks[6].pictures[3].src",
    } <= places


@pytest.mark.parametrize("page_size", ["A4"])
def test_blocks_build_on_a4(tmp_path, page_size):
    data = fixture_data(tmp_path / "data", page_size)
    result = build_into(data, tmp_path / "build", ["screen"])
    texts = [western(t) for t in result.page_texts("screen")]
    assert any("المانحون" in t for t in texts)
    # On A4 the long table ends at a page's foot: its totals take its last row along, never
    # standing alone under the repeated head.
    totals = next(i for i, t in enumerate(texts) if "المجموع" in t)
    assert "الطفيلة 2023" in texts[totals]
    # The text beside a half picture has the width the picture leaves it (about 85 mm on A4), not a sliver
    # of the running text's narrower measure.
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(result.pdfs["screen"])
    try:
        number = next(i for i, t in enumerate(texts) if "صورة بنصف عرض النص" in t)
        textpage = document[number].get_textpage()
        start, count = textpage.search("صنابير", match_whole_word=False).get_next()
        top = textpage.get_charbox(start)[3]
        line = [
            textpage.get_charbox(i)
            for i in range(textpage.count_chars())
            if abs(textpage.get_charbox(i)[3] - top) < 1 and textpage.get_text_range(i, 1).strip()
        ]
        left, right = min(b[0] for b in line), max(b[2] for b in line)
        assert (right - left) / 72 * 25.4 > 60, (right - left) / 72 * 25.4
        # ... and beside the picture, on the same level, not pushed under it.
        pictures = [o.get_bounds() for o in document[number].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
        assert any(b[1] < top < b[3] and (b[0] >= right or b[2] <= left) for b in pictures), (pictures, top)
    finally:
        document.close()


def test_print_edition_paints_blocks_in_cmyk_only(built):
    # Table rules and zebra, quote rules and boxes take their CMYK values from print.css.
    from test_pdf import _colour_operators

    operators = _colour_operators(built.reader("print"))
    assert not operators & {b"rg", b"RG"}, operators


def test_chapter_without_blocks_is_unchanged(built):
    html = (built.out / "booklet.html").read_text(encoding="utf-8")
    old = html[html.index("فصل بالحقول القديمة") :]
    assert '<div class="prose"><p>فصل بلا كتل يبقى كما كان.</p>' in old
    assert 'class="block' not in old


# --- rich text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("# أ", '<h2 class="sub-heading">أ</h2>\n'),
        ("## أ", '<h2 class="sub-heading">أ</h2>\n'),
        ("### أ", '<h3 class="sub-heading">أ</h3>\n'),
        ("#### أ", '<h3 class="sub-heading">أ</h3>\n'),
        ("- أ\n- ب", '<ul class="rich-list">\n<li>أ</li>\n<li>ب</li>\n</ul>\n'),
        ("1. أ", '<ol class="rich-list">\n<li>أ</li>\n</ol>\n'),
        (
            "3. أ",
            '<ol start="3" class="rich-list" style="counter-reset: list-item 2">\n<li>أ</li>\n</ol>\n',
        ),
        ("> أ", '<blockquote class="rich-quote">\n<p>أ</p>\n</blockquote>\n'),
        ("<b>أ</b>", "<p>&lt;b&gt;أ&lt;/b&gt;</p>\n"),
        ("نص عادي", "<p>نص عادي</p>\n"),
    ],
)
def test_markdown(markdown, html):
    assert to_html(markdown) == html


def test_markdown_nesting_is_bounded():
    html = to_html(">" * 200 + " أ")
    assert html.count("<blockquote") <= 20


# --- cells ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("1250000", (Decimal(1250000), 0, False)),
        ("1,250,000", (Decimal(1250000), 0, False)),
        ("١٬٢٥٠٬٠٠٠", (Decimal(1250000), 0, False)),
        ("12.5%", (Decimal("12.5"), 1, True)),
        ("٤٥٪", (Decimal(45), 0, True)),
        ("-3", (Decimal(-3), 0, False)),
        ("1,25", None),
        ("عمان", None),
        ("12 شهرا", None),
    ],
)
def test_number_of_a_cell(cell, number):
    assert tables.number_of(cell) == number


def _wide(columns: int, cell: str) -> dict:
    table = blocks.Table(type="table", caption="ج", header=["عمود"] * columns, rows=[[cell] * columns])
    return tables.view(table, Numbering("arabic-indic"))


def test_a_wide_table_steps_down_its_type_to_fit_the_page():
    assert tables.type_size(_wide(4, "1234567"), "A5") == 9
    assert tables.type_size(_wide(8, "12345"), "A5") == 8
    assert tables.type_size(_wide(8, "12345"), "A4") == 9
    assert tables.type_size(_wide(12, "1234567"), "A5") is None


def test_years_heading_columns_print_in_the_booklets_digits():
    table = blocks.Table(type="table", caption="ج", header=["البند", "2022", "٢٠٢٣"], rows=[["منح", "1250000", "5"]])
    view = tables.view(table, Numbering("arabic-indic"))
    assert [c.text for c in view["head"]] == ["البند", "٢٠٢٢", "٢٠٢٣"]
    assert [c.text for c in view["body"][0]] == ["منح", "١٬٢٥٠٬٠٠٠", "٥"]


@pytest.mark.parametrize(
    ("column", "totals", "shown"),
    [
        # The totals' ١٨٬٤٠٠ groups the four-digit values above it.
        (["5,600", "6300", "٤١٠٠", "12"], "18,400", ["٥٬٦٠٠", "٦٬٣٠٠", "٤٬١٠٠", "١٢", "١٨٬٤٠٠"]),
        # None of five digits: four digits stay one word, as everywhere in the booklet.
        (["5,600", "6300", "٤١٠٠", "12"], "9,999", ["٥٦٠٠", "٦٣٠٠", "٤١٠٠", "١٢", "٩٩٩٩"]),
        # A blank and a dash stand among the numbers; decimals pad to the column's.
        (["1250.5", "—", "", "150000"], "151250.5", ["١٬٢٥٠٫٥", "—", "", "١٥٠٬٠٠٠٫٠", "١٥١٬٢٥٠٫٥"]),
        # Years are never grouped, whatever their neighbours.
        (["2019", "2023", "2024", "2025"], "2025", ["٢٠١٩", "٢٠٢٣", "٢٠٢٤", "٢٠٢٥", "٢٠٢٥"]),
    ],
)
def test_a_numeric_column_is_grouped_alike(column, totals, shown):
    rows = [["بند", cell] for cell in column]
    table = blocks.Table(type="table", caption="ج", header=["البند", "العدد"], rows=rows, totals=["المجموع", totals])
    view = tables.view(table, Numbering("arabic-indic"))
    assert [row[1].text for row in [*view["body"], view["foot"]]] == shown


def test_a_column_with_a_word_is_text():
    table = blocks.Table(type="table", caption="ج", header=["أ", "ب"], rows=[["1", "2"], ["3", "لا يوجد"]])
    view = tables.view(table, Numbering("western"))
    assert [c.numeric for c in view["head"]] == [True, False]
    assert [c.text for c in view["body"][1]] == ["3", "لا يوجد"]


# --- validation -----------------------------------------------------------------------------------

CHAPTER = "    title: بناء القدرات\n"


def with_blocks(lines: str) -> str:
    return edit(CHAPTER, CHAPTER + "    blocks:\n" + lines)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "data"
    (folder / "images").mkdir(parents=True)
    make_pictures(folder / "images")
    return folder


P = "sections[2].blocks"
ROW = 'give every row 3 cells (write "" for an empty one)'

CASES = [
    pytest.param(with_blocks("      - text: نص\n"), [], id="text-shorthand"),
    pytest.param(with_blocks("      - type: text\n        body: نص\n"), [], id="text-typed"),
    pytest.param(
        with_blocks("      - txt: نص\n"),
        [f"{FILE}:10:9: {P}[1].txt: unknown block 'txt'; did you mean 'text'? (types: {KINDS})"],
        id="unknown-block-key",
    ),
    pytest.param(
        with_blocks("      - type: tabel\n"),
        [f"{FILE}:10:15: {P}[1].type: unknown block type 'tabel'; did you mean 'table'? (types: {KINDS})"],
        id="unknown-block-type",
    ),
    pytest.param(
        with_blocks("      - body: نص\n"),
        [f"{FILE}:10:9: {P}[1].body: unknown block 'body' (types: {KINDS})"],
        id="block-without-type",
    ),
    pytest.param(
        with_blocks("      - text: نص\n        caption: x\n"),
        [
            f"{FILE}:10:9: {P}[1].text: a block has one key naming its kind; write 'type: text' with the other "
            "keys beside it, or indent them under 'text:'"
        ],
        id="kind-key-beside-fields",
    ),
    pytest.param(
        with_blocks("      - 5\n"),
        [
            f"{FILE}:10:9: {P}[1]: expected a block: a map starting with 'type' (one of {KINDS}), or one key "
            "naming the kind such as '- text: ...', found '5'"
        ],
        id="block-not-a-map",
    ),
    pytest.param(
        edit(CHAPTER, CHAPTER + "    body: نص\n    blocks:\n      - text: نص\n"),
        [
            f"{FILE}:9:11: sections[2].body: this chapter has blocks, so its body goes among them: write it "
            "as '- text: ...' in blocks, where it should stand"
        ],
        id="body-beside-blocks",
    ),
    pytest.param(
        edit(CHAPTER, CHAPTER + "    blocks: []\n"),
        [f"{FILE}:9:13: sections[2].blocks: is empty; list the chapter's blocks, or remove the key"],
        id="empty-blocks",
    ),
    pytest.param(
        with_blocks(
            "      - table:\n          caption: ج\n          header: [أ, ب, ج]\n"
            "          rows:\n            - [1, 2]\n            - [1, 2, 3, 4]\n          totals: [1]\n"
        ),
        [
            f"{FILE}:14:15: {P}[1].table.rows[1]: has 2 cells, the header has 3; {ROW}",
            f"{FILE}:15:15: {P}[1].table.rows[2]: has 4 cells, the header has 3; {ROW}",
            f"{FILE}:16:19: {P}[1].table.totals: has 1 cell, the header has 3; {ROW}",
        ],
        id="rows-of-different-lengths",
    ),
    pytest.param(
        with_blocks("      - table:\n          caption: ج\n          header: [أ]\n          rows: []\n"),
        [f"{FILE}:13:17: {P}[1].table.rows: is empty; a table needs at least one row"],
        id="empty-table",
    ),
    pytest.param(
        with_blocks("      - table:\n          caption: ج\n          header: []\n          rows: [[1]]\n"),
        [f"{FILE}:12:19: {P}[1].table.header: is empty; name each column, as in [البند, ٢٠٢٣]"],
        id="table-without-header",
    ),
    pytest.param(
        with_blocks(
            "      - table:\n          caption: ج\n          header: [" + ", ".join("أ" * 13) + "]\n"
            "          rows: [[" + ", ".join("1" * 13) + "]]\n"
        ),
        [
            f"{FILE}:12:19: {P}[1].table.header: has 13 columns; a table holds at most 12 on a page: "
            "split it into two tables"
        ],
        id="table-of-13-columns",
    ),
    pytest.param(
        with_blocks(
            "      - table:\n          caption: ج\n          header: [" + ", ".join(["عمود"] * 12) + "]\n"
            "          rows: [[" + ", ".join(["1234567"] * 12) + "]]\n"
        ),
        [
            f"{FILE}:12:19: {P}[1].table: is too wide for an A5 page: its 12 columns need about 177 mm even "
            "in 6.5 pt type, the text is 115 mm wide; split it into two tables of fewer columns, or shorten its "
            "longest cells and headings"
        ],
        id="table-too-wide-for-the-page",
    ),
    pytest.param(
        with_blocks("      - table:\n          caption: ج\n          header: [أ]\n          rows: [[[1]]]\n"),
        [f"{FILE}:13:19: {P}[1].table.rows[1][1]: expected text or a number for a cell, found a list"],
        id="cell-is-a-list",
    ),
    pytest.param(
        with_blocks('      - table:\n          caption: ج\n          header: [أ, ب]\n          rows: [[~, ""]]\n'),
        [],
        id="empty-cells",
    ),
    pytest.param(
        with_blocks("      - gallery:\n          - src: images/wide.jpg\n            alt: صورة\n"),
        [f"{FILE}:11:11: {P}[1].gallery: has 1 picture; a gallery shows 2 to 6: use a picture block for one"],
        id="gallery-of-1",
    ),
    pytest.param(
        with_blocks(
            "      - type: gallery\n        pictures:\n" + "          - {src: images/wide.jpg, alt: صورة}\n" * 7
        ),
        [f"{FILE}:12:11: {P}[1].pictures: has 7 pictures; a gallery shows 2 to 6: make two galleries"],
        id="gallery-of-7",
    ),
    pytest.param(
        with_blocks("      - picture:\n          src: images/missing.jpg\n          alt: صورة\n"),
        [f"{FILE}:11:16: {P}[1].picture.src: no such file 'images/missing.jpg' in data/"],
        id="missing-picture",
    ),
    pytest.param(
        with_blocks(
            "      - picture:\n          src: images/wide.jpg\n          alt: صورة\n"
            "          width: wide\n          fit: contian\n"
        ),
        [
            f"{FILE}:13:18: {P}[1].picture.width: expected one of 'full', 'half', 'inset', found 'wide'",
            f"{FILE}:14:16: {P}[1].picture.fit: expected one of 'cover', 'contain', found 'contian'; "
            "did you mean 'contain'?",
        ],
        id="picture-options",
    ),
    pytest.param(
        with_blocks("      - type: testimonial\n        quote: قول\n        name: اسم\n        rol: دور\n"),
        [
            f"{FILE}:10:9: {P}[1].role: missing; expected who the person is, such as متطوعة في برنامج الإيواء",
            f"{FILE}:13:9: {P}[1].rol: unknown key; did you mean 'role'?",
        ],
        id="testimonial-without-role",
    ),
    pytest.param(
        with_blocks("      - type: chart\n        kind: bar\n        title: ع\n        alt: و\n        items: []\n"),
        [
            f"{FILE}:11:15: {P}[1].kind: expected one of 'bars', 'dots', 'timeline', 'stacked', 'grouped', "
            "'proportion', 'line', found 'bar'; did you mean 'bars'?",
            f"{FILE}:14:16: {P}[1].items: is empty; a chart draws its items: list at least one",
        ],
        id="chart-kind",
    ),
    pytest.param(
        with_blocks("      - figures: []\n"),
        [f"{FILE}:10:18: {P}[1].figures: is empty; list at least one figure"],
        id="empty-figures",
    ),
    pytest.param(
        with_blocks("      - figures:\n          - value: 3\n            label: ورش\n            icon: uesrs\n"),
        [
            f"{FILE}:13:19: {P}[1].figures[1].icon: no icon 'uesrs' in layouts/icons/; did you mean 'users'? "
            "(184 icons, listed in ASSETS.md)"
        ],
        id="figures-block-unknown-icon",
    ),
    pytest.param(
        with_blocks("      - testimonial:\n          quote: «قول»\n          name: اسم\n          role: دور\n"),
        [
            f"{FILE}:11:18: {P}[1].testimonial.quote: is written between quotation marks; remove them: the layout "
            "sets the quote between « and »"
        ],
        id="testimonial-in-quotes",
    ),
    pytest.param(
        with_blocks("      - case: نص\n"),
        [f"{FILE}:10:15: {P}[1].case: expected its fields (title, body, picture) indented under 'case:', found 'نص'"],
        id="case-needs-fields",
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_block_messages(data, source, expected):
    write(data, source)
    assert problems_of(data) == expected


def test_a_10000_row_table_is_refused_at_once(data):
    rows = "".join("            - [أ, 1]\n" for _ in range(10_000))
    write(data, with_blocks(f"      - table:\n          caption: ج\n          header: [أ, ب]\n          rows:\n{rows}"))
    assert problems_of(data) == [
        f"{FILE}:14:13: {P}[1].table.rows: has 10,000 rows; a table holds at most 500: split it into several "
        "tables, or give the whole table as a download and print a summary"
    ]


def test_a_picture_linked_out_of_the_project_is_refused(data, tmp_path):
    outside = tmp_path / "outside.jpg"
    shutil.copy(data / "images" / "wide.jpg", outside)
    (data / "images" / "link.jpg").symlink_to(outside)
    write(data, with_blocks("      - picture:\n          src: images/link.jpg\n          alt: صورة\n"))
    assert problems_of(data) == [
        f"{FILE}:11:16: {P}[1].picture.src: 'images/link.jpg' leads outside data/ (through a link); "
        "copy the picture into data/"
    ]


def test_minimal_still_valid(data):
    write(data, MINIMAL)
    assert problems_of(data) == []


def test_a_table_head_never_stands_alone_at_the_foot_of_a_page(tmp_path, monkeypatch):
    # Text of 9 to 13 paragraphs pushes the table's start down the page, past the point where the
    # caption, the head and one row would fit at the foot: the head always takes two rows along.
    monkeypatch.chdir(tmp_path)
    rows = "".join(f"            - [بند {i}, {i * 100}]\n" for i in range(1, 9))
    split = 0
    for count in range(9, 14):
        filler = "".join("          سطر من النص يملأ الصفحة حتى يقترب الجدول من أسفلها.\n\n" for _ in range(count))
        source = with_blocks(
            f"      - text: |\n{filler}      - table:\n          caption: جدول التجربة\n"
            f"          header: [البند, المبلغ]\n          rows:\n{rows}"
        )
        data = tmp_path / str(count) / "data"
        data.mkdir(parents=True)
        write(data, source)
        texts = build_into(data, tmp_path / str(count) / "build", ["screen"]).page_texts("screen")
        page = next(i for i, text in enumerate(texts) if "جدول التجربة" in text)
        shown = len(re.findall("بند", texts[page])) - 1  # the head says البند too
        assert shown >= 2, f"{count} paragraphs: the head stands over {shown} row(s) at the foot of a page"
        split += shown < 8
    assert split, "no case split the table: move the range of paragraphs"


def _picture(width: str) -> blocks.Picture:
    return blocks.Picture(type="picture", src=Path("a.jpg"), alt="صورة", width=width)


TEXT = blocks.Text(type="text", body="نص")


@pytest.mark.parametrize(
    ("sequence", "marks"),
    [
        ([_picture("half"), TEXT, TEXT], [(True, False), (False, True), (False, False)]),
        ([_picture("inset"), _picture("half"), TEXT], [(True, True), (True, False), (False, True)]),
        ([TEXT, _picture("half")], [(False, False), (True, True)]),
        ([_picture("full"), TEXT], [(False, False), (False, False)]),
    ],
)
def test_a_picture_beside_the_text_takes_the_one_block_after_it(sequence, marks):
    assert blocks.floats(sequence) == marks


def test_the_widest_table_accepted_fits_the_text_column(tmp_path, monkeypatch):
    # Seven columns of seven-digit numbers take 7 pt type on A5: every digit stays inside the
    # text column (a number cut at the page's edge would print a wrong figure).
    monkeypatch.chdir(tmp_path)
    rows = "".join("            - [" + ", ".join([str(1234567 + i)] * 7) + "]\n" for i in range(3))
    data = tmp_path / "data"
    data.mkdir()
    header = "[" + ", ".join(["المبلغ بالدينار"] * 7) + "]"
    write(
        data,
        with_blocks(
            f"      - table:\n          caption: جدول عريض\n          header: {header}\n          rows:\n{rows}"
        ),
    )
    result = build_into(data, tmp_path / "build", ["screen"])
    assert 'class="table table--7pt"' in (result.out / "booklet.html").read_text(encoding="utf-8")
    document = pdfium.PdfDocument(result.pdfs["screen"])
    try:
        index = _page_of(result.page_texts("screen"), "جدول عريض")
        page = document[index]
        width, _ = page.get_size()
        textpage = page.get_textpage()
        table = "٠١٢٣٤٥٦٧٨٩٬المبلغ بالدينار"  # the table's characters, not the chapter's head
        boxes = [
            textpage.get_charbox(i)
            for i in range(textpage.count_chars())
            if textpage.get_text_range(i, 1) in table and textpage.get_text_range(i, 1).strip()
        ]
        assert len(boxes) > 7 * 3 * 9
        inner, outer = 14 * MM, 19 * MM  # the margins of this (left-hand) page or the next
        assert all(box[0] >= min(inner, outer) - 1 and box[2] <= width - min(inner, outer) + 1 for box in boxes)
        assert "١٬٢٣٤٬٥٦٧" in result.page_texts("screen")[index]
    finally:
        document.close()


def test_the_short_forms_of_blocks_for_the_data_schema():
    def object_of(cls: type) -> dict:
        names = [f.name for f in dataclasses.fields(cls)]
        return {"type": "object", "properties": {n: {"of": n} for n in names}, "required": ["type"]}

    forms = {
        next(iter(form["properties"])): form
        for form in blocks.written_forms(object_of, lambda hint, name: {"field": name})
    }
    assert list(forms) == list(blocks.KINDS)
    # - text: "..." or - text: {body: ...}, never with a type inside.
    text = forms["text"]["properties"]["text"]["anyOf"]
    assert text[0] == {"field": "body"}
    assert text[1] == {"type": "object", "properties": {"body": {"of": "body"}}}
    assert forms["table"]["properties"]["table"]["properties"].keys() == {"caption", "header", "rows", "totals", "note"}
    assert forms["chart"]["required"] == ["chart"] and forms["chart"]["additionalProperties"] is False


def test_pictures_of_every_block_carry_their_text_alternative(built):
    alternatives = {str(node.get("/Alt", "")) for _, tag, node in _struct(built.pdfs["screen"]) if tag == "/Figure"}
    for alt in (
        "متطوعون يفرغون شاحنة خزانات المياه",  # picture
        "خريطة المحافظات الاثنتي عشرة التي وصلتها البرامج",  # picture, contain
        "طفلة تشرب من صنبور جديد",  # half
        "شعار حملة الشتاء الدافئ",  # inset
        "سيدة مبتسمة أمام باب بيتها",  # a testimonial's portrait
        "أطفال يلعبون قرب الخزانات الجديدة",  # a case study's picture
        "توزيع المساعدات في العاصمة",  # a gallery's
        "الخريطة",  # a second gallery's
        "أعمدة تقارن نفقات المياه والإيواء والتعليم.",  # a chart block
    ):
        assert alt in alternatives, alt


@pytest.mark.parametrize(
    "together",
    [
        ("كنا نحمل الماء من بعيد", "أم خالد", "ربة أسرة من المفرق"),  # a testimonial
        ("العاصمة", "تصوير سلمى", "الحملة", "متطوعة"),  # a gallery's captions and credit
    ],
)
def test_testimonials_and_galleries_never_split(built, together):
    texts = [western(t) for t in built.page_texts("screen")]
    pages = {next((i for i, t in enumerate(texts) if western(piece) in t), None) for piece in together}
    assert len(pages) == 1 and None not in pages


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    value=st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False),
    places=st.integers(min_value=0, max_value=3),
    percent=st.booleans(),
    digits=st.sampled_from(["arabic-indic", "western"]),
    grouped=st.booleans(),
)
def test_a_formatted_cell_reads_back_as_its_number(value, places, percent, digits, grouped):
    # What a cell prints is what a writer could type: it reads back as the same number.
    value = value.quantize(Decimal(1).scaleb(-places))
    # (Years, printed ungrouped, are whole numbers from 1800 to 2199: test_table_numbers_... has them.)
    text = tables.format_number(value, places, percent, Numbering(digits, thousands_separator=grouped))
    assert tables.number_of(text) == (value, places, percent)


def test_the_tagged_structure_of_the_blocks_passes_the_preflight(built):
    # Lists, tables, quotes and every picture of the blocks, as the preflight reads the screen edition.
    import pikepdf

    from booklet.preflight import pdfchecks

    with pikepdf.open(built.pdfs["screen"]) as pdf:
        rows = pdfchecks.tagging(pdf)
    assert rows and all(status == "ok" for _, status, _ in rows), rows
