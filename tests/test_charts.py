"""Charts and icons, read back from the real PDFs and booklet.html: drawn as vectors, in the design's
colours, one dot per unit, with their alt text, their labels as written, and every icon accounted for."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import yaml
from conftest import ROOT, build_into
from pypdf import PdfReader
from pypdf.generic import ContentStream

import booklet
from booklet.data import numbers

SVG = "{http://www.w3.org/2000/svg}"
SAMPLE = yaml.safe_load((ROOT / "data" / "booklet.yaml").read_text(encoding="utf-8"))
#: Every chart of the sample, in order.
CHARTS = [chart for section in SAMPLE["sections"] for chart in section.get("charts", [])]

NEW_BRAND, NEW_ICON = "#12ab34", "#ab1234"


def rgb(hex_colour: str) -> tuple:
    """A CSS #rrggbb colour as the PDF paints it: (colour space, components rounded as WeasyPrint writes them)."""
    value = hex_colour.lstrip("#")
    return ("/DeviceRGB", *(round(int(value[i : i + 2], 16) / 255, 6) for i in (0, 2, 4)))


def token(stylesheet: Path, name: str) -> tuple:
    """A colour token declared in a stylesheet (#rrggbb or device-cmyk(c m y k)), as the PDF paints it."""
    value = re.search(rf"^\s*{name}:\s*([^;]+);", stylesheet.read_text(encoding="utf-8"), re.M)[1].strip()
    if value.startswith("#"):
        return rgb(value)
    components = re.fullmatch(r"device-cmyk\(([\d. ]+)\)", value)[1].split()
    return ("/DeviceCMYK", *(round(float(c), 6) for c in components))


#: The --brand colour each edition paints with: booklet.css's, and print.css's CMYK for the press.
BRAND = {
    "screen": token(ROOT / "layouts" / "booklet.css", "--brand"),
    "print": token(ROOT / "layouts" / "print.css", "--brand"),
}


# --- reading PDFs back ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Painted:
    """One painted path of a page: how it was painted, in which colour, and its outline."""

    fill: tuple | None  # the fill colour as (colour space, *components), or None when only stroked
    stroke: tuple | None  # the stroke colour likewise, or None when only filled
    outline: tuple[str, ...]  # the path's construction operators: ("re",) a rectangle

    @property
    def shape(self) -> str:
        if self.outline == ("re",):
            return "rectangle"
        if Counter(self.outline) == Counter({"m": 1, "c": 4, "h": 1}):
            return "circle"  # WeasyPrint draws a circle as four Bézier curves
        return "path"


_FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
_STROKES = {"S", "s", "B", "B*", "b", "b*"}


_SPACES = {"rg": "/DeviceRGB", "k": "/DeviceCMYK", "g": "/DeviceGray"}


def _components(operands: list) -> tuple[float, ...]:
    return tuple(round(float(v), 6) for v in operands if isinstance(v, (int, float)))


def painted(reader: PdfReader, index: int) -> list[Painted]:
    """Every path painted on a page, through its form XObjects, with the colours in force."""
    found: list[Painted] = []

    def walk(content, resources, fill, stroke) -> None:  # noqa: ANN001
        stack, outline = [], []
        for operands, operator in ContentStream(content, reader).operations:
            op = operator.decode("latin-1")
            if op == "q":
                stack.append((fill, stroke))
            elif op == "Q":
                fill, stroke = stack.pop()
            elif op in _SPACES:  # rg, k, g: the colour and its space
                fill = (_SPACES[op], *_components(operands))
            elif op.lower() in _SPACES:  # RG, K, G
                stroke = (_SPACES[op.lower()], *_components(operands))
            elif op == "cs":  # a colour space, its colour given by sc or scn
                fill = (str(operands[0]),)
            elif op == "CS":
                stroke = (str(operands[0]),)
            elif op in ("sc", "scn"):
                fill = (fill[0], *_components(operands))
            elif op in ("SC", "SCN"):
                stroke = (stroke[0], *_components(operands))
            elif op in ("m", "l", "c", "v", "y", "re", "h"):
                outline.append(op)
            elif op in _FILLS | _STROKES:
                found.append(
                    Painted(fill if op in _FILLS else None, stroke if op in _STROKES else None, tuple(outline))
                )
                outline = []
            elif op == "n":
                outline = []  # a clipping path, never painted
            elif op == "Do":
                xobject = resources["/XObject"][operands[0]].get_object()
                if xobject["/Subtype"] == "/Form":
                    walk(xobject, xobject.get("/Resources", resources), fill, stroke)

    page = reader.pages[index]
    walk(page.get_contents(), page["/Resources"], None, None)
    return found


