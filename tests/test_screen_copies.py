"""Screen copies of pictures are sized for the crop they are shown at: at least 150 ppi there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, build_into, edit, write
from PIL import Image

from booklet.preflight import preflight
from booklet.project import Project


def _photo(path: Path, size: tuple[int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.linear_gradient("L").resize(size).convert("RGB").save(path, quality=80)


@pytest.mark.parametrize("page_size", ["A5", "A4"])
def test_a_landscape_photo_on_a_portrait_page_is_150_ppi_once_cropped(tmp_path: Path, page_size: str) -> None:
    data = tmp_path / "data"
    _photo(data / "images" / "wide.jpg", (3000, 2000))
    photo = "  - kind: photo\n    image:\n      src: images/wide.jpg\n      alt: منظر واسع\n  - kind: back-cover\n"
    source = edit(
        "  - kind: back-cover\n", photo, edit("document:\n", f"settings:\n  page_size: {page_size}\ndocument:\n")
    )
    write(data, source)
    built = build_into(data, tmp_path / "out", ["screen"])
    rows = [r for r in preflight(built.out, Project(data, root=ROOT), ["screen"]).rows if r.check == "images"]
    assert [r.status for r in rows] == ["ok"], [r.detail for r in rows]
    lowest = int(re.search(r"(\d+) ppi or more", rows[0].detail)[1])
    assert lowest >= 149, rows[0].detail
    # and no larger than the page needs: about 150 ppi, not the original's 3000 px.
    assert lowest < 200, rows[0].detail


def test_a_copy_is_never_larger_than_its_original(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _photo(data / "images" / "small.jpg", (400, 300))
    photo = "  - kind: photo\n    image:\n      src: images/small.jpg\n      alt: صورة صغيرة\n  - kind: back-cover\n"
    write(data, edit("  - kind: back-cover\n", photo))
    built = build_into(data, tmp_path / "out", ["screen"])
    copies = list((built.out / "cache" / "images").glob("*-screen.*"))
    assert copies
    with Image.open(copies[0]) as copy:
        assert copy.size == (400, 300)
