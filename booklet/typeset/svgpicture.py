"""SVG pictures from the data (maps, diagrams) made ready for WeasyPrint and for the press.

WeasyPrint draws SVG text one code point at a time, left to right (see
svgtext.py): an Arabic label in a map comes out reversed and unjoined. It
reads font names from the drawing (a family missing from fonts/ fails the
build's font check) and writes the drawing's colours as RGB (a PDF/X file for a
CMYK press holds none). So each SVG picture is copied, once per edition, with:

- every label shaped and put in display order with svgtext.visual(), as the
  charts' labels are, and its anchor turned for a right-to-left label;
- every font family replaced by the booklet's text faces (Naskh, the face that
  has the joined letter forms, then the Latin face);
- for the print edition, every colour separated into the press's CMYK through
  the output profile, as the photographs are, and black made CMYK black.

What cannot be made right is refused with the drawing's name, the line in it
and what to change.
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path

from lxml import etree
from PIL import Image, ImageCms
from tinycss2 import color4

from booklet import output
from booklet.design import contract
from booklet.typeset import svgtext

#: Bump when the way copies are made changes.
_RECIPE = b"svg:2"
_FONTS = ", ".join(f'"{family}"' for family in contract.TEXT_FAMILIES)
#: Presentation attributes and style properties that hold a colour.
_COLOUR_KEYS = ("fill", "stroke", "stop-color", "flood-color", "lighting-color", "color")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_STYLE_COLOUR = re.compile(r"(?P<key>(?<![\w-])(?:" + "|".join(_COLOUR_KEYS) + r"))\s*:\s*(?P<value>[^;}!]+)")
_STYLE_FONT = re.compile(r"(?<![\w-])font-family\s*:\s*[^;}]+")


class Unusable(Exception):
    """The drawing cannot be made right; the message names it, where, and what to change."""


def prepare(source: Path, data: bytes, cache: Path, press: bytes | None) -> tuple[Path, Path]:
    """The files the print and the screen editions read for the drawing ``source`` (content ``data``)."""
    digest = hashlib.sha256(data + _RECIPE).hexdigest()[:20]
    screen_file = cache / f"{digest}-screen.svg"
    print_digest = hashlib.sha256(data + _RECIPE + (press or b"")).hexdigest()[:20]
    print_file = cache / f"{print_digest}-print.svg"
    if screen_file.is_file() and print_file.is_file():
        return print_file, screen_file
    _write(screen_file, _rewritten(source.name, data, None))
    _write(print_file, _rewritten(source.name, data, press))
    return print_file, screen_file


def _write(target: Path, content: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(content)
        temporary.replace(target)
    except OSError as error:
        raise output.cannot_write_folder(target.parent, error) from None


def _rewritten(name: str, data: bytes, press: bytes | None) -> bytes:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise Unusable(f"{name} is not well-formed XML ({error}); export it again") from None
    if root.getroottree().docinfo.internalDTD is not None or b"<!ENTITY" in data:
        raise Unusable(f"{name} declares a DOCTYPE or entities; export it again without them (plain SVG)")
    separate = _separation(press) if press is not None else None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname
        where = f"{name}, line {element.sourceline}"
        if tag in ("image", "foreignObject"):
            raise Unusable(
                f"{where}: <{tag}> puts a picture or HTML inside the drawing, which cannot be separated for the "
                "press nor checked; export the drawing with vector shapes only, and give a photograph its own image"
            )
        # Any element may name a font for the text inside it: the booklet's faces, always.
        if element.get("font-family") is not None:
            element.set("font-family", _FONTS)
        if element.get("style"):
            element.set("style", _STYLE_FONT.sub(f"font-family: {_FONTS}", element.get("style")))
        if tag == "style" and element.text:
            element.text = _STYLE_FONT.sub(f"font-family: {_FONTS}", element.text)
        if tag in ("text", "tspan", "textPath"):
            _text(element, tag, where)
        if separate is not None:
            _colours(element, separate, where)
    # Defaults the drawing relies on: black text and shapes, and the booklet's faces.
    root.set("font-family", _FONTS)
    if separate is not None:
        black = "device-cmyk(0 0 0 1)"
        if root.get("fill") is None:
            root.set("fill", black)
        if root.get("color") is None:
            root.set("color", black)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _text(element: etree._Element, tag: str, where: str) -> None:
    """One label: its fonts the booklet's, its Arabic shaped and in display order."""
    own = (element.text or "").strip()
    tails = "".join(child.tail or "" for child in element).strip()
    text = " ".join(f"{own} {tails}".split())
    if not _RTL.search(text):
        return
    if tag == "textPath":
        raise Unusable(f"{where}: the label «{text}» follows a path; set it on a straight line (<text> with x and y)")
    if len(element):
        raise Unusable(
            f"{where}: the label «{text}» mixes its own text with <tspan> parts; write each line of a label as "
            "one <text> or one <tspan>, so that it can be set right to left"
        )
    for key in ("x", "y", "dx", "dy", "rotate"):
        if len((element.get(key) or "").replace(",", " ").split()) > 1:
            raise Unusable(
                f'{where}: the label «{text}» places each letter ({key}="{element.get(key)}"); give the label '
                "one x and one y, so that its letters can be joined"
            )
    element.text = svgtext.visual(text)
    # A label written for a right-to-left reader starts at its right end.
    anchor = element.get("text-anchor")
    if _direction(element) == "rtl" and anchor in (None, "start", "end"):
        element.set("text-anchor", "start" if anchor == "end" else "end")


