"""Preflight of the page layout, read back from the PDF: what a reader would see as unfinished.

- a word or a number broken inside itself across two lines (32400 as 3240 / 0);
- a heading alone at the foot of a page, what it heads on the next;
- text hidden under a picture;
- nearly empty pages in the flow of the chapters.

Each problem gives its page and something the writer can do about it. The
pages are read as a viewer shows them (PDFium): characters with their boxes,
pictures with their clipping, and a small rendering of each page for how much
of it is used.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from booklet.preflight.reading import Book, html_tree
from booklet.preflight.report import Row, Status
from booklet.typeset import flow, manifest

#: A page's body is read from a little outside its margins at the top and the foot (mm), as the build's
#: manifest gives them (@page as laid out): a line's boxes as PDFium reads them reach past the page box's
#: content. The running head and the page number stand further out.
_REACH_TOP_MM, _REACH_FOOT_MM = 2, 3
#: A page of a chapter that uses less than this share of its body's height is nearly empty.
_PT_PER_MM = 72 / 25.4
_HTML = "{http://www.w3.org/1999/xhtml}"
#: Headings: what must never end a page. A picture's caption is not one: it stands under its picture.
_HEADING_TAGS = {"h1", "h2", "h3", "h4"}
_CAPTION = f"{_HTML}figcaption"
#: How low a small rendering of a page is drawn for the share it uses (points to pixels).
_SCALE = 0.25
_INK = 40  # a pixel this far from white (out of 255, any channel) is ink


@dataclass(frozen=True)
class _Char:
    text: str
    left: float
    bottom: float
    right: float
    top: float


@dataclass
class _Line:
    chars: list[_Char]

    @cached_property
    def inked(self) -> list[_Char]:
        return [c for c in self.chars if not c.text.isspace() and c.right > c.left]

    @property
    def bottom(self) -> float:
        return min(c.bottom for c in self.inked)

    @property
    def top(self) -> float:
        return max(c.top for c in self.inked)

    def ends(self) -> set[str]:
        """The pieces at either end of the line (the reading order of a line as read back is not known)."""
        words = "".join(c.text for c in self.chars).split()
        if not words:
            return set()
        first, last = _pieces(words[0]), _pieces(words[-1])
        return {p for p in (first[:1] + first[-1:] + last[:1] + last[-1:])}


def _letters_only(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c)[0] in "LN")


_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[.,\u066b\u066c](?=\d)")
_PUNCTUATION = re.compile(r"[^\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")


def _pieces(word: str) -> list[str]:
    """A word cut at its punctuation (a line may break at a slash or a hyphen), a number kept whole (27,800,000)."""
    return [p for p in (_letters_only(p) for p in _PUNCTUATION.split(_DIGIT_SEPARATOR.sub("", word))) if p]


@dataclass(frozen=True)
class _Html:
    #: The letters of every heading, as counts.
    headings: tuple[tuple[str, Counter[str]], ...]
    #: Every word of the text, cut at its punctuation (see _pieces).
    words: frozenset[str]


@lru_cache(maxsize=4)
def _html(path: Path, mtime: int, size: int) -> _Html:  # noqa: ARG001 - mtime and size renew the cache
    root = html_tree(path)
    headings, words = [], set()
    # Headings are known by what the HTML says they are, never by a class a
    # designer may rename: h1-h4, and a figure's caption written before what
    # it captions (a chart's title), which titles what follows as a heading does.
    titles = {id(figure[0]) for figure in root.iter(f"{_HTML}figure") if len(figure) and figure[0].tag == _CAPTION}
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.startswith("{http://www.w3.org/2000/svg}"):
            continue
        name = element.tag.removeprefix(_HTML)
        if name in _HEADING_TAGS or id(element) in titles:
            text = "".join(element.itertext())
            if _letters_only(text):
                headings.append((" ".join(text.split()), Counter(_letters_only(text))))
        for piece in (element.text, element.tail):
            for word in (piece or "").split():
                words.update(_pieces(word))
    return _Html(tuple(headings), frozenset(words))


def check(book: Book, html: Path) -> list[Row]:
    """The layout's problems in ``book`` (the preflight's reading of one edition); ``html`` is booklet.html.

    The sections and their kinds are the build's manifest's (``book.sections``).
    The words and headings are read from booklet.html: what the text is, as
    typeset, to tell a word cut in two from two words.
    """
    if not html.is_file():
        # The build writes booklet.html with the PDFs: without it the words and
        # headings of this check, and the charts' values, cannot be read.
        return [Row(book.name, "layout", "error", f"{html.name} is missing beside the PDF: run make to build it")]
    if book.sections is None:
        return []  # the pages check says why the manifest cannot be read

    def row(status: Status, detail: str) -> Row:
        return Row(book.name, "layout", status, detail)

    stat = html.stat()
    found = _html(html, stat.st_mtime_ns, stat.st_size)
    kinds = _kinds(book)
    bodies = _bodies(book)
    problems, flowing, empty = [], 0, []
    for number in range(1, len(book.pdf.pages) + 1):
        page = book.pdfium[number - 1]
        trim = _trim(page)
        body = bodies(number)
        lines = list(_lines(page, trim, body))
        kind, flows = kinds.get(number, (None, False))
        if kind != "contents":  # its page numbers stand beside the next entry's number
            problems += [row("error", d) for d in _broken(number, lines, found)]
        if flows:
            problems += [row("error", d) for d in _heading_alone(number, lines, found, trim, body, book)]
            flowing += 1
            used = _used(page, trim, body)
            if 0 < used < flow.NEARLY_EMPTY:
                empty.append((number, used, trim, body))
        problems += [row("error", d) for d in _under_picture(number, page)]
    firsts = {book.starts.get(section.id) for section in book.sections}
    for number, used, trim, (top_mm, foot_mm) in empty:
        height = (trim[3] - trim[1]) / _PT_PER_MM - top_mm - foot_mm
        used_mm = round(used * height)
        if number in firsts:
            advice = (
                "its section is that short and starts a page of its own: add to it (a picture, a chart, figures) "
                "or join it to the section before or after it"
            )
        else:
            advice = (
                f"about {used_mm} mm (some {max(1, round(used_mm / 6.4))} lines) of its section ran onto it: shorten "
                "the section by that much (its text, a list, a chart's items, or a smaller picture) so that it ends "
                "a page earlier, or add to it"
            )
        detail = f"page {number} is nearly empty ({used:.0%} of its height used): {advice}"
        problems.append(row("warning", detail))
    if empty:
        detail = (
            f"{len(empty)} of {flowing} pages of text are nearly empty; a finished booklet has fewer than one in seven"
        )
        problems.append(row("warning", detail))
    if not problems:
        problems.append(
            row(
                "ok",
                f"no word or number broken across lines, no heading alone at a page's foot, no text under a "
                f"picture; {flowing - len(empty)} of {flowing} pages of text well filled",
            )
        )
    return problems


def _kinds(book: Book) -> dict[int, tuple[str | None, bool]]:
    """The kind of section each page shows (the last one starting on it or before), and whether its pages flow
    (the others are designed one page each); a section's first page apart."""
    starts = [(book.starts.get(s.id), s) for s in book.sections]
    kinds, current = {}, (None, False)
    for number in range(1, len(book.pdf.pages) + 1):
        firsts = [section for start, section in starts if start == number]
        if firsts:
            current = (firsts[-1].kind, not firsts[-1].one_page)
        kinds[number] = current
        # The first page of a foreword is its pull quote, set alone by design.
        if any(section.kind == "foreword" for section in firsts):
            kinds[number] = ("foreword-opening", False)
    return kinds


