"""Preflight: read the built PDFs back and say whether each is right for where it goes."""

from __future__ import annotations

import contextlib
import io
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import tinyhtml5
from fontTools.ttLib import TTFont

from booklet import pdfinput
from booklet.editions import EDITIONS
from booklet.errors import BookletError, display_path
from booklet.preflight import layoutcheck, pdfchecks
from booklet.preflight.chartcheck import chart_findings
from booklet.project import Project, pdf_path
from booklet.tools.impose import blanks_needed
from booklet.typeset import finishing
from booklet.typeset.fonts import font_files

Status = Literal["ok", "warning", "error"]

#: What the press asks of a picture at the size it is printed.
PRINT_PPI = 300
#: Below this a picture looks soft on a phone or a laptop; the screen edition
#: itself brings pictures down to about 150 ppi.
SCREEN_PPI = 100
#: What messaging apps and email accept without fuss.
SCREEN_MAX_BYTES = 3 * 1024 * 1024
#: The bleed print.css asks for, and what presses expect.
BLEED_MM = 3
#: Sections of these kinds (the first class of their element in booklet.html)
#: are made to fill exactly one page; the name is how the report calls them.
SINGLE_PAGE = {
    "cover": "the cover",
    "back-cover": "the back cover",
    "contents": "the contents page",
    "highlights": "the highlights page",
    "photo-page": "the photo page",
}
#: Letters of a one-page section that may go missing from its page before it
#: counts as cut off: text extraction is not always letter-perfect.
_LETTER_SLACK = 2

