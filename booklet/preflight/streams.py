"""What PDFium's object API leaves unsaid, read from a page's content streams with pikepdf.

PDFium gives each character's Unicode, not the glyph drawn: an empty box drawn
for a character the font lacks reads back as that character. And it gives every
fill and stroke colour converted to RGB, not the colour space it is painted in.
So only the operators that answer those two questions are followed here:
fonts (``Tf``, kept across ``q``/``Q``), text showing, colour spaces, shadings,
and the form XObjects and tiling patterns that hold more of them. Geometry,
pictures and text are PDFium's (reading.py).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pikepdf
from fontTools.ttLib import TTFont

_OPERATORS = "q Q Tf Tj TJ ' \" rg RG cs CS sh scn SCN Do"
_TEXT = {"Tj", "TJ", "'", '"'}
#: Nested form XObjects deeper than this are not followed (a malformed file could loop).
_MAX_DEPTH = 12


@dataclass
class PaintedFacts:
    """What one page's content streams paint, as far as PDFium cannot tell."""

    #: Glyphs drawn as .notdef (an empty box), by font.
    notdef: Counter[str] = field(default_factory=Counter)
    #: Operators that paint in RGB.
    rgb: int = 0
    #: Every font the page's content streams can use, by object number.
    fonts: dict[tuple[int, int], pikepdf.Dictionary] = field(default_factory=dict)


@dataclass(frozen=True)
class _Font:
    name: str
    #: Codes are two bytes, CIDs mapped to glyphs by ``cid_to_gid`` (None: the same number).
    two_bytes: bool
    cid_to_gid: bytes | None
    glyph_count: int | None


def base_name(font: pikepdf.Dictionary) -> str:
    """The font's name without its subset tag: ``ABCDEF+Booklet-Naskh`` is ``Booklet-Naskh``."""
    name = str(font.get("/BaseFont", font.get("/Name", "/unnamed")))[1:]
    return re.sub(r"^[A-Z]{6}\+", "", name)


def program(font: pikepdf.Dictionary) -> pikepdf.Object | None:
    """The embedded font file of ``font``, or None."""
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not descendants:
            return None
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return None
    return next((descriptor[key] for key in ("/FontFile2", "/FontFile3", "/FontFile") if key in descriptor), None)


def opentype(embedded: pikepdf.Object) -> TTFont | None:
    """The embedded program as a fontTools font, when it is TrueType or OpenType."""
    subtype = embedded.get("/Subtype")
    if subtype is not None and subtype != "/OpenType":
        return None  # bare CFF or Type 1: no name table to tell which file it is
    try:
        return TTFont(io.BytesIO(embedded.read_bytes()), lazy=True)
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


def _painted_rgb(shading: pikepdf.Object | None, resources: pikepdf.Dictionary) -> bool:
    return shading is not None and _colour(shading.get("/ColorSpace"), resources) == "RGB"


class Scanner:
    """Follow a page's content streams, its form XObjects and tiling patterns, for fonts, glyphs and colours."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[int, int], _Font] = {}

    def page(self, page: pikepdf.Page) -> PaintedFacts:
        marks = PaintedFacts()
        resources = _inherited(page.obj, "/Resources") or pikepdf.Dictionary()
        self._stream(page.obj, resources, None, marks, 0)
        return marks

    def _stream(
        self,
        stream: pikepdf.Object,
        resources: pikepdf.Dictionary,
        font: pikepdf.Object | None,
        marks: PaintedFacts,
        depth: int,
    ) -> None:
        for value in (resources.get("/Font") or {}).values():
            marks.fonts[value.objgen] = value
        saved, patterns = [], set()
        try:
            items = pikepdf.parse_content_stream(stream, _OPERATORS)
        except pikepdf.PdfError:
            return  # damaged: qpdf's check, under metadata, says where
        for operands, operator in items:
            operator = str(operator)
            if operator == "q":
                saved.append(font)
            elif operator == "Q" and saved:
                font = saved.pop()
            elif operator == "Tf":
                font = (resources.get("/Font") or {}).get(operands[0])
            elif operator in _TEXT:
                self._text(operands, font, marks)
            elif operator in ("rg", "RG"):
                marks.rgb += 1
            elif operator in ("cs", "CS"):
                marks.rgb += _colour(operands[0], resources) == "RGB"
            elif operator == "sh":
                marks.rgb += _painted_rgb((resources.get("/Shading") or {}).get(operands[0]), resources)
            elif operator in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
                pattern = (resources.get("/Pattern") or {}).get(operands[-1])
                if pattern is None or pattern.objgen in patterns:
                    continue
                patterns.add(pattern.objgen)
                if pattern.get("/PatternType") == 2:
                    marks.rgb += _painted_rgb(pattern.get("/Shading"), resources)
                elif depth < _MAX_DEPTH:
                    self._stream(pattern, pattern.get("/Resources") or resources, None, marks, depth + 1)
            elif operator == "Do" and depth < _MAX_DEPTH:
                xobject = (resources.get("/XObject") or {}).get(operands[0])
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    self._stream(xobject, xobject.get("/Resources") or resources, font, marks, depth + 1)

    def _text(self, operands: list, font: pikepdf.Object | None, marks: PaintedFacts) -> None:
        info = self._font(font) if isinstance(font, pikepdf.Dictionary) else None
        if info is None or not info.two_bytes:
            return  # one-byte codes: glyphs cannot be told apart from the code alone
        strings = operands[0] if operands and isinstance(operands[0], pikepdf.Array) else operands[-1:]
        data = b"".join(bytes(s) for s in strings if isinstance(s, pikepdf.String))
        for index in range(0, len(data) - 1, 2):
            gid = cid = int.from_bytes(data[index : index + 2], "big")
            if info.cid_to_gid is not None:
                gid = int.from_bytes(info.cid_to_gid[2 * cid : 2 * cid + 2] or b"\0\0", "big")
            if gid == 0 or (info.glyph_count is not None and gid >= info.glyph_count):
                marks.notdef[info.name] += 1

    def _font(self, font: pikepdf.Dictionary) -> _Font:
        if font.objgen not in self._fonts:
            two_bytes, cid_to_gid, count = False, None, None
            # WeasyPrint writes every TrueType and OpenType font as a Type 0
            # font with Identity encoding: a code is two bytes, the CID.
            if font.get("/Subtype") == "/Type0" and str(font.get("/Encoding")) in ("/Identity-H", "/Identity-V"):
                two_bytes = True
                mapping = font.DescendantFonts[0].get("/CIDToGIDMap")
                cid_to_gid = mapping.read_bytes() if isinstance(mapping, pikepdf.Stream) else None
                embedded = program(font)
                parsed = opentype(embedded) if embedded is not None else None
                if parsed is not None and "maxp" in parsed:
                    count = parsed["maxp"].numGlyphs
            self._fonts[font.objgen] = _Font(base_name(font), two_bytes, cid_to_gid, count)
        return self._fonts[font.objgen]


def _inherited(page: pikepdf.Dictionary, key: str) -> pikepdf.Object | None:
    """A page attribute, from the page or the page tree above it."""
    node, seen = page, set()
    while isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
        seen.add(node.objgen)
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None
