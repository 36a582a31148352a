"""Kashida justification: where tatweels go, where they never go, and that no line ever moves.

The rules are checked on words alone; the layout on PDFs read back: the
sample's two editions, and a fixture page of our own (fixed text and CSS)
whose pictures are kept in tests/reference/kashida/ (`make update-references`
redraws them, as for the sample's pages).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import weasyprint
from conftest import ROOT, Built, page_texts
from fontTools.ttLib import TTFont
from PIL import Image
from test_visual import UPDATE, compare, reference_picture

from booklet.tools import spreads
from booklet.typeset import kashida
from booklet.typeset.kashida_rules import JOINING, TATWEEL, Point, kashida_point, lengthen, share

FONTS = ROOT / "fonts"
REFERENCES = ROOT / "tests" / "reference" / "kashida"
DIFFS = ROOT / "tests" / "output" / "visual-diff" / "kashida"

# The rules, on words -------------------------------------------------------


def test_the_joining_table_is_unicodes() -> None:
    """The letters' joining types and groups are those of Unicode's ArabicShaping.txt (Debian's unicode-data)."""
    shaping = Path("/usr/share/unicode/ArabicShaping.txt")
    assert shaping.is_file(), "install Debian's unicode-data (tools/system-packages test)"
    expected = {}
    for line in shaping.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            code, _name, kind, group = (field.strip() for field in line.split(";"))
            if 0x620 <= int(code, 16) <= 0x6FF:
                expected[chr(int(code, 16))] = (kind, "" if group == "No_Joining_Group" else group)
    ours = {char: value for char, value in JOINING.items() if "\u0620" <= char <= "\u06ff"}
    assert ours == expected


@pytest.mark.parametrize(
    ("word", "lengthened", "priority"),
    [
        # The W3C's Arabic layout requirements show «تنزيل» with one join chosen: before its final lam.
        ("تنزيل", "تنزيـل", 4),
        ("مستشفى", "مستشـفى", 2),  # after the last of two seen-like letters (a tie goes to the end)
        ("سلسلة", "سلسـلة", 2),  # after seen beats before teh marbuta
        ("المنظمة", "المنظمـة", 3),  # before a final teh marbuta
        ("تقدم", "تقـدم", 3),  # before dal
        ("العمال", "العمـال", 4),  # before alef
        ("الكتيب", "الكـتيب", 5),  # before a medial beh-like letter followed by yeh
        ("بيروت", "بـيروت", 5),  # ... followed by reh
        ("الجهود", "الجهـود", 6),  # before waw
        ("برامج", "برامـج", 7),  # before a final letter
        ("كتـاب", "كتــاب", 1),  # more of the tatweel the writer typed
        # From the sample booklet.
        ("الأشخاص", "الأشـخاص", 2),
        ("صندوق", "صـندوق", 2),
        ("المحتملة", "المحتملـة", 3),
        ("الاتفاق", "الاتفـاق", 4),
    ],
)
def test_where_a_kashida_goes(word: str, lengthened: str, priority: int) -> None:
    point = kashida_point(word)
    assert point is not None and point.priority == priority
    assert lengthen(word, point, 1) == lengthened


@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("قطر", "three letters: too short to lengthen"),
        ("تعد", "three letters"),
        ("وزارة", "no two letters of it join"),
        ("دارد", "no two letters of it join"),
        ("IOM", "Latin"),
        ("٢٠٢٠", "a number"),
        ("كوفيد-١٩", "a number inside"),
    ],
)
def test_where_a_kashida_never_goes(word: str, why: str) -> None:
    assert kashida_point(word) is None, why


def _before(word: str, index: int) -> str:
    """The letter before ``index`` (its marks skipped)."""
    return next(c for c in reversed(word[:index]) if unicodedata.category(c) != "Mn")