def chart_page(texts: list[str], title: str) -> int:
    """The index of the one page where the chart's title stands on a line of its own."""
    (index,) = [i for i, text in enumerate(texts) if title in (line.strip() for line in text.splitlines())]
    return index


def chart_drawings(html: str, kind: str) -> list[ET.Element]:
    """The charts' drawings of one kind in booklet.html (chart__dots, chart__rule...), in order, parsed as XML."""
    return [ET.fromstring(svg) for svg in re.findall(rf'<svg class="{kind}" .*?</svg>', html, re.S)]


def figure_alts(pdf: Path) -> list[str]:
    """The /Alt of every /Figure of a tagged PDF's structure tree, in reading order."""
    alts = []
    with pikepdf.open(pdf) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack += reversed(list(kids))
            elif kids is not None:
                stack.append(kids)
    return alts


# --- the sample's charts --------------------------------------------------------------------------


def test_the_sample_has_every_chart_kind():
    assert sorted({chart["kind"] for chart in CHARTS}) == ["bars", "dots", "timeline"]


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_charts_are_vector_graphics_under_their_title(sample, edition):
    texts = sample.page_texts(edition)
    reader = sample.reader(edition)
    document = pdfium.PdfDocument(sample.pdfs[edition])
    for chart in CHARTS:
        index = chart_page(texts, chart["title"])
        page = document[index]
        assert list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])) == [], chart["title"]
        shapes = Counter(p.shape for p in painted(reader, index) if p.fill)
        if chart["kind"] == "bars":
            assert shapes["rectangle"] >= len(chart["items"]), chart["title"]
        elif chart["kind"] == "dots":
            assert shapes["circle"] >= sum(item["value"] for item in chart["items"]), chart["title"]
        else:
            assert shapes["circle"] >= len(chart["items"]), chart["title"]  # a milestone per item


def test_dots_charts_draw_one_dot_per_unit(sample):
    """The sample's dots charts are small enough for a dot a unit: as many dots of each item's colour as its
    value, and a legend that counts them."""
    html = (sample.out / "booklet.html").read_text(encoding="utf-8")
    grids = chart_drawings(html, "chart__dots")
    dots = [chart for chart in CHARTS if chart["kind"] == "dots"]
    assert len(grids) == len(dots) == 2
    text = " ".join(" ".join(page.split()) for page in sample.page_texts("screen"))
    for chart, svg in zip(dots, grids, strict=True):
        per_colour = Counter(circle.get("class") for circle in svg.iter(f"{SVG}circle"))
        assert per_colour == {f"c{k}": item["value"] for k, item in enumerate(chart["items"], start=1)}
        for item in chart["items"]:
            assert f"{numbers.display(item['value'], numbers.Numbering('arabic-indic'))} {item['label']}" in text
    assert "كل نقطة =" not in text  # a dot is one unit of nothing named: the titles say what a dot is


def _in_brand(paths: list[Painted], chart: dict, brand: tuple) -> None:
    """The bars of a bars chart, and the first item's dots and legend swatch of a dots chart, are --brand."""
    shapes = Counter(p.shape for p in paths if p.fill == brand)
    if chart["kind"] == "bars":
        assert shapes["rectangle"] == len(chart["items"]), chart["title"]
    elif chart["kind"] == "dots":
        assert shapes["circle"] == chart["items"][0]["value"], chart["title"]


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_charts_are_drawn_in_the_editions_brand_colour(sample, edition):
    """booklet.css's --brand on screen; print.css's CMYK --brand for the press."""
    texts = sample.page_texts(edition)
    reader = sample.reader(edition)
    for chart in CHARTS:
        _in_brand(painted(reader, chart_page(texts, chart["title"])), chart, BRAND[edition])


