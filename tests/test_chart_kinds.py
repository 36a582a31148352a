"""Every chart kind, with long labels, huge values and many dots, read back from the PDFs at A5 and A4:
chart text whole and in reading order, values on one line inside the page, colours in CMYK for print,
a figure with its description per chart in the screen edition, and the data's mistakes told at once."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from conftest import FILE, ROOT, build_into, edit, write
from PIL import Image, ImageCms
from pypdf import PdfReader
from test_charts import painted

import booklet
from booklet.data import chartrules, model, numbers
from booklet.data.amounts import amount
from booklet.data.numbers import Numbering
from booklet.design import chartmarks, charts

#: A hundred characters of label, in a sentence that reads.
LONG = ("عدد الأسر النازحة التي حصلت على مساعدات نقدية متعددة الأغراض خلال فصل الشتاء في المخيمات والمناطق الحضرية")[
    :100
]
BIG = 9850000


def _stress(size: str, digits: str) -> str:
    bars = "".join(
        f"          - label: {LONG[: 100 - i]}\n            value: {v}\n"
        for i, v in enumerate([BIG, 7200000, 4500000, 3100000, 2500000, 1200000, 800000, 450000, 12000])
    )
    events = "".join(
        f"          - label: حدثٌ رقم {i} في مسيرة المنظمة مع شركائها\n            value: {2010 + i}\n"
        for i in range(10)
    )
    points = "".join(
        f"          - label: '{2015 + i}'\n            values: [{1000 * (i + 1) ** 2}, {800 * i}]\n" for i in range(8)
    )
    return f"""\
settings:
  page_size: {size}
  digits: {digits}
document:
  title: كتيب الرسوم
  organisation: فريق الاختبار
  subject: رسوم بيانية بكل أنواعها
sections:
  - kind: cover
  - kind: chapter
    title: الرسوم البيانية
    charts:
      - kind: bars
        title: تسعة أعمدة بتسميات طويلة
        alt: تسعة أعمدة أطولها للأسر النازحة.
        items:
{bars}      - kind: dots
        title: ثمانمئة طفل
        alt: ثمانمئة طفل في أربع فئات.
        unit: طفل
        units: أطفال
        items:
          - label: طفلا في المدارس الحكومية
            value: 426
          - label: طفلا في المدارس الخاصة
            value: 200
          - label: طفلا خارج المدرسة
            value: 120
          - label: طفلا في التعليم غير النظامي
            value: 54
      - kind: timeline
        title: عشرة أحداث
        alt: عشرة أحداث من ٢٠١٠ إلى ٢٠١٩.
        items:
{events}      - kind: stacked
        title: الإنفاق حسب القطاع
        alt: أعمدة مكدسة للإنفاق.
        series: [الغذاء, المأوى, الصحة]
        items:
          - label: {LONG}
            values: [5200000, 3100000, 1550000]
          - label: الأردن
            values: [2100000, 900000, 400000]
      - kind: grouped
        title: المستفيدون في عامين
        alt: أعمدة مجمعة للمستفيدين.
        series: [العام الماضي, هذا العام]
        items:
          - label: {LONG}
            values: [{BIG}, 8000000]
          - label: الأطفال
            values: [22000, 31000]
      - kind: proportion
        title: مصادر التمويل
        alt: نسب مصادر التمويل.
        items:
          - label: الحكومات المانحة
            value: 5400000
          - label: الصناديق المشتركة والقطاع الخاص والأفراد المتبرعون عبر المنصات الرقمية
            value: 2100000
          - label: أخرى
            value: 300000
      - kind: proportion
        shape: donut
        title: الإنفاق حسب البرنامج
        alt: حلقة تقسم الإنفاق على ثلاثة برامج.
        items:
          - label: برامج الحماية والدعم النفسي والاجتماعي للأطفال والنساء في المجتمعات المضيفة
            value: 6100000
          - label: المأوى
            value: 2300000
          - label: الإدارة
            value: 450000
      - kind: line
        title: المستفيدون عبر السنين
        alt: خطان للنساء والرجال من ٢٠١٥ إلى ٢٠٢٢.
        series: [النساء, الرجال]
        items:
{points}  - kind: back-cover
    body: نهاية
