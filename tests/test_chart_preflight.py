"""The charts' preflight on real builds: the sample's charts pass, and a layout that lets a value break, cuts
a label or makes a chart taller than its page fails, with the chart and what to do; a layouts/ without the
charts' marks stylesheet is a message, not a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, build_into, write

import booklet
from booklet import Project
from booklet.preflight import Findings, preflight

DATA = """\
document:
  title: كتيب الرسوم
  organisation: فريق الاختبار
  subject: رسوم بيانية
sections:
  - kind: cover
  - kind: chapter
    title: الرسوم
    charts:
      - kind: bars
        title: أعمدة
        alt: أعمدة تقارن قيمتين.
        items:
          - label: الأسر النازحة التي حصلت على مساعدات نقدية
            value: 9850000
          - label: الأسر المضيفة
            value: 120000
      - kind: dots
        title: نقاط
        alt: نقاط لمئتي طفل.
        items:
          - label: طفلا
            value: 200
  - kind: back-cover
    body: نهاية
"""


def _charts(report: Findings) -> list[tuple[str, str, str]]:
    return [(row.edition, row.status, row.detail) for row in report.rows if row.check == "charts"]


def _built(tmp_path: Path, css: str = "", partial: str | None = None) -> tuple[Path, Project]:
    """The booklet above, built (screen edition) with ``css`` added to a copy of layouts/charts.css, and
    ``partial`` for layouts/partials/chart.html when given."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    if partial is not None:
        (tmp_path / "layouts" / "partials" / "chart.html").write_text(partial, encoding="utf-8")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts")
    with (tmp_path / "layouts" / "charts.css").open("a", encoding="utf-8") as sheet:
        sheet.write(css)
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", DATA)
    built = build_into(tmp_path / "data", tmp_path / "out", ["screen"], root=tmp_path)
    return built.out, Project(tmp_path / "data", root=tmp_path)


def test_the_sample_charts_are_whole(sample):
    rows = _charts(preflight(sample.out, Project(ROOT / "data")))
    assert rows == [
        (edition, "ok", "5 charts: 13 values whole on one line, every label whole") for edition in ("print", "screen")
    ]


def test_as_designed_the_charts_pass(tmp_path):
    out, project = _built(tmp_path)
    assert _charts(preflight(out, project, ["screen"])) == [
        ("screen", "ok", "2 charts: 3 values whole on one line, every label whole")
    ]


def test_a_value_broken_over_two_lines_is_an_error(tmp_path):
    css = ".chart__track > .chart__value { flex: 0 1 auto; width: 4mm; white-space: normal; word-break: break-all; }"
    out, project = _built(tmp_path, css)
    rows = [r for r in _charts(preflight(out, project, ["screen"])) if r[1] != "ok"]
    assert {r[1] for r in rows} == {"error"}
    row = rows[0]
    assert row[2].startswith("chart «أعمدة»: the value ٩٬٨٥٠٬٠٠٠ is not whole on one line inside the page")
    assert "undo the change to charts.css that lets it break" in row[2]


def test_a_label_cut_at_the_edge_is_an_error(tmp_path):
    css = ".chart__label { white-space: nowrap; margin-inline-start: -200mm; }"
    out, project = _built(tmp_path, css)
    errors = [r[2] for r in _charts(preflight(out, project, ["screen"])) if r[1] == "error"]
    assert any(e.startswith("chart «أعمدة»: the label «الأسر النازحة") for e in errors), errors


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_a_drawing_past_the_foot_of_its_page_is_an_error(sample, tmp_path, edition):
    """A drawing inside the page's width running past its foot, as a chart taller than its page would, on the
    page of the sample's timeline; the same drawing on a page without a chart is another check's business."""
    shutil.copy(sample.out / "booklet.html", tmp_path)
    (index,) = [i for i, text in enumerate(sample.page_texts(edition)) if "محطات" in text.splitlines()]
    with pikepdf.open(sample.pdfs[edition]) as pdf:
        page = pdf.pages[index]
        left, bottom = float(page.trimbox[0]), float(page.trimbox[1])
        # The page's own drawing inside q ... Q, so that the rectangle is set in the page's coordinates.
        page.contents_add(pdf.make_stream(b"q"), prepend=True)
        rectangle = f"Q 0 0 1 rg {left + 60} {bottom - 20} 100 60 re f"
        page.contents_add(pdf.make_stream(rectangle.encode()), prepend=False)
        pdf.save(tmp_path / f"booklet-{edition}.pdf")
    errors = [r[2] for r in _charts(preflight(tmp_path, Project(ROOT / "data"), [edition])) if r[1] == "error"]
    assert errors == [
        f"page {index + 1}: a chart or drawing is taller than the page and runs past its foot; give a dots chart "
        "a larger per_dot, or split the chart's items into two charts"
    ]


