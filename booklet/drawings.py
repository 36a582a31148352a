"""The merged HTML's inline SVG drawings, handed to WeasyPrint as images of themselves.

Charts, icons and artwork are inline ``<svg>`` in booklet.html, as the layouts
write them. WeasyPrint draws an inline SVG apart from the page anyway
(weasyprint/html.py, handle_svg), but first it runs the page's cascade on
every element inside it: each circle of a dot chart gets its style and six
pseudo-element styles (marker, footnote and note calls...) that nothing
uses. As ``<img>`` elements of the same SVG the pages come out the same, pixel
for pixel, the drawings are parsed once however often they appear (an icon on
every card), and layout and writing take a fifth less time at 8x.

The images are ``data:`` URLs: only the ones made here are read (the
typesetter's fetcher refuses every other data: URL).
"""

from __future__ import annotations

import base64
import functools
import re
from html import escape
from xml.etree import ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)
_START_TAG = re.compile(r"<svg\b[^>]*>")
#: Attributes of the root <svg> that the page's CSS matches or applies: they go on the <img>.
_PAGE_ATTRIBUTES = ("id", "class", "style")
_PAGE_ATTRIBUTE = re.compile(r"""\s(?:id|class|style)\s*=\s*(?:"[^"]*"|'[^']*')""")
PREFIX = "data:image/svg+xml;base64,"


def as_images(html: str) -> tuple[str, frozenset[str]]:
    """``html`` with each inline SVG drawing as an ``<img>``, and the data: URLs of those images."""
    urls: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        made = _image(match[0])
        if made is None:
            return match[0]
        tag, url = made
        urls.add(url)
        return tag

    return _SVG.sub(replace, html), frozenset(urls)


def content(url: str) -> bytes:
    """The SVG a data: URL made by as_images() holds."""
    return base64.b64decode(url.removeprefix(PREFIX))


@functools.lru_cache(maxsize=512)
def _image(svg: str) -> tuple[str, str] | None:
    """The ``<img>`` tag for one inline drawing and its URL; None to leave the drawing inline.

    A drawing stays inline when it is not XML on its own (HTML entities), holds
    another <svg>, or has no <title>: that title is its alternative text in the
    tagged screen edition, as an inline drawing's is, and an image without one
    would be a figure without a description.
    """
    if svg.count("<svg") != 1:
        return None
    start = _START_TAG.match(svg)
    if start is None:
        return None
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return None
    namespace = SVG_NS if root.tag == f"{{{SVG_NS}}}svg" else ""
    title = root.find(f"{{{SVG_NS}}}title" if namespace else "title")
    alt = " ".join((title.text or "").split()) if title is not None else ""
    if not alt:
        return None
    # The start tag as written, less the page's attributes, with the SVG
    # namespace an HTML page lets it leave out.
    tag = _PAGE_ATTRIBUTE.sub("", start[0])
    if not namespace:
        tag = tag.replace("<svg", f'<svg xmlns="{SVG_NS}"', 1)
    standalone = tag + svg[start.end() :]
    url = PREFIX + base64.b64encode(standalone.encode()).decode("ascii")
    kept = "".join(f' {name}="{escape(root.attrib[name])}"' for name in _PAGE_ATTRIBUTES if name in root.attrib)
    return f'<img{kept} alt="{escape(alt)}" src="{url}">', url