def test_never_inside_lam_alef_next_to_zwnj_or_before_a_final_yeh() -> None:
    # Lam-alef is one ligature (alreq, "Required ligatures"): never opened.
    assert kashida_point("لاجئين") == Point(3, 5)
    assert kashida_point("الإسلام") == Point(4, 2)  # after seen, not at 6 inside lam-alef
    for word in ("السلام", "العلاقات", "فلان", "الأعلام", "كلام", "الاتفاقيات", "يتلاءم"):
        point = kashida_point(word)
        assert point is None or not (_before(word, point.index) == "ل" and word[point.index] in "اأإآ"), word
    # ZWNJ (Persian «می‌خواهم», «نمی‌شود»): never on either side of it.
    for word in ("می\u200cخواهم", "نمی\u200cشود", "مس\u200cلمه", "کتاب\u200cها"):
        point = kashida_point(word)
        assert point is None or "\u200c" not in (word[point.index], _before(word, point.index)), word
    # Before a final yeh looks wrong (LibreOffice's tdf#65344): «عربي» is lengthened before its reh.
    assert kashida_point("عربي") == Point(1, 7)
    assert kashida_point("دولي") is None  # its one join is before its final yeh
    assert kashida_point("الماضي") == Point(5, 2)  # except after seen or sad, as in LibreOffice


def test_vowel_marks_stay_on_their_letters() -> None:
    """The tatweel goes after the marks of the letter before it, never between a letter and its mark."""
    for word in ("مُحَمَّد", "كِتَابٌ", "الأَطْفَالُ", "المُسْتَشْفَى"):
        point = kashida_point(word)
        assert point is not None, word
        long = lengthen(word, point, 2)
        after = long[point.index + 2 : point.index + 3]
        assert unicodedata.category(after) != "Mn", f"{long}: a mark would sit on the tatweel"
        assert long.replace(TATWEEL, "") == word
    assert lengthen("مُحَمَّد", kashida_point("مُحَمَّد"), 1) == "مُحَمَّـد"


def test_harfbuzz_may_forbid_a_point() -> None:
    """Only the indices the font lets be lengthened count: the next best point is taken, or none."""
    assert kashida_point("مستشفى", frozenset({1, 2, 3, 4, 5})) == Point(4, 2)
    assert kashida_point("مستشفى", frozenset({1, 2})) == Point(2, 2)
    assert kashida_point("مستشفى", frozenset({1, 3, 5})) is None


def test_a_line_shares_a_few_tatweels_among_a_few_words_spread_along_it() -> None:
    assert share([3, 5, 2], 0) == {}
    assert share([], 5) == {}
    assert share([4, 2, 7], 2) == {1: 2}  # one or two tatweels: one word, the best
    counts = share([2] * 12, 40)
    assert sorted(counts) == [1, 5, 9] or len(counts) == 3  # three words, one in each third of the line
    assert all(start <= i < start + 4 for i, start in zip(sorted(counts), (0, 4, 8), strict=True))
    assert sum(counts.values()) == 9 and max(counts.values()) == 3  # capped: the spaces take the rest
    assert share([7, 2, 7, 7, 3, 7], 5) == {1: 2, 4: 2, 2: 1}  # the better points get the odd tatweels
    assert share([7, 2, 7, 7, 3, 7], 4) == {1: 2, 4: 2}


@pytest.mark.parametrize("name", ["NotoNaskhArabic", "NotoKufiArabic"])
@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_the_bundled_faces_lengthen_where_harfbuzz_allows(name: str, weight: str) -> None:
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob.from_file_path(FONTS / f"{name}-{weight}.ttf")))
    glyph = font.get_nominal_glyph(ord(TATWEEL))
    assert glyph and font.get_glyph_h_advance(glyph) > 0, "the face needs a tatweel with a width"
    face = kashida._HarfBuzzFont(font, font.get_glyph_h_advance(glyph) / font.face.upem)
    for word in ("السلام", "المنظمة", "مستشفى", "تنزيل", "الأشخاص"):
        assert face.point(word) == kashida_point(word), word
    # Naskh draws lam-alef as one glyph: HarfBuzz does not mark the join inside it safe.
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(c) for c in "سلام"])
    buffer.guess_segment_properties()
    buffer.flags = hb.BufferFlags.PRODUCE_SAFE_TO_INSERT_TATWEEL
    hb.shape(font, buffer, {})
    safe = {i.cluster for i in buffer.glyph_infos if i.flags & hb.GlyphFlags.SAFE_TO_INSERT_TATWEEL}
    assert 1 in safe and 3 not in safe  # after seen yes; between lam and alef no


# The sample ----------------------------------------------------------------


def test_the_print_edition_is_justified_with_kashida_and_breaks_where_the_screen_edition_does(sample: Built) -> None:
    printed, screen = sample.page_texts("print"), sample.page_texts("screen")
    assert sum(text.count(TATWEEL) for text in printed) >= 30
    assert sum(text.count(TATWEEL) for text in screen) == 0, "the screen edition keeps plain spaces"
    assert len(printed) == len(screen)
    for number, (a, b) in enumerate(zip(printed, screen, strict=True), start=1):
        assert a.replace(TATWEEL, "").splitlines() == b.splitlines(), f"page {number}: a line broke elsewhere"