"""


@pytest.fixture(scope="module", params=[("A5", "arabic-indic"), ("A4", "western")], ids=["A5", "A4"])
def stress(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    size, digits = request.param
    root = tmp_path_factory.mktemp(f"stress-{size}")
    (root / "data").mkdir()
    write(root / "data", _stress(size, digits))
    return build_into(root / "data", root / "out"), digits


def _shown(value: int, digits: str) -> str:
    return charts.charts_format_value(value, charts.Numbers.plain(digits))


def _occurrences(pdf: Path, text: str) -> list[tuple[int, list[tuple[float, float, float, float]], tuple]]:
    """Each place ``text`` is found whole in the PDF: its page, the boxes of its characters and the page's trim box."""
    found = []
    document = pdfium.PdfDocument(pdf)
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        searcher = textpage.search(text, match_whole_word=False)
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            boxes = [textpage.get_charbox(i, loose=True) for i in range(start, start + count)]
            found.append((index, boxes, page.get_trimbox()))
    return found


def _one_line_inside(boxes: list, trim: tuple) -> bool:
    left, bottom, right, top = trim
    lines = {round((b[1] + b[3]) / 2) for b in boxes if b[2] > b[0]}
    inside = all(left <= b[0] and b[2] <= right and bottom <= b[1] and b[3] <= top for b in boxes)
    return len(lines) == 1 and inside


@pytest.mark.parametrize("edition", ["screen", "print"])
def test_every_value_is_whole_on_one_line_inside_the_page(stress, edition):
    built, digits = stress
    values = [BIG, 7200000, 12000, 426, 200, 120, 54, 5200000 + 3100000 + 1550000, 5400000, 8000000, 6100000, 450000]
    for value in values:
        text = _shown(value, digits)
        found = _occurrences(built.pdfs[edition], text)
        assert found, f"{text} is not in the PDF whole"
        for page, boxes, trim in found:
            assert _one_line_inside(boxes, trim), f"{text} on page {page + 1}: broken or past the page's edge"


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_chart_text_reads_whole_and_in_order(stress):
    built, digits = stress
    texts = built.page_texts("screen")
    flat = _flat(" ".join(texts))
    for label in [
        LONG,
        LONG[:92],
        "الصناديق المشتركة والقطاع الخاص والأفراد المتبرعون عبر المنصات الرقمية",
        "برامج الحماية والدعم النفسي والاجتماعي للأطفال والنساء في المجتمعات المضيفة",
    ]:
        assert label in flat, label
    # Vowel marks stay (SVG labels lost them): PDFium gives a mark apart from its letter, so it is counted.
    assert flat.count("\u064c") == 10
    # No presentation forms: the text is the letters as written, not their drawn shapes.
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", "".join(texts))
    # The years of the timeline and of the line chart, in the booklet's digits, never grouped.
    for year in (2010, 2019, 2015, 2022):
        assert numbers.display(year, numbers.Numbering(digits)) in flat


def test_dots_stand_for_as_many_units_as_fit_a_page(stress):
    built, digits = stress
    flat = _flat(" ".join(built.page_texts("screen")))
    # 800 children at two a dot: 400 dots, under the page's budget; the legend counts children.
    assert chartmarks.units_per_dot([426, 200, 120, 54]) == 2
    assert "كل نقطة = طفلان" in flat
    assert f"{_shown(426, digits)} طفلا في المدارس الحكومية" in flat


def test_each_chart_title_stands_with_its_chart(stress):
    built, digits = stress
    texts = [_flat(t) for t in built.page_texts("screen")]
    firsts = {
        "تسعة أعمدة بتسميات طويلة": LONG[:40],
        "عشرة أحداث": "رقم 0 في مسيرة المنظمة",
        "الإنفاق حسب القطاع": "الغذاء",
        "المستفيدون في عامين": "العام الماضي",
        "مصادر التمويل": "الحكومات المانحة",
        "الإنفاق حسب البرنامج": "المأوى",
    }
    for title, first in firsts.items():
        (page,) = [i for i, t in enumerate(texts) if title in t]
        assert first in texts[page].split(title, 1)[1], f"{title} ends page {page + 1} alone"