def test_every_chart_is_a_figure_with_its_alt_text(sample):
    """Each chart carries one drawing titled with its alt: the screen edition tags it as a figure described so."""
    html = (sample.out / "booklet.html").read_text(encoding="utf-8")
    alts = [" ".join(chart["alt"].split()) for chart in CHARTS]
    titles = [svg.find(f"{SVG}title").text for svg in chart_drawings(html, r"chart__\w+")]
    assert titles == alts
    tagged = figure_alts(sample.pdfs["screen"])
    assert [alt for alt in tagged if alt in alts] == alts  # in the order of the booklet


# --- colours from the design tokens --------------------------------------------------------------


@pytest.fixture(scope="module")
def recoloured(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - conftest's Built
    """The sample built (screen edition) with a copy of layouts/ where a designer changed two tokens in
    booklet.css, and nothing else: --brand to #12ab34 and --icon to #ab1234."""
    root = tmp_path_factory.mktemp("recoloured")
    shutil.copytree(ROOT / "layouts", root / "layouts")
    shutil.copytree(ROOT / "fonts", root / "fonts")
    css = root / "layouts" / "booklet.css"
    text = css.read_text(encoding="utf-8")
    text, brands = re.subn(r"(--brand:\s*)[^;]+;", rf"\g<1>{NEW_BRAND};", text)
    text, icons = re.subn(r"(--icon:\s*)[^;]+;", rf"\g<1>{NEW_ICON};", text)
    assert (brands, icons) == (1, 1)
    css.write_text(text, encoding="utf-8")
    return build_into(ROOT / "data", root / "out", ["screen"], root=root)


def test_chart_colours_follow_the_brand_token(recoloured):
    texts = recoloured.page_texts("screen")
    reader = recoloured.reader("screen")
    old, new = BRAND["screen"], rgb(NEW_BRAND)
    assert old != new
    for chart in CHARTS:
        paths = painted(reader, chart_page(texts, chart["title"]))
        assert [p for p in paths if old in (p.fill, p.stroke)] == [], f"{chart['title']}: a path in the old --brand"
        _in_brand(paths, chart, new)


def test_icons_follow_the_icon_token(recoloured):
    """Every stroke of every icon on the highlights page is drawn in the new --icon colour."""
    (highlights,) = [s for s in SAMPLE["sections"] if s["kind"] == "highlights"]
    texts = recoloured.page_texts("screen")
    (index,) = [i for i, text in enumerate(texts) if highlights["title"] in text.splitlines()[:3]]
    strokes = [p for p in painted(recoloured.reader("screen"), index) if p.stroke == rgb(NEW_ICON)]
    drawn = 0
    for figure in highlights["figures"]:
        icon = (ROOT / "layouts" / "icons" / f"{figure['icon']}.svg").read_text(encoding="utf-8")
        drawn += len(re.findall(r"<(?:path|circle|line|rect|polyline|polygon|ellipse)\b", icon))
    assert len(strokes) == drawn > 0


# --- labels written over several lines ------------------------------------------------------------

#: A booklet whose chart labels are YAML blocks over several lines: literal (the line breaks are kept,
#: as in a dots chart's legend here), and folded with a blank line (which folds to a line break).
MULTILINE = """\
document:
  title: كتيب تجريبي
  organisation: فريق الاختبار
  subject: تسميات على عدة أسطر
sections:
  - kind: cover
  - kind: chapter
    title: فصل الرسوم
    charts:
      - kind: bars
        title: ورش العمل والاتفاقيات
        alt: أعمدة تقارن ثلاث ورش عمل مغلقة واتفاقيتي منح.
        items:
          - label: |
              ورش عمل
              مغلقة
            value: 3
          - label: اتفاقيتا منح
            value: 2
      - kind: timeline
        title: محطات
        alt: خط زمني من تأسيس المنظمة عام ١٩٥١.
        items:
          - label: >
              تأسيس المنظمة

              الدولية للهجرة
            value: 1951
          - label: الانضمام إلى منظومة الأمم المتحدة
            value: 2016
      - kind: dots
        title: الدول المراقبة
        alt: رسم من ٨ نقاط، كل نقطة دولة بصفة مراقب.
        items:
          - label: |-
              دول
              بصفة مراقب
            value: 8
  - kind: back-cover
    body: نهاية الكتيب
"""


def test_labels_written_over_several_lines_read_as_one_text(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "booklet.yaml").write_text(MULTILINE, encoding="utf-8")
    (chapter,) = [s for s in yaml.safe_load(MULTILINE)["sections"] if s["kind"] == "chapter"]
    labels = [item["label"] for chart in chapter["charts"] for item in chart["items"]]
    assert sum("\n" in label.strip() for label in labels) == 3  # the YAML does give labels with line breaks

    built = build_into(tmp_path / "data", tmp_path / "out", ["screen"])
    lines = [" ".join(line.split()) for page in built.page_texts("screen") for line in page.splitlines()]
    assert "ورش عمل مغلقة" in lines
    assert "تأسيس المنظمة الدولية للهجرة" in lines
    assert "٨ دول بصفة مراقب" in lines  # a dots chart's legend: the value, then the label


# --- icons ----------------------------------------------------------------------------------------

ICONS = len(list((ROOT / "layouts" / "icons").glob("*.svg")))


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("usres", f"did you mean 'users'? ({ICONS} icons, listed in ASSETS.md)"),
        ("water", f"did you mean 'droplet'? ({ICONS} icons, listed in ASSETS.md)"),
        ("Tent", f"did you mean 'tent'? ({ICONS} icons, listed in ASSETS.md)"),
        ("zzqx", f"use one of the {ICONS} icons, listed in ASSETS.md"),
    ],
)
def test_unknown_icon_is_a_validation_error(data_copy, tmp_path, monkeypatch, name, hint):
    monkeypatch.chdir(tmp_path)
    source = data_copy / "booklet.yaml"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines.index("        icon: users\n")  # the highlights' second figure
    lines[line] = f"        icon: {name}\n"
    source.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(booklet.BookletError) as caught:
        booklet.check(booklet.Project(data_copy))
    place = f"data/booklet.yaml:{line + 1}:{len('        icon: ') + 1}"
    assert [str(p) for p in caught.value.problems] == [
        f"{place}: sections[4].figures[2].icon: no icon {name!r} in layouts/icons/; {hint}"
    ]


