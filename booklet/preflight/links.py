"""Links: every internal link and bookmark lands on a page; the contents' numbers are the chapters' pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pikepdf

from booklet.preflight.reading import Book
from booklet.preflight.report import Row, pages_list
from booklet.typeset import finishing


def _link_target(item: pikepdf.Dictionary) -> pikepdf.Object | None:
    """Where a link annotation or a bookmark goes inside the document, or None (a web address)."""
    target = item.get("/Dest")
    action = item.get("/A")
    if target is None and isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo":
        target = action.get("/D")
    return target


def check(book: Book) -> list[Row]:
    """Every internal link and bookmark lands on a page; the contents' numbers are the chapters' pages."""
    rows, count, broken = [], 0, {}
    for number, page in enumerate(book.pdf.pages, start=1):
        for annotation in page.obj.get("/Annots") or []:
            if annotation.get("/Subtype") != "/Link" or (target := _link_target(annotation)) is None:
                continue
            count += 1
            if _lands(book, target) is None:
                broken.setdefault(_shown_target(target), set()).add(number)
    for target, pages in broken.items():
        detail = f"{pages_list(pages)}: a link to {target} goes nowhere (no such destination): run make"
        rows.append(Row(book.name, "links", "error", detail))
    bookmarks = list(_bookmarks(book.pdf))
    for title, target in bookmarks:
        if target is not None and _lands(book, target) is None:
            detail = f"the bookmark «{title}» goes nowhere ({_shown_target(target)}): run make"
            rows.append(Row(book.name, "links", "error", detail))
    entries, contents_rows = _contents(book)
    rows += contents_rows
    if not rows:
        listed = f"; the contents' {entries} page numbers are the chapters' pages" if entries else ""
        detail = f"{count} links and {len(bookmarks)} bookmarks land on their pages{listed}"
        rows.append(Row(book.name, "links", "ok", detail))
    return rows


def _lands(book: Book, target: pikepdf.Object) -> int | None:
    if isinstance(target, (pikepdf.String, pikepdf.Name)):
        name = str(target).removeprefix("/") if isinstance(target, pikepdf.Name) else str(target)
        return book.page_of(book.destinations.get(name))
    return book.page_of(target)


def _shown_target(target: pikepdf.Object) -> str:
    if isinstance(target, pikepdf.Name):
        return str(target)[1:]
    return str(target) if isinstance(target, pikepdf.String) else "a page not in the document"


def _bookmarks(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Object | None]]:
    for item in finishing.outline_items(pdf):
        yield str(item.get("/Title", "")), _link_target(item)


def _contents(book: Book) -> tuple[int, list[Row]]:
    """Read each contents entry's page number inside its link and compare it with where the link lands.

    Each entry is one link (template contents.html): the text inside the
    link's rectangles is "number title page", the page number last in
    reading order, in Arabic-Indic or Western digits. The manifest says how
    many sections the contents list: in an edition with links (not the
    press's, editions.py), fewer links than that is a warning (the others'
    page numbers go unchecked), not a check passed over.
    """
    contents = next((s for s in book.sections or () if s.kind == "contents"), None)
    first = book.starts.get(contents.id) if contents else None
    if first is None:
        return 0, []
    rows = []
    entries: dict[str, tuple[int, list[list[float]]]] = {}
    for number in range(first, max(first, contents.last) + 1):
        for annotation in book.pdf.pages[number - 1].obj.get("/Annots") or []:
            target = _link_target(annotation)
            if isinstance(target, (pikepdf.String, pikepdf.Name)) and "/Rect" in annotation:
                rects = entries.setdefault(_shown_target(target), (number, []))[1]
                rects.append([float(v) for v in annotation.Rect])
    listed = sum(section.listed for section in book.sections)
    if len(entries) < listed and not book.edition.press:
        detail = (
            f"page {first}: the contents link {len(entries)} of the {listed} sections they list, so the page "
            "numbers of the others are not checked: each entry of layouts/sections/contents.html must be a link "
            'to its section (href="#{{ chapter.id }}")'
        )
        rows.append(Row(book.name, "links", "warning", detail))
    for name, (page_number, rects) in entries.items():
        rows += _entry(book, page_number, name, rects)
    return len(entries), rows


def _entry(book: Book, page_number: int, name: str, rects: list[list[float]]) -> list[Row]:
    """What is wrong with the contents entry linking to ``name`` on ``page_number``, inside ``rects``."""
    xs = [x for rect in rects for x in (rect[0], rect[2])]
    ys = [y for rect in rects for y in (rect[1], rect[3])]
    textpage = book.pdfium[page_number - 1].get_textpage()
    try:
        words = textpage.get_text_bounded(min(xs), min(ys), max(xs), max(ys)).split()
    finally:
        textpage.close()
    # A title ending in a Latin acronym in brackets, (UNHCR), is read back with a bracket against the
    # page number ("(١٠"): brackets stand apart.
    words = [part for word in words for part in re.split(r"([()\[\]])", word) if part]
    title = " ".join(w for w in words if not w.isdecimal())
    start = book.starts.get(name)
    if not words or not words[-1].isdecimal():
        detail = f"page {page_number}: the contents entry «{title}» shows no page number"
        return [Row(book.name, "links", "warning", detail)]
    if start is not None and int(words[-1]) != start:
        detail = (
            f"page {page_number}: the contents give page {words[-1]} for «{title}», which starts on "
            f"page {start}: run make again; if it persists, the layouts' page counter is wrong"
        )
        return [Row(book.name, "links", "error", detail)]
    return []