def _struct_figures(pdf: Path) -> list[str]:
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
                stack += list(kids)
            elif kids is not None:
                stack.append(kids)
    return alts


def test_screen_edition_tags_each_chart_as_a_figure_with_its_alt(stress):
    built, _digits = stress
    alts = _struct_figures(built.pdfs["screen"])
    for alt in [
        "تسعة أعمدة أطولها للأسر النازحة.",
        "ثمانمئة طفل في أربع فئات.",
        "عشرة أحداث من ٢٠١٠ إلى ٢٠١٩.",
        "أعمدة مكدسة للإنفاق.",
        "أعمدة مجمعة للمستفيدين.",
        "نسب مصادر التمويل.",
        "حلقة تقسم الإنفاق على ثلاثة برامج.",
        "خطان للنساء والرجال من ٢٠١٥ إلى ٢٠٢٢.",
    ]:
        assert alt in alts
    assert all(alts), "a figure without its description"


def _fills(pdf: Path) -> set[tuple]:
    reader = PdfReader(pdf)
    return {p.fill for i in range(len(reader.pages)) for p in painted(reader, i) if p.fill}


def _token(stylesheet: str, name: str) -> str:
    return re.search(rf"^\s*{name}:\s*([^;]+);", (ROOT / "layouts" / stylesheet).read_text(encoding="utf-8"), re.M)[1]


def test_print_paints_the_chart_colours_in_cmyk(stress):
    built, _digits = stress
    fills = _fills(built.pdfs["print"])
    assert not [f for f in fills if f[0] == "/DeviceRGB"]
    for n in range(2, 5):  # the colours of the dots' four categories
        components = tuple(
            float(c) for c in re.fullmatch(r"device-cmyk\(([\d. ]+)\)", _token("print.css", f"--chart-{n}"))[1].split()
        )
        assert ("/DeviceCMYK", *components) in fills, f"--chart-{n}"


# --- colours apart in greyscale ---------------------------------------------------------------------


def _lightness_screen(value: str) -> float:
    if value.startswith("var("):
        value = _token("booklet.css", value[4:-1])
    rgb = tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))
    lab = ImageCms.applyTransform(
        Image.new("RGB", (1, 1), rgb),
        ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB"), "RGB", "LAB"),
    )
    return lab.getpixel((0, 0))[0] * 100 / 255


def _lightness_print(value: str) -> float:
    if value.startswith("var("):
        value = _token("print.css", value[4:-1])
    cmyk = tuple(round(float(c) * 255) for c in re.fullmatch(r"device-cmyk\(([\d. ]+)\)", value)[1].split())
    profile = ImageCms.getOpenProfile(str(ROOT / "layouts" / "color" / "booklet-cmyk.icc"))
    transform = ImageCms.buildTransform(profile, ImageCms.createProfile("LAB"), "CMYK", "LAB")
    return ImageCms.applyTransform(Image.new("CMYK", (1, 1), cmyk), transform).getpixel((0, 0))[0] * 100 / 255


@pytest.mark.parametrize("edition", ["screen", "print"])
def test_eight_chart_colours_stay_apart_in_greyscale(edition):
    """Each pair of --chart-N tokens is at least 8 steps of lightness (CIE L*) apart: told apart in black ink."""
    lightness = []
    for n in range(1, chartrules.PALETTE + 1):
        value = _token("booklet.css", f"--chart-{n}")
        if edition == "print" and not value.startswith("var("):
            value = _token("print.css", f"--chart-{n}")
        lightness.append((_lightness_screen if edition == "screen" else _lightness_print)(value))
    assert chartrules.PALETTE == 8
    for (a, la), (b, lb) in itertools.combinations(enumerate(lightness, start=1), 2):
        assert abs(la - lb) >= 8, f"--chart-{a} and --chart-{b} are {abs(la - lb):.1f} L* apart"


# --- the units a dot stands for, and how the key says it --------------------------------------------


