"""Problems in layouts/ and fonts/ are reported with their file, line and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

import booklet


@pytest.fixture
def design(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of layouts/ and fonts/ that a test may break, as the current folder."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _problems(design: Path) -> list[str]:
    project = booklet.Project(ROOT / "data", root=design)
    with pytest.raises(booklet.BookletError) as caught:
        booklet.build(project, design / "out", ["screen"])
    assert not (design / "out" / "booklet-screen.pdf").exists()
    return [str(p) for p in caught.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_undefined_template_variable(design):
    _edit(design / "layouts/sections/chapter.html", "{{ section.title }}", "{{ section.titel }}")
    assert _problems(design) == [
        "layouts/sections/chapter.html:5:1: no field or variable 'titel' here; "
        "the variables templates receive are listed in README.md"
    ]


def test_template_syntax_error(design):
    _edit(design / "layouts/partials/groups.html", "</section>\n{%- endfor %}", "</section>\n{%- endfo %}")
    (problem,) = _problems(design)
    assert problem.startswith("layouts/partials/groups.html:11:1: template syntax: Encountered unknown tag 'endfo'.")


def test_unknown_css_property_and_unparsable_value(design):
    css = design / "layouts/booklet.css"
    lines = css.read_text(encoding="utf-8").count("\n")
    css.write_text(css.read_text(encoding="utf-8") + ".x { colr: red; }\n.y { color: }\n", encoding="utf-8")
    assert _problems(design) == [
        f"layouts/booklet.css:{lines + 1}:6: ignored `colr: red`, unknown property",
        f"layouts/booklet.css:{lines + 2}:6: ignored `color: `, no value",
    ]


def test_edition_stylesheet_problems_name_that_file(design):
    (design / "layouts/print.css").write_text("@page { bleed: 3mm; marks: crop; }\n.z { widht: 1mm; }\n")
    project = booklet.Project(ROOT / "data", root=design)
    with pytest.raises(booklet.BookletError) as caught:
        booklet.build(project, design / "out", ["print"])
    assert [str(p) for p in caught.value.problems] == ["layouts/print.css:2:6: ignored `widht: 1mm`, unknown property"]


def test_missing_font_file(design):
    (design / "fonts/NotoSans-Bold.ttf").unlink()
    problems = _problems(design)
    assert (
        problems[0] == f"layouts/booklet.css: cannot read {(design / 'fonts/NotoSans-Bold.ttf').as_uri()}: no such file"
    )


def test_a_font_from_outside_fonts_is_never_used(design):
    # Without its Latin face, "IOM" would be drawn with a system font.
    _edit(
        design / "layouts/booklet.css", '--font-text: "Booklet Naskh", "Booklet Sans";', '--font-text: "Booklet Naskh";'
    )
    _edit(
        design / "layouts/booklet.css",
        '--font-display: "Booklet Kufi", "Booklet Sans";',
        '--font-display: "Booklet Kufi";',
    )
    problems = _problems(design)
    assert problems
    assert all("was used for text that no font in fonts/ covers" in p for p in problems), problems
