"""The text a PDF gives back: its fonts' ToUnicode maps, mended and read.

Extractors (PDFium, poppler, MuPDF, pypdf) turn glyphs into text with each
font's ToUnicode map. WeasyPrint writes, for each glyph, the text it was
shaped from; two kinds of glyph then read back wrong:

- Arabic presentation forms (U+FB50 to U+FDFF, U+FE70 to U+FEFF). A label
  joined before typesetting (an SVG drawing's text goes through
  arabic-reshaper, as WeasyPrint's SVG text does not join letters) is drawn
  from these code points, and most extractors return them as they are: a
  search for «سبتمبر» does not find «ﺳﺒﺘﻤﺒﺮ». Each is mapped back to the letters
  it stands for (its compatibility decomposition: lam-alef is two letters).
- Brackets in right-to-left text. The bidi algorithm mirrors them: the
  logical "(" of «(IOM)» in an Arabic line is drawn with the glyph of ")",
  and WeasyPrint maps that glyph to "(": the map says the opposite of what
  the glyph shows, and extractors, which read glyphs in the order they are
  drawn and mirror brackets themselves when they reorder a right-to-left
  line, return ")IOM(". Each mirrored glyph is mapped to the bracket it
  shows, the way a PDF from a word processor maps it.

``mend`` rewrites the maps of a finished file (both editions); ``marked_text``
reads the text of each marked-content sequence, for the structure tree's
languages and for the preflight.
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata
from array import array
from collections.abc import Iterator

import pikepdf
from fontTools.ttLib import TTFont

#: Arabic presentation forms A and B.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_MIRRORED = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "«": "»", "»": "«", "<": ">", ">": "<"}
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
_HEADER = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <ffff>
endcodespacerange
"""
_FOOTER = b"""endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _utf16(data: bytes) -> str:
    return bytes.fromhex(data.decode()).decode("utf-16-be", errors="replace")


def parse_cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's code-to-text map (bfchar and bfrange entries)."""
    found: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        values = _HEX.findall(block)
        for code, text in zip(values[::2], values[1::2], strict=False):
            if code:
                found[int(code, 16)] = _utf16(text)
    for block in _BFRANGE.findall(data):
        for line in block.splitlines():
            values = _HEX.findall(line)
            if len(values) < 3:
                continue
            if not values[0] or not values[1]:
                continue
            first, last = int(values[0], 16), int(values[1], 16)
            if b"[" in line:
                for offset, text in enumerate(values[2:]):
                    found[first + offset] = _utf16(text)
            else:
                start = _utf16(values[2])
                for offset in range(min(last - first + 1, 65536)):
                    found[first + offset] = start[:-1] + chr(ord(start[-1]) + offset) if start else ""
    return found


def write_cmap(mapping: dict[int, str]) -> bytes:
    lines = [_HEADER]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar\n".encode())
        for code, text in batch:
            lines.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>\n".encode())
        lines.append(b"endbfchar\n")
    lines.append(_FOOTER)
    return b"".join(lines)


def fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every font dictionary of the file, once, from pages, forms and patterns."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/Subtype" in obj:
            yield obj


def glyph_shows(font: pikepdf.Dictionary) -> dict[int, str]:
    """The character each glyph's outline is, from the embedded font's cmap (glyph id to character)."""
    descendants = font.get("/DescendantFonts")
    descriptor = descendants[0].get("/FontDescriptor") if descendants else font.get("/FontDescriptor")
    program = None
    if descriptor is not None:
        program = next((descriptor[k] for k in ("/FontFile2", "/FontFile3") if k in descriptor), None)
    if program is None:
        return {}
    try:
        ttfont = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
        cmap = ttfont.getBestCmap() or {}
        order = ttfont.getGlyphOrder()
    except Exception:  # noqa: BLE001 - an unreadable program: leave its map as it is
        return {}
    ids = {name: index for index, name in enumerate(order)}
    shows: dict[int, str] = {}
    for code, name in sorted(cmap.items()):
        if chr(code) in _MIRRORED and name in ids:
            shows.setdefault(ids[name], chr(code))
    return shows


def _letters(form: str) -> str:
    """The letters a presentation form stands for, in the order an extractor wants them.

    Presentation forms only reach a PDF from text joined and reordered for
    display before it was drawn (an SVG label): the run is drawn in visual
    order, and PDFium and poppler turn it back by reversing it letter by
    letter. A ligature's letters are therefore given in visual order too
    (lam-alef as alef, lam), so that the reversal puts them right.
    """
    letters = unicodedata.normalize("NFKC", form)
    arabic = [c for c in letters if "\u0600" <= c <= "\u06ff"]
    return letters[::-1] if len(arabic) > 1 and len(letters) == len(arabic) else letters


def mended(mapping: dict[int, str], shows: dict[int, str]) -> dict[int, str]:
    """``mapping`` with presentation forms decomposed and mirrored brackets mapped to what they show."""
    result = {}
    for code, text in mapping.items():
        if PRESENTATION_FORMS.search(text):
            text = "".join(_letters(c) if PRESENTATION_FORMS.match(c) else c for c in text)
        if text in _MIRRORED and shows.get(code) == _MIRRORED[text]:
            text = shows[code]
        result[code] = text
    return result