def test_units_per_dot_fit_the_budget():
    # The most dots the data may ask for fill the grid's whole rows.
    assert chartmarks.COLUMNS * chartmarks.MAX_DOT_ROWS == chartrules.MAX_DOTS
    assert chartmarks.units_per_dot([172]) == 1
    assert chartmarks.units_per_dot([chartrules.MAX_DOTS]) == 1
    assert chartmarks.units_per_dot([chartrules.MAX_DOTS + 1]) == 2
    assert chartmarks.units_per_dot([27_800_000]) == 100_000
    for values in ([426, 200, 120, 54], [1] * 8, [10**12, 3], [451, 1, 1]):
        units = chartmarks.units_per_dot(values)
        assert sum(chartmarks.dot_counts(values, units)) <= chartrules.MAX_DOTS
        assert all(chartmarks.dot_counts(values, units))  # every category keeps a dot


@pytest.mark.parametrize(
    ("units", "key"),
    [
        (1, "كل نقطة = طفل واحد"),
        (2, "كل نقطة = طفلان"),
        (5, "كل نقطة = ٥ أطفال"),
        (10, "كل نقطة = ١٠ أطفال"),
        (20, "كل نقطة = ٢٠ طفلا"),
        (100, "كل نقطة = ١٠٠ طفل"),
    ],
)
def test_the_key_counts_in_arabic(units, key):
    assert charts.dots_key(units, "طفل", "أطفال", charts.Numbers.plain("arabic-indic")) == key


def test_the_key_without_a_unit():
    assert charts.dots_key(1, None, None, charts.Numbers.plain("arabic-indic")) is None
    assert charts.dots_key(50, None, None, charts.Numbers.plain("western")) == "كل نقطة = 50"
    assert charts.dots_key(2, "أسرة", "أسر", charts.Numbers.plain("western")) == "كل نقطة = أسرتان"


def _values_shown(kind: str, items: list[dict], numbering: Numbering) -> list[str]:
    chart = model.Chart(kind=kind, title="ر", alt="ر", items=[model.ChartItem(**item) for item in items], series=[])
    html = charts.draw(chart, numbering, chartmarks.Marks("", 1, 1, 10, 1, 1, 10, 5))  # sizes do not matter here
    return re.findall(r'<bdi class="chart__value[^"]*">([^<]*)</bdi>', html)


@pytest.mark.parametrize(
    ("kind", "items", "numbering", "shown"),
    [
        # One value of five digits groups the chart's four-digit values: they read alike along one axis.
        ("bars", [{"label": "أ", "value": amount(17800)}, {"label": "ب", "value": amount(9100)}], "western")
        + (["17,800", "9,100"],),
        # A stacked bar's total groups its parts too (the annual report's 17,800 over 9,100 and 8,700).
        ("stacked", [{"label": "أ", "values": [amount(9100), amount(8700)]}], "western")
        + (["17,800", "9,100", "8,700"],),
        ("proportion", [{"label": "أ", "value": amount(12500)}, {"label": "ب", "value": amount(5600)}], "arabic-indic")
        + (["١٢٬٥٠٠", "٦٩٪", "٥٬٦٠٠", "٣١٪"],),
        # None of five digits: four digits stay one word.
        ("bars", [{"label": "أ", "value": amount(9100)}, {"label": "ب", "value": amount(420)}], "western")
        + (["9100", "420"],),
        # A timeline's years are never grouped.
        ("timeline", [{"label": "أ", "value": amount(2010)}, {"label": "ب", "value": amount(2024)}], "western")
        + (["2010", "2024"],),
    ],
)
def test_a_charts_values_are_grouped_alike(kind, items, numbering, shown):
    assert _values_shown(kind, items, Numbering(numbering)) == shown


def test_percentages_add_up_to_a_hundred():
    assert charts.percentages([1, 1, 1]) == [34, 33, 33]
    assert sum(charts.percentages([5400000, 2100000, 300000])) == 100


# --- the data's mistakes, all at once ------------------------------------------------------------------

CHART = """\
    charts:
      - kind: {kind}
        title: رسم
        alt: وصف الرسم
{extra}        items:
{items}"""


def _problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, charts_yaml: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir(exist_ok=True)
    write(tmp_path / "data", edit("    title: بناء القدرات\n", "    title: بناء القدرات\n" + charts_yaml))
    with pytest.raises(booklet.BookletError) as caught:
        booklet.check(booklet.Project(tmp_path / "data"))
    return [str(p) for p in caught.value.problems]


