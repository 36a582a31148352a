"""Big-number cards read back from the PDF: every value whole on one line, inside its card, clear of its icon.

A booklet of eight figures up to 27,800,000 on its highlights page, three
five-digit figures in a row of three, and the largest values the schema
accepts, built at A5 and A4 in both digit systems and in the compact style.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pypdfium2 as pdfium
import pytest
from conftest import build_into

from booklet.data.amounts import parse
from booklet.data.numbers import Numbering
from booklet.design.figures import MEASURE, arrange

DATA = """\
settings:
  page_size: {size}
  digits: {digits}
  numbers: {style}
document:
  title: أرقام كبيرة
  organisation: منظمة للتجربة
  subject: بطاقات الأرقام الكبيرة
sections:
  - kind: cover
  - kind: highlights
    title: أبرز الأرقام
    figures:
      - {{value: 172, label: متدربا, icon: users}}
      - {{value: 32400, label: طفلا في المدارس, icon: school}}
      - {{value: "1,250,000", label: وجبة, icon: heart-handshake}}
      - {{value: 27800000, qualifier: أكثر من, label: مستفيد, icon: world}}
      - {{value: 94%, label: من الأسر, icon: users-group}}
      - {{value: 27.8, label: كيلومترا, icon: walk}}
      - {{value: {{amount: 1250000, currency: QAR}}, label: تمويل, icon: building-bank}}
      - {{value: 9850000, label: ساعة عمل, icon: calendar-event}}
  - kind: chapter
    title: ثلاثة أرقام
    figures:
      - {{value: 32400, label: طفلا, icon: school}}
      - {{value: 45000, label: أسرة, icon: users}}
      - {{value: 12500, qualifier: نحو, label: معلما, icon: presentation}}
  - kind: chapter
    title: أكبر الأرقام
    figures:
      - {{value: 123456789012345, label: رقم, icon: world}}
      - {{value: {{amount: 987654321012300, currency: JOD, style: full}}, label: مبلغ, icon: building-bank}}
      - {{value: 0.5, label: نسبة, icon: users}}
  - kind: back-cover
    body: شكرا
"""

FULL = {
    "arabic-indic": ["١٧٢", "٣٢٬٤٠٠", "١٬٢٥٠٬٠٠٠", "٢٧٬٨٠٠٬٠٠٠", "٩٤٪", "٢٧٫٨", "١٬٢٥٠٬٠٠٠ ريال قطري", "٩٬٨٥٠٬٠٠٠"]
    + ["٣٢٬٤٠٠", "٤٥٬٠٠٠", "١٢٬٥٠٠", "١٢٣٬٤٥٦٬٧٨٩٬٠١٢٬٣٤٥", "٩٨٧٬٦٥٤٬٣٢١٬٠١٢٬٣٠٠ دينار أردني", "٠٫٥"],
    "western": ["172", "32,400", "1,250,000", "27,800,000", "94%", "27.8", "1,250,000 ريال قطري", "9,850,000"]
    + ["32,400", "45,000", "12,500", "123,456,789,012,345", "987,654,321,012,300 دينار أردني", "0.5"],
}
COMPACT = ["١٧٢", "٣٢٫٤ ألف", "١٫٢٥ مليون", "٢٧٫٨ مليون", "٩٤٪", "٢٧٫٨", "١٫٢٥ مليون ريال قطري", "٩٫٨٥ مليون"]
# No scale word past مليار: 123 trillion is 123,457 billion (٤٥٧: مليارًا).
COMPACT += ["٣٢٫٤ ألف", "٤٥ ألفًا", "١٢٫٥ ألف", "١٢٣٬٤٥٧ مليارًا", "٩٨٧٬٦٥٤٬٣٢١٬٠١٢٬٣٠٠ دينار أردني", "٠٫٥"]

FONTS = Path(__file__).resolve().parent.parent / "fonts"
#: Path objects no larger than this (in points) are the icons' strokes; cards are larger.
ICON_SIZE = 22.0


#: The currencies' names in the values above: in a narrow card the name goes under the number.
CURRENCIES = ("ريال قطري", "دينار أردني")


def _patterns(value: str) -> list[str]:
    """Regular expressions for the value as a PDF reader may extract it: in logical order, or with
    a percent sign or a minus sign read on the other side of the digits (PDFium reads some runs in
    visual order); a currency's name after the number on its line or on the next line."""
    plain = _plain(value)
    forms = {plain}
    if plain.endswith(("٪", "%")):
        forms.add(plain[-1] + plain[:-1])
    if plain.startswith("-"):
        number, _, words = plain[1:].partition(" ")
        forms.add(f"{number}- {words}".strip())
    patterns = []
    for form in forms:
        currency = next((c for c in CURRENCIES if form.endswith(" " + c)), None)
        if currency:
            patterns.append(re.escape(form[: -len(currency) - 1]) + "[ \r\n]+" + re.escape(currency))
        else:
            patterns.append(re.escape(form))
    return patterns


