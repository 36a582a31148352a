"""A design token removed while a stylesheet still uses it: one message at the stylesheet's own line, before a build.

Without the start-up check WeasyPrint drops every declaration that uses the
token, one message each at the merged page's lines (booklet.html), or with no
message at all for a shorthand such as ``border``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile_kit import counted, make_project

from booklet.design import contractcheck


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def _remove(css: Path, token: str) -> None:
    text = css.read_text(encoding="utf-8")
    kept = re.sub(rf"^\s*{re.escape(token)}\s*:[^;]*;.*\n", "", text, flags=re.MULTILINE)
    assert kept != text, token
    css.write_text(kept, encoding="utf-8")


def _first_use(css: Path, token: str) -> tuple[int, int]:
    for number, line in enumerate(css.read_text(encoding="utf-8").splitlines(), 1):
        if (column := line.find(f"var({token})")) >= 0:
            return number, column + 1
    raise AssertionError(token)


def test_a_token_used_by_every_edition_removed_is_named_once_where_it_is_first_used(project: Path, cli) -> None:
    css = project / "layouts/booklet.css"
    _remove(css, "--unit")
    line, column = _first_use(css, "--unit")
    uses = css.read_text(encoding="utf-8").count("var(--unit)")
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert (code, err) == (
        1,
        [
            f"layouts/booklet.css:{line}:{column}: var(--unit) uses a design token nothing declares "
            f"(and {uses - 1} other places): declare --unit on :root in the Variables part of booklet.css, "
            "or use another token",
            counted(1, build=True),
        ],
    )
    assert not (project / "out").exists()


def test_a_token_the_print_edition_declares_again_is_still_missing_for_the_screen(project: Path, cli) -> None:
    """print.css gives --rule-sand its CMYK value: removed from booklet.css, the screen edition has none.
    WeasyPrint would drop the border that uses it without a word."""
    css = project / "layouts/booklet.css"
    _remove(css, "--rule-sand")
    line, column = _first_use(css, "--rule-sand")
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (
        1,
        [
            f"layouts/booklet.css:{line}:{column}: var(--rule-sand) uses a design token nothing declares for the "
            "screen edition: declare --rule-sand on :root in the Variables part of booklet.css, or use another token",
            counted(1, False),
        ],
    )


def test_tokens_declared_outside_root_or_by_a_template_or_with_a_fallback_are_not_missing(project: Path) -> None:
    """--value-scale is set by a template's style attribute and used with a fallback; --section-colour by Python."""
    css = project / "layouts/booklet.css"
    with css.open("a", encoding="utf-8") as sheet:
        sheet.write(
            "\n.cover { --local: 2mm; margin: var(--local); padding: var(--nowhere, 1mm); "
            "color: var(--section-colour); }\n"
        )
    assert contractcheck.problems_of(project / "layouts") == []
