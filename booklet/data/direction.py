"""Left-to-right runs inside Arabic: telephone numbers, e-mail and web addresses, Latin words ending in signs
or in brackets.

In a right-to-left paragraph the Unicode bidirectional algorithm treats the
spaces between numbers as right-to-left, so "+962 6 555 0199" prints as
"0199 555 6 962+"; a Latin phrase that ends with a sign ("C++") or an address
followed by a full stop loses its sign to the Arabic side; and a pair of
brackets around a Latin word takes the paragraph's direction and is mirrored:
«(IOM)» is drawn with the glyph of ")" for the "(" typed, which copies back as
")IOM(" in most extractors. Writers should not have to type invisible marks
for that (and the data refuses direction controls), so every such run of the
merged HTML is found here, in one pass with one set of rules, as the layouts'
HTML is rendered (booklet.html is the text that is typeset). A telephone
number, an address or a Latin word ending in signs is wrapped in ``<span
dir="ltr">``; a Latin run in brackets gets a left-to-right mark (U+200E,
invisible, no glyph) before its opening bracket, which makes the pair
left-to-right, drawn as typed and looking the same. A mark, not a span: a span
would be an inline box of its own, sized by the Latin font, and make its line
taller (2 pt for the sample); and a span is needed for the others, whose
digits or signs a mark before them would not hold together. Bookmark titles
are written without the mark (booklet/typeset/finishing.py); the screen edition's language of
Latin runs is set after typesetting, in the PDF (booklet/typeset/pdfstructure.py).

WeasyPrint 70 has no bidi of its own across inline boxes: Pango orders the
text of each box with the box's own direction, and a right-to-left line puts
its boxes right to left (layout/inline.py, "Reorder inline blocks"). A span
with ``dir="ltr"`` (the user agent stylesheet gives it ``direction: ltr``) is
therefore one box whose text Pango lays out left to right, placed where it
stands in the Arabic sentence: exactly an isolate.

Only text between tags is touched, never attributes (alt text, links), the
document head, inline drawings (SVG) or styles.
"""

from __future__ import annotations

import re

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
#: A web address, up to the first space or tag; a trailing full stop, comma or
#: closing bracket belongs to the sentence, not the address (trimmed below).
_URL = r"(?:https?://|www\.)[^\s<>\"]+"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
#: A telephone number: an optional +, then at least three groups of digits
#: separated by single spaces, dots or hyphens (+962 6 555 0199, 06-555-0199),
#: or a + followed by digits alone (+96265550199).
_PHONE = rf"\+?[{_DIGIT}]{{1,4}}(?:[ \u00a0.\-][{_DIGIT}]{{1,4}}){{2,}}|\+[{_DIGIT}]{{6,}}"
#: A Latin word ending in signs (C++, C#): the bidirectional algorithm gives
#: the signs to the Arabic around it ("++C"). Other Latin words and phrases,
#: (UNHCR), Windows 11, Node.js, COVID-19, come out right on their own and
#: are left as they are.
_LATIN = r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[.\-][A-Za-z0-9]+)*[+#]+"
_RUN = re.compile(
    rf"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?<![\w{_DIGIT}])(?P<phone>{_PHONE})(?![\w{_DIGIT}])|(?P<latin>{_LATIN})"
)
_LETTER = "A-Za-z\u00c0-\u024f"
_WORD = rf"[{_LETTER}](?:[{_LETTER}0-9'’.&-]*[{_LETTER}0-9])?"
#: An opening bracket before Latin words (apostrophes, hyphens, dots and digits inside them) and its
#: closing bracket, with nothing else between them: (IOM), (SIL Open Font License), (Node.js).
#: A run of another rule inside brackets, (info@example.org), is a span of its own already.
_BRACKETED = re.compile(rf"(?<!\u200e)\((?={_WORD}(?:\s+{_WORD})*\))")
LRM = "\u200e"
#: Signs that end a sentence rather than an address.
_TRAILING = ".,;:!?)]»،؛"
#: Where the text of the page starts, and the elements whose content is not running text.
_BODY = re.compile(r"<body[\s>]", re.IGNORECASE)
_OPENING = re.compile(r"<(svg|style|script|title|textarea)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);")
_OPEN = '<span dir="ltr">'
_OPEN_PHONE = '<span dir="ltr" class="phone">'
_CLOSE = "</span>"


def isolate(html: str) -> str:
    """``html`` with every left-to-right run of its body text wrapped in ``<span dir="ltr">``."""
    body = _BODY.search(html)
    if body is None:
        return html
    out, position = [html[: body.start()]], body.start()
    while (opened := _OPENING.search(html, position)) is not None:
        out.append(_text_between_tags(html[position : opened.start()]))
        end = _closing(html, opened)
        out.append(html[opened.start() : end])
        position = end
    out.append(_text_between_tags(html[position:]))
    return "".join(out)


def _closing(html: str, opened: re.Match[str]) -> int:
    """The end of the element ``opened`` starts, its own nested elements of the same name included."""
    name, depth, position = opened[1].lower(), 1, opened.end()
    if opened.group(0).endswith("/>"):
        return position
    tags = re.compile(rf"<(/?){name}\b[^>]*?(/?)>", re.IGNORECASE)
    while depth and (tag := tags.search(html, position)) is not None:
        depth += -1 if tag[1] else (0 if tag[2] else 1)
        position = tag.end()
    return position if not depth else len(html)


def _text_between_tags(html: str) -> str:
    out, position = [], 0
    for tag in _TAG.finditer(html):
        out.append(runs(html[position : tag.start()]))
        out.append(tag.group(0))
        position = tag.end()
    out.append(runs(html[position:]))
    return "".join(out)


def runs(text: str) -> str:
    """Escaped HTML text (no tags) with its left-to-right runs wrapped."""
    if not text or text.isspace():
        return text
    # Entities are kept whole: each is replaced by a private character while matching.
    entities = _ENTITY.findall(text)
    plain = _ENTITY.sub("\ue000", text)
    out, position = [], 0
    for match in _RUN.finditer(plain):
        start, end = match.span()
        found = match.group(0)
        if match.lastgroup == "url":
            kept = found.rstrip(_TRAILING + "\ue000")
            end -= len(found) - len(kept)
            found = kept
        if not found:
            continue
        out.append(_BRACKETED.sub(LRM + "(", plain[position:start]))
        # A telephone number never breaks across lines.
        out.append(f"{_OPEN_PHONE if match.lastgroup == 'phone' else _OPEN}{found}{_CLOSE}")
        position = end
    out.append(_BRACKETED.sub(LRM + "(", plain[position:]))
    joined = "".join(out)
    if entities:
        pieces = iter(entities)
        joined = re.sub("\ue000", lambda _m: next(pieces), joined)
    return joined