def mend(pdf: pikepdf.Pdf) -> int:
    """Rewrite every ToUnicode map that needs it; the number of maps rewritten."""
    count = 0
    for font in fonts(pdf):
        stream = font.get("/ToUnicode")
        if not isinstance(stream, pikepdf.Stream):
            continue
        mapping = parse_cmap(stream.read_bytes())
        needs_shows = any(text in _MIRRORED for text in mapping.values())
        new = mended(mapping, glyph_shows(font) if needs_shows else {})
        if new != mapping:
            font.ToUnicode = pdf.make_stream(write_cmap(new))
            count += 1
    return count


class _Decoder:
    """A font's ToUnicode map, applied to the strings its text operators show.

    A booklet's text operators show the same glyph runs again and again (a
    word, a digit, a space between kerning adjustments): each string is
    decoded once per font.
    """

    def __init__(self, font: pikepdf.Dictionary) -> None:
        stream = font.get("/ToUnicode")
        self.mapping = parse_cmap(stream.read_bytes()) if isinstance(stream, pikepdf.Stream) else {}
        self.two_bytes = font.get("/Subtype") == "/Type0"
        self.known: dict[bytes, str] = {}

    def __call__(self, data: bytes) -> str:
        text = self.known.get(data)
        if text is None:
            if self.two_bytes:
                codes = array("H", data[: len(data) // 2 * 2])
                if sys.byteorder == "little":
                    codes.byteswap()
            else:
                codes = data
            get = self.mapping.get
            text = self.known[data] = "".join([get(code, "") for code in codes])
        return text


def _decoder(font: pikepdf.Dictionary | None, maps: dict) -> _Decoder | None:
    """``font``'s decoder, made once for every page that uses the font (``maps`` keeps them)."""
    if font is None:
        return None
    key = font.objgen
    if key not in maps:
        maps[key] = _Decoder(font)
    return maps[key]


TEXT_OPERATORS = ("Tj", "TJ", "'", '"')


def shown(operands: list, operator: str, decode: _Decoder | None) -> str:
    """The text a text-showing operator draws, decoded by its font's ToUnicode map."""
    strings = operands[0] if operator == "TJ" else operands[-1:]
    if decode is None:
        return ""
    return "".join([decode(bytes(s)) for s in strings if isinstance(s, pikepdf.String)])


def fonts_of(page: pikepdf.Page) -> pikepdf.Dictionary:
    resources = page.obj.get("/Resources") or pikepdf.Dictionary()
    return resources.get("/Font") or pikepdf.Dictionary()


def text_runs(
    page: pikepdf.Page,
    maps: dict,
    items: list,
    unlabelled: bool = False,
    starts: dict[int, int] | None = None,
    direct: set[int] | None = None,
) -> dict[int, list[tuple[int, str]]]:
    """Each text operator inside a marked-content sequence with an MCID on ``page``: (its index in ``items``, its text).

    ``items``: the page's content stream, parsed. ``unlabelled``: leave out
    text inside a nested sequence that says its language (/Lang). ``starts``,
    if given, receives the index of each MCID's BDC operator; ``direct`` the
    index of each text operator whose innermost sequence is its MCID's own.
    ``maps`` keeps each font's decoder from one page to the next.
    """
    font_resources = fonts_of(page)
    by_name: dict[str, _Decoder | None] = {}  # the page's fonts, by the name Tf gives
    found: dict[int, list[tuple[int, str]]] = {}
    stack: list[tuple[int | None, bool, bool]] = []  # (MCID, labelled, its own MCID) of each open sequence
    decode = None
    for index, item in enumerate(items):
        # The operator alone: a parsed instruction's operands are converted
        # each time they are asked for, and most operators need none.
        name = str(item.operator)
        if name in ("BDC", "BMC"):
            operands = item.operands
            properties = operands[1] if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) else {}
            mcid = properties.get("/MCID")
            if mcid is not None and starts is not None:
                starts[int(mcid)] = index
            outer = stack[-1] if stack else (None, False, False)
            labelled = outer[1] or (unlabelled and "/Lang" in properties and mcid is None)
            stack.append((int(mcid) if mcid is not None else outer[0], labelled, mcid is not None))
        elif name == "EMC" and stack:
            stack.pop()
        elif name == "Tf":
            operand = item.operands[0]
            key = repr(operand)
            if key not in by_name:
                by_name[key] = _decoder(font_resources.get(operand), maps)
            decode = by_name[key]
        elif name in TEXT_OPERATORS and stack and stack[-1][0] is not None and not stack[-1][1]:
            found.setdefault(stack[-1][0], []).append((index, shown(item.operands, name, decode)))
            if direct is not None and stack[-1][2]:
                direct.add(index)
    return found


def marked_text(
    page: pikepdf.Page, maps: dict | None = None, items: list | None = None, unlabelled: bool = False
) -> dict[int, str]:
    """The text inside each marked-content sequence with an MCID on ``page``, by MCID, in drawing order."""
    items = pikepdf.parse_content_stream(page) if items is None else items
    runs = text_runs(page, {} if maps is None else maps, items, unlabelled)
    return {mcid: "".join(text for _index, text in found) for mcid, found in runs.items()}