_MM = 25.4 / 72
_SECTION_ID = re.compile(r"section-(\d+)")
_SVG = "{http://www.w3.org/2000/svg}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_PDFX_ID = "{http://www.npes.org/pdfx/ns/id/}"
_PDFUA_ID = "{http://www.aiim.org/pdfua/ns/id/}"
_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
_HINTS = re.compile(r"hint table|lineariz", re.IGNORECASE)
#: Nested form XObjects deeper than this are not followed (a malformed file could loop).
_MAX_DEPTH = 12


@dataclass(frozen=True)
class Row:
    """One line of the report: what was checked in which edition, and what to do about it."""

    edition: str
    check: str
    status: Status
    detail: str


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    @property
    def errors(self) -> list[Row]:
        return [row for row in self.rows if row.status == "error"]

    @property
    def warnings(self) -> list[Row]:
        return [row for row in self.rows if row.status == "warning"]


def preflight(out_dir: Path, project: Project, editions: Iterable[str] = EDITIONS) -> Report:
    """Check the built PDFs in ``out_dir`` for the press (print) and for screens (screen)."""
    out_dir = Path(out_dir)
    report = Report()
    for edition in editions:
        path = pdf_path(out_dir, edition)
        if not path.is_file():
            report.rows.append(Row(edition, "file", "error", f"{display_path(path)} is missing: run make to build it"))
            continue
        try:  # an empty, foreign, encrypted or damaged file: one row saying so (pdfinput.py)
            pdfinput.check(path)
        except BookletError as error:
            report.rows.append(Row(edition, "file", "error", str(error.problems[0])))
            continue
        # Two readers: qpdf (pikepdf) for the objects, PDFium for the text as
        # a viewer lays it out. A file either cannot open is no use to anyone.
        with contextlib.ExitStack() as stack:
            try:
                pdf = stack.enter_context(pikepdf.open(path))
                document = pdfium.PdfDocument(path)
                stack.callback(document.close)
            except (pikepdf.PdfError, pdfium.PdfiumError) as error:
                detail = f"{display_path(path)} cannot be read as a PDF ({error}): run make to build it again"
                report.rows.append(Row(edition, "file", "error", detail))
                continue
            book = _Book(edition, path, pdf, document, out_dir / "booklet.html")
            # Each check gives its problems, or one ok row saying what it looked at.
            standards = _print_standards if edition == "print" else _screen_standards
            try:
                with pdfinput.reading(path):
                    rows = _file(book, project) + _fonts(book, project.fonts) + _images(book)
                    rows += _pages(book)
                    # The page layout as a reader sees it (booklet/layoutcheck.py).
                    rows += layoutcheck.check(book, lambda status, detail, e=edition: Row(e, "layout", status, detail))
                    rows += _links(book) + _metadata(book) + standards(book)
                    rows += [Row(edition, "charts", s, d) for s, d in chart_findings(path, out_dir / "booklet.html")]
                    rows += [Row(edition, *row) for row in pdfchecks.rows(pdf, edition)]
            except BookletError as error:  # damage the opening checks could not see
                rows = [Row(edition, "file", "error", str(error.problems[0]))]
            report.rows += rows
    if (imposed := out_dir / "booklet-imposed.pdf").is_file():
        report.rows += [Row("imposed", *row) for row in pdfchecks.printing(imposed)]
    return report


# What each page draws, read from its content streams.


@dataclass(frozen=True)
class _Placed:
    """One painting of a picture: its pixels and the size it is painted at, in points."""

    page: int
    pixels: tuple[int, int]
    size: tuple[float, float]
    colour: str

    @property
    def ppi(self) -> float:
        return min(px / (pt / 72) if pt else math.inf for px, pt in zip(self.pixels, self.size, strict=True))


@dataclass
class _Drawn:
    glyphs: int = 0
    #: Glyphs drawn as .notdef (an empty box), by font.
    notdef: Counter[str] = field(default_factory=Counter)
    placed: list[_Placed] = field(default_factory=list)
    #: Operators that paint in RGB.
    rgb: int = 0
    #: Every font the page's content streams can use, by object number.
    fonts: dict[tuple[int, int], pikepdf.Dictionary] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        """Nothing on the page but, at most, crop marks: a page a break left empty."""
        return not self.glyphs and not self.placed


@dataclass(frozen=True)
class _Font:
    name: str
    #: Codes are two bytes, CIDs mapped to glyphs by ``cid_to_gid`` (None: the same number).
    two_bytes: bool
    cid_to_gid: bytes | None
    glyph_count: int | None


def _matrix(values: object) -> pikepdf.Matrix:
    return pikepdf.Matrix(*[float(v) for v in values]) if values is not None else pikepdf.Matrix()


def _base_name(font: pikepdf.Dictionary) -> str:
    """The font's name without its subset tag: ``ABCDEF+Booklet-Naskh`` is ``Booklet-Naskh``."""
    name = str(font.get("/BaseFont", font.get("/Name", "/unnamed")))[1:]
    return re.sub(r"^[A-Z]{6}\+", "", name)


def _program(font: pikepdf.Dictionary) -> pikepdf.Object | None:
    """The embedded font file of ``font``, or None."""
    descriptor = _descriptor(font)
    if descriptor is None:
        return None
    return next((descriptor[key] for key in ("/FontFile2", "/FontFile3", "/FontFile") if key in descriptor), None)


def _descriptor(font: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not descendants:
            return None
        font = descendants[0]
    return font.get("/FontDescriptor")


def _opentype(program: pikepdf.Object) -> TTFont | None:
    """The embedded program as a fontTools font, when it is TrueType or OpenType."""
    subtype = program.get("/Subtype")
    if subtype is not None and subtype != "/OpenType":
        return None  # bare CFF or Type 1: no name table to tell which file it is
    try:
        return TTFont(io.BytesIO(program.read_bytes()), lazy=True)
    except Exception:  # noqa: BLE001 - any damage means the same: the font cannot be read
        return None


def _colour(space: pikepdf.Object | None, resources: pikepdf.Dictionary) -> str:
    """``RGB``, ``CMYK``, ``gray`` or ``other`` for a colour space, named or inline."""
    if isinstance(space, pikepdf.Name):
        simple = {"/DeviceRGB": "RGB", "/DeviceCMYK": "CMYK", "/DeviceGray": "gray", "/Pattern": "other"}
        if str(space) in simple:
            return simple[str(space)]
        named = (resources.get("/ColorSpace") or {}).get(space)
        return _colour(named, resources) if named is not None else "other"
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family == "/ICCBased":
            return {1: "gray", 3: "RGB", 4: "CMYK"}.get(int(space[1].get("/N", 0)), "other")
        if family == "/Indexed":
            return _colour(space[1], resources)
        return {"/CalRGB": "RGB", "/CalGray": "gray"}.get(family, "other")
    return "other"


class _Walker:
    """Follow a page's content streams, its form XObjects and tiling patterns, as a viewer paints them."""

    def __init__(self) -> None:
        self.fonts: dict[tuple[int, int], _Font] = {}

    def page(self, page: pikepdf.Page, number: int) -> _Drawn:
        drawn = _Drawn()
        resources = _inherited(page.obj, "/Resources") or pikepdf.Dictionary()
        self._stream(page.obj, resources, pikepdf.Matrix(), None, drawn, number, 0)
        return drawn

    def _stream(
        self,
        stream: pikepdf.Object,
        resources: pikepdf.Dictionary,
        ctm: pikepdf.Matrix,
        font: pikepdf.Dictionary | None,
        drawn: _Drawn,
        page: int,
        depth: int,
    ) -> None:
        for value in (resources.get("/Font") or {}).values():
            drawn.fonts[value.objgen] = value
        base, saved, patterns = ctm, [], set()
        try:
            items = pikepdf.parse_content_stream(stream)
        except pikepdf.PdfError:
            return  # damaged: qpdf's check, under metadata, says where
        for item in items:
            if isinstance(item, pikepdf.ContentStreamInlineImage):
                image = item.iimage
                drawn.placed.append(self._placed(image.obj, resources, ctm, page, (image.width, image.height)))
                continue
            operands, operator = item.operands, str(item.operator)
            if operator == "q":
                saved.append((ctm, font))
            elif operator == "Q" and saved:
                ctm, font = saved.pop()
            elif operator == "cm":
                ctm = _matrix(operands) @ ctm
            elif operator == "Tf":
                font = (resources.get("/Font") or {}).get(operands[0])
            elif operator in _TEXT_OPERATORS:
                self._text(operands, font, drawn)
            elif operator in ("rg", "RG"):
                drawn.rgb += 1
            elif operator in ("cs", "CS"):
                drawn.rgb += _colour(operands[0], resources) == "RGB"
            elif operator == "sh":
                shading = (resources.get("/Shading") or {}).get(operands[0])
                drawn.rgb += shading is not None and _colour(shading.get("/ColorSpace"), resources) == "RGB"
            elif operator in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
                pattern = (resources.get("/Pattern") or {}).get(operands[-1])
                if pattern is None or pattern.objgen in patterns:
                    continue
                patterns.add(pattern.objgen)
                if pattern.get("/PatternType") == 2:
                    shading = pattern.get("/Shading")
                    drawn.rgb += shading is not None and _colour(shading.get("/ColorSpace"), resources) == "RGB"
                elif depth < _MAX_DEPTH:
                    # A tiling pattern's space is the default space of the stream that uses it.
                    inner = pattern.get("/Resources") or resources
                    self._stream(pattern, inner, _matrix(pattern.get("/Matrix")) @ base, None, drawn, page, depth + 1)
            elif operator == "Do":
                xobject = (resources.get("/XObject") or {}).get(operands[0])
                if xobject is None:
                    continue
                if xobject.get("/Subtype") == "/Image":
                    pixels = (int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0)))
                    drawn.placed.append(self._placed(xobject, resources, ctm, page, pixels))
                elif xobject.get("/Subtype") == "/Form" and depth < _MAX_DEPTH:
                    inner = xobject.get("/Resources") or resources
                    self._stream(xobject, inner, _matrix(xobject.get("/Matrix")) @ ctm, font, drawn, page, depth + 1)

    @staticmethod
    def _placed(
        image: pikepdf.Object, resources: pikepdf.Dictionary, ctm: pikepdf.Matrix, page: int, pixels: tuple[int, int]
    ) -> _Placed:
        # The image fills the unit square of its space: the CTM's columns are
        # its painted width and height, whatever the rotation.
        a, b, c, d, _e, _f = ctm.shorthand
        size = (math.hypot(a, b), math.hypot(c, d))
        space = image.get("/ColorSpace", image.get("/CS"))
        colour = "mask" if image.get("/ImageMask", image.get("/IM", False)) else _colour(space, resources)
        return _Placed(page, pixels, size, colour)

    def _text(self, operands: list, font: pikepdf.Dictionary | None, drawn: _Drawn) -> None:
        strings = operands[0] if operands and isinstance(operands[0], pikepdf.Array) else operands[-1:]
        data = b"".join(bytes(s) for s in strings if isinstance(s, pikepdf.String))
        if not data:
            return
        info = self._font(font) if font is not None else None
        if info is None or not info.two_bytes:
            drawn.glyphs += len(data)  # one-byte codes: glyphs cannot be told apart from the code alone
            return
        for index in range(0, len(data) - 1, 2):
            cid = int.from_bytes(data[index : index + 2], "big")
            gid = cid
            if info.cid_to_gid is not None:
                gid = int.from_bytes(info.cid_to_gid[2 * cid : 2 * cid + 2] or b"\0\0", "big")
            drawn.glyphs += 1
            if gid == 0 or (info.glyph_count is not None and gid >= info.glyph_count):
                drawn.notdef[info.name] += 1

    def _font(self, font: pikepdf.Dictionary) -> _Font:
        if font.objgen not in self.fonts:
            two_bytes, cid_to_gid, count = False, None, None
            # WeasyPrint writes every TrueType and OpenType font as a Type 0
            # font with Identity encoding: a code is two bytes, the CID.
            if font.get("/Subtype") == "/Type0" and str(font.get("/Encoding")) in ("/Identity-H", "/Identity-V"):
                two_bytes = True
                descendant = font.DescendantFonts[0]
                mapping = descendant.get("/CIDToGIDMap")
                cid_to_gid = mapping.read_bytes() if isinstance(mapping, pikepdf.Stream) else None
                program = _program(font)
                opentype = _opentype(program) if program is not None else None
                if opentype is not None and "maxp" in opentype:
                    count = opentype["maxp"].numGlyphs
            self.fonts[font.objgen] = _Font(_base_name(font), two_bytes, cid_to_gid, count)
        return self.fonts[font.objgen]


