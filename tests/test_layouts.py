"""Problems in layouts/ and fonts/ are reported with their file, line and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

import booklet
from booklet.typeset.typesetter import Typesetter


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
    head = design / "layouts/partials/chapter-head.html"
    _edit(head, "{{ section.title }}", "{{ section.titel }}")
    line = (
        head.read_text(encoding="utf-8")
        .splitlines()
        .index(next(x for x in head.read_text(encoding="utf-8").splitlines() if "section.titel" in x))
    )
    assert _problems(design) == [
        f"layouts/partials/chapter-head.html:{line + 1}:1: no field or variable 'titel' here; "
        "the variables templates receive are listed in README.md"
    ]


def test_template_syntax_error(design):
    _edit(design / "layouts/partials/groups.html", "</section>\n{%- endfor %}", "</section>\n{%- endfo %}")
    (problem,) = _problems(design)
    assert problem.startswith("layouts/partials/groups.html:14:1: template syntax: Encountered unknown tag 'endfo'.")


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


def _position(path: Path, text: str) -> str:
    """LINE:COL of the one occurrence of ``text`` in ``path``."""
    source = path.read_text(encoding="utf-8")
    assert source.count(text) == 1
    before = source[: source.index(text)]
    return f"{before.count(chr(10)) + 1}:{len(before) - (before.rfind(chr(10)) + 1) + 1}"


def test_missing_font_file(design):
    (design / "fonts/NotoSans-Bold.ttf").unlink()
    at = _position(design / "layouts/booklet.css", "url(../fonts/NotoSans-Bold.ttf)")
    # The url() as written, at its place: the stylesheet is checked before any page is laid out.
    assert _problems(design) == [f"layouts/booklet.css:{at}: cannot read ../fonts/NotoSans-Bold.ttf: no such file"]


def test_missing_picture_in_edition_stylesheet(design):
    css = design / "layouts/screen.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.cover { background: url(images/ground.png); }\n")
    at = _position(css, "url(images/ground.png)")
    assert _problems(design) == [f"layouts/screen.css:{at}: cannot read images/ground.png: no such file"]


def test_stylesheet_not_in_utf8_does_not_crash(design):
    css = design / "layouts/booklet.css"
    css.write_bytes("/* Caf\xe9 */\n".encode("latin-1") + css.read_bytes())
    typesetter = Typesetter(design, design / "layouts", ROOT / "data", design / "fonts")
    problems: list[booklet.Problem] = []
    typesetter.stylesheet("booklet.css", problems)
    assert problems == []


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
