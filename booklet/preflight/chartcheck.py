"""Preflight of the charts: every value whole on one line inside the page, every label whole, no drawing
running past the foot of its page.

The charts are read from booklet.html (the tree that was typeset) and looked
for in the PDF's text as PDFium, a viewer, extracts it. Each finding is a
``(status, detail)`` pair; the preflight makes them rows of its report.

The charts are found by the classes booklet/design/charts.py writes into each
chart's HTML (``chart``, ``chart__value``, ``chart__label``...), Python's own
markup, not the layouts'; what is looked for is their text as typeset (numbers
in the booklet's digits, labels as wrapped), which only booklet.html holds.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from booklet.design import contract
from booklet.preflight.reading import html_tree

Finding = tuple[str, str]

#: How far (in points) a character or a drawing may reach past the trim before it counts as cut.
_SLACK = 0.5
_HTML = "{http://www.w3.org/1999/xhtml}"
_SVG = "{http://www.w3.org/2000/svg}"
#: The class of a chart's body, the element charts.py writes around each chart.
_CHART = contract.CHART_CLASSES[0]
#: A number inside a value: digits of either script with their separators.
_NUMBER = re.compile(r"[0-9\u0660-\u0669][0-9\u0660-\u0669\u066b\u066c.,]*")


@dataclass
class _Chart:
    title: str
    kind: str
    values: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def _classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).replace("\u200e", "").split())  # the mark (direction.py) is no letter


def _charts(html: Path, data: list[tuple[str, str]] | None) -> list[_Chart]:
    """Each chart of booklet.html: its title, kind, values and labels, as typeset.

    A chart is the element Python's charts.py writes with the class ``chart``,
    whatever the layout wraps it in. Its title is the data's (``data``, the
    manifest's titles and descriptions): the chart whose drawing carries a
    description is that chart, else the charts are taken in order. Without
    the manifest, the title is a caption around the chart, or its kind.
    """
    root = html_tree(html)
    parents = {child: parent for parent in root.iter() for child in parent}
    by_alt = {" ".join(alt.split()): title for title, alt in data or ()}
    found = []
    for body in root.iter():
        if _CHART not in _classes(body):
            continue
        kind = next((c.removeprefix("chart--") for c in _classes(body) if c.startswith("chart--")), "chart")
        described = next((_text(t) for t in body.iter(f"{_SVG}title")), None)
        title = by_alt.get(described) if described is not None else None
        if title is None and data and len(found) < len(data):
            title = data[len(found)][0]
        if title is None:
            caption = parents.get(body)
            caption = caption.find(f"{_HTML}figcaption") if caption is not None else None
            title = _text(caption) if caption is not None else kind
        chart = _Chart(title, kind)
        for element in body.iter():
            classes = _classes(element)
            if "chart__value" in classes:
                chart.values.append(_text(element))
            elif {"chart__label", "chart__name"} & set(classes):
                chart.labels.append(_text(element))
        found.append(chart)
    return found


def _plain(text: str) -> str:
    """Text as compared: drawn forms made letters (NFKC), vowel marks and white space left out.

    PDFium gives a vowel mark apart from its letter and the line breaks of a
    wrapped label as breaks, and justified Arabic may be stretched with
    tatweels: none makes a label less whole.
    """
    text = unicodedata.normalize("NFKC", text).replace(")", "(")  # PDFium mirrors one bracket of «(IOM)» (README)
    return "".join(c for c in text if not c.isspace() and c != "\u0640" and unicodedata.category(c) != "Mn")


def _inside(box: tuple[float, float, float, float], trim: tuple[float, float, float, float]) -> bool:
    left, bottom, right, top = trim
    return box[0] >= left - _SLACK and box[2] <= right + _SLACK and box[1] >= bottom - _SLACK and box[3] <= top + _SLACK


def _whole_somewhere(pages: list[tuple[pdfium.PdfTextPage, tuple]], value: str) -> tuple[bool, int | None]:
    """Whether ``value`` stands whole, on one line and inside its page, somewhere; else a page where it is cut."""
    cut = None
    for number, (textpage, trim) in enumerate(pages, start=1):
        searcher = textpage.search(value, match_whole_word=False)
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            boxes = [textpage.get_charbox(i, loose=True) for i in range(start, start + count)]
            lines = {round(b[1]) for b in boxes}
            if len(lines) == 1 and all(_inside(b, trim) for b in boxes):
                return True, None
            cut = number
    return False, cut


def _drawings_past_the_foot(document: pdfium.PdfDocument, numbers: list[int]) -> list[int]:
    """Which of the pages ``numbers`` (those with a chart) have a drawing inside the page's width past its foot.

    A chart that cannot split and is taller than the page is laid out from
    the top of a page and runs on past its foot. What fills the bleed (a
    full-bleed picture or ground) is wider than the page, and left alone.
    """
    pages = []
    for number in numbers:
        index = number - 1
        page = document[index]
        left, bottom, right, _top = page.get_trimbox()
        kinds = [pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_IMAGE]
        for drawing in page.get_objects(filter=kinds, max_depth=1):
            x0, y0, x1, y1 = drawing.get_bounds()
            if x0 >= left - _SLACK and x1 <= right + _SLACK and y0 < bottom - _SLACK and y1 > bottom:
                pages.append(index + 1)
                break
    return pages


def chart_findings(
    document: pdfium.PdfDocument, html: Path, data: list[tuple[str, str]] | None = None
) -> list[Finding]:
    """What the charts of one edition (``document``, the preflight's open PDF) need fixed, or one ok finding.

    ``data`` is each chart's title and description as the build's manifest
    gives them (None when it cannot be read): charts in the data that
    booklet.html does not show as charts.py wrote them are an error, not a
    check passed over.
    """
    if not html.is_file():
        return []  # the layout check says booklet.html is missing
    charts = _charts(html, data)
    if data and len(charts) < len(data):
        return [
            (
                "error",
                f"the data has {len(data)} charts and booklet.html shows {len(charts)} with the class «{_CHART}» "
                "that booklet/design/charts.py writes, so the charts cannot be checked: a layout must print "
                "each chart's html as it is (layouts/partials/chart.html)",
            )
        ]
    if not charts:
        return []
    findings: list[Finding] = []
    pages = [(document[i].get_textpage(), document[i].get_trimbox()) for i in range(len(document))]
    # Only the text inside each page: a label pushed past an edge is not read there.
    text = _plain(" ".join(textpage.get_text_bounded(*trim) for textpage, trim in pages))
    for chart in charts:
        for value in dict.fromkeys(chart.values):
            # The number in the value is looked for: PDFium gives a sign set after it in a
            # right-to-left line (٥٨٪) before it, in the order it is drawn.
            whole, cut = True, None
            for number in _NUMBER.findall(value) or [value]:
                found, page = _whole_somewhere(pages, number)
                whole, cut = whole and found, cut or page
            if not whole:
                where = f"on page {cut}" if cut else "anywhere"
                findings.append(
                    (
                        "error",
                        f"chart «{chart.title}»: the value {value} is not whole on one line inside the page "
                        f"{where} (broken or cut at an edge): undo the change to "
                        f"{contract.CHARTS_STYLESHEET} that lets it break",
                    )
                )
        for label in chart.labels:
            if _plain(label) not in text:
                findings.append(
                    (
                        "error",
                        f"chart «{chart.title}»: the label «{label[:40]}» is not whole in the PDF (cut at an "
                        f"edge or hidden): undo the change to {contract.CHARTS_STYLESHEET} that cuts it",
                    )
                )
    shown = [_plain(textpage.get_text_range()) for textpage, _trim in pages]
    # A chart too tall for any page starts a page with its title. Its labels are no sign of it: a short
    # label («الصحة») is also a word of the cover, a card or a box that runs on over a page.
    titles = [_plain(chart.title) for chart in charts]
    with_charts = [n for n, page in enumerate(shown, start=1) if any(title and title in page for title in titles)]
    for page in _drawings_past_the_foot(document, with_charts):
        findings.append(
            (
                "error",
                f"page {page}: a chart or drawing is taller than the page and runs past its foot; give a dots "
                "chart a larger per_dot, or split the chart's items into two charts",
            )
        )
    if not findings:
        values = sum(len(c.values) for c in charts)
        findings.append(("ok", f"{len(charts)} charts: {values} values whole on one line, every label whole"))
    return findings