def _plain(text: str) -> str:
    """``text`` without its tanween, which PDFium extracts apart from its letter (ألفًا as "ألفً ا")."""
    return re.sub(r" *\u064b *", "", text)


def _plain_with_places(text: str) -> tuple[str, list[int]]:
    """``_plain(text)``, and for each of its characters its index in ``text`` (a PDFium character index)."""
    kept = [m for m in re.finditer(r" *\u064b *|.", text, re.S) if "\u064b" not in m.group()]
    return "".join(m.group() for m in kept), [m.start() for m in kept]


@pytest.fixture(
    scope="module",
    params=[("A5", "arabic-indic", "full"), ("A4", "arabic-indic", "full")]
    + [("A5", "western", "full"), ("A4", "western", "full"), ("A5", "arabic-indic", "compact")],
    ids=lambda p: "-".join(p),
)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    size, digits, style = request.param
    folder = tmp_path_factory.mktemp(f"figures-{size}-{digits}-{style}")
    data = folder / "data"
    data.mkdir()
    (data / "booklet.yaml").write_text(DATA.format(size=size, digits=digits, style=style), encoding="utf-8")
    pdf = build_into(data, folder / "out", ["screen"]).pdfs["screen"]
    return pdf, COMPACT if style == "compact" else FULL[digits]


def _boxes(page: pdfium.PdfPage) -> tuple[list[tuple[float, ...]], list[tuple[float, ...]]]:
    """The bounds of the page's small paths (icon strokes) and of its large ones (card grounds)."""
    icons, cards = [], []
    for obj in page.get_objects(max_depth=1):
        if obj.type != pdfium.raw.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        small = right - left <= ICON_SIZE and top - bottom <= ICON_SIZE
        (icons if small else cards).append((left, bottom, right, top))
    return icons, cards


def _overlaps(a: tuple[float, ...], b: tuple[float, ...], slack: float = 0.3) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def test_every_value_is_whole_on_one_line_inside_its_card_and_clear_of_its_icon(built: tuple[Path, list[str]]):
    """Each value's number is one line of the page's text (its currency's name after it on the same
    line, or on the next line in a narrow card); no box of its letters touches an icon stroke, and
    all of them lie inside one card."""
    pdf_path, values = built
    document = pdfium.PdfDocument(pdf_path)
    found = []
    try:
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            plain, where = _plain_with_places(text.get_text_range())
            icons, cards = _boxes(page)
            for value in dict.fromkeys(values):
                for pattern in _patterns(value):
                    # PDFium may join the qualifier set above a short value to its line: a space, not a line break.
                    match = re.search(f"(?:^|(?<=[\r\n ])){pattern}(?=$|[\r\n ])", plain)
                    if match is None:
                        continue
                    places = [where[i] for i in range(match.start(), match.end()) if not plain[i].isspace()]
                    boxes = [text.get_charbox(i) for i in places]
                    touching = [box for box in boxes for icon in icons if _overlaps(box, icon)]
                    assert not touching, f"{value} touches an icon on page {index + 1}"
                    span = (
                        min(c[0] for c in boxes),
                        min(c[1] for c in boxes),
                        max(c[2] for c in boxes),
                        max(c[3] for c in boxes),
                    )
                    inside = [c for c in cards if c[0] <= span[0] + 0.5 and span[2] <= c[2] + 0.5 and c[1] <= span[1]]
                    assert [c for c in inside if span[3] <= c[3]], f"{value} runs out of its card on page {index + 1}"
                    found.append(value)
    finally:
        document.close()
    missing = [v for v in dict.fromkeys(values) if v not in found]
    assert not missing, f"not whole on one line: {missing}"