def _bodies(book: Book) -> Callable[[int], tuple[float, float]]:
    """For a page (from 1), how far inside its trim its body is read at the top and at the foot, in mm: its
    margins as the build's manifest gives them, a little outside. A page the manifest does not know (a file
    changed since) has the margins most of its pages have."""
    margins = book.laid_out.margins if isinstance(book.laid_out, manifest.LaidOut) else ()
    usual = Counter(margins).most_common(1)[0][0] if margins else (0.0, 0.0)

    def body(number: int) -> tuple[float, float]:
        top, foot = margins[number - 1] if number <= len(margins) else usual
        return max(0.0, top - _REACH_TOP_MM), max(0.0, foot - _REACH_FOOT_MM)

    return body


def _trim(page: pdfium.PdfPage) -> tuple[float, float, float, float]:
    box = page.get_trimbox()
    return tuple(float(v) for v in box)


def _lines(page: pdfium.PdfPage, trim: tuple[float, ...], body: tuple[float, float]) -> Iterator[_Line]:
    """The lines of text in the page's ``body`` (``_bodies``), in the order PDFium reads them (it marks each
    line's end)."""
    low, high = trim[1] + body[1] * _PT_PER_MM, trim[3] - body[0] * _PT_PER_MM
    textpage = page.get_textpage()
    try:
        line: list[_Char] = []
        for index in range(textpage.count_chars() + 1):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index) if index < textpage.count_chars() else 10
            text = chr(code) if code else " "
            if text in "\r\n":
                inked = [c for c in line if not c.text.isspace() and c.right > c.left]
                if inked and all(low <= (c.bottom + c.top) / 2 <= high for c in inked):
                    yield _Line(line)
                line = []
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            line.append(_Char(text, left, bottom, right, top))
    finally:
        textpage.close()


