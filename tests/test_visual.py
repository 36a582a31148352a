"""Visual regression: every page of the sample booklet against a small picture of how it looked when approved.

`make update-references` redraws tests/reference/ from the sample booklet,
after someone has looked at the pictures in tests/output/visual-diff/.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT, Built
from PIL import Image, ImageChops, ImageFilter, ImageStat

from booklet.tools import spreads

REFERENCES = ROOT / "tests" / "reference"
DIFFS = ROOT / "tests" / "output" / "visual-diff"
#: About 60 dpi: a whole A5 page in 350 x 497 pixels, enough to see every block and colour.
DPI = 60
#: Colours kept in a reference (a palette PNG): a few kilobytes a page, and far
#: below the differences that count.
COLOURS = 32
#: The comparison blurs both pictures by this many pixels first: a glyph drawn
#: a fraction of a pixel aside (hinting, anti-aliasing, a newer HarfBuzz) then
#: differs by little, while a block moved by a millimetre still differs a lot.
BLUR = 1.5
#: A pixel has changed when a channel differs by more than this (out of 255) after the blur.
CHANGED = 32
#: A page has changed when its mean difference or its share of changed pixels
#: is over these. Measured on the sample: drawing every page at 61 dpi and
#: scaling it back (the sub-pixel noise of another machine) gives at most 1.4
#: and 0.8 %; a 2 mm taller chapter head gives at least 4.5 and 5 %.
MEAN_LIMIT = 3.0
CHANGED_LIMIT = 0.015
UPDATE = "BOOKLET_UPDATE_REFERENCES"


@dataclass(frozen=True)
class Difference:
    mean: float
    changed: float

    @property
    def too_large(self) -> bool:
        return self.mean > MEAN_LIMIT or self.changed > CHANGED_LIMIT

    def __str__(self) -> str:
        return f"mean difference {self.mean:.1f}, {self.changed:.1%} of the pixels changed"


def reference_picture(picture: Image.Image) -> Image.Image:
    """A page as it is kept in tests/reference/: a palette of COLOURS, no dithering (it compresses well)."""
    return picture.quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def _difference_map(reference: Image.Image, page: Image.Image) -> Image.Image:
    """Per pixel, the largest difference of a channel, after the blur."""
    blurred = [p.convert("RGB").filter(ImageFilter.GaussianBlur(BLUR)) for p in (reference, page)]
    red, green, blue = ImageChops.difference(*blurred).split()
    return ImageChops.lighter(ImageChops.lighter(red, green), blue)


def compare(reference: Image.Image, page: Image.Image) -> Difference:
    if reference.size != page.size:
        return Difference(255.0, 1.0)
    difference = _difference_map(reference, page)
    histogram = difference.histogram()
    changed = sum(histogram[CHANGED + 1 :]) / (page.width * page.height)
    return Difference(ImageStat.Stat(difference).mean[0], changed)


def _side_by_side(reference: Image.Image, page: Image.Image) -> Image.Image:
    """The reference, the new page, and the new page faded with what changed in red."""
    reference = reference.convert("RGB").resize(page.size)
    changed = _difference_map(reference, page).point(lambda v: 255 if v > CHANGED else 0)
    faded = Image.blend(page, Image.new("RGB", page.size, "white"), 0.7)
    marked = Image.composite(Image.new("RGB", page.size, (220, 0, 0)), faded, changed)
    sheet = Image.new("RGB", (3 * page.width + 40, page.height + 20), (200, 200, 200))
    for index, picture in enumerate((reference, page, marked)):
        sheet.paste(picture, (10 + index * (page.width + 10), 10))
    return sheet


def _references() -> dict[int, Path]:
    return {int(path.stem.removeprefix("page-")): path for path in sorted(REFERENCES.glob("page-*.png"))}


def test_pages_look_as_approved(sample: Built) -> None:
    drawn = list(spreads.rasterise(sample.pdfs["screen"], DPI))
    if os.environ.get(UPDATE):
        shutil.rmtree(REFERENCES, ignore_errors=True)
        REFERENCES.mkdir(parents=True)
        for number, picture in enumerate(drawn, start=1):
            reference_picture(picture).save(REFERENCES / f"page-{number:02}.png", optimize=True)
        print(f"\nwrote {len(drawn)} pages to {REFERENCES.relative_to(ROOT)}/")
        return
    references = _references()
    assert references, f"no references in {REFERENCES.relative_to(ROOT)}/: run `make update-references`"
    shutil.rmtree(DIFFS, ignore_errors=True)
    changes = []
    for number in sorted(set(references) | set(range(1, len(drawn) + 1))):
        if number not in references:
            changes.append(f"page {number} is new")
            continue
        if number > len(drawn):
            changes.append(f"page {number} is gone")
            continue
        with Image.open(references[number]) as stored:
            reference = stored.convert("RGB")
        difference = compare(reference, drawn[number - 1])
        if difference.too_large:
            DIFFS.mkdir(parents=True, exist_ok=True)
            drawn[number - 1].save(DIFFS / f"page-{number:02}-new.png")
            _side_by_side(reference, drawn[number - 1]).save(DIFFS / f"page-{number:02}.png")
            changes.append(f"page {number}: {difference}")
    assert not changes, (
        "the pages differ from tests/reference/:\n  "
        + "\n  ".join(changes)
        + f"\nreference, new page and changes side by side in {DIFFS.relative_to(ROOT)}/; "
        "if the change is intended, run `make update-references`"
    )


def test_the_comparison_ignores_noise_but_sees_a_moved_block(sample: Built) -> None:
    """The limits hold on the sample itself: sub-pixel noise passes, a block moved by 2 mm does not."""
    exact = list(spreads.rasterise(sample.pdfs["screen"], DPI))
    # Another grid of pixels: drawn a little larger and scaled back, every glyph lands a fraction of a pixel aside.
    noisy = [
        p.resize(exact[0].size, Image.Resampling.LANCZOS) for p in spreads.rasterise(sample.pdfs["screen"], DPI + 1)
    ]
    for number, (page, other) in enumerate(zip(exact, noisy, strict=True), start=1):
        difference = compare(reference_picture(page), other)
        assert not difference.too_large, f"page {number}: {difference}"
    # The lower half of page 2 (the pull quote) moved down by 2 mm.
    page = exact[1]
    shift = round(2 / 25.4 * DPI)
    moved = page.copy()
    box = (0, page.height // 2, page.width, page.height - shift)
    moved.paste(page.crop(box), (0, page.height // 2 + shift))
    assert compare(reference_picture(page), moved).too_large
