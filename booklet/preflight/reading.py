"""One edition's PDF, opened once and read by the checks: pikepdf for the objects, PDFium for what a viewer shows."""

from __future__ import annotations

import ctypes
import math
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import tinyhtml5

from booklet.editions import Edition
from booklet.errors import display_path
from booklet.preflight.streams import PaintedFacts, Scanner
from booklet.typeset import manifest

_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
#: PDFium's colour space families of a picture, as the report names them.
_COLOURS = {
    pdfium_c.FPDF_COLORSPACE_DEVICEGRAY: "gray",
    pdfium_c.FPDF_COLORSPACE_CALGRAY: "gray",
    pdfium_c.FPDF_COLORSPACE_DEVICERGB: "RGB",
    pdfium_c.FPDF_COLORSPACE_CALRGB: "RGB",
    pdfium_c.FPDF_COLORSPACE_DEVICECMYK: "CMYK",
}
#: The colour space an ICC profile's header names (bytes 16-19), for ICCBased pictures.
_ICC_SPACES = {b"GRAY": "gray", b"RGB ": "RGB", b"CMYK": "CMYK"}


@dataclass(frozen=True)
class Placed:
    """One painting of a picture: its pixels and the size it is painted at, in points."""

    page: int
    pixels: tuple[int, int]
    size: tuple[float, float]
    colour: str

    @property
    def ppi(self) -> float:
        return min(px / (pt / 72) if pt else math.inf for px, pt in zip(self.pixels, self.size, strict=True))


class Book:
    """One edition's file, read once: each check asks it what it needs."""

    def __init__(self, edition: Edition, path: Path, pdf: pikepdf.Pdf, document: pdfium.PdfDocument) -> None:
        self.edition = edition
        self.path = path
        self.pdf = pdf
        self.pdfium = document
        self.numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        self._texts: dict[int, str] = {}

    @property
    def name(self) -> str:
        return self.edition.name

    @property
    def shown(self) -> str:
        return display_path(self.path)

    @cached_property
    def marks(self) -> list[PaintedFacts]:
        scanner = Scanner()
        return [scanner.page(page) for page in self.pdf.pages]

    @cached_property
    def pictures(self) -> list[Placed]:
        """Every painting of a picture, in forms too, as PDFium places it; stencil masks left out."""
        found = []
        for index in range(len(self.pdfium)):
            page = self.pdfium[index]
            for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=12):
                try:
                    metadata = image.get_metadata()
                except pdfium.PdfiumError:
                    continue  # a picture PDFium cannot read: qpdf's check, under metadata, finds the damage
                colour = _COLOURS.get(metadata.colorspace) or _other_colour(image, page, metadata)
                if colour == "mask":
                    continue
                # The image fills the unit square of its space: the matrix's columns are its painted width and
                # height, whatever the rotation. In a form, the form's matrices place it on the page.
                matrix, form = image.get_matrix(), image.container
                while form is not None:
                    matrix, form = matrix.multiply(form.get_matrix()), form.container
                a, b, c, d, _e, _f = matrix.get()
                size = (math.hypot(a, b), math.hypot(c, d))
                found.append(Placed(index + 1, (metadata.width, metadata.height), size, colour))
        return found

    def blank(self, page: int) -> bool:
        """Nothing on ``page`` (from 1) but, at most, drawn lines: no text, no picture. A page a break left empty."""
        kinds = [pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_IMAGE]
        return next(self.pdfium[page - 1].get_objects(filter=kinds, max_depth=12), None) is None

    @cached_property
    def laid_out(self) -> manifest.LaidOut | str:
        """What the build's manifest says of this file, or why it cannot say (a sentence)."""
        path = self.path.parent / manifest.NAME
        try:
            entry = manifest.read(path).get(self.name)
        except FileNotFoundError:
            return f"{display_path(path)} is missing, so the sections cannot be found: run make to build it again"
        except (OSError, manifest.Unreadable) as error:
            return f"{display_path(path)} cannot be read ({error}): run make to build it again"
        if entry is None:
            return f"{display_path(path)} says nothing of the {self.name} edition: run make to build it again"
        if entry.sha256 != manifest.sha256(self.path):
            return f"{display_path(path)} and {self.shown} are from different builds: run make"
        return entry

    @cached_property
    def sections(self) -> tuple[manifest.PlacedSection, ...] | None:
        laid_out = self.laid_out
        return laid_out.sections if isinstance(laid_out, manifest.LaidOut) else None

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

    def text(self, page: int) -> str:
        """The text of ``page`` (from 1), as a reader's copy and paste gives it."""
        if page not in self._texts:
            textpage = self.pdfium[page - 1].get_textpage()
            self._texts[page] = textpage.get_text_range()
            textpage.close()
        return self._texts[page]

    def letter_boxes(self, page: int) -> list[tuple[float, float, float, float]]:
        """The box of each letter and digit on ``page`` (from 1), as PDFium places them."""
        textpage = self.pdfium[page - 1].get_textpage()
        try:
            return [
                textpage.get_charbox(index)
                for index in range(textpage.count_chars())
                if unicodedata.category(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)))[0] in "LN"
            ]
        finally:
            textpage.close()

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


def _other_colour(image: pdfium.PdfImage, page: pdfium.PdfPage, metadata: pdfium_c.FPDF_IMAGEOBJ_METADATA) -> str:
    """The colours of a picture PDFium calls ICC-based, indexed or unknown: those its ICC profile's header names,
    else ``other``; a stencil mask (no colour space, one bit a pixel) is ``mask``."""
    if metadata.colorspace == pdfium_c.FPDF_COLORSPACE_UNKNOWN and metadata.bits_per_pixel == 1:
        return "mask"
    length = ctypes.c_size_t()
    if not pdfium_c.FPDFImageObj_GetIccProfileDataDecoded(image, page, None, 0, length) or length.value < 20:
        return "other"
    profile = (ctypes.c_uint8 * length.value)()
    pdfium_c.FPDFImageObj_GetIccProfileDataDecoded(image, page, profile, length.value, length)
    return _ICC_SPACES.get(bytes(profile[16:20]), "other")


def html_tree(path: Path) -> ET.Element:
    """booklet.html as WeasyPrint's own HTML parser reads it, parsed once for all the checks and editions.

    The layout and chart checks both read it, for each edition; the tree is
    kept while the file stays as it is.
    """
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _parsed(path: Path, mtime: int, size: int) -> ET.Element:  # noqa: ARG001 - mtime and size renew the cache
    return tinyhtml5.parse(path.read_text(encoding="utf-8"))