def test_chart_mistakes_are_told_at_once_with_their_fix(tmp_path, monkeypatch):
    timeline = CHART.format(
        kind="timeline",
        extra="",
        items="          - label: أ\n            value: 2020\n          - label: ب\n            value: 2016\n",
    )
    stacked = CHART.format(
        kind="stacked",
        extra="        series: [أ, ب, ج]\n",
        items="          - label: أ\n            values: [1, 2]\n",
    ).replace("    charts:\n", "")
    unknown = CHART.format(kind="stacked-bars", extra="", items="          - label: أ\n            value: 1\n").replace(
        "    charts:\n", ""
    )
    problems = _problems(tmp_path, monkeypatch, timeline + stacked + unknown)
    assert problems == [
        f"{FILE}:17:20: sections[2].charts[1].items[2].value: 2016 comes after 2020 (items[1]); a timeline lists "
        "its events from the earliest: move this item above items[1]",
        f"{FILE}:24:21: sections[2].charts[2].items[1].values: has 2 values, the chart has 3 series (أ, ب, ج): "
        "give one value per series, in their order",
        f"{FILE}:25:15: sections[2].charts[3].kind: expected one of 'bars', 'dots', 'timeline', 'stacked', "
        "'grouped', 'proportion', 'line', found 'stacked-bars'; did you mean 'stacked'?",
    ]


def test_a_ninth_category_is_refused(tmp_path, monkeypatch):
    items = "".join(f"          - label: فئة {n}\n            value: {n}\n" for n in range(1, 10))
    (problem,) = _problems(tmp_path, monkeypatch, CHART.format(kind="dots", extra="", items=items))
    assert problem.endswith(
        "sections[2].charts[1].items: has 9 items; a chart tells at most 8 apart by colour: merge the smallest "
        "into one, such as «أخرى»"
    )


def test_dots_fields_on_another_kind_and_a_too_small_per_dot(tmp_path, monkeypatch):
    bars = CHART.format(kind="bars", extra="        unit: طفل\n", items="          - label: أ\n            value: 1\n")
    dots = CHART.format(
        kind="dots", extra="        per_dot: 1\n", items="          - label: أ\n            value: 5000\n"
    ).replace("    charts:\n", "")
    problems = _problems(tmp_path, monkeypatch, bars + dots)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "sections[2].charts[1].unit: only a dots chart has unit; remove it",
        f"sections[2].charts[2].per_dot: with 1 units a dot the chart draws 5,000 dots; a page holds "
        f"{chartrules.MAX_DOTS:,}: write a larger per_dot, or leave it out to have it chosen",
    ]


# --- extremes the schema accepts ----------------------------------------------------------------------

EXTREMES = """\
document:
  title: كتيب القيم القصوى
  organisation: فريق الاختبار
  subject: رسوم بقيم قصوى
sections:
  - kind: cover
  - kind: chapter
    title: القيم القصوى
    charts:
      - kind: bars
        title: أكبر قيمة
        alt: عمود بقيمة من خمس عشرة خانة.
        items:
          - label: قيمة ضخمة
            value: 999999999999999
          - label: صفر
            value: 0
      - kind: line
        title: ستون عاما
        alt: خط من ستين نقطة.
        items:
{points}  - kind: back-cover
    body: نهاية
"""


@pytest.fixture(scope="module")
def extremes(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    root = tmp_path_factory.mktemp("extremes")
    (root / "data").mkdir()
    points = "".join(f"          - label: '{1960 + i}'\n            value: {(i + 20) * 98500}\n" for i in range(60))
    write(root / "data", EXTREMES.format(points=points))
    return build_into(root / "data", root / "out", ["screen"])


def test_extreme_values_stay_whole_and_years_never_collide(extremes):
    """The largest value the data may give (15 digits), a zero, and a line of sixty years."""
    pdf = extremes.pdfs["screen"]
    for value in (999999999999999, 20 * 98500, 79 * 98500):
        text = _shown(value, "arabic-indic")
        found = _occurrences(pdf, text)
        assert found and all(_one_line_inside(boxes, trim) for _page, boxes, trim in found), text
    years = []
    for year in range(1960, 2020):
        found = _occurrences(pdf, numbers.display(year, numbers.Numbering("arabic-indic")))
        years += [(round(boxes[0][1]), min(b[0] for b in boxes), max(b[2] for b in boxes)) for _p, boxes, _t in found]
    axis = max(Counter(line for line, _left, _right in years).items(), key=lambda item: item[1])[0]
    shown = sorted((left, right) for line, left, right in years if line == axis)
    assert len(shown) >= 6  # one year in a few is shown: as many as fit
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(shown)), "two years overlap"


