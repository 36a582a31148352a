"""A PDF's pages as pictures, and the spreads they make in a bound book."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from PIL import Image

#: CSS pixels per inch: a page at 96 dpi shows at its real size on a screen at 100 %.
SCREEN_DPI = 96
#: rtl: bound on the right, opening leftward (the Arabic booklet); ltr: bound on the left.
DIRECTIONS = ("rtl", "ltr")


@dataclass(frozen=True)
class Spread:
    """Two facing pages as the open book shows them (page numbers from 1); None where there is no page."""

    right: int | None
    left: int | None

    def reading_order(self, direction: str = "rtl") -> list[int]:
        """The pages of the spread in the order they are read."""
        first, second = (self.right, self.left) if direction == "rtl" else (self.left, self.right)
        return [page for page in (first, second) if page is not None]


def spreads(pages: int, direction: str = "rtl") -> list[Spread]:
    """The spreads of a booklet of ``pages`` pages, in reading order: the cover alone, then facing pages.

    Page 1, the cover, is a recto (the front of a leaf), every odd page after
    it too, and every even page a verso. Bound on the right (rtl, an Arabic
    book) rectos are left-hand pages: the spread of pages 2 and 3 shows 2 on
    the right and 3 on the left. Bound on the left (ltr) the same spreads are
    mirrored. An even count leaves the last page, the back cover, alone.
    """
    if pages < 1:
        raise ValueError(f"a booklet has at least one page, not {pages}")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    pairs = [(None, 1), *((even, even + 1 if even < pages else None) for even in range(2, pages + 1, 2))]
    if direction == "rtl":
        return [Spread(right=verso, left=recto) for verso, recto in pairs]
    return [Spread(right=recto, left=verso) for verso, recto in pairs]


def rasterise(pdf: Path, dpi: float = SCREEN_DPI) -> Iterator[Image.Image]:
    """Each page of ``pdf`` as an RGB picture at ``dpi``.

    The PDF stays open only while the pages are read: a rebuild may replace the file.
    """
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            yield page.render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