def _inherited(page: pikepdf.Dictionary, key: str) -> pikepdf.Object | None:
    """A page attribute, from the page or the page tree above it."""
    node, seen = page, set()
    while isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
        seen.add(node.objgen)
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


# The sections of booklet.html.


@dataclass(frozen=True)
class _Section:
    number: int
    kind: str
    #: Letters and digits of its text, as a count of each: what its pages must show.
    letters: Counter[str]

    @property
    def anchor(self) -> str:
        return f"section-{self.number}"


def _letters(text: str) -> Counter[str]:
    # NFKC: a ligature glyph read back from the PDF gives its letters, as the HTML has them.
    return Counter(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c)[0] in "LN")


@lru_cache(maxsize=4)
def _sections(html: Path, mtime: int, size: int) -> list[_Section]:
    """Each section of booklet.html, as the layouts mark it: ``id="section-N"`` and its kind as first class.

    booklet.html is read with WeasyPrint's own HTML parser, so the tree is the
    one that was typeset. Inline SVG drawings are left out of the text: their
    titles are never drawn. ``mtime`` and ``size`` make a changed file read again;
    both editions share one reading.
    """
    root = tinyhtml5.parse(html.read_text(encoding="utf-8"))
    sections = []
    for element in root.iter():
        match = _SECTION_ID.fullmatch(element.get("id") or "")
        if match and isinstance(element.tag, str):
            kind = (element.get("class") or "").split() or ["section"]
            sections.append(_Section(int(match[1]), kind[0], _letters("".join(_text(element)))))
    return sorted(sections, key=lambda s: s.number)