def _broken(number: int, lines: list[_Line], html: _Html) -> Iterator[str]:
    """Words or numbers cut in two at a line's end: the two ends together make a word of the text."""
    for line, following in zip(lines, lines[1:], strict=False):
        # The next line of the same block: just below, overlapping horizontally.
        height = line.top - line.bottom
        if not (0 < line.bottom - following.top < 1.5 * height):
            continue
        if min(c.right for c in line.inked) > max(c.right for c in following.inked) or max(
            c.left for c in line.inked
        ) < min(c.left for c in following.inked):
            continue
        for a in line.ends():
            for b in following.ends():
                if a in html.words and b in html.words:
                    continue  # two words of their own
                joined = {a + b, b + a, (a + b)[::-1], (b + a)[::-1]}
                if len(a + b) >= 3 and joined & html.words:
                    if (a + b).isdigit():
                        advice = "the number is wider than its place: write it in the compact style (27.8 million)"
                    else:
                        advice = "the word is longer than its line: shorten it, or write it with a space or a hyphen"
                    yield (
                        f"page {number}: «{_readable(a)}» and «{_readable(b)}» are one word or number broken across "
                        f"two lines; {advice}"
                    )
                    return


def _readable(word: str) -> str:
    """A word as read back, in reading order when it is Arabic (drawn right to left)."""
    return word[::-1] if any(unicodedata.bidirectional(c) in ("R", "AL") for c in word) else word


def _heading_alone(
    number: int, lines: list[_Line], html: _Html, trim: tuple[float, ...], body: tuple[float, float], book: object
) -> Iterator[str]:
    """A heading on the last lines of the page's body, with nothing of what it heads under it."""
    if not lines or number >= len(book.pdf.pages):
        return
    lowest = min(line.bottom for line in lines)
    # The lines at the foot: those within a line's height of the lowest.
    foot = [line for line in lines if line.bottom - lowest < 2 * (line.top - line.bottom)]
    letters = Counter()
    for line in foot:
        letters += Counter(_letters_only("".join(c.text for c in line.inked)))
    for text, heading in html.headings:
        if heading and letters == heading:
            room = (lowest - trim[1]) / _PT_PER_MM - body[1]
            yield (
                f"page {number}: the heading «{text}» stands alone at the foot of the page ({room:.0f} mm above the "
                "margin) and what it heads starts the next page; shorten or lengthen the text before it by two "
                "lines so that the heading moves with what follows"
            )
            return


def _used(page: pdfium.PdfPage, trim: tuple[float, ...], body: tuple[float, float]) -> float:
    """The share of the body's height that holds anything (text, picture, chart, panel): a small rendering's rows."""
    image = page.render(scale=_SCALE, grayscale=True, may_draw_forms=False).to_pil().convert("L")
    left, bottom, right, top = trim
    # The rendering starts at the media box's top left, which may lie outside the trim (bleed, marks).
    media_left, _media_bottom, _media_right, media_top = (float(v) for v in page.get_mediabox())
    y_top = round((media_top - top + body[0] * _PT_PER_MM) * _SCALE)
    y_foot = round((media_top - bottom - body[1] * _PT_PER_MM) * _SCALE)
    x_left, x_right = round((left - media_left) * _SCALE), round((right - media_left) * _SCALE)
    body = image.crop((x_left, y_top, x_right, y_foot)).point(lambda v: 255 if v < 255 - _INK else 0)
    if not body.width or not body.height:
        return 1.0
    # From the body's top down to its lowest ink, as a reader sees how far the page is filled.
    inked = body.getbbox()
    return inked[3] / body.height if inked else 0.0


def _under_picture(number: int, page: pdfium.PdfPage) -> Iterator[str]:
    """Text drawn before a picture that covers it: hidden under the picture."""
    texts, hidden = [], 0
    for item in page.get_objects(max_depth=0):
        if item.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts.append(_box(item))
        elif item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            picture = _visible(item)
            for text in texts:
                if _overlap(text, picture) > 0.5 * _area(text):
                    hidden += 1
            texts = [t for t in texts if _overlap(t, picture) <= 0.5 * _area(t)]
    if hidden:
        yield (
            f"page {number}: {hidden} line{'s' if hidden > 1 else ''} of text hidden under a picture; the picture "
            "takes more room than its place: give it a smaller place or shorten the text beside it"
        )


def _box(item: pdfium.PdfObject) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in item.get_bounds())


def _visible(item: pdfium.PdfObject) -> tuple[float, float, float, float]:
    """A picture's painted box cut by its clipping path (a cropped picture is painted whole and clipped)."""
    box = _box(item)
    clip = pdfium_c.FPDFPageObj_GetClipPath(item.raw)
    if not clip:
        return box
    xs, ys = [], []
    for path in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        for index in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, index)
            x, y = ctypes.c_float(), ctypes.c_float()
            if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                xs.append(x.value)
                ys.append(y.value)
    if not xs:
        return box
    return (max(box[0], min(xs)), max(box[1], min(ys)), min(box[2], max(xs)), min(box[3], max(ys)))


def _area(box: tuple[float, ...]) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))
