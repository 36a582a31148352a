"""Bound an SVG picture's complexity before WeasyPrint draws it.

WeasyPrint builds a tree of every element and draws each one: an SVG of two
million rectangles took minutes and gigabytes. The file is read as a stream of
parse events, counting as it goes, and refused at the first bound passed,
before any tree is built. Text sizes are bounded too (Pango fails on a font
size of 1e30 with lines of its own on the terminal), and a stylesheet that
imports another (WeasyPrint says only "failed to load image").
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

# The same refusal as any file's: a reason that reads after the file's name, with what to do.
from booklet.readfile import Refused

#: An SVG file larger than this is not a drawing for a booklet's page.
MAX_SVG_BYTES = 8 * 1024 * 1024
#: Elements in one drawing (a detailed map has a few thousand).
MAX_ELEMENTS = 50_000
#: Characters of path data (d, points) in one drawing, all paths together.
MAX_PATH_DATA = 4_000_000
#: Elements nested inside each other.
MAX_DEPTH = 100
#: The largest text size, in the drawing's own units (font-size).
MAX_FONT_SIZE = 10_000.0

_FONT_SIZE = re.compile(r"font-size\s*:\s*([^;\"'}]+)")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def check(path: Path) -> None:
    """Raise Refused if the SVG at ``path`` is not well formed or passes one of the bounds."""
    size = path.stat().st_size
    if size > MAX_SVG_BYTES:
        raise Refused(
            f"is {size / 1048576:.1f} MB of SVG; a drawing may have at most {MAX_SVG_BYTES // 1048576} MB: "
            "simplify it, or export it as a PNG"
        )
    elements = depth = path_data = 0
    root_seen = False
    try:
        for event, element in ElementTree.iterparse(path, events=("start", "end")):
            if event == "end":
                depth -= 1
                if element.text:
                    _check_style_text(element.tag, element.text)
                element.clear()  # keep no tree: memory stays flat however long the file
                continue
            if not root_seen:
                root_seen = True
                if not str(element.tag).endswith("svg"):
                    raise Refused("is not an SVG drawing (its root is not <svg>); export it again")
            elements += 1
            depth += 1
            if elements > MAX_ELEMENTS:
                raise Refused(f"has more than {MAX_ELEMENTS:,} elements; simplify the drawing, or export it as a PNG")
            if depth > MAX_DEPTH:
                raise Refused(f"nests elements more than {MAX_DEPTH} deep; simplify the drawing, or export it as a PNG")
            for name, value in element.attrib.items():
                local = name.rpartition("}")[2]
                if local in ("d", "points"):
                    path_data += len(value)
                    if path_data > MAX_PATH_DATA:
                        raise Refused(
                            f"has more than {MAX_PATH_DATA:,} characters of path data; simplify the drawing, "
                            "or export it as a PNG"
                        )
                elif local == "font-size":
                    _check_font_size(value)
                elif local == "style":
                    _check_style_text("style", value)
    except ElementTree.ParseError as error:
        raise Refused(f"is not a well-formed SVG drawing ({error}); export it again") from None


def _check_style_text(tag: object, text: str) -> None:
    if str(tag).rpartition("}")[2] == "style" and "@import" in text.lower():
        raise Refused("its style imports another stylesheet (@import); put the styles in the drawing itself")
    for match in _FONT_SIZE.finditer(text):
        _check_font_size(match[1])


def _check_font_size(value: str) -> None:
    number = _NUMBER.match(value.strip())
    if number is None:
        return  # a keyword (larger, medium) or a percentage of one: WeasyPrint bounds those
    size = float(number[0])
    if not size < MAX_FONT_SIZE:  # also NaN and inf
        raise Refused(f"has a text size of {value.strip()}; a drawing's text may be at most {MAX_FONT_SIZE:g} units")
