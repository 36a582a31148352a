"""Left-to-right runs in Arabic text print in their own direction, with no mark typed by the writer."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import build_into, edit, write
from pypdf import PdfReader

from booklet.data.direction import LRM, isolate, runs

LTR = '<span dir="ltr">'
PHONE = '<span dir="ltr" class="phone">'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("على +962 6 555 0199 يوميا", f"على {PHONE}+962 6 555 0199</span> يوميا"),
        ("راسلونا info@example.org، شكرا", f"راسلونا {LTR}info@example.org</span>، شكرا"),
        ("موقعنا https://example.org/a?b=1&amp;c=2.", f"موقعنا {LTR}https://example.org/a?b=1&amp;c=2</span>."),
        ("بلغة C++ أو C# وبرنامج", f"بلغة {LTR}C++</span> أو {LTR}C#</span> وبرنامج"),
        ("الرقم ٠٦ ٥٥٥ ٠١٩٩ للطوارئ", f"الرقم {PHONE}٠٦ ٥٥٥ ٠١٩٩</span> للطوارئ"),
        # Plain numbers, dates, Latin words and Arabic text are left to the bidi algorithm, which gets them right.
        ("في عام 2025 أكثر من 48600 شخص", "في عام 2025 أكثر من 48600 شخص"),
        ("وبرنامج Windows 11 Pro و&lt;script&gt;", "وبرنامج Windows 11 Pro و&lt;script&gt;"),
        ("نص عربي فقط", "نص عربي فقط"),
        # A Latin run in brackets: a left-to-right mark before it (no span: its line would grow taller).
        ("المفوضية (UNHCR) وبرنامج", f"المفوضية {LRM}(UNHCR) وبرنامج"),
        ("رخصة SIL Open Font License (OFL). و(a b)", f"رخصة SIL Open Font License {LRM}(OFL). و{LRM}(a b)"),
        ("(Node.js) و(O'Brien) و(COVID-19)", f"{LRM}(Node.js) و{LRM}(O'Brien) و{LRM}(COVID-19)"),
        # Not Latin words alone between the brackets: left as they are.
        ("(كوفيد) و(2025) و(a &amp; b) و(IOM", "(كوفيد) و(2025) و(a &amp; b) و(IOM"),
        # A run of another rule in brackets is a span, and needs no mark.
        (
            "(info@example.org) و(C++) و(www.iom.int)",
            f"({LTR}info@example.org</span>) و({LTR}C++</span>) و({LTR}www.iom.int</span>)",
        ),
        ("اتصلوا (+962 6 555 0199)", f"اتصلوا ({PHONE}+962 6 555 0199</span>)"),
    ],
)
def test_runs(text: str, expected: str) -> None:
    assert runs(text) == expected


def test_only_text_between_tags_of_the_body_is_touched() -> None:
    html = (
        '<html><head><title>C++ (IOM)</title></head><body><p title="C++ (IOM)">اتصل C++ (IOM)</p>'
        '<svg viewBox="0 0 1 1"><title>C++ (A)</title><svg><text>C++</text></svg><text>C#</text></svg>'
        "<style>.a { font: 1px Sans }</style><p>F#</p><p><!-- (IOM) --><b>(</b>IOM)</p></body></html>"
    )
    assert isolate(html) == html.replace("اتصل C++ (IOM)", f"اتصل {LTR}C++</span> {LRM}(IOM)").replace(
        "<p>F#</p>", f"<p>{LTR}F#</span></p>"
    )


def _middles(pdf: Path, *needles: str) -> list[float]:
    """For each of ``needles`` (as the PDF's text gives it), the middle of its characters from the left, in points."""
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            count = textpage.count_chars()
            text = "".join(textpage.get_text_range(i, 1) for i in range(count))
            if not all(needle in text for needle in needles):
                continue
            middles = []
            for needle in needles:
                at = text.index(needle)
                boxes = [textpage.get_charbox(i) for i in range(at, at + len(needle))]
                middles.append(sum(box[0] + box[2] for box in boxes) / (2 * len(boxes)))
            return middles
    finally:
        document.close()
    raise AssertionError(f"{needles!r} are not on one page of {pdf}")


def test_a_telephone_number_and_an_address_read_left_to_right_in_the_pdf(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    body = "    body: اتصلوا بنا على الرقم +962 6 555 0199 أو راسلونا على info@example.org شكرا للمنظمة (IOM)\n"
    write(data, edit("    title: بناء القدرات\n", "    title: بناء القدرات\n" + body))
    built = build_into(data, tmp_path / "out", ["screen"])
    # One pass over the merged HTML, which is the text typeset: a span for each run, a mark for the brackets.
    html = (tmp_path / "out" / "booklet.html").read_text(encoding="utf-8")
    assert f"{PHONE}+962 6 555 0199</span>" in html and f"{LTR}info@example.org</span>" in html
    assert f"للمنظمة {LRM}(IOM)" in html
    # The brackets drawn as typed, and the mark never in the text: pypdf keeps a left-to-right run as drawn.
    text = " ".join(page.extract_text() for page in PdfReader(built.pdfs["screen"]).pages)
    assert "(IOM)" in text and LRM not in text
    word, country, line, user, domain = _middles(built.pdfs["screen"], "الرقم", "962", "0199", "info", "example")
    # The number as written, from left to right (not "0199 555 6 962+"), and the address too ...
    assert country < line
    assert user < domain
    # ... each where it stands in the Arabic sentence, which reads from the right: the number left of "الرقم".
    assert line < word
    assert domain < line


def test_a_writer_forces_a_phrase_left_to_right_with_backticks() -> None:
    from booklet.data.markup import to_html

    assert to_html("الرمز `A-12/ب` و`<b>`") == (
        '<p>الرمز <span dir="ltr">A-12/ب</span> و<span dir="ltr">&lt;b&gt;</span></p>\n'
    )


def test_a_chart_label_with_an_acronym_in_brackets_is_read_back_whole(tmp_path: Path) -> None:
    """PDFium reads «(UNHCR)» as «(UNHCR(» (README, "Copying the text") and booklet.html holds the mark
    before it: the preflight's chart check finds the label whole all the same, and says so plainly."""
    from booklet.pipeline import Project
    from booklet.preflight import preflight

    data = tmp_path / "data"
    data.mkdir()
    chart = (
        "    charts:\n      - kind: bars\n        title: التمويل (UNHCR)\n        alt: أعمدة\n        items:\n"
        "          - label: المفوضية (UNHCR)\n            value: 420\n"
        "          - label: برنامج الأغذية (WFP)\n            value: 310\n"
    )
    write(data, edit("    title: بناء القدرات\n", "    title: بناء القدرات\n" + chart))
    built = build_into(data, tmp_path / "out", ["screen"])
    rows = [row for row in preflight(built.out, Project(data), ["screen"]).rows if row.check == "charts"]
    assert [row.status for row in rows] == ["ok"] * len(rows) and rows, [row.detail for row in rows]
    assert not any(LRM in row.detail for row in rows)