def _text(element: ET.Element) -> Iterator[str]:
    yield element.text or ""
    for child in element:
        if not (isinstance(child.tag, str) and child.tag.startswith(_SVG)):
            yield from _text(child)
        yield child.tail or ""


# One edition's file, read once.


class _Book:
    def __init__(self, edition: str, path: Path, pdf: pikepdf.Pdf, document: pdfium.PdfDocument, html: Path) -> None:
        self.edition = edition
        self.path = path
        self.pdf = pdf
        self.pdfium = document
        self.html = html
        self.numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        self._texts: dict[int, str] = {}

    @property
    def shown(self) -> str:
        return display_path(self.path)

    @cached_property
    def drawn(self) -> list[_Drawn]:
        walker = _Walker()
        return [walker.page(page, number) for number, page in enumerate(self.pdf.pages, start=1)]

    @cached_property
    def destinations(self) -> dict[str, pikepdf.Object]:
        found: dict[str, pikepdf.Object] = {}
        names = self.pdf.Root.get("/Names")
        if names is not None and "/Dests" in names:
            found.update(pikepdf.NameTree(names.Dests).items())
        for key, value in (self.pdf.Root.get("/Dests") or {}).items():  # the older form: names as keys
            found[key[1:]] = value
        return found

    def page_of(self, destination: pikepdf.Object | None) -> int | None:
        """The page (from 1) a destination lands on, or None."""
        if isinstance(destination, pikepdf.Dictionary):
            destination = destination.get("/D")
        if not isinstance(destination, pikepdf.Array) or not len(destination):
            return None
        target = destination[0]
        if isinstance(target, pikepdf.Dictionary):
            return self.numbers.get(target.objgen)
        if isinstance(target, int) and 0 <= target < len(self.pdf.pages):
            return int(target) + 1
        return None

    @cached_property
    def starts(self) -> dict[str, int]:
        """The page each named destination lands on."""
        found = {}
        for name, destination in self.destinations.items():
            page = self.page_of(destination)
            if page is not None:
                found[name] = page
        return found

    @cached_property
    def sections(self) -> list[_Section] | None:
        if not self.html.is_file():
            return None
        stat = self.html.stat()
        return _sections(self.html, stat.st_mtime_ns, stat.st_size)

    def text(self, page: int) -> str:
        """The text of ``page`` (from 1), as a reader's copy and paste gives it."""
        if page not in self._texts:
            textpage = self.pdfium[page - 1].get_textpage()
            self._texts[page] = textpage.get_text_range()
            textpage.close()
        return self._texts[page]

    def overprinted(self, page: int) -> int:
        """Letters on ``page`` drawn over a letter of another line: text that ran out of its place.

        Letters of one line may touch (joined Arabic letters do); letters
        whose boxes overlap by a fifth while their middles stand apart by
        more than a third of a letter's height belong to lines drawn over one
        another.
        """
        textpage = self.pdfium[page - 1].get_textpage()
        try:
            boxes = [
                textpage.get_charbox(index)
                for index in range(textpage.count_chars())
                if unicodedata.category(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)))[0] in "LN"
            ]
        finally:
            textpage.close()
        boxes.sort(key=lambda box: box[1])
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

    @cached_property
    def xmp(self) -> ET.Element | None:
        stream = self.pdf.Root.get("/Metadata")
        if not isinstance(stream, pikepdf.Stream):
            return None
        try:
            return ET.fromstring(stream.read_bytes())
        except ET.ParseError:
            return None

    def xmp_value(self, key: str) -> str | None:
        """A simple XMP property (``{namespace}name``), written as an element or as an attribute."""
        if self.xmp is None:
            return None
        for description in self.xmp.iter(f"{_RDF}Description"):
            if key in description.attrib:
                return description.attrib[key]
            element = description.find(key)
            if element is not None:
                return (element.text or "").strip()
        return None

    @cached_property
    def info(self) -> pikepdf.Dictionary:
        info = self.pdf.trailer.get("/Info")
        return info if isinstance(info, pikepdf.Dictionary) else pikepdf.Dictionary()


def _pages_list(pages: Iterable[int]) -> str:
    pages = sorted(set(pages))
    shown = ", ".join(str(p) for p in pages[:8]) + (f" and {len(pages) - 8} more" if len(pages) > 8 else "")
    return f"page{'s' if len(pages) > 1 else ''} {shown}"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


# The checks: each returns a row per problem, or one ok row saying what it looked at.