def test_cards_are_measured_against_the_layouts_text_column() -> None:
    """figures.MEASURE mirrors booklet.css: a change of page margins there must be made here too."""
    css = (Path(__file__).resolve().parent.parent / "layouts" / "booklet.css").read_text(encoding="utf-8")
    assert "margin-left: 14mm;\n  margin-right: 19mm;" in css
    assert MEASURE == {"A5": 115, "A4": 177}


def _arranged(values: list[str], page_size: str, kind: str, style: str = "full") -> list[tuple[int, float]]:
    views = [SimpleNamespace(icon_svg="<svg/>") for _ in values]
    size = {"chapter": 30.0, "hero": 38.0}[kind]
    group = arrange(views, [parse(v) for v in values], FONTS, page_size, size, kind, Numbering(style=style))
    return [(len(row.items), row.scale) for row in group.rows]


@pytest.mark.parametrize(
    ("values", "page_size", "kind", "rows"),
    [
        # Today's sample: every value at its full size, three or two across.
        (["6", "172", "7"], "A5", "chapter", [(3, 1.0)]),
        (["6", "172", "7", "3", "2", "2"], "A5", "hero", [(2, 1.0), (2, 1.0), (2, 1.0)]),
        # Five-digit values keep a row of three, in smaller type at A5, larger at A4.
        (["32400", "45000", "12500"], "A5", "chapter", [(3, 0.6)]),
        (["32400", "45000", "12500"], "A4", "chapter", [(3, 1.0)]),
        # Eight figures up to 27,800,000 keep two across: the highlights page stays one page
        # (the row with an amount of money has its currency's name under the number).
        (["172", "32400", "1,250,000", "27800000", "94%", "27.8", "1250000 QAR", "9850000"], "A5", "hero")
        + ([(2, 0.85), (2, 0.6), (2, 1.0), (2, 0.6)],),
    ],
)
def test_rows_take_the_largest_type_their_values_fit_at(values, page_size, kind, rows) -> None:
    assert _arranged(values, page_size, kind) == rows


@pytest.mark.parametrize(
    ("values", "page_size", "style", "shown"),
    [
        # The cards of a group are compared side by side: one of five digits groups the others'
        # four, whatever rows the page size makes of them.
        (["14250", "12", "3200"], "A5", "full", ["١٤٬٢٥٠", "١٢", "٣٬٢٠٠"]),
        (["14250", "12", "3200"], "A4", "full", ["١٤٬٢٥٠", "١٢", "٣٬٢٠٠"]),
        (["9999", "12", "3200"], "A5", "full", ["٩٩٩٩", "١٢", "٣٢٠٠"]),
        # A compact value has no separator: the four-digit values stay one word.
        (["14250", "12", "3200"], "A5", "compact", ["١٤٫٣ ألف", "١٢", "٣٢٠٠"]),
    ],
)
def test_a_group_of_cards_is_grouped_alike(values, page_size, style, shown) -> None:
    views = [SimpleNamespace(icon_svg="<svg/>") for _ in values]
    arrange(views, [parse(v) for v in values], FONTS, page_size, 30.0, "chapter", Numbering(style=style))
    assert [view.display for view in views] == shown
