"""Spreads of a right-bound book, and the proof sheets drawn from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Built
from PIL import Image, ImageChops

from booklet.tools import spreads
from booklet.tools.proof import CONTACT_SHEET, SPREAD_DPI, proof


def test_spreads_of_a_right_bound_booklet() -> None:
    assert [(s.right, s.left) for s in spreads.spreads(8)] == [(None, 1), (2, 3), (4, 5), (6, 7), (8, None)]
    assert [(s.right, s.left) for s in spreads.spreads(7)] == [(None, 1), (2, 3), (4, 5), (6, 7)]
    assert [(s.right, s.left) for s in spreads.spreads(1)] == [(None, 1)]
    assert spreads.spreads(16)[1].reading_order() == [2, 3]


def test_spreads_of_a_left_bound_booklet_are_mirrored() -> None:
    assert [(s.left, s.right) for s in spreads.spreads(4, "ltr")] == [(None, 1), (2, 3), (4, None)]
    assert spreads.spreads(4, "ltr")[1].reading_order("ltr") == [2, 3]


@pytest.mark.parametrize(("pages_", "direction"), [(0, "rtl"), (4, "ttb")])
def test_impossible_spreads(pages_: int, direction: str) -> None:
    with pytest.raises(ValueError):
        spreads.spreads(pages_, direction)


def _same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None


def _placed(sheet: Image.Image, page: Image.Image) -> int | None:
    """Where ``page`` sits on the spread picture ``sheet``: its left edge, or None."""
    # The spread's pages sit on one row, a margin from the top, touching at
    # the fold, where a line is drawn over their edges.
    margin = page.width // 12
    inner = page.crop((1, 0, page.width - 1, page.height))
    for x in (margin, margin + page.width):
        if _same(sheet.crop((x + 1, margin, x + page.width - 1, margin + page.height)), inner):
            return x
    return None


def test_proof_sheets(sample: Built, tmp_path: Path) -> None:
    drawn = list(spreads.rasterise(sample.pdfs["screen"], SPREAD_DPI))
    (tmp_path / "proof").mkdir()
    (tmp_path / "proof" / "spread-99.png").write_bytes(b"from a longer booklet")
    made = proof(sample.pdfs["screen"], tmp_path / "proof")
    assert made.pages == len(drawn)
    assert [p.name for p in made.spreads] == [f"spread-{n:02}.png" for n in range(1, len(drawn) // 2 + 2)]
    assert sorted(p.name for p in (tmp_path / "proof").iterdir()) == sorted(
        [*(p.name for p in made.spreads), CONTACT_SHEET]
    )
    margin = drawn[0].width // 12
    with Image.open(made.spreads[0]) as cover:
        # The cover alone, on the left: a right-bound book's first page is a left-hand page.
        assert _placed(cover, drawn[0]) == margin
    with Image.open(made.spreads[1]) as spread:
        assert _placed(spread, drawn[1]) == margin + drawn[0].width, "page 2 is not on the right"
        assert _placed(spread, drawn[2]) == margin, "page 3 is not on the left"
    with Image.open(made.contact_sheet) as sheet:
        assert sheet.width > sheet.height / 2