# A fixture page of our own -------------------------------------------------

TEXT = [
    "باشرت البعثة عملها في دولة قطر في سبتمبر ٢٠٢٠، أي في خضم تصدي العالم لوباء كوفيد - ١٩. "
    "الهدف والرؤية كانا نابعين من تصميمنا على دعم الأجندة الوطنية لدولة قطر والمساهمة في تنفيذ "
    "الالتزامات الدولية لمواصلة تحقيق تقدم مستمر في إدارة الهجرة، وعلى سبيل المثال أهداف التنمية "
    "المستدامة والاتفاق العالمي للهجرة.",
    "نظمت البعثة ثلاث ورش عمل مغلقة للشركاء لتحديد المجالات المحتملة للتعاون المشترك، ووقعت "
    "اتفاقيتي منح مع صندوق قطر للتنمية لدعم الأشخاص الأشد حاجة للمساعدة في شمال غرب سوريا ولبنان. "
    "كما عقدت اتفاقيتين مع الهلال الأحمر القطري وقطر الخيرية باعتبارهما شركاء منفذين لخدمات الدعم "
    "الاجتماعي والنفسي للمواطنين الأفغان الذين تم إجلاؤهم.",
]
VOWELLED = (
    "وَالشُّكْرُ لِدَوْلَةِ قَطَرَ حُكُومَةً وَشَعْبًا عَلَى مَا لَاقَتْهُ أُسْرَةُ البَعْثَةِ مِنْ تَرْحِيبٍ "
    "وَحُسْنِ اسْتِقْبَالٍ وَأَبْوَابٍ مَفْتُوحَةٍ، وَالمُسَاهَمَةِ فِي تَنْفِيذِ الالْتِزَامَاتِ الدَّوْلِيَّةِ "
    "لِمُوَاصَلَةِ تَحْقِيقِ تَقَدُّمٍ مُسْتَمِرٍّ."
)


def fixture_html(face: str, switch: str = "on", font: Path | None = None, extra: str = "") -> str:
    """A justified A5 page: a heading, two paragraphs, a vowelled one, in ``face`` (Naskh or Kufi)."""
    file = font or FONTS / f"Noto{face}Arabic-Regular.ttf"
    bold = font or FONTS / f"Noto{face}Arabic-Bold.ttf"
    paragraphs = "".join(f"<p>{text}</p>" for text in TEXT)
    return f"""<html lang="ar" dir="rtl"><head><style>
@font-face {{ font-family: Face; font-weight: 400; src: url({file.as_uri()}); }}
@font-face {{ font-family: Face; font-weight: 700; src: url({bold.as_uri()}); }}
@font-face {{ font-family: Sans; src: url({(FONTS / "NotoSans-Regular.ttf").as_uri()}); }}
@page {{ size: A5; margin: 18mm 16mm; }}
body {{ font-family: Face, Sans; font-size: 11pt; line-height: 1.9; --kashida: {switch}; }}
p, h2 {{ text-align: justify; margin: 0 0 3mm; }}
h2 {{ font-size: 12pt; width: 50mm; }}
{extra}
</style></head><body>
<h2>الأهداف والمساهمة في تنفيذ الالتزامات الدولية</h2>
{paragraphs}<p class="vowelled">{VOWELLED}</p>
</body></html>"""


def render(html: str, target: Path) -> Path:
    weasyprint.HTML(string=html, base_url=str(ROOT)).write_pdf(target)
    return target


@dataclass
class Line:
    text: str
    left: float
    right: float


def lines(pdf: Path) -> list[Line]:
    """The lines of the PDF's first page, top to bottom: their letters in PDFium's order and the ends of their ink.

    Letters are put in lines by height (vowel marks, drawn above and below,
    are left out: PDFium's own line splitting puts them in lines of their own).
    """
    document = pdfium.PdfDocument(pdf)
    try:
        textpage = document[0].get_textpage()
        letters = []
        for index in range(textpage.count_chars()):
            char = textpage.get_text_range(index, 1)
            if char and not char.isspace() and unicodedata.category(char) != "Mn":
                left, bottom, right, top = textpage.get_charbox(index)
                letters.append((index, char, left, right, (bottom + top) / 2))
    finally:
        document.close()
    found: list[list[tuple]] = []
    for letter in sorted(letters, key=lambda letter: -letter[4]):
        if found and found[-1][0][4] - letter[4] < 7:  # lines are 20 pt apart, letters within one 7 pt
            found[-1].append(letter)
        else:
            found.append([letter])
    return [
        Line("".join(c for _, c, *_ in sorted(row)), min(r[2] for r in row), max(r[3] for r in row)) for row in found
    ]


