"""Inline drawings reach WeasyPrint as images of themselves, and the pages do not change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from booklet import pipeline
from booklet.editions import EDITIONS
from booklet.project import Project
from booklet.typeset import drawings

CHART = (
    '<svg class="chart chart--bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20" role="img">'
    '<title>Bars &amp; "labels"</title><rect x="1" y="2" width="3" height="4"/></svg>'
)


def _drawn(tag: str) -> str:
    url = re.search(r'src="([^"]+)"', tag)[1]
    return drawings.content(url).decode()


def test_a_drawing_becomes_an_image_with_its_title_as_alt() -> None:
    html, urls = drawings.as_images(f"<p>before</p>{CHART}<p>after</p>")
    tag = re.search(r"<img[^>]*>", html)[0]
    assert html.startswith("<p>before</p><img") and html.endswith("<p>after</p>")
    assert 'class="chart chart--bars"' in tag and 'alt="Bars &amp; &quot;labels&quot;"' in tag
    assert urls == {re.search(r'src="([^"]+)"', tag)[1]: 'Bars & "labels"'}
    assert _drawn(tag) == CHART  # the drawing as written, its root's class included


def test_the_svg_namespace_is_added_where_html_let_it_be_left_out() -> None:
    html, _ = drawings.as_images('<svg id="x" style="fill: red" viewBox="0 0 1 1"><title>t</title></svg>')
    tag = re.search(r"<img[^>]*>", html)[0]
    assert 'id="x"' in tag and 'style="fill: red"' in tag
    assert _drawn(tag) == (
        '<svg xmlns="http://www.w3.org/2000/svg" id="x" style="fill: red" viewBox="0 0 1 1"><title>t</title></svg>'
    )


def test_the_same_drawing_twice_is_one_image() -> None:
    html, urls = drawings.as_images(CHART + CHART)
    assert html.count("<img") == 2 and len(urls) == 1


@pytest.mark.parametrize(
    "svg",
    [
        pytest.param('<svg viewBox="0 0 1 1"><rect width="1" height="1"/></svg>', id="no title"),
        pytest.param('<svg viewBox="0 0 1 1"><title> </title></svg>', id="empty title"),
        pytest.param('<svg viewBox="0 0 1 1"><title>a&nbsp;b</title></svg>', id="not XML"),
        pytest.param('<svg viewBox="0 0 1 1"><title>t</title><svg viewBox="0 0 1 1"></svg></svg>', id="nested"),
        # Inline, these are CSS sizes; in an image they would be its intrinsic size.
        pytest.param('<svg width="24" viewBox="0 0 1 1"><title>t</title></svg>', id="width"),
        pytest.param('<svg height="10mm" viewBox="0 0 1 1"><title>t</title></svg>', id="height"),
        # An HTML parser puts these names right; XML would take them as written.
        pytest.param('<svg viewbox="0 0 1 1"><title>t</title></svg>', id="viewbox"),
        pytest.param('<svg viewBox="0 0 1 1"><title>t</title><lineargradient id="g"/></svg>', id="lineargradient"),
        pytest.param('<svg viewBox="0 0 1 1"><title>t</title><RECT width="1" height="1"/></svg>', id="RECT"),
        pytest.param('<svg viewBox="0 0 1 1"><title>t</title><rect FILL="red"/></svg>', id="FILL"),
    ],
)
def test_a_drawing_that_cannot_stand_alone_stays_inline(svg: str) -> None:
    assert drawings.as_images(f"<p>{svg}</p>") == (f"<p>{svg}</p>", {})


def test_mixed_case_names_written_as_svg_spells_them_are_converted() -> None:
    svg = (
        '<svg viewBox="0 0 1 1" preserveAspectRatio="none"><title>t</title>'
        '<linearGradient id="g" gradientUnits="userSpaceOnUse"/><rect fill="url(#g)"/></svg>'
    )
    html, urls = drawings.as_images(svg)
    assert html.startswith("<img") and len(urls) == 1


def test_the_sample_lays_out_to_the_same_pdf_either_way(
    sample: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole point: the same bytes, tags and alternative texts included, with less work."""
    project = Project(ROOT / "data")
    typesetter = pipeline.new_typesetter(project, sample.out)
    html = (sample.out / "booklet.html").read_text(encoding="utf-8")
    base_url = (sample.out / "booklet.html").absolute().as_uri()
    edition = EDITIONS["screen"]
    assert html.count("<svg") > 20, "the sample should have drawings"

    as_images = typesetter.layout(html, base_url, edition).write_pdf(**edition.options)
    assert len(typesetter.fetcher.drawings) > 10, "the drawings should have been laid out as images"
    monkeypatch.setattr(drawings, "as_images", lambda html: (html, frozenset()))
    inline = typesetter.layout(html, base_url, edition).write_pdf(**edition.options)
    assert as_images == inline


def test_messages_name_a_drawing_by_its_title(tmp_path: Path) -> None:
    """WeasyPrint's messages about an image quote its URL: a drawing's is a page of base64."""
    from weasyprint.logger import LOGGER

    from booklet.typeset.diagnostics import problems_from
    from booklet.typeset.fetcher import ProjectFetcher

    _html, urls = drawings.as_images(CHART)
    fetcher = ProjectFetcher([tmp_path])
    fetcher.drawings = urls
    problems: list = []
    with problems_from("booklet.html (screen edition)", fetcher, problems):
        LOGGER.error("Failed to render SVG image %s", next(iter(urls)))
    assert [str(p) for p in problems] == [
        "booklet.html (screen edition): failed to render SVG image the drawing 'Bars & \"labels\"'"
    ]
