"""The layout preflight (booklet/preflight/layoutcheck.py), and the page flow it checks, read back from real PDFs."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pypdfium2 as pdfium
import pytest
import weasyprint
from conftest import MINIMAL, ROOT, build_into, edit, write
from PIL import Image

import booklet
from booklet.preflight import Findings, layoutcheck, preflight
from booklet.preflight.reading import Book
from booklet.project import Project
from booklet.typeset import manifest

TITLES = [
    "المياه والصرف الصحي في المناطق الريفية",
    "التعليم",
    "الصحة والتغذية للأطفال دون الخامسة",
    "سبل العيش",
    "الشراكات مع المفوضية السامية للأمم المتحدة لشؤون اللاجئين (UNHCR)",
]


def layout_rows(report: Findings) -> list[tuple[str, str]]:
    return [(r.status, r.detail) for r in report.rows if r.check == "layout"]


def _pdf(html: str, path: Path) -> pdfium.PdfDocument:
    weasyprint.HTML(
        string=f'<html dir="rtl" lang="ar"><head><meta charset="utf-8"></head><body>{html}</body></html>'
    ).write_pdf(path)
    return pdfium.PdfDocument(path)


def test_a_word_longer_than_its_line_is_broken_and_said_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    word = "Internationalorganisationformigrationandrefugeesupportprogrammeregionaloffice"
    write(data, edit("    title: بناء القدرات\n", f"    title: بناء القدرات\n    body: نعمل مع {word} منذ سنوات\n"))
    built = build_into(data, tmp_path / "out", ["screen"])
    rows = layout_rows(preflight(built.out, Project(data, root=ROOT), ["screen"]))
    assert any(
        status == "error" and re.match(r"page 2: «\w+» and «\w+» are one word or number broken across two lines", d)
        for status, d in rows
    ), rows


def test_a_heading_alone_at_the_foot_of_a_page_is_found(tmp_path: Path) -> None:
    # Outside the booklet's layouts (which keep a heading with what follows), a heading pushed to a page's foot.
    body = "<div style='height: 150mm'></div><h2 style='break-after: auto'>الجهات المانحة</h2><p>نص بعد العنوان</p>"
    document = _pdf(f"<style>@page {{ size: A5; margin: 20mm 16mm 22mm }}</style>{body}", tmp_path / "h.pdf")
    page = document[0]
    trim = layoutcheck._trim(page)  # noqa: SLF001
    body = (18, 19)  # the page's margins, 20 and 22 mm, a little outside (layoutcheck._bodies)
    lines = list(layoutcheck._lines(page, trim, body))  # noqa: SLF001
    html = layoutcheck._Html((("الجهات المانحة", Counter(layoutcheck._letters_only("الجهات المانحة"))),), frozenset())  # noqa: SLF001
    book = SimpleNamespace(pdf=SimpleNamespace(pages=[1, 2]))
    found = list(layoutcheck._heading_alone(1, lines, html, trim, body, book))  # noqa: SLF001
    assert found and found[0].startswith("page 1: the heading «الجهات المانحة» stands alone at the foot of the page")


def test_text_hidden_under_a_picture_is_found(tmp_path: Path) -> None:
    Image.new("RGB", (200, 100), "green").save(tmp_path / "p.png")
    picture = f"<img src='{(tmp_path / 'p.png').as_uri()}' style='position: absolute; top: 0; left: 0; width: 100%'>"
    document = _pdf(f"<p>نص تحت الصورة</p>{picture}", tmp_path / "u.pdf")
    found = list(layoutcheck._under_picture(1, document[0]))  # noqa: SLF001
    assert found == [
        "page 1: 1 line of text hidden under a picture; the picture takes more room than its place: "
        "give it a smaller place or shorten the text beside it"
    ]
    # and text drawn over a picture (a caption on a band) is not hidden
    document = _pdf(f"{picture}<p style='position: relative'>نص فوق الصورة</p>", tmp_path / "o.pdf")
    assert not list(layoutcheck._under_picture(1, document[0]))  # noqa: SLF001


@pytest.fixture(scope="module")
def long_booklet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Findings]:
    """Twenty chapters, each a different length, with titled lists: the contents, and headings at every height."""
    data = tmp_path_factory.mktemp("long") / "data"
    data.mkdir()
    sentence = "يعمل الفريق مع المجتمعات المحلية في كل مرحلة من مراحل المشروع. "
    chapters = "  - kind: contents\n    title: المحتويات\n"
    for index in range(20):
        groups = "\n".join(f"          - بند رقم {n} من القائمة" for n in range(1, 4 + index % 6))
        chapters += (
            f"  - kind: chapter\n    title: {TITLES[index % len(TITLES)]}\n"
            f"    body: {sentence * (30 + 9 * index)}\n"
            f"    groups:\n      - title: قائمة الفصل\n        items:\n{groups}\n"
        )
    write(data, MINIMAL.replace("  - kind: chapter\n    title: بناء القدرات\n", chapters))
    built = build_into(data, data.parent / "out")
    return data, preflight(built.out, Project(data, root=ROOT))


def test_twenty_contents_entries_fit_an_a5_page_with_no_false_alarm_on_acronyms(
    long_booklet: tuple[Path, Findings],
) -> None:
    _data, report = long_booklet
    pages = [r.detail for r in report.rows if r.check == "pages" and r.status != "ok"]
    assert not [d for d in pages if "contents" in d], pages
    links = [r for r in report.rows if r.check == "links"]
    assert all(r.status == "ok" for r in links), [r.detail for r in links]
    # The screen edition's contents link to their chapters (the print edition has no links to read).
    screen = next(r for r in links if r.edition == "screen")
    assert "the contents' 20 page numbers are the chapters' pages" in screen.detail


def test_no_heading_is_left_alone_and_no_word_broken(long_booklet: tuple[Path, Findings]) -> None:
    _data, report = long_booklet
    assert not report.errors, [r.detail for r in report.errors]


def test_a_picture_that_would_stand_alone_on_a_page_is_made_shorter(tmp_path: Path) -> None:
    """On A4 a chapter's picture that misses its page by a little is cropped shorter, and the chapter ends a page
    earlier (booklet/typeset/flow.py); the build reports the height it is printed at."""
    data = tmp_path / "data"
    (data / "images").mkdir(parents=True)
    Image.linear_gradient("L").resize((1600, 1000)).convert("RGB").save(data / "images" / "p.jpg", quality=80)
    sentence = "يعمل الفريق مع المجتمعات المحلية في كل مرحلة من مراحل المشروع. "
    chapter = (
        f"    title: بناء القدرات\n    body: {sentence * 60}\n    image:\n      src: images/p.jpg\n      alt: صورة\n"
    )
    write(
        data, edit("document:\n", "settings:\n  page_size: A4\ndocument:\n", edit("    title: بناء القدرات\n", chapter))
    )
    (built,) = booklet.build(booklet.Project(data), tmp_path / "out", ["print"])
    ((placement),) = built.placements
    assert 38 <= placement.height_mm < 69, placement
    # cover, the chapter's two pages with the picture at the foot of the second, back cover: no page for the picture
    assert (built.pages, placement.page) == (4, 3)
    rows = layout_rows(preflight(tmp_path / "out", Project(data, root=ROOT), ["print"]))
    assert [status for status, _detail in rows] == ["ok"], rows


def test_headings_are_known_by_their_elements_not_their_classes(tmp_path: Path) -> None:
    """h1-h4 and a caption before its figure (a chart's title) are headings whatever their class; a caption
    under its picture is not: renaming a class in the layouts cannot switch the "heading alone" check off."""
    html = tmp_path / "booklet.html"
    html.write_text(
        '<!DOCTYPE html><html lang="ar"><body><h1 class="renamed">عنوان الفصل</h1>'
        '<figure class="x"><figcaption class="y">عنوان الرسم</figcaption><div>٣</div></figure>'
        "<figure><img alt=''><figcaption>تعليق تحت الصورة</figcaption></figure>"
        '<p class="chapter__title">فقرة</p></body></html>',
        encoding="utf-8",
    )
    found = layoutcheck._html(html, 0, 0)
    assert [text for text, _ in found.headings] == ["عنوان الفصل", "عنوان الرسم"]


def test_the_body_is_where_the_designers_page_margins_put_it(tmp_path: Path) -> None:
    """The body's top and foot are the margins @page laid out, as the manifest gives them for each page: a
    designer's wider margins move what the layout check reads as the body, with no number in Python to change."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts")
    sheet = tmp_path / "layouts" / "booklet.css"
    css = sheet.read_text(encoding="utf-8")
    assert "margin-block: 20mm 22mm;" in css
    sheet.write_text(css.replace("margin-block: 20mm 22mm;", "margin-block: 30mm 45mm;"), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    write(data, MINIMAL)
    built = build_into(data, tmp_path / "out", ["screen"], root=tmp_path)
    margins = manifest.read(built.out / manifest.NAME)["screen"].margins
    assert margins[0] == (0.0, 0.0) and margins[1] == (30.0, 45.0), margins  # the cover has none
    with pikepdf.open(built.pdfs["screen"]) as pdf:
        book = Book(booklet.EDITIONS["screen"], built.pdfs["screen"], pdf, pdfium.PdfDocument(built.pdfs["screen"]))
        assert layoutcheck._bodies(book)(2) == (28.0, 42.0)  # noqa: SLF001
        assert layoutcheck._bodies(book)(1) == (0.0, 0.0)  # noqa: SLF001