def _file(book: _Book, project: Project) -> list[Row]:
    built = book.path.stat().st_mtime
    sources = [p for folder in (project.data, project.layouts, project.fonts) for p in _files(folder)]
    newer = [p for p in sources if p.stat().st_mtime > built]
    if newer:
        latest = max(newer, key=lambda p: p.stat().st_mtime)
        detail = (
            f"{book.shown} is older than {display_path(latest)}"
            f"{f' and {len(newer) - 1} other files' if len(newer) > 1 else ''}: run make to rebuild before sending"
        )
        return [Row(book.edition, "file", "warning", detail)]
    detail = f"{book.shown}, {_megabytes(book.path.stat().st_size)}, built after the last change to its sources"
    return [Row(book.edition, "file", "ok", detail)]


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


@lru_cache(maxsize=8)
def _bundled(fonts_dir: Path, stamp: tuple[tuple[str, float], ...]) -> dict[str, str]:
    """PostScript name to file name, for every font file in fonts/ (``stamp`` renews it when they change)."""
    names = {}
    for path in font_files(fonts_dir):
        with TTFont(path, lazy=True) as font:
            names[font["name"].getDebugName(6)] = path.name
    return names


def _fonts(book: _Book, fonts_dir: Path) -> list[Row]:
    """Every font embedded, every one from fonts/, and no glyph missing.

    A font is one of fonts/ when its PDF name is one of the layouts' families
    (all start with "Booklet", see booklet.css) and its embedded program
    carries the PostScript name of a file in fonts/: Pango names system fonts
    after their own family, and the subset keeps the file's name table.
    """
    stamp = tuple((p.name, p.stat().st_mtime) for p in font_files(fonts_dir)) if fonts_dir.is_dir() else ()
    bundled = _bundled(fonts_dir, stamp) if stamp else {}
    rows, seen, names = [], set(), []
    for number, drawn in enumerate(book.drawn, start=1):
        for key, font in drawn.fonts.items():
            if key in seen:
                continue
            seen.add(key)
            name = _base_name(font)
            names.append(name)
            program = _program(font)
            if font.get("/Subtype") == "/Type3":
                detail = f"page {number}: the font {name} is drawn as pictures (Type 3), not from a file of fonts/"
                rows.append(Row(book.edition, "fonts", "error", detail))
                continue
            if program is None:
                detail = f"page {number}: the font {name} is not embedded; a printer or reader without it shows another"
                rows.append(Row(book.edition, "fonts", "error", detail))
                continue
            opentype = _opentype(program)
            postscript = opentype["name"].getDebugName(6) if opentype is not None and "name" in opentype else None
            if not name.startswith("Booklet") or postscript not in bundled:
                source = f" ({postscript})" if postscript else ""
                detail = (
                    f"page {number}: the font {name}{source} is not one of fonts/: it came from the computer that "
                    "built the booklet; a character in the text is missing from the booklet's fonts"
                )
                rows.append(Row(book.edition, "fonts", "error", detail))
    notdef: Counter[tuple[int, str]] = Counter()
    for number, drawn in enumerate(book.drawn, start=1):
        for name, count in drawn.notdef.items():
            notdef[number, name] += count
    for (number, name), count in sorted(notdef.items()):
        them = "it" if count == 1 else "them"
        detail = (
            f"page {number}: {count} character{'s' if count > 1 else ''} in {name} drawn as an empty box: the font "
            f"has no glyph for {them}; change the text or add a font that has {them}"
        )
        rows.append(Row(book.edition, "fonts", "error", detail))
    if not rows:
        detail = f"{len(names)} fonts, all embedded and from fonts/; every character has its glyph"
        rows.append(Row(book.edition, "fonts", "ok", detail))
    return rows


def _images(book: _Book) -> list[Row]:
    """Each picture's effective resolution where it is painted, and its colours."""
    placed = [p for drawn in book.drawn for p in drawn.placed if p.colour != "mask"]
    if not placed:
        return [Row(book.edition, "images", "ok", "no pictures")]
    rows = []
    needed = PRINT_PPI if book.edition == "print" else SCREEN_PPI
    for p in placed:
        if p.ppi < needed:
            width, height = (round(pt * _MM) for pt in p.size)
            want = " x ".join(str(math.ceil(pt / 72 * needed)) for pt in p.size)
            use = "the press needs" if book.edition == "print" else "screens need"
            detail = (
                f"page {p.page}: a picture of {p.pixels[0]} x {p.pixels[1]} px at {width} x {height} mm "
                f"is {p.ppi:.0f} ppi; {use} {needed} ppi: use one of at least {want} px (the camera's "
                f"original, not a copy from a message or a web page), or show it smaller"
            )
            rows.append(Row(book.edition, "images", "warning", detail))
        if book.edition == "print" and p.colour == "RGB":
            detail = (
                f"page {p.page}: a picture of {p.pixels[0]} x {p.pixels[1]} px is in RGB; the press converts it to "
                "CMYK and its colours may shift: ask for a CMYK version for coated paper"
            )
            rows.append(Row(book.edition, "images", "warning", detail))
    if not rows:
        lowest = min(p.ppi for p in placed)
        colours = ", ".join(sorted({p.colour for p in placed}))
        count = len(placed)
        detail = f"{count} picture{'s' if count > 1 else ''}, {lowest:.0f} ppi or more, {colours}"
        rows.append(Row(book.edition, "images", "ok", detail))
    return rows


