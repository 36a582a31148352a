"""The example booklets under examples/: each builds, passes the preflight, and looks as approved.

Each example is also built at the other page size (A4 for an A5 booklet and
the reverse): a layout must hold for any content at either size.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, Built, build_into
from PIL import Image
from test_visual import DPI, UPDATE, compare, reference_picture

from booklet.preflight import preflight
from booklet.project import Project
from booklet.tools import spreads

EXAMPLES = sorted(path.name for path in (ROOT / "examples").iterdir() if (path / "booklet.yaml").is_file())
REFERENCES = ROOT / "tests" / "reference" / "examples"
DIFFS = ROOT / "tests" / "output" / "visual-diff" / "examples"
_PAGE_SIZE = re.compile(r"^(  page_size: )(A4|A5)\b", re.MULTILINE)


def other_size(data: Path) -> str:
    """Rewrite ``data``/booklet.yaml at the other page size; return that size."""
    file = data / "booklet.yaml"
    text = file.read_text(encoding="utf-8")
    size = _PAGE_SIZE.search(text)
    assert size, f"{file} names no page_size in its settings"
    other = "A5" if size[2] == "A4" else "A4"
    file.write_text(_PAGE_SIZE.sub(rf"\g<1>{other}", text, count=1), encoding="utf-8")
    return other


@pytest.fixture(scope="module", params=EXAMPLES)
def example(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Built]:
    name = request.param
    data = ROOT / "examples" / name
    return name, data, build_into(data, tmp_path_factory.mktemp(name))


def test_there_are_examples() -> None:
    assert {"annual-report", "programme-brief"} <= set(EXAMPLES)


def test_every_example_says_it_is_fictional() -> None:
    for name in EXAMPLES:
        text = (ROOT / "examples" / name / "booklet.yaml").read_text(encoding="utf-8")
        # The first line names the data's JSON Schema (for editors); the comment under it says what the booklet is.
        opening = text.splitlines()[1]
        assert opening.startswith("# A fictional example"), f"{name}: the data must say at its top that it is fictional"
        assert "مثال خيالي" in text, f"{name}: the colophon must say that the booklet is fictional"


def test_the_example_passes_the_preflight(example: tuple[str, Path, Built]) -> None:
    name, data, built = example
    report = preflight(built.out, Project(data, root=ROOT))
    assert not report.errors, f"{name}:\n" + "\n".join(f"{r.edition} {r.check}: {r.detail}" for r in report.errors)


def test_the_example_at_the_other_size_passes_the_preflight(example: tuple[str, Path, Built], tmp_path: Path) -> None:
    name, data, _built = example
    copy = Path(shutil.copytree(data, tmp_path / name))
    size = other_size(copy)
    built = build_into(copy, tmp_path / "out")
    report = preflight(built.out, Project(copy, root=ROOT))
    errors = "\n".join(f"{r.edition} {r.check}: {r.detail}" for r in report.errors)
    assert not report.errors, f"{name} at {size}:\n{errors}"


def test_the_example_looks_as_approved(example: tuple[str, Path, Built]) -> None:
    """Every page against tests/reference/examples/NAME/page-NN.png, once references have been approved."""
    name, _data, built = example
    folder = REFERENCES / name
    if os.environ.get(UPDATE):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for number, picture in enumerate(spreads.rasterise(built.pdfs["screen"], DPI), start=1):
            reference_picture(picture).save(folder / f"page-{number:02}.png", optimize=True)
        return
    references = {int(p.stem.removeprefix("page-")): p for p in sorted(folder.glob("page-*.png"))}
    assert references, f"no references in {folder.relative_to(ROOT)}/: make update-references writes them"
    drawn = list(spreads.rasterise(built.pdfs["screen"], DPI))
    changes = []
    for number in sorted(set(references) | set(range(1, len(drawn) + 1))):
        if number not in references or number > len(drawn):
            changes.append(f"page {number} is {'new' if number not in references else 'gone'}")
            continue
        with Image.open(references[number]) as stored:
            # Like for like: a photograph loses colours in the reference's palette, so the page drawn now
            # is reduced to its own palette the same way before the two are compared.
            difference = compare(stored.convert("RGB"), reference_picture(drawn[number - 1]).convert("RGB"))
        if difference.too_large:
            DIFFS.mkdir(parents=True, exist_ok=True)
            drawn[number - 1].save(DIFFS / f"{name}-page-{number:02}.png")
            changes.append(f"page {number}: {difference}")
    assert not changes, f"{name} differs from {folder.relative_to(ROOT)}/:\n  " + "\n  ".join(changes)


def _nearly_empty(report) -> dict[str, tuple[int, int]]:  # noqa: ANN001 - a preflight Report
    """Per edition, (nearly empty pages of text, pages of text), from the layout check's rows."""
    found = {}
    for row in report.rows:
        if row.check == "layout" and (match := re.match(r"(\d+) of (\d+) pages of text are nearly empty", row.detail)):
            found[row.edition] = (int(match[1]), int(match[2]))
        elif row.check == "layout" and (match := re.search(r"(\d+) of (\d+) pages of text well filled", row.detail)):
            found[row.edition] = (int(match[2]) - int(match[1]), int(match[2]))
    return found


def test_fewer_than_one_page_of_text_in_seven_stands_nearly_empty(example: tuple[str, Path, Built]) -> None:
    name, data, built = example
    counts = _nearly_empty(preflight(built.out, Project(data, root=ROOT)))
    # Both editions are read back alike (the print edition's bleed and marks do not count).
    assert counts["print"] == counts["screen"], counts
    empty, pages = counts["screen"]
    assert empty * 7 < pages, f"{name}: {empty} of {pages} pages of text nearly empty"
