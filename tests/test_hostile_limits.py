"""Limits: data too large or too deep, layouts that ask for too much, a layout that runs away in pages.

Each limit is pinned at its edge (the largest value allowed passes, one more is
refused with its place) where the constant is the booklet's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FILE, edit, write
from hostile_kit import DESIGN, append, check_gives, counted, in_folder, make_project

from booklet.data import chartrules, validate
from booklet.typeset import typesetter as typeset

DEEP_FLOW = "[" * 1001 + "]" * 1001
DEEP_BLOCK = "".join(f"\n{'  ' * (i + 2)}a:" for i in range(1000)) + " x"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return in_folder(tmp_path, monkeypatch)


@pytest.fixture
def design(here: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root in the working directory: copies of layouts/ and fonts/, MINIMAL with a colophon as data."""
    return make_project(here, monkeypatch, DESIGN)


CASES = [
    # Deep nesting: libyaml stops at 1000 levels; under that, the model stops at the first level it does not expect.
    pytest.param(
        edit("  title: دليل الهجرة\n", f"  title: {DEEP_FLOW}\n"),
        None,
        [f"{FILE}:2:1008: is not valid YAML: exceeded maximum nesting depth (while increasing flow level)"],
        id="yaml-deep-nesting-flow",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", f"  title:{DEEP_BLOCK}\n"),
        None,
        [f"{FILE}:1000:2000: is not valid YAML: exceeded maximum nesting depth (while increasing block level)"],
        id="yaml-deep-nesting-block",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: " + "[" * 900 + "]" * 900 + "\n"),
        None,
        [f"{FILE}:2:10: document.title: expected text, found a list"],
        id="yaml-deep-nesting-under-the-limit",
    ),
    # Limits on the size of the input.
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: " + "ب" * validate.MAX_TEXT + "\n"), None, [], id="limit-text-at-max"
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: " + "ب" * (validate.MAX_TEXT + 1) + "\n"),
        None,
        [f"{FILE}:2:10: document.title: is 20,001 characters long; a text holds at most 20,000"],
        id="limit-text-over-max",
    ),
    pytest.param(
        edit(
            "  subject: تقرير مصور عن برامج البعثة\n",
            "  subject: تقرير\n  keywords: [" + ", ".join(["كلمة"] * (validate.MAX_ITEMS + 1)) + "]\n",
        ),
        None,
        [f"{FILE}:5:13: document.keywords: has 501 entries; a list holds at most 500"],
        id="limit-items-over-max",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: رسم\n    charts:\n      - kind: dots\n        title: ت\n        alt: و\n        per_dot: 1\n"
            f"        items:\n          - label: أ\n            value: {chartrules.MAX_DOTS}\n"
            "          - label: ب\n            value: 1\n",
        ),
        None,
        [
            f"{FILE}:13:18: sections[2].charts[1].per_dot: with 1 units a dot the chart draws 451 dots; a page "
            "holds 450: write a larger per_dot, or leave it out to have it chosen"
        ],
        id="limit-dots-over-max",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: رسم\n    charts:\n      - kind: dots\n        title: ت\n        alt: و\n        per_dot: 1\n"
            f"        items:\n          - label: أ\n            value: {chartrules.MAX_DOTS + 1}\n",
        ).replace("  - kind: chapter\n", "  - kind: chapter\n  - kind: chapter\n"),
        None,
        [
            f"{FILE}:7:5: sections[2].title: missing; expected the chapter's heading",
            f"{FILE}:14:18: sections[3].charts[1].per_dot: with 1 units a dot the chart draws 451 dots; a page "
            "holds 450: write a larger per_dot, or leave it out to have it chosen",
        ],
        id="limit-dots-after-an-invalid-section",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: " + "س" * 1_600_000 + "\n"),
        None,
        [f"{FILE}: is 3.1 MB; a booklet's data must stay under 2 MB (put images in files, not in the YAML)"],
        id="yaml-many-megabytes",
    ),
]


@pytest.mark.parametrize(("source", "setup", "expected"), CASES)
def test_check(here: Path, cli, source: str, setup, expected: list[str]) -> None:
    check_gives(here, cli, source, setup, expected)


def test_layout_file_over_64_mb(design: Path, cli) -> None:
    """A picture the layouts point at that is over 64 MB is not read (a sparse file: no disk space, no time)."""
    with open(design / "layouts" / "big.png", "wb") as big:
        big.truncate(65 * 1024 * 1024)
    line = append(design / "layouts" / "screen.css", "\n.cover { background: url(big.png) }\n") + 1
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (
        1,
        [f"layouts/screen.css:{line}:22: cannot read big.png: is larger than 64 MB", counted(1, build=True)],
    )


@pytest.mark.parametrize(
    "css",
    [
        pytest.param(
            ".chapter__title { font-size: 1e30px }",
            id="limit-css-huge-font-size",
        ),
        pytest.param(
            ".chapter__title { letter-spacing: -1e9px }",
            id="limit-css-huge-letter-spacing",
        ),
    ],
)
def test_huge_css_value_is_a_message(design: Path, cli, css: str) -> None:
    """A value WeasyPrint cannot lay out is a problem of the layouts, with exit code 1, not a traceback."""
    append(design / "layouts" / "booklet.css", "\n" + css + "\n")
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err[-1]) == (1, counted(len(err) - 1, build=True))
    assert all(line.startswith(("layouts/", "booklet.html")) for line in err[:-1]), err


def test_huge_css_values_that_weasyprint_survives(design: Path, cli) -> None:
    """A box of 90 m and margins of 10^30 px: the layout overflows the page, it does not run away."""
    append(
        design / "layouts" / "booklet.css",
        "\n.chapter__title { height: 90000mm; width: 99999999999mm; margin-block-start: 1e30px }\n",
    )
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (0, [])


def test_page_limit(design: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A layout that runs away (here every chapter title pushes 400 mm of margin) is stopped by MAX_PAGES.

    The limit is lowered so that the test lays out a few pages, not 400.
    """
    assert typeset.MAX_PAGES == 400
    monkeypatch.setattr(typeset, "MAX_PAGES", 4)
    chapters = "".join(f"  - kind: chapter\n    title: الفصل {n}\n" for n in range(3))
    write(design / "data", edit("  - kind: chapter\n    title: بناء القدرات\n", chapters))
    append(design / "layouts" / "booklet.css", "\n.chapter__title { margin-block-end: 400mm }\n")
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, len(err), err[-1]) == (1, 2, counted(1, build=True))
    pages = re.fullmatch(
        r"booklet\.html \(screen edition\): has (\d+) pages; a booklet may have at most 4 "
        r"\(look for a text or a picture that runs away\)",
        err[0],
    )
    assert pages and int(pages[1]) > 4, err[0]
    assert not (design / "out").exists()