@pytest.mark.parametrize(
    ("kind", "extra", "items", "message"),
    [
        (
            "grouped",
            "",
            "          - label: أ\n            values: [1, 2]\n",
            "sections[2].charts[1].series: missing; a grouped chart names its series, such as series: [2022, 2023]",
        ),
        (
            "bars",
            "        series: [أ, ب]\n",
            "          - label: أ\n            value: 1\n",
            "sections[2].charts[1].series: a bars chart has no series; remove series (stacked, grouped and line "
            "charts have them)",
        ),
        (
            "bars",
            "",
            "          - label: أ\n            values: [1, 2]\n",
            "sections[2].charts[1].items[1].values: values are for charts with series: write value: N",
        ),
        (
            "bars",
            "",
            "          - label: أ\n",
            "sections[2].charts[1].items[1].value: missing; expected a whole number such as 172",
        ),
        (
            "bars",
            "",
            "          - label: أ\n            value: -5\n",
            "sections[2].charts[1].items[1].value: is -5; values are counts, amounts or years, never below 0: "
            "write the number without its minus",
        ),
        (
            "line",
            "",
            "          - label: '2020'\n            value: 5\n",
            "sections[2].charts[1].items: a line chart joins two points or more: list at least two years",
        ),
        (
            "proportion",
            "",
            "          - label: أ\n            value: 0\n",
            "sections[2].charts[1]: the items add up to 0; a proportion chart shows parts of a total above 0",
        ),
        (
            "line",
            "        series: [أ]\n",
            "          - label: '2020'\n            value: 5\n",
            "sections[2].charts[1].items[1].value: this chart has series: write values: with one value per series "
            "(1), in their order",
        ),
        (
            "grouped",
            "        series: [أ, ب]\n",
            "          - label: أ\n            values: [3, -2]\n",
            "sections[2].charts[1].items[1].values: holds -2; values are counts, amounts or years, never below 0: "
            "write the number without its minus",
        ),
        (
            "bars",
            "        shape: donut\n",
            "          - label: أ\n            value: 1\n",
            "sections[2].charts[1].shape: only a proportion chart has a shape (bar or donut); remove it",
        ),
    ],
    ids=[
        "no-series",
        "series-on-bars",
        "values-on-bars",
        "no-value",
        "negative",
        "one-point",
        "zero-whole",
        "value-with-series",
        "negative-in-a-series",
        "shape-on-bars",
    ],
)
def test_each_kind_says_what_its_items_need(tmp_path, monkeypatch, kind, extra, items, message):
    (problem,) = _problems(tmp_path, monkeypatch, CHART.format(kind=kind, extra=extra, items=items))
    assert problem.split(": ", 1)[1] == message


def _font_size(pdf: Path, text: str) -> float:
    """The size, in points, the first character of ``text`` is set at where it first stands whole.

    PDFium gives it in the units of the text's own space, which WeasyPrint sets in CSS pixels (3/4 of a point)."""
    ((page, _boxes, _trim),) = _occurrences(pdf, text)[:1]
    document = pdfium.PdfDocument(pdf)
    textpage = document[page].get_textpage()
    start, _count = textpage.search(text, match_whole_word=False).get_next()
    return round(pdfium_c.FPDFText_GetFontSize(textpage.raw, start) * 0.75, 2)


def test_chart_text_takes_the_type_scale_not_the_page(stress):
    """Labels and values at the body's 10 pt, years of a timeline at the lead's 12.5 pt, on A5 as on A4."""
    built, digits = stress
    pdf = built.pdfs["screen"]
    assert _font_size(pdf, LONG[:30]) == 10
    assert _font_size(pdf, _shown(BIG, digits)) == 10
    assert _font_size(pdf, numbers.display(2013, numbers.Numbering(digits))) == 12.5