def _pages(book: _Book) -> list[Row]:
    """The page count, and every one-page section still on one page, the back cover last."""
    count = len(book.pdf.pages)
    rows = []
    if book.edition == "print" and blanks_needed(count):
        blanks = blanks_needed(count)
        detail = (
            f"{count} pages: a saddle-stitched booklet needs a multiple of four; add {blanks} blank "
            f"page{'s' if blanks > 1 else ''} (or remove {count % 4})"
        )
        rows.append(Row(book.edition, "pages", "warning", detail))
    sections = book.sections
    if sections is None:
        detail = f"{display_path(book.html)} is missing, so the sections cannot be found: run make to build it again"
        return [*rows, Row(book.edition, "pages", "error", detail)]
    starts = []
    for section in sections:
        if section.anchor not in book.starts:
            detail = (
                f"section {section.number} ({section.kind}) has no destination {section.anchor} in the PDF: "
                "booklet.html and the PDF are from different builds; run make"
            )
            rows.append(Row(book.edition, "pages", "error", detail))
        starts.append(book.starts.get(section.anchor))
    if any(start is None for start in starts):
        return rows
    for index, section in enumerate(sections):
        if section.kind not in SINGLE_PAGE:
            continue
        first = starts[index]
        last = _last_page(book, first, starts[index + 1] if index + 1 < len(sections) else None)
        what = SINGLE_PAGE[section.kind]
        if last > first and section.kind == "contents":
            # A long contents continues between two entries (booklet.css): a fact to know, not a fault.
            detail = (
                f"{what} continues on {_pages_list(range(first + 1, last + 1))}: that reads well; to keep it on one "
                "page, shorten the longest chapter titles (each title is an entry)"
            )
            rows.append(Row(book.edition, "pages", "warning", detail))
            continue
        if last > first:
            detail = (
                f"{what} spans {last - first + 1} pages ({first}-{last}): shorten its text in the data so that "
                "it fits on one page"
            )
            rows.append(Row(book.edition, "pages", "error", detail))
            continue
        missing = sum((section.letters - _letters(book.text(first))).values())
        if missing > _LETTER_SLACK:
            total = sum(section.letters.values())
            detail = (
                f"{what} does not fit on page {first}: {missing} of its {total} letters are not on it (cut off at "
                "the edge or run onto the next page); shorten its text in the data"
            )
            rows.append(Row(book.edition, "pages", "error", detail))
    for number in range(1, count + 1):
        letters = book.overprinted(number)
        if letters > _LETTER_SLACK:
            where = _section_on(sections, starts, number)
            detail = (
                f"page {number} ({where}): {letters} letters are printed over other text; a text is too long "
                "for its place: shorten it in the data"
            )
            rows.append(Row(book.edition, "pages", "error", detail))
    back = next((i for i, s in enumerate(sections) if s.kind == "back-cover"), None)
    if back is not None and starts[back] != count and not _overflowed(rows):
        detail = f"the back cover is on page {starts[back]} of {count}: it must be the last page"
        rows.append(Row(book.edition, "pages", "error", detail))
    if not rows:
        single = list(
            dict.fromkeys(SINGLE_PAGE[s.kind].removeprefix("the ") for s in sections if s.kind in SINGLE_PAGE)
        )
        rule = ", a multiple of four" if book.edition == "print" else ""
        detail = f"{count} pages{rule}; one page each: {', '.join(single)}; the back cover last"
        rows.append(Row(book.edition, "pages", "ok", detail))
    return rows


def _last_page(book: _Book, first: int, next_start: int | None) -> int:
    """The last page a section takes by the destinations: up to the next section's, less the blanks before it.

    A break before the next section can leave empty pages (the back cover
    must fall on a verso), and so can an empty page at the end; those belong
    to no section.
    """
    last = len(book.pdf.pages) if next_start is None else max(first, next_start - 1)
    while last > first and book.drawn[last - 1].blank:
        last -= 1
    return last


#: How the report names a page of each kind of section that is not a one-page one.
_KIND_NAMES = {
    "foreword": "the foreword",
    "chapter": "a chapter",
    "partners": "the partners",
    "colophon": "the colophon",
}


def _section_on(sections: list[_Section], starts: list[int], page: int) -> str:
    """What the reader sees on ``page``: the last section that starts on it or before."""
    section = next((s for s, start in zip(reversed(sections), reversed(starts), strict=True) if start <= page), None)
    if section is None:
        return "before the first section"
    return SINGLE_PAGE.get(section.kind) or _KIND_NAMES.get(section.kind) or f"section {section.number}"


def _overflowed(rows: list[Row]) -> bool:
    return any(row.detail.startswith("the back cover spans") for row in rows)


def _link_target(item: pikepdf.Dictionary) -> pikepdf.Object | None:
    """Where a link annotation or a bookmark goes inside the document, or None (a web address)."""
    target = item.get("/Dest")
    action = item.get("/A")
    if target is None and isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo":
        target = action.get("/D")
    return target


