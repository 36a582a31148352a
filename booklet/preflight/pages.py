"""Pages: the page count, every one-page section still on one page, no text printed over text, the back cover last.

The sections are the build's manifest's (booklet/typeset/manifest.py): their
ids, kinds as the data names them, and which the design makes fill one page.
Where each starts is read from the PDF's destinations, the pages as sent.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from booklet.preflight.reading import Book
from booklet.preflight.report import Row, pages_list
from booklet.typeset.manifest import PlacedSection

#: How the report names a page of each kind of section.
NAMES = {
    "cover": "the cover",
    "back-cover": "the back cover",
    "contents": "the contents page",
    "highlights": "the highlights page",
    "photo": "the photo page",
    "foreword": "the foreword",
    "chapter": "a chapter",
    "partners": "the partners",
    "colophon": "the colophon",
}
#: Letters of a one-page section that may go missing from its page before it
#: counts as cut off: text extraction is not always letter-perfect.
_LETTER_SLACK = 2
_MULTIPLES = {2: "two", 4: "four"}


def letters(text: str) -> Counter[str]:
    # NFKC: a ligature glyph read back from the PDF gives its letters, as the HTML has them.
    return Counter(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c)[0] in "LN")


def check(book: Book) -> list[Row]:
    count = len(book.pdf.pages)
    rows = []

    def error(detail: str) -> None:
        rows.append(Row(book.name, "pages", "error", detail))

    multiple = book.edition.preflight.pages_multiple
    named = _MULTIPLES.get(multiple, str(multiple))
    if blanks := -count % multiple:
        detail = (
            f"{count} pages: a saddle-stitched booklet needs a multiple of {named}; add {blanks} blank "
            f"page{'s' if blanks > 1 else ''} (or remove {count % multiple})"
        )
        rows.append(Row(book.name, "pages", "warning", detail))
    sections = book.sections
    if sections is None:
        return [*rows, Row(book.name, "pages", "error", book.laid_out)]
    starts = []
    for section in sections:
        if section.id not in book.starts:
            error(
                f"{section.id} ({section.kind}) has no destination in the PDF: the manifest and the PDF are from "
                "different builds; run make"
            )
        starts.append(book.starts.get(section.id))
    if any(start is None for start in starts):
        return rows
    back_cover_spans = False
    for index, section in enumerate(sections):
        if not section.one_page:
            continue
        first = starts[index]
        last = _last_page(book, first, starts[index + 1] if index + 1 < len(sections) else None)
        what = _name(section)
        if last > first and section.kind == "contents":
            # A long contents continues between two entries (booklet.css): a fact to know, not a fault.
            detail = (
                f"{what} continues on {pages_list(range(first + 1, last + 1))}: that reads well; to keep it on one "
                "page, shorten the longest chapter titles (each title is an entry)"
            )
            rows.append(Row(book.name, "pages", "warning", detail))
        elif last > first:
            error(
                f"{what} spans {last - first + 1} pages ({first}-{last}): shorten its text in the data so that "
                "it fits on one page"
            )
            back_cover_spans = back_cover_spans or section.kind == "back-cover"
        elif (missing := sum((letters(section.text or "") - letters(book.text(first))).values())) > _LETTER_SLACK:
            total = sum(letters(section.text or "").values())
            error(
                f"{what} does not fit on page {first}: {missing} of its {total} letters are not on it (cut off at "
                "the edge or run onto the next page); shorten its text in the data"
            )
    for number in range(1, count + 1):
        printed_over = _overprinted(book.letter_boxes(number))
        if printed_over > _LETTER_SLACK:
            error(
                f"page {number} ({_section_on(sections, starts, number)}): {printed_over} letters are printed over "
                "other text; a text is too long for its place: shorten it in the data"
            )
    back = next((i for i, s in enumerate(sections) if s.kind == "back-cover"), None)
    if back is not None and starts[back] != count and not back_cover_spans:
        error(f"the back cover is on page {starts[back]} of {count}: it must be the last page")
    if not rows:
        single = list(dict.fromkeys(_name(s).removeprefix("the ") for s in sections if s.one_page))
        rule = f", a multiple of {named}" if multiple > 1 else ""
        detail = f"{count} pages{rule}; one page each: {', '.join(single)}; the back cover last"
        rows.append(Row(book.name, "pages", "ok", detail))
    return rows


def _name(section: PlacedSection) -> str:
    return NAMES.get(section.kind) or f"the {section.kind}"


def _last_page(book: Book, first: int, next_start: int | None) -> int:
    """The last page a section takes by the destinations: up to the next section's, less the blanks before it.

    A break before the next section can leave empty pages (the back cover
    must fall on a verso), and so can an empty page at the end; those belong
    to no section.
    """
    last = len(book.pdf.pages) if next_start is None else max(first, next_start - 1)
    while last > first and book.blank(last):
        last -= 1
    return last


def _section_on(sections: tuple[PlacedSection, ...], starts: list[int], page: int) -> str:
    """What the reader sees on ``page``: the last section that starts on it or before."""
    section = next((s for s, start in zip(reversed(sections), reversed(starts), strict=True) if start <= page), None)
    if section is None:
        return "before the first section"
    return NAMES.get(section.kind) or section.id


def _overprinted(boxes: list[tuple[float, float, float, float]]) -> int:
    """Letters drawn over a letter of another line: text that ran out of its place.

    Letters of one line may touch (joined Arabic letters do); letters
    whose boxes overlap by a fifth while their middles stand apart by
    more than a third of a letter's height belong to lines drawn over one
    another.
    """
    boxes = sorted(boxes, key=lambda box: box[1])
    over = set()
    for index, (left, bottom, right, top) in enumerate(boxes):
        for other in range(index + 1, len(boxes)):
            left2, bottom2, right2, top2 = boxes[other]
            if bottom2 >= top:
                break  # sorted by bottom: no later box reaches this one
            width, height = min(right, right2) - max(left, left2), min(top, top2) - max(bottom, bottom2)
            smaller = min((right - left) * (top - bottom), (right2 - left2) * (top2 - bottom2))
            if width <= 0 or height <= 0 or width * height < 0.2 * smaller:
                continue
            if abs(bottom + top - bottom2 - top2) / 2 > max(top - bottom, top2 - bottom2) / 3:
                over.update((index, other))
    return len(over)
