"""Where links go, for readers of paper: addresses printed after links, QR codes for section links.

The screen edition keeps every link clickable; the print edition cannot, so
each web link of a Markdown text is followed by its address in a smaller face
(shown by print.css only), and a section's ``link`` is drawn as a QR code.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import segno
from markupsafe import Markup, escape

from booklet.design import contract

#: A link as markdown-it writes it: its href is escaped, its text is HTML.
_LINK = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
#: Modules of white around the code, as the QR standard asks.
QUIET_ZONE = 4
#: Addresses up to this many characters are never broken across lines.
SHORT = 36


def address(href: str) -> str:
    """The address as a reader types it: no scheme, no trailing slash, letters instead of %-escapes."""
    text = unquote(href)
    text = re.sub(r"\A(?:https?://|mailto:|tel:)", "", text, flags=re.IGNORECASE)
    return re.sub(r"\Awww\.", "", text, flags=re.IGNORECASE).rstrip("/")


def isolated(text: str) -> str:
    """``text`` as a left-to-right run isolated from the Arabic around it.

    WeasyPrint 70 has no ``unicode-bidi``: the isolate characters (LRI ... PDI)
    do that work in the text itself, so an address keeps its order and the
    brackets around it their place.
    """
    return f"\u2066{text}\u2069"


def annotate(rendered: Markup) -> Markup:
    """Each web or mail link followed by its address, unless its text already says it."""

    def add(match: re.Match[str]) -> str:
        href = html.unescape(match[1])
        if href.startswith("#"):
            return match[0]
        shown = address(href)
        text = html.unescape(_TAG.sub("", match[3])).strip()
        if address(text) == shown or text == href:
            return match[0]
        # A short address is kept on one line; a long one may break anywhere.
        kind = (
            f"{contract.LINK_ADDRESS} {contract.LINK_ADDRESS_SHORT}" if len(shown) <= SHORT else contract.LINK_ADDRESS
        )
        return f'{match[0]}<span class="{kind}">({isolated(escape(shown))})</span>'

    return Markup(_LINK.sub(add, str(rendered)))


def qr_code(url: str, ink: str, paper: str) -> Markup:
    """``url`` as a QR code: an SVG drawing of its dark modules in ``ink`` on ``paper``, quiet zone included."""
    code = segno.make(url, error="m", micro=False)
    rows = code.matrix
    size = len(rows) + 2 * QUIET_ZONE
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return Markup(
        f'<svg class="{contract.QR_CLASS}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><title>رمز QR: {escape(url)}</title>'
        f'<rect width="{size}" height="{size}" fill="{escape(paper)}"/>'
        f'<path fill="{escape(ink)}" d="{"".join(runs)}"/></svg>'
    )
