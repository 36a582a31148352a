"""A designer's mistake in the design tokens is a message at the place it was made, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT, write

import booklet
from booklet import Project


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