def same(text: str) -> str:
    """A line's letters without tatweels and white space (PDFium spaces vowel marks by where they are drawn)."""
    return "".join(text.replace(TATWEEL, "").split())


def last_lines(plain: list[Line]) -> set[int]:
    """The lines that end a paragraph or the heading: short of the left margin when justified by spaces alone."""
    margin = min(line.left for line in plain)
    return {i for i, line in enumerate(plain) if line.left > margin + 3}


@pytest.fixture(scope="module", params=["Naskh", "Kufi"])
def fixture_pdfs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp(f"kashida-{request.param}")
    return {
        "face": request.param,
        "on": render(fixture_html(request.param, "on"), folder / "on.pdf"),
        "off": render(fixture_html(request.param, "off"), folder / "off.pdf"),
    }


def test_lines_break_where_they_break_without_kashida(fixture_pdfs: dict) -> None:
    on, off = lines(fixture_pdfs["on"]), lines(fixture_pdfs["off"])
    # Letters in order where PDFium keeps it; the vowelled paragraph's it shuffles, so there as a multiset.
    assert [sorted(same(line.text)) for line in on] == [sorted(same(line.text)) for line in off]
    assert [same(line.text) for line in on[:12]] == [same(line.text) for line in off[:12]]
    assert sum(line.text.count(TATWEEL) for line in on) >= 10
    assert sum(line.text.count(TATWEEL) for line in off) == 0


def test_justified_lines_stay_flush_and_the_tatweels_stay_few(fixture_pdfs: dict) -> None:
    on, off = lines(fixture_pdfs["on"]), lines(fixture_pdfs["off"])
    last = last_lines(off)
    assert 4 <= len(last) < len(off) / 2
    widest = max(line.right for line in off)
    for number, (line, plain) in enumerate(zip(on, off, strict=True)):
        # The end of every line where it is with spaces alone; its start too, or nearer the margin: WeasyPrint's
        # spaces leave the start of some lines a little inside it (most in vowelled text), tatweels less so.
        assert abs(line.left - plain.left) < 0.1, f"the end of a line moved: {line.text}"
        assert plain.right - 0.1 < line.right < widest + 0.3, f"the start of a line moved: {line.text}"
        runs = re.findall(f"{TATWEEL}+", line.text)
        if number in last:
            assert not runs, f"the last line of a paragraph keeps its spaces: {line.text}"
        assert len(runs) <= 3, f"more than three words lengthened: {line.text}"
        assert all(len(run) <= 3 for run in runs), f"more than three tatweels in a word: {line.text}"


def test_a_last_line_justified_by_the_designer_keeps_to_its_spaces(fixture_pdfs: dict, tmp_path: Path) -> None:
    """text-align-last: justify stretches the last line of a paragraph too, but with spaces only."""
    last = last_lines(lines(fixture_pdfs["off"]))
    html = fixture_html(fixture_pdfs["face"], extra="p { text-align-last: justify; }")
    found = lines(render(html, tmp_path / "last.pdf"))
    widest = max(line.right for line in found)
    stretched = [i for i in last if found[i].left < 60 and found[i].right > widest - 1]
    assert len(stretched) >= 2, "the last lines are justified"
    assert not any(TATWEEL in found[i].text for i in last)
    assert sum(line.text.count(TATWEEL) for line in found) >= 10


OTHER = ("المستشفيات", "المستوصفات", "المسافرين")