def _direction(element: etree._Element) -> str | None:
    node = element
    while node is not None:
        if node.get("direction"):
            return node.get("direction")
        found = re.search(r"direction\s*:\s*(rtl|ltr)", node.get("style") or "")
        if found:
            return found[1]
        node = node.getparent()
    return None


def _colours(element: etree._Element, separate: object, where: str) -> None:
    for key in _COLOUR_KEYS:
        value = element.get(key)
        if value is not None:
            element.set(key, _cmyk(value, separate, where))
    if element.get("style"):
        element.set(
            "style",
            _STYLE_COLOUR.sub(lambda m: f"{m['key']}: {_cmyk(m['value'], separate, where)}", element.get("style")),
        )
    if etree.QName(element).localname == "style" and element.text:
        element.text = _STYLE_COLOUR.sub(lambda m: f"{m['key']}: {_cmyk(m['value'], separate, where)}", element.text)


def _cmyk(value: str, separate: object, where: str) -> str:
    """A colour value as the press inks it: ``device-cmyk(c m y k)``; none, url(#...) and the like as they are."""
    written = value.strip()
    lowered = written.lower()
    if lowered in ("none", "inherit", "transparent", "currentcolor") or lowered.startswith(("url(", "device-cmyk(")):
        return written
    colour = color4.parse_color(written)
    if colour is None:
        raise Unusable(f"{where}: the colour {written!r} is not one a drawing can use; write it as #rrggbb")
    red, green, blue = (min(1.0, max(0.0, c)) for c in colour.to("srgb").coordinates)
    cyan, magenta, yellow, black = separate((round(red * 255), round(green * 255), round(blue * 255)))
    alpha = "" if colour.alpha >= 1 else f" / {colour.alpha:.3g}"
    return f"device-cmyk({cyan:.3g} {magenta:.3g} {yellow:.3g} {black:.3g}{alpha})"


@lru_cache(maxsize=4)
def _separation(press: bytes):  # noqa: ANN202 - a function from RGB to CMYK
    """RGB (0-255) to the press's CMYK (0-1), through its profile, as photographs are separated."""
    transform = ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"),
        ImageCms.ImageCmsProfile(io.BytesIO(press)),
        "RGB",
        "CMYK",
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
        flags=ImageCms.Flags.NOCACHE,  # shared by the threads that prepare pictures
    )

    @lru_cache(maxsize=1024)
    def separate(rgb: tuple[int, int, int]) -> tuple[float, ...]:
        # Pure black stays pure black: text and hairlines in one ink, not four.
        if rgb == (0, 0, 0):
            return (0.0, 0.0, 0.0, 1.0)
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform)
        return tuple(channel / 255 for channel in pixel.getpixel((0, 0)))

    return separate
