"""Latin runs in brackets, drawn as typed in an Arabic line.

In a right-to-left paragraph the bidi algorithm gives a pair of brackets
around a Latin word the paragraph's direction, and mirrors them: «(IOM)» is
drawn with the glyph of ")" for the "(" typed, which copies back as ")IOM("
in most extractors. A left-to-right mark (U+200E, invisible, no glyph) just
before the opening bracket makes the pair left-to-right: it looks the same
and is drawn as typed. A mark, not an element: a span around the run would
be an inline box of its own, sized by the Latin font, and make its line
taller (2 pt for the sample). The screen edition's language of Latin runs is
set after typesetting, in the PDF (booklet/typeset/pdfstructure.py).
"""

from __future__ import annotations

import re

_LETTER = "A-Za-z\u00c0-\u024f"
_WORD = rf"[{_LETTER}](?:[{_LETTER}0-9'’.&-]*[{_LETTER}0-9])?"
#: Latin words (apostrophes, hyphens, dots and digits inside them) between a pair of brackets.
_BRACKETED = re.compile(rf"(?<!\u200e)\((?={_WORD}(?:\s+{_WORD})*\))")
_PIECES = re.compile(r"(<!--.*?-->|<[^>]*>|&[#\w]+;)", re.DOTALL)
#: Elements whose content is not text of the page.
_SKIP = {"head", "style", "script", "svg", "title", "textarea"}
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)")
LRM = "\u200e"


def mark(html: str) -> str:
    """``html`` with a left-to-right mark before each Latin run in brackets in its text."""
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
        elif not skipping and "(" in piece:
            pieces[index] = _BRACKETED.sub(LRM + "(", piece)
    return "".join(pieces)