def test_headings_numbers_latin_and_other_fonts_are_left_alone(tmp_path: Path) -> None:
    span = f'<p>IOM Qatar 2020 <span class="other">{" ".join(OTHER * 4)}</span> '
    html = fixture_html("Naskh", extra=".other { font-family: Sans, Face; }").replace("<p>", span, 1)
    found = lines(render(html, tmp_path / "alone.pdf"))
    assert "الأهداف" in found[0].text
    assert TATWEEL not in found[0].text, "a heading inherits --kashida but is not lengthened"
    text = "\n".join(page_texts(tmp_path / "alone.pdf"))
    assert TATWEEL in text
    for word in re.findall(r"\S*" + TATWEEL + r"\S*", text):
        assert not re.search(r"[0-9A-Za-z٠-٩]", word), f"a number or Latin lengthened: {word}"
    for word in OTHER:
        assert text.count(word) == 4, f"{word} is in another font and stays as it is"
    # A designer who asks gets it: for the text in another font, and for the heading.
    asked = html.replace(".other {", ".other { --kashida: on;").replace("h2 {", "h2 { --kashida: on;", 1)
    found = lines(render(asked, tmp_path / "asked.pdf"))
    assert TATWEEL in found[0].text
    text = "\n".join(page_texts(tmp_path / "asked.pdf"))
    assert sum(text.count(word) for word in OTHER) < 12


def test_vowelled_text_keeps_its_marks_on_their_letters(fixture_pdfs: dict) -> None:
    on, off = ("".join("".join(page_texts(fixture_pdfs[switch])).split()) for switch in ("on", "off"))
    # Every letter and mark is there, once (PDFium orders vowelled text its own way, so as a multiset).
    assert sorted(on.replace(TATWEEL, "")) == sorted(off)
    assert re.search(f"[\u064b-\u0652]{TATWEEL}", on), "no vowelled word was lengthened"
    for match in re.finditer(TATWEEL, on):
        # A mark after a tatweel would be drawn on the tatweel, away from its letter.
        assert unicodedata.category(on[match.end() : match.end() + 1] or " ") != "Mn", on[match.start() - 5 :][:12]


@pytest.mark.parametrize("how", ["no tatweel", "an empty tatweel"])
def test_a_font_without_a_tatweel_is_left_to_spaces(tmp_path: Path, how: str) -> None:
    font = TTFont(FONTS / "NotoNaskhArabic-Regular.ttf")
    glyph = font.getBestCmap()[ord(TATWEEL)]
    if how == "no tatweel":
        for table in font["cmap"].tables:
            table.cmap.pop(ord(TATWEEL), None)
    else:
        font["hmtx"].metrics[glyph] = (0, font["hmtx"].metrics[glyph][1])
    font.save(tmp_path / "face.ttf")
    found = lines(render(fixture_html("Naskh", font=tmp_path / "face.ttf"), tmp_path / "spaces.pdf"))
    assert not any(TATWEEL in line.text for line in found)
    plain = lines(render(fixture_html("Naskh", "off", font=tmp_path / "face.ttf"), tmp_path / "off.pdf"))
    assert [(line.text, line.left, line.right) for line in found] == [
        (line.text, line.left, line.right) for line in plain
    ], "justified by the spaces alone"


@pytest.mark.parametrize("face", ["Naskh", "Kufi"])
def test_a_justified_page_looks_as_approved(tmp_path: Path, face: str) -> None:
    """The fixture page with kashida, in each face, against tests/reference/kashida/ (at 100 dpi, to see joins)."""
    [page] = spreads.rasterise(render(fixture_html(face), tmp_path / "page.pdf"), 100)
    reference = REFERENCES / f"{face.lower()}.png"
    if os.environ.get(UPDATE):
        REFERENCES.mkdir(parents=True, exist_ok=True)
        reference_picture(page).save(reference, optimize=True)
        return
    assert reference.is_file(), f"no {reference.relative_to(ROOT)}: run `make update-references`"
    with Image.open(reference) as stored:
        difference = compare(stored.convert("RGB"), page)
    if difference.too_large:
        DIFFS.mkdir(parents=True, exist_ok=True)
        page.save(DIFFS / f"{face.lower()}-new.png")
    assert not difference.too_large, f"{face}: {difference}; the new page is in {DIFFS.relative_to(ROOT)}/"


# The pin -------------------------------------------------------------------


def test_the_patch_is_pinned_to_the_weasyprint_of_requirements_txt() -> None:
    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line)
    assert pins["weasyprint"] == kashida.WEASYPRINT_VERSION == weasyprint.__version__
    assert "uharfbuzz" in pins


def test_another_weasyprint_stops_the_booklet_with_a_message() -> None:
    code = "import weasyprint; weasyprint.__version__ = '71.0'; import booklet"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "WeasyPrint 71.0 is installed, but the booklet needs WeasyPrint 70.0" in result.stderr
    assert "Run `make`" in result.stderr