def test_a_page_sharing_words_with_a_chart_is_not_a_chart_page(sample, tmp_path):
    """A chart's label may be a word of the text elsewhere (a card's label, the cover's tagline): a drawing past
    the foot of such a page is not a chart taller than its page. Only a page with a chart's title holds one."""
    shutil.copy(sample.out / "booklet.html", tmp_path)
    texts = sample.page_texts("screen")
    index = next(i for i, text in enumerate(texts) if "ورش عمل مغلقة" in text and "ورش العمل والاتفاقيات" not in text)
    with pikepdf.open(sample.pdfs["screen"]) as pdf:
        page = pdf.pages[index]
        left, bottom = float(page.trimbox[0]), float(page.trimbox[1])
        page.contents_add(pdf.make_stream(b"q"), prepend=True)
        rectangle = f"Q 0 0 1 rg {left + 60} {bottom - 20} 100 60 re f"
        page.contents_add(pdf.make_stream(rectangle.encode()), prepend=False)
        pdf.save(tmp_path / "booklet-screen.pdf")
    errors = [r[2] for r in _charts(preflight(tmp_path, Project(ROOT / "data"), ["screen"])) if r[1] == "error"]
    assert errors == []


def test_a_missing_marks_stylesheet_is_a_message(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts")
    (tmp_path / "layouts" / "chart-marks.css").unlink()
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", DATA)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(booklet.BookletError) as caught:
        booklet.build(Project(tmp_path / "data", root=tmp_path), tmp_path / "out", ["screen"])
    assert [str(p) for p in caught.value.problems] == [
        "layouts/chart-marks.css: no such stylesheet; it holds the styles of the charts' drawn marks (dots, lines, "
        'rings): put it back (see docs/designing.md, "What Python expects of layouts/")'
    ]


def test_charts_are_found_whatever_the_layout_wraps_them_in(tmp_path):
    """A designer's chart partial without <figure> or <figcaption>: the charts are found by the class charts.py
    writes, titled as the data titles them, and a cut label is still an error."""
    partial = '<section class="graph"><h3 class="graph__title">{{ chart.title }}</h3>{{ chart.html }}</section>\n'
    css = ".chart__label { white-space: nowrap; margin-inline-start: -200mm; }"
    out, project = _built(tmp_path, css, partial)
    assert "<figure" not in (out / "booklet.html").read_text(encoding="utf-8")
    errors = [r[2] for r in _charts(preflight(out, project, ["screen"])) if r[1] == "error"]
    assert any(e.startswith("chart «أعمدة»: the label «الأسر النازحة") for e in errors), errors


def test_charts_in_the_data_that_the_layout_leaves_out_are_an_error(tmp_path):
    partial = '<h3 class="graph__title">{{ chart.title }}</h3>\n'
    out, project = _built(tmp_path, partial=partial)
    assert _charts(preflight(out, project, ["screen"])) == [
        (
            "screen",
            "error",
            "the data has 2 charts and booklet.html shows 0 with the class «chart» that booklet/design/charts.py "
            "writes, so the charts cannot be checked: a layout must print each chart's html as it is "
            "(layouts/partials/chart.html)",
        )
    ]