def _links(book: _Book) -> list[Row]:
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
        detail = f"{_pages_list(pages)}: a link to {target} goes nowhere (no such destination): run make"
        rows.append(Row(book.edition, "links", "error", detail))
    bookmarks = list(_bookmarks(book.pdf))
    for title, target in bookmarks:
        if target is not None and _lands(book, target) is None:
            detail = f"the bookmark «{title}» goes nowhere ({_shown_target(target)}): run make"
            rows.append(Row(book.edition, "links", "error", detail))
    entries, contents_rows = _contents(book)
    rows += contents_rows
    if not rows:
        listed = f"; the contents' {entries} page numbers are the chapters' pages" if entries else ""
        detail = f"{count} links and {len(bookmarks)} bookmarks land on their pages{listed}"
        rows.append(Row(book.edition, "links", "ok", detail))
    return rows


def _lands(book: _Book, target: pikepdf.Object) -> int | None:
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


def _contents(book: _Book) -> tuple[int, list[Row]]:
    """Read each contents entry's page number inside its link and compare it with where the link lands.

    Each entry is one link (template contents.html): the text inside the
    link's rectangles is "number title page", the page number last in
    reading order, in Arabic-Indic or Western digits.
    """
    contents = next((s for s in book.sections or [] if s.kind == "contents"), None)
    page_number = book.starts.get(contents.anchor) if contents else None
    if page_number is None:
        return 0, []
    entries: dict[str, list[list[float]]] = {}
    for annotation in book.pdf.pages[page_number - 1].obj.get("/Annots") or []:
        target = _link_target(annotation)
        if isinstance(target, (pikepdf.String, pikepdf.Name)) and "/Rect" in annotation:
            entries.setdefault(_shown_target(target), []).append([float(v) for v in annotation.Rect])
    rows = []
    textpage = book.pdfium[page_number - 1].get_textpage()
    try:
        for name, rects in entries.items():
            xs = [x for rect in rects for x in (rect[0], rect[2])]
            ys = [y for rect in rects for y in (rect[1], rect[3])]
            words = textpage.get_text_bounded(min(xs), min(ys), max(xs), max(ys)).split()
            # A title ending in a Latin acronym in brackets, (UNHCR), is read back with a bracket against the
            # page number ("(١٠"): brackets stand apart.
            words = [part for word in words for part in re.split(r"([()\[\]])", word) if part]
            title = " ".join(w for w in words if not w.isdecimal())
            start = book.starts.get(name)
            if not words or not words[-1].isdecimal():
                detail = f"page {page_number}: the contents entry «{title}» shows no page number"
                rows.append(Row(book.edition, "links", "warning", detail))
            elif start is not None and int(words[-1]) != start:
                detail = (
                    f"page {page_number}: the contents give page {words[-1]} for «{title}», which starts on "
                    f"page {start}: run make again; if it persists, the layouts' page counter is wrong"
                )
                rows.append(Row(book.edition, "links", "error", detail))
    finally:
        textpage.close()
    return len(entries), rows


def _metadata(book: _Book) -> list[Row]:
    """What viewers show and how they open the file, and qpdf's structural check."""
    rows = []
    for key in ("/Title", "/Author", "/Subject"):
        if not str(book.info.get(key, "")).strip():
            detail = f"no {key[1:].lower()} in the PDF's properties: viewers show the file name; rebuild with make"
            rows.append(Row(book.edition, "metadata", "error", detail))
    language = str(book.pdf.Root.get("/Lang", "")).strip()
    if not language:
        detail = "no language (/Lang): screen readers read the Arabic text with the wrong voice; rebuild with make"
        rows.append(Row(book.edition, "metadata", "error", detail))
    preferences = book.pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
    if preferences.get("/Direction") != "/R2L":
        detail = "viewers will show spreads left to right (no /ViewerPreferences /Direction /R2L): rebuild with make"
        rows.append(Row(book.edition, "metadata", "error", detail))
    if preferences.get("/DisplayDocTitle") is not True:
        detail = "viewers will show the file name instead of the title (no /DisplayDocTitle): rebuild with make"
        rows.append(Row(book.edition, "metadata", "error", detail))
    # Anything qpdf finds is damage, except in the linearization hint tables:
    # viewers do not need those to be exact (qpdf itself writes some that its
    # check finds off), and the file shows and prints the same.
    problems = book.pdf.check_pdf_syntax()
    if problems:
        status: Status = "warning" if all(_HINTS.search(p) for p in problems) else "error"
        first = re.sub(r"^(ERROR|WARNING): ", "", problems[0]).replace(f"{book.pdf.filename}: ", "")
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        verdict = "finds damage" if status == "error" else "warns"
        detail = f"qpdf's check {verdict}: {first}{more}; rebuild with make, and report it if it stays"
        rows.append(Row(book.edition, "metadata", status, detail))
    if not rows:
        detail = f"title, author, subject, language {language}, spreads right to left; qpdf finds no problem"
        rows.append(Row(book.edition, "metadata", "ok", detail))
    return rows


