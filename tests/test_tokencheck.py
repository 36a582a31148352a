"""A designer's mistake in the design tokens is a message at the place it was made, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT, write
from hostile_kit import counted, make_project

import booklet
from booklet import Project
from booklet.design import tokens


def _project(tmp_path: Path, change) -> Project:  # noqa: ANN001 - a function of the stylesheet's text
    """A copy of the project's layouts and fonts with booklet.css changed, and the smallest booklet."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts")
    css = tmp_path / "layouts" / "booklet.css"
    css.write_text(change(css.read_text(encoding="utf-8")), encoding="utf-8")
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", MINIMAL)
    return Project(tmp_path / "data", root=tmp_path)


def _problems(project: Project, out: Path) -> list[str]:
    with pytest.raises(booklet.BookletError) as caught:
        booklet.build(project, out, ["screen"])
    return [str(p) for p in caught.value.problems]


def test_a_token_python_draws_with_removed_is_named(tmp_path, monkeypatch):
    project = _project(tmp_path, lambda css: re.sub(r"\n\s*--icon:[^\n]*", "", css, count=1))
    monkeypatch.chdir(tmp_path)
    assert _problems(project, tmp_path / "out") == [
        "layouts/booklet.css: the design token --icon is not declared on :root; declare it in the Variables "
        "part (the icons of the big-number cards take its colour), e.g. --icon: var(--accent)"
    ]


def test_a_token_set_to_nonsense_is_named_once_where_it_is_declared(tmp_path, monkeypatch):
    project = _project(tmp_path, lambda css: re.sub(r"(--accent:)[^;]*;", r"\1 notacolour;", css, count=1))
    line = next(
        n
        for n, text in enumerate((tmp_path / "layouts" / "booklet.css").read_text().splitlines(), 1)
        if "--accent: notacolour" in text
    )
    monkeypatch.chdir(tmp_path)
    problems = _problems(project, tmp_path / "out")
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"layouts/booklet.css:{line}:3: the design token --accent is 'notacolour', which `")
    assert problems[0].endswith(
        "cannot use: give it a value of the kind it had (a colour such as #0a1f5c for a colour token)"
    )


def test_an_invalid_declaration_without_a_token_keeps_its_own_place(tmp_path, monkeypatch):
    project = _project(tmp_path, lambda css: css + "\n.cover { border-top: 1mm solid nonsense; }\n")
    monkeypatch.chdir(tmp_path)
    problems = _problems(project, tmp_path / "out")
    assert problems and all("border-top" in p and "design token" not in p for p in problems), problems


def _declared_at(project: Path, name: str, text: str) -> str:
    """``layouts/NAME:LINE:COL`` of the declaration ``text`` (which starts with the token's name)."""
    lines = (project / "layouts" / name).read_text(encoding="utf-8").splitlines()
    line = next(n for n, written in enumerate(lines, 1) if text in written)
    return f"layouts/{name}:{line}:{lines[line - 1].index(text) + 1}"


