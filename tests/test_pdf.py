"""The sample booklet, read back from its PDFs: pages, boxes, fonts, text, outline, metadata."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata

import pypdfium2 as pdfium
import pytest
import yaml
from conftest import ROOT, build_into, western
from PIL import ImageCms
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
A4 = (210 * MM, 297 * MM)
EDITIONS = ["print", "screen"]

#: Every fact of the source article (../shared/brief/content-facts.md), as the
#: booklet words it, digits written 0-9 for comparison.
FACTS = {
    1: ["المنظمة الدولية للهجرة (IOM)", "بعثة الأمم المتحدة للهجرة في دولة قطر"],
    2: ["سبتمبر 2020", "كوفيد - 19", "فترة تقارب السنتين"],
    3: ["إيمان يونس عريقات", "رئيسة بعثة المنظمة الدولية للهجرة في دولة قطر"],
    4: ["دعم الأجندة الوطنية لدولة قطر", "أهداف التنمية المستدامة", "الاتفاق العالمي للهجرة", "الدعم التقني للحكومات"],
    5: [
        "بناء الثقة وتبادل المعرفة والتخطيط المشترك",
        "بناء الجسور مع الحكومة القطرية",
        "ووسائل الإعلام والجمعيات الخيرية المحلية والأوساط الأكاديمية والهيئات الدبلوماسية",
        "وكالات الأمم المتحدة الزميلة",
        "ترحيب وحسن استقبال وأبواب مفتوحة",
    ],
    6: ["ست دورات تدريبية", "حقوق العمال المهاجرين", "مكافحة الاتجار بالبشر"],
    7: [
        "أكثر من 172",
        "وزارة الخارجية",
        "وزارة العمل",
        "وزارة الداخلية",
        "وزارة الصحة",
        "اللجنة الوطنية لمكافحة الاتجار بالبشر",
        "اللجنة الوطنية للتربية والثقافة والعلوم",
        "اللجنة الوطنية لحقوق الإنسان",
    ],
    8: ["ثلاث ورش عمل مغلقة", "صندوق قطر للتنمية", "مؤسسة التعليم فوق الجميع", "الخطوط الجوية القطرية"],
    9: ["اتفاقيتي منح", "شمال غرب سوريا ولبنان"],
    10: ["الهلال الأحمر القطري", "قطر الخيرية", "الدعم الاجتماعي والنفسي", "للمواطنين الأفغان الذين تم إجلاؤهم"],
    11: [
        "ندوتان افتراضيتان",
        "حدث عام شخصي",
        "اليوم العالمي للمرأة",
        "اليوم العالمي لمكافحة الاتجار بالأشخاص",
        "الأولى من نوعها باليوم الدولي للمهاجرين",
        "أعضاء السلك الدبلوماسي",
    ],
    12: ["عام 1951", "عام 2016", "وكالة الأمم المتحدة للهجرة", "الوكالة الحكومية الدولية الرائدة في مجال الهجرة"],
    13: ["174 دولة عضوا", "8 دول بصفة مراقب", "590 مكتبا", "150 دولة"],
    14: ["الهجرة والتنمية", "تيسير الهجرة", "تنظيم الهجرة", "الهجرة القسرية"],
    15: [
        "الترويج لقانون الهجرة الدولية",
        "مناقشة السياسات والتوجيه",
        "حماية حقوق المهاجرين",
        "صحة المهاجرين",
        "البعد الجنساني للهجرة",
    ],
}


def _size(box) -> tuple[float, float]:  # noqa: ANN001 - a pypdf RectangleObject
    return (float(box.width), float(box.height))


def _chapter_titles() -> list[str]:
    data = yaml.safe_load((ROOT / "data" / "booklet.yaml").read_text(encoding="utf-8"))
    return [s["title"] for s in data["sections"] if s["kind"] in ("foreword", "highlights", "chapter", "partners")]


@pytest.mark.parametrize("edition", EDITIONS)
def test_page_count_is_a_multiple_of_four(sample, edition):
    assert len(sample.reader(edition).pages) == 16


@pytest.mark.parametrize("edition", EDITIONS)
def test_trim_box_is_a5(sample, edition):
    for page in sample.reader(edition).pages:
        assert _size(page.trimbox) == pytest.approx(A5, abs=0.01)


def test_print_edition_has_3mm_bleed(sample):
    for page in sample.reader("print").pages:
        trim, bleed = page.trimbox, page.bleedbox
        assert float(trim.left) - float(bleed.left) == pytest.approx(3 * MM, abs=0.01)
        assert float(bleed.right) - float(trim.right) == pytest.approx(3 * MM, abs=0.01)
        assert float(trim.bottom) - float(bleed.bottom) == pytest.approx(3 * MM, abs=0.01)
        assert float(bleed.top) - float(trim.top) == pytest.approx(3 * MM, abs=0.01)
        # The crop marks are drawn outside the trim box, inside the media box.
        assert _size(page.mediabox) >= _size(bleed)


def test_print_edition_draws_crop_marks_outside_the_bleed(sample):
    # Two marks per corner on the lines of the trim, in the room the MediaBox
    # gives outside the bleed, as InDesign's "marks and bleed" export: read
    # from the rendered page, dark where each mark is, white paper around it.
    document = pdfium.PdfDocument(sample.pdfs["print"])
    for number in (0, 3, 15):  # the cover (navy into the bleed), the contents, the back cover
        page = sample.reader("print").pages[number]
        media, trim, bleed = ([float(v) for v in box] for box in (page.mediabox, page.trimbox, page.bleedbox))
        assert all(abs(m - b) >= 6 * MM for m, b in zip(media, bleed, strict=True))
        scale = 4
        image = document[number].render(scale=scale).to_pil().convert("L")

        def pixel(x, y, image=image, media=media, scale=scale):
            return image.getpixel((round((x - media[0]) * scale), round((media[3] - y) * scale)))

        below, above = (media[1] + bleed[1]) / 2, (media[3] + bleed[3]) / 2
        left, right = (media[0] + bleed[0]) / 2, (media[2] + bleed[2]) / 2
        marks = [(x, y) for x in (trim[0], trim[2]) for y in (below, above)]
        marks += [(x, y) for x in (left, right) for y in (trim[1], trim[3])]
        assert all(pixel(x, y) < 128 for x, y in marks), number
        paper = [(left, below), (right, above), (left, above), (right, below), ((trim[0] + trim[2]) / 2, below)]
        assert all(pixel(x, y) > 240 for x, y in paper), number


def test_screen_edition_draws_no_crop_marks(sample):
    for page in sample.reader("screen").pages:
        forms = [x.get_object() for x in (page["/Resources"].get("/XObject") or {}).values()]
        assert not any(re.search(rb"\b[SB]\b", f.get_data()) for f in forms if f["/Subtype"] == "/Form")


def test_screen_edition_has_no_bleed(sample):
    for page in sample.reader("screen").pages:
        assert _size(page.mediabox) == pytest.approx(A5, abs=0.01)
        assert _size(page.bleedbox) == pytest.approx(A5, abs=0.01)


@pytest.mark.parametrize("edition", EDITIONS)
def test_fonts_are_embedded_and_all_from_the_fonts_folder(sample, edition):
    bundled = {
        "Booklet-Naskh",
        "Booklet-Naskh-Bold",
        "Booklet-Kufi",
        "Booklet-Kufi-Bold",
        "Booklet-Sans",
        "Booklet-Sans-Bold",
    }
    seen = set()
    for page in sample.reader(edition).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[1]
            descriptor = (font.get("/DescendantFonts") or [font])[0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{name} is not embedded"
            seen.add(name)
    assert seen <= bundled
    assert {"Booklet-Naskh", "Booklet-Kufi-Bold", "Booklet-Sans"} <= seen


def _words(text: str) -> str:
    """Letters and digits only: text extraction re-runs the bidi algorithm on
    glyphs stored in visual order and often misplaces brackets and punctuation
    next to digits and Latin words, so those are left out of the comparison."""
    kept = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in western(text))
    return " ".join(kept.split())


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_every_fact_of_the_article_is_in_the_booklet(sample, fact):
    text = _words(" ".join(sample.page_texts("screen")))
    missing = [phrase for phrase in FACTS[fact] if _words(phrase) not in text]
    assert not missing


def test_outline_lists_the_chapters_in_arabic(sample):
    outline = [item.title for item in sample.reader("screen").outline if not isinstance(item, list)]
    assert outline[0] == "المنظمة الدولية للهجرة (IOM)"
    assert [t for t in outline if t != "المحتويات"][1:] == _chapter_titles()


@pytest.mark.parametrize("edition", EDITIONS)
def test_metadata(sample, edition):
    reader = sample.reader(edition)
    meta = reader.metadata
    assert meta.title == "المنظمة الدولية للهجرة (IOM): بعثة الأمم المتحدة للهجرة في دولة قطر"
    assert meta.author == "بعثة المنظمة الدولية للهجرة في دولة قطر"
    assert meta.subject.startswith("تقرير مصور")
    assert "IOM" in meta["/Keywords"]
    # The data's date (a booklet without one: tests/test_pdfstructure.py).
    assert meta["/CreationDate"] == "D:20261129"
    if edition == "print":
        assert meta["/ModDate"] == "D:20261129"  # PDF/X needs both dates
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "ar"


@pytest.mark.parametrize("edition", EDITIONS)
def test_viewers_show_spreads_right_to_left(sample, edition):
    preferences = sample.reader(edition).trailer["/Root"]["/ViewerPreferences"]
    assert preferences["/Direction"] == "/R2L"
    assert preferences["/DisplayDocTitle"]


def test_contents_numbers_are_the_pages_chapters_start_on(sample):
    reader = sample.reader("screen")
    texts = sample.page_texts("screen")
    contents_index = next(i for i, t in enumerate(texts) if t.startswith("المحتويات"))
    lines = [western(line) for line in texts[contents_index].splitlines()[1:]]
    links = []
    for annotation in reader.pages[contents_index]["/Annots"]:
        dest = str(annotation.get_object()["/Dest"])
        if dest not in links:
            links.append(dest)
    destinations = reader.named_destinations
    titles = _chapter_titles()
    assert len(lines) == len(links) == len(titles)
    for line, dest, title in zip(lines, links, titles, strict=True):
        number = int(line.rsplit(" ", 1)[1])
        start = reader.get_destination_page_number(destinations[dest]) + 1
        assert title in line
        assert number == start, f"{title}: contents says {number}, chapter starts on {start}"
        assert title in western(texts[start - 1])


def test_page_numbers_use_arabic_indic_digits(sample):
    texts = sample.page_texts("screen")
    # Page 6 (a chapter opener) ends with its number in the footer.
    assert texts[5].rstrip().endswith("٦")


def test_first_page_is_a_left_page(sample):
    # A right-bound book opens on a left-hand recto: the page number of page 3
    # sits near the left edge, that of page 2 near the right edge.
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(sample.pdfs["screen"])
    try:
        positions = {}
        for index in (1, 2):
            textpage = document[index].get_textpage()
            count = textpage.count_chars()
            left, _bottom, _right, _top = textpage.get_charbox(count - 1)
            positions[index + 1] = left
    finally:
        document.close()
    assert positions[2] > A5[0] / 2 > positions[3]


def test_settings_western_digits_a4_and_date(data_copy, tmp_path):
    source = data_copy / "booklet.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("page_size: A5", "page_size: A4").replace("digits: arabic-indic", "digits: western")
    text = text.replace("  date: 2026-11-29\n", "  date: 2022-10-06\n")
    source.write_text(text, encoding="utf-8")
    built = build_into(data_copy, tmp_path / "out", ["screen"])
    reader = built.reader("screen")
    assert _size(reader.pages[0].trimbox) == pytest.approx(A4, abs=0.01)
    assert reader.metadata["/CreationDate"].startswith("D:20221006")
    contents = next(t for t in built.page_texts("screen") if t.startswith("المحتويات"))
    assert re.search(r" 2\s*$", contents.splitlines()[1]), contents
    # The numbers the booklet writes (figures, chart legends) follow the setting;
    # the prose keeps the digits its author typed.
    highlights, capacity = built.page_texts("screen")[4:6]
    assert re.search(r"^172\s*$", highlights, re.MULTILINE) and "١٧٢" not in highlights, highlights
    assert "172 ممثلا تلقوا التدريب" in capacity and "أكثر من ١٧٢ ممثلا" in capacity, capacity


def test_same_input_gives_the_same_bytes_across_processes(sample, tmp_path):
    # A second process, as a second `make` would be: nothing shared in memory.
    subprocess.run(
        [sys.executable, "-m", "booklet", "build", "--out", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONHASHSEED": "1"},
    )
    for edition in EDITIONS:
        assert (tmp_path / f"booklet-{edition}.pdf").read_bytes() == sample.pdfs[edition].read_bytes(), edition


def test_print_edition_is_pdf_x4_with_a_cmyk_output_intent(sample):
    reader = sample.reader("print")
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    embedded = ImageCms.ImageCmsProfile(io.BytesIO(profile.get_data())).profile
    assert embedded.xcolor_space.strip() == "CMYK"
    assert embedded.profile_description == "Booklet CMYK (FOGRA39, coated paper)"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert reader.metadata["/Trapped"] == "/False"


def _colour_operators(reader: PdfReader) -> set[bytes]:
    found = set()
    for page in reader.pages:
        streams = [page.get_contents().get_data()]
        streams += [x.get_object().get_data() for x in (page["/Resources"].get("/XObject") or {}).values()]
        for data in streams:
            found.update(re.findall(rb"\b(rg|RG|k|K|scn|SCN)\n", data))
    return found


def test_print_edition_paints_in_cmyk_only(sample):
    # No RGB colour operator anywhere: every colour of booklet.css has its
    # CMYK value in print.css, charts and drawings included.
    operators = _colour_operators(sample.reader("print"))
    assert not operators & {b"rg", b"RG"}, operators
    assert b"scn" in operators


def test_screen_edition_is_tagged_pdf_ua(sample):
    reader = sample.reader("screen")
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "ar"
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp
    assert "/OutputIntents" not in catalog


def test_merged_html_is_written_for_designers(sample):
    html = (sample.out / "booklet.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'media="screen"' in html and "booklet.css" in html


def test_pdf_is_readable_by_a_strict_parser(sample):
    for edition in EDITIONS:
        PdfReader(sample.pdfs[edition], strict=True).pages[0].extract_text()


def _struct_elements(node, found):  # noqa: ANN001 - pypdf objects
    node = node.get_object()
    if not isinstance(node, DictionaryObject):
        return found
    if "/S" in node:
        found.append(node)
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        _struct_elements(kid, found)
    return found


def test_screen_edition_gives_every_figure_a_text_alternative(sample):
    elements = _struct_elements(sample.reader("screen").trailer["/Root"]["/StructTreeRoot"], [])
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert figures
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    alternatives = {str(f["/Alt"]) for f in figures}
    # The charts' alternatives are the data's `alt` texts.
    assert any(a.startswith("خط زمني: تأسيس المنظمة عام ١٩٥١") for a in alternatives)


def test_screen_edition_is_linearized_and_light(sample):
    import pikepdf

    with pikepdf.open(sample.pdfs["screen"]) as pdf:
        assert pdf.is_linearized
        assert pdf.check_linearization()
    assert sample.pdfs["screen"].stat().st_size < 3 * 1024 * 1024


def test_share_image_is_the_cover_1200_pixels_wide(sample):
    from PIL import Image

    with Image.open(sample.out / "booklet-cover.png") as image:
        assert image.width == 1200
        assert image.height == round(1200 * 210 / 148) or abs(image.height - 1200 * 210 / 148) < 2
        # The cover ground is the brand's deep blue, not a blank page.
        red, green, blue = image.convert("RGB").getpixel((600, 1650))
        assert blue > red and blue > green


def test_the_same_sources_elsewhere_give_the_same_bytes(sample, tmp_path):
    """Another checkout, in another folder, building into another folder: not a byte differs."""
    root = tmp_path / "elsewhere"
    for folder in ("layouts", "fonts", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    built = build_into(root / "data", tmp_path / "out", root=root)
    for edition in EDITIONS:
        assert built.pdfs[edition].read_bytes() == sample.pdfs[edition].read_bytes(), edition
    # The same copy through a symbolic link: some paths come out resolved, some not.
    (tmp_path / "link").symlink_to(root)
    linked = build_into(tmp_path / "link" / "data", tmp_path / "link" / "out", root=tmp_path / "link")
    for edition in EDITIONS:
        assert linked.pdfs[edition].read_bytes() == sample.pdfs[edition].read_bytes(), edition