def _print_standards(book: _Book) -> list[Row]:
    """PDF/X-4 as the press reads it: CMYK output intent, XMP version, trapping key, boxes, no RGB."""
    rows = []

    def error(detail: str) -> None:
        rows.append(Row(book.edition, "standards", "error", detail))

    intents = [i for i in book.pdf.Root.get("/OutputIntents") or [] if i.get("/S") == "/GTS_PDFX"]
    profile = intents[0].get("/DestOutputProfile") if intents else None
    if not intents:
        error("no PDF/X output intent: the press cannot tell which CMYK the colours are meant for")
    elif not isinstance(profile, pikepdf.Stream) or profile.get("/N") != 4:
        error("the PDF/X output intent has no CMYK profile (DestOutputProfile with 4 components)")
    version = book.xmp_value(f"{_PDFX_ID}GTS_PDFXVersion")
    if not version or not version.startswith("PDF/X-4"):
        error(f"the XMP metadata does not claim PDF/X-4 (pdfxid:GTS_PDFXVersion is {version or 'missing'})")
    if book.info.get("/Trapped") not in ("/True", "/False"):
        error("no /Trapped key saying whether the file is trapped: PDF/X requires it")
    no_trim, no_bleed, thin = [], [], []
    for number, page in enumerate(book.pdf.pages, start=1):
        trim, bleed = page.obj.get("/TrimBox"), page.obj.get("/BleedBox")
        if trim is None:
            no_trim.append(number)
        if bleed is None:
            no_bleed.append(number)
        if trim is not None and bleed is not None:
            t, b = [float(v) for v in trim], [float(v) for v in bleed]
            if min(t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3]) * _MM < BLEED_MM - 0.05:
                thin.append(number)
    if no_trim:
        error(f"no TrimBox on {_pages_list(no_trim)}: the press cannot tell where to cut")
    if no_bleed:
        error(f"no BleedBox on {_pages_list(no_bleed)}: the press cannot tell how far pictures run past the cut")
    if thin:
        detail = f"less than {BLEED_MM} mm of bleed on {_pages_list(thin)}: a white edge may show after cutting"
        rows.append(Row(book.edition, "standards", "warning", detail))
    rgb = [number for number, drawn in enumerate(book.drawn, start=1) if drawn.rgb]
    if rgb:
        error(f"RGB colour painted on {_pages_list(rgb)}: a PDF/X-4 file for a CMYK press should hold none")
    if not rows:
        condition = str(intents[0].get("/OutputConditionIdentifier", "CMYK"))
        detail = (
            f"{version}, output intent {condition}; trim box and {BLEED_MM} mm bleed on all "
            f"{len(book.pdf.pages)} pages; no RGB colour"
        )
        rows.append(Row(book.edition, "standards", "ok", detail))
    return rows


def _screen_standards(book: _Book) -> list[Row]:
    """PDF/UA-1 as screen readers need it, linearized for the web, light enough to send."""
    rows = []

    def error(detail: str) -> None:
        rows.append(Row(book.edition, "standards", "error", detail))

    root = book.pdf.Root
    mark_info = root.get("/MarkInfo") or pikepdf.Dictionary()
    if mark_info.get("/Marked") is not True:
        error("not marked as tagged (/MarkInfo /Marked true): screen readers cannot follow it")
    tree = root.get("/StructTreeRoot")
    figures: list[tuple[int | None, bool]] = []
    if not isinstance(tree, pikepdf.Dictionary):
        error("no structure tree (StructTreeRoot): screen readers cannot tell headings, text and pictures apart")
    else:
        figures = list(_figures(book, tree))
        silent = [page for page, described in figures if not described]
        if silent:
            where = _pages_list(p for p in silent if p is not None) if any(silent) else "somewhere"
            error(
                f"{len(silent)} figure{'s' if len(silent) > 1 else ''} on {where} without a text alternative "
                "(/Alt): give each picture and chart its alt in the data"
            )
    part = book.xmp_value(f"{_PDFUA_ID}part")
    if part != "1":
        error(f"the XMP metadata does not claim PDF/UA-1 (pdfuaid:part is {part or 'missing'})")
    if not book.pdf.is_linearized:
        error("not linearized: a browser shows nothing until the whole file has arrived")
    size = book.path.stat().st_size
    if size >= SCREEN_MAX_BYTES:
        error(
            f"{_megabytes(size)}: over {_megabytes(SCREEN_MAX_BYTES)}, too heavy for messaging apps; "
            "use smaller pictures"
        )
    if not rows:
        detail = f"PDF/UA-1, tagged, {len(figures)} figures with text alternatives; linearized; {_megabytes(size)}"
        rows.append(Row(book.edition, "standards", "ok", detail))
    return rows


def _figures(book: _Book, tree: pikepdf.Dictionary) -> Iterator[tuple[int | None, bool]]:
    """Each /Figure structure element (role-mapped ones too): its page, and whether it has /Alt or /ActualText."""
    roles = tree.get("/RoleMap") or pikepdf.Dictionary()
    stack: list[tuple[pikepdf.Object, int | None]] = [(tree, None)]
    seen = set()
    while stack:
        node, page = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if isinstance(node.get("/Pg"), pikepdf.Dictionary):
            page = book.numbers.get(node.Pg.objgen, page)
        kind = node.get("/S")
        if kind is not None and roles.get(kind) is not None:
            kind = roles[kind]
        if kind == "/Figure":
            described = any(str(node.get(key, "")).strip() for key in ("/Alt", "/ActualText"))
            yield page, described
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack += [(kid, page) for kid in reversed(list(kids))]
        elif kids is not None:
            stack.append((kids, page))
