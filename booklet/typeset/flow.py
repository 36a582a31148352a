"""Pages that flow like a book: no page of a chapter left nearly empty by a picture that moved on.

A picture never splits. When a chapter's last block does not fit at the foot
of a page, it moves to the next page, and that page stands nearly empty while
the one before ends with a gap. A book designer crops the picture a little
(or the map, drawn smaller) so that the chapter ends a page earlier. CSS has
no way to say "this tall, or what is left of the page"; WeasyPrint 70 has no
page floats either (only float: footnote). So the booklet is laid out once,
each nearly empty page of a chapter is measured, and when the pictures of that
page and the page before can give up the height it takes (none smaller than
MIN_MM or than half its height), the booklet is laid out again with those
pictures that much shorter. The second layout is kept only when it has fewer
pages; most booklets need none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from weasyprint.formatting_structure import boxes

from booklet.design import contract

#: A chapter page that holds less than this share of its height is nearly empty.
NEARLY_EMPTY = 1 / 3
#: A picture is never made shorter than this, nor than this share of its height.
MIN_MM, MIN_SHARE = 38.0, 0.5
#: Room kept for the margins between blocks, which a page's top drops and its foot keeps.
_SLACK_MM = 12
_PX_PER_MM = 96 / 25.4
_MARK = "data-flow"
_PHOTO = re.compile(rf'<figure class="{contract.PHOTO}(?=[\s"])')
_HEAD_END = re.compile(r"</head>", re.IGNORECASE)
#: Classes that mark a page where a section starts, or a page designed as one.
_STARTS = set(contract.PAGE_STARTS)


def fitted(lay_out: Callable[[str], Any], html: str) -> tuple[Any, str]:
    """The laid-out document of ``html`` (``lay_out`` makes it), and the HTML it was made from.

    Chapter pictures are marked so that the layout can be measured; when that
    frees nearly empty pages, the HTML returned carries their new heights.
    """
    counter = iter(range(1, 1_000_000))
    marked = _PHOTO.sub(lambda m: m[0].replace("<figure ", f'<figure {_MARK}="{next(counter)}" ', 1), html)
    document = lay_out(marked)
    if marked == html:
        return document, html  # no picture to make shorter: nothing to measure
    heights = _shorter_pictures(document)
    if not heights:
        return document, marked
    rules = "".join(
        f'[{_MARK}="{key}"] img {{ height: {mm:.1f}mm !important; max-height: none !important; }}'
        for key, mm in sorted(heights.items())
    )
    style = f"<style>/* pictures made shorter so that their chapters end a page earlier */ {rules}</style>"
    refitted = _HEAD_END.sub(lambda m: style + m.group(0), marked, count=1)
    second = lay_out(refitted)
    if len(second.pages) < len(document.pages):
        return second, refitted
    return document, marked


class _Page:
    """What one laid-out page holds: how far down its content reaches, and its chapter pictures."""

    def __init__(self, page: Any) -> None:
        box = page._page_box  # noqa: SLF001 - WeasyPrint keeps the boxes here
        self.top = box.content_box_y()
        self.height = box.height
        self.bottom = self.top
        self.pictures: dict[str, tuple[float, float]] = {}  # key: (figure's height, img's height), in px
        #: A section starts on the page (its head is there), or the page is one of the designed ones.
        self.starts = False
        root = next((child for child in box.children if getattr(child, "element_tag", None) == "html"), None)
        if root is None:
            return
        for child in root.descendants():
            element = getattr(child, "element", None)
            if element is None or not hasattr(child, "position_y"):
                continue
            if child.style["position"] not in ("static", "relative"):
                continue
            # How far down the page is inked: lines of text and pictures (containers reach the page's foot).
            if isinstance(child, (boxes.LineBox, boxes.ReplacedBox)) or child.style["background_color"].alpha:
                self.bottom = max(self.bottom, child.position_y + child.margin_height())
            key = element.get(_MARK)
            if key and child.element_tag == "figure" and key not in self.pictures:
                image = next((d for d in child.descendants() if getattr(d, "element_tag", None) == "img"), None)
                if image is not None:
                    self.pictures[key] = (child.margin_height(), image.height)
            classes = (element.get("class") or "").split()
            if _STARTS & set(classes):
                self.starts = True

    @property
    def used(self) -> float:
        return (self.bottom - self.top) / self.height if self.height else 1.0


def _shorter_pictures(document: Any) -> dict[str, float]:
    """For each picture to make shorter, its new height in mm."""
    pages = [_Page(page) for page in document.pages]
    heights: dict[str, float] = {}
    for index in range(1, len(pages)):
        page, before = pages[index], pages[index - 1]
        # A continuation page of a flowing section: no section starts on it.
        if page.starts:
            continue
        if not (0 < page.used < NEARLY_EMPTY):
            continue
        # What this page holds must move up into the gap at the foot of the page before.
        needed = (page.bottom - page.top) - (before.height - (before.bottom - before.top)) + _SLACK_MM * _PX_PER_MM
        pictures = {**before.pictures, **page.pictures}
        if not pictures or needed <= 0:
            continue
        give = {key: image - max(MIN_MM * _PX_PER_MM, MIN_SHARE * image) for key, (_figure, image) in pictures.items()}
        available = sum(g for g in give.values() if g > 0)
        if available < needed:
            continue
        for key, (_figure, image) in pictures.items():
            if give[key] > 0:
                share = needed * give[key] / available
                heights[key] = (image - share) / _PX_PER_MM
    return heights