def test_every_icon_is_listed_in_assets_with_its_licence():
    icons = sorted(p.name for p in (ROOT / "layouts" / "icons").glob("*.svg"))
    assets = (ROOT / "ASSETS.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `layouts/icons/([^`]+\.svg)` \|.*\| MIT, `layouts/icons/LICENSE` \|$", assets, re.M)
    assert sorted(rows) == icons
    assert len(rows) == len(set(rows))
    package, version = re.search(r"the npm package `(@[\w/-]+)`, version (\d+\.\d+\.\d+)", assets).groups()
    licence = (ROOT / "layouts" / "icons" / "LICENSE").read_text(encoding="utf-8")
    # The licence names the package and the version that ASSETS.md names, and carries the MIT text.
    assert f"{package}, version {version}" in " ".join(licence.split())
    assert "MIT License" in licence and "Permission is hereby granted, free of charge" in licence
    # Every icon the sample uses is one of them.
    used = {f["icon"] for s in SAMPLE["sections"] for f in s.get("figures", []) if "icon" in f}
    assert used <= {Path(name).stem for name in icons}


# --- charts without items ---------------------------------------------------------------------------

DOTS_CHART = """\
      - kind: dots
        title: كل نقطة ممثل واحد
"""
DOTS_ITEMS = """\
        items:
          - label: ممثلا تلقوا التدريب
            value: 172
"""


@pytest.mark.parametrize("kind", ["bars", "dots", "timeline"])
def test_chart_without_items_is_a_validation_error(data_copy, tmp_path, monkeypatch, kind):
    monkeypatch.chdir(tmp_path)
    source = data_copy / "booklet.yaml"
    text = source.read_text(encoding="utf-8")
    assert text.count(DOTS_CHART) == 1 and text.count(DOTS_ITEMS) == 1
    text = text.replace(DOTS_CHART, DOTS_CHART.replace("dots", kind)).replace(DOTS_ITEMS, "        items: []\n")
    source.write_text(text, encoding="utf-8")
    with pytest.raises(booklet.BookletError) as caught:
        booklet.check(booklet.Project(data_copy))
    # One problem, with its place in the data, naming the chart (or its items).
    (problem,) = caught.value.problems
    assert re.match(r"data/booklet\.yaml:\d+:\d+: sections\[5\]\.charts\[1\](\.items)?: ", str(problem)), str(problem)