def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / "layouts" / name
    source = path.read_text(encoding="utf-8")
    assert source.count(old) == 1, old
    path.write_text(source.replace(old, new), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def test_a_colour_token_whose_var_names_no_token_is_named_where_it_is_declared(project: Path, cli) -> None:
    # Without the check every icon was drawn with stroke="".
    _edit(project, "booklet.css", "--icon: var(--accent);", "--icon: var(--nosuch);")
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert (code, err) == (
        1,
        [
            f"{_declared_at(project, 'booklet.css', '--icon: var(--nosuch)')}: the design token --icon is "
            "'var(--nosuch)', which Python draws the icons of the big-number cards with: var(--nosuch) resolves to "
            "nothing (no token of that name is declared on :root); give it a colour (device-cmyk() in print.css), "
            "e.g. --icon: var(--accent)",
            counted(1, True),
        ],
    )
    assert not (project / "out").exists()


def test_a_colour_token_taken_through_var_from_nonsense_is_named_at_the_nonsense(project: Path, cli) -> None:
    # --icon-ground is used by no rule of the page: WeasyPrint would never say; Python draws the icons with it.
    _edit(project, "booklet.css", "--icon: var(--accent);", "--icon: var(--icon-ground); --icon-ground: pink-ish;")
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (
        1,
        [
            f"{_declared_at(project, 'booklet.css', '--icon-ground: pink-ish')}: the design token --icon-ground is "
            "'pink-ish', which `--icon: var(--icon-ground)` and the rules like it cannot use: give it a value of the "
            "kind it had (a colour such as #0a1f5c for a colour token)",
            counted(1, False),
        ],
    )


def test_a_colour_token_resolved_through_a_fallback_is_usable(project: Path, cli) -> None:
    _edit(project, "booklet.css", "--icon: var(--accent);", "--icon: var(--nosuch, var(--accent));")
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (0, [])


def test_var_is_resolved_with_nested_fallbacks_strings_and_cycles() -> None:
    design = {"--accent": "#8a1538", "--brand": "var(--accent)", "--loop": "var(--loop)", "--gap": "var(--none)"}
    assert tokens.resolve("fill: var(--x, var(--accent));", design) == "fill: #8a1538;"
    assert tokens.resolve("fill: var(--x, var(--y, var(--brand)))", design) == "fill: #8a1538"
    assert tokens.resolve("r: calc(var(--x, 1) * var( --x , 2 ))", design) == "r: calc(1 * 2)"
    assert tokens.resolve('content: var(--x, ")") x', design) == 'content: ")" x'
    # A token that names itself, or one not declared, is not there: its var() takes the fallback, or nothing.
    assert tokens.resolve("var(--loop, red) var(--gap, blue) var(--gap)|", design) == "red blue |"
    assert tokens.resolve("myvar(--accent) var(--brand)", design) == "myvar(--accent) #8a1538"


def test_the_layouts_tokens_resolve_as_they_did() -> None:
    layouts = ROOT / "layouts"
    design = tokens.design_tokens(layouts, "screen.css")
    resolved = {name: tokens.resolve(value, design) for name, value in design.items()}
    assert resolved["--icon"] == design["--accent"] == "#8a1538"
    assert resolved["--chart-1"] == "#0033a0"
    assert "var(" not in tokens.resolve((layouts / "chart-marks.css").read_text(encoding="utf-8"), design)


def test_a_palette_colour_set_to_nonsense_is_named_in_booklet_css(project: Path, cli) -> None:
    # It was said at "booklet.html (screen edition):40:31", a line of charts.css.
    _edit(project, "booklet.css", "--palette-teal: #00756f;", "--palette-teal: notacolour;")
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert (code, err) == (
        1,
        [
            f"{_declared_at(project, 'booklet.css', '--palette-teal: notacolour')}: the design token --palette-teal "
            "is 'notacolour', which Python draws the icons and chart marks of a section coloured teal with: give it "
            "a colour (device-cmyk() in print.css), e.g. --palette-teal: #00756f",
            counted(1, True),
        ],
    )


def test_a_token_reached_through_a_rules_custom_property_is_named_where_it_is_declared(project: Path, cli) -> None:
    css = project / "layouts" / "booklet.css"
    css.write_text(
        css.read_text(encoding="utf-8")
        + ":root { --ground: notacolour; }\n"
        + ".cover { --cover-line: var(--ground); }\n"
        + ".cover { border-top: 1mm solid var(--cover-line); }\n",
        encoding="utf-8",
    )
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert (code, err) == (
        1,
        [
            f"{_declared_at(project, 'booklet.css', '--ground: notacolour')}: the design token --ground is "
            "'notacolour', which `border-top` and the rules like it cannot use: give it a value of the kind "
            "it had (a colour such as #0a1f5c for a colour token)",
            counted(1, True),
        ],
    )


def test_a_declaration_weasyprint_ignores_while_laying_out_is_placed_in_its_stylesheet(project: Path, cli) -> None:
    """--local is declared, but on another element than the one using it: only the layout finds it has no value.
    (A token declared nowhere is named before the build: tests/test_token_uses.py.)"""
    css = project / "layouts" / "booklet.css"
    added = ".back-cover { --local: red; }\n.cover { background: var(--local); }\n"
    css.write_text(css.read_text(encoding="utf-8") + added, encoding="utf-8")
    at = _declared_at(project, "booklet.css", "var(--local)")
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert (code, err) == (
        1,
        [
            f"{at}: ignored `background: `, no value",
            counted(1, True),
        ],
    )
