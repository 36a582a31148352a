"""Latin runs in the merged HTML, marked as English for screen readers.

The booklet's language is Arabic: a screen reader reads «IOM» or «SIL Open
Font License» with an Arabic voice unless the run says it is English. Every
run of Latin letters in the text of the HTML (not in attributes, styles or
drawings) is wrapped in ``<span lang="en">``; the screen edition's tagging
(pdfstructure) carries ``lang`` into the structure tree as ``/Lang``. A span
changes nothing on the page: Pango already sets a Latin run apart by its script.
"""

from __future__ import annotations

import re

_LETTER = "A-Za-z\u00c0-\u024f"
#: Latin words (apostrophes, hyphens, dots and digits inside them), and the spaces between them.
_WORD = rf"[{_LETTER}](?:[{_LETTER}0-9'’.&-]*[{_LETTER}0-9])?"
_WORDS = rf"{_WORD}(?:\s+{_WORD})*"
#: A run, with the brackets around it when it has a pair of them.
_RUN = re.compile(rf"\((?:{_WORDS})\)|{_WORDS}")
_PIECES = re.compile(r"(<!--.*?-->|<[^>]*>|&[#\w]+;)", re.DOTALL)
#: Elements whose content is not text of the page.
_SKIP = {"head", "style", "script", "svg", "title", "textarea"}
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)")


def _span(match: re.Match[str]) -> str:
    if match[0].startswith("("):
        return f'<span lang="en" dir="ltr">{match[0]}</span>'
    return f'<span lang="en">{match[0]}</span>'


def mark(html: str) -> str:
    """``html`` with each Latin run of its text in ``<span lang="en">``."""
    pieces = _PIECES.split(html)
    skipping: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag, a comment or an entity
            tag = _TAG.match(piece)
            if tag is None:
                continue
            closing, name = tag[1] == "/", tag[2].lower()
            if name in _SKIP and not piece.endswith("/>"):
                if closing and skipping and skipping[-1] == name:
                    skipping.pop()
                elif not closing:
                    skipping.append(name)
        elif not skipping and piece.strip():
            pieces[index] = _RUN.sub(_span, piece)
    return "".join(pieces)
