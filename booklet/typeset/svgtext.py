"""Shape the Arabic labels of SVG pictures from the data and put them in visual order for WeasyPrint."""

# WeasyPrint lays out an SVG <text> one code point at a time, left to right,
# with no shaping and no bidi (WeasyPrint issue 2249): Arabic comes out as
# isolated letters in reverse order. Every label of an SVG picture goes
# through visual(), which does what the text engine would have done for a
# right-to-left paragraph of one line: it picks each letter's joining form
# (arabic-reshaper), resolves the embedding levels (python-bidi, i.e. the
# unicode-bidi crate), resets trailing white space (rule L1), mirrors brackets
# (L4), reorders (L2) and drops the characters rule X9 removes. HTML text never
# comes here: Pango shapes and reorders it.

from __future__ import annotations

import re

import arabic_reshaper
import bidi
from bidi.mirror import MIRRORED

#: Bidi classes that rule X9 removes: embeddings, overrides, their PDF, and
#: boundary neutrals (zero-width joiners, soft hyphen, other format characters).
REMOVED = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "BN"})
#: The white space that rule L1 puts back at the paragraph level at the end of
#: the line: spaces and isolate controls (X9-removed characters among them too).
_TRAILING = frozenset({"WS", "LRI", "RLI", "FSI", "PDI"}) | REMOVED
_PARAGRAPH_LEVEL = 1  # every label is a right-to-left paragraph

_FIELD = r"^    {name}: \[(.*?)\],$"
_LEVELS = re.compile(_FIELD.format(name="levels"), re.MULTILINE | re.DOTALL)
_CLASSES = re.compile(_FIELD.format(name="original_classes"), re.MULTILINE | re.DOTALL)


def _resolve(text: str) -> tuple[list[str], list[int]]:
    """The bidi class and resolved embedding level (before L1) of each code point of ``text`` in an RTL paragraph.

    python-bidi 0.6 exposes no levels, only get_display(debug=True), documented
    as returning "the calculated levels": it is the pretty Debug text of the
    unicode-bidi crate's BidiInfo, whose ``original_classes`` and ``levels``
    have one entry per UTF-8 *byte* of the text (all the bytes of a code point
    hold its value), hence the byte offsets below. The text itself comes first,
    as a Rust string literal with its newlines escaped, so it cannot fake a line
    that starts with a field name. Levels are given for the characters X9
    removes too; callers drop those by their class. A change of that format
    fails here, loudly, rather than misplacing letters.
    """
    debug = bidi.get_display(text, base_dir="R", debug=True)
    levels_field, classes_field = _LEVELS.search(debug), _CLASSES.search(debug)
    size = len(text.encode("utf-8"))
    byte_levels = [int(n) for n in re.findall(r"Level\(\s*(\d+),?\s*\)", levels_field[1])] if levels_field else []
    byte_classes = re.findall(r"\b[A-Z]+\b", classes_field[1]) if classes_field else []
    if len(byte_levels) != size or len(byte_classes) != size:
        raise RuntimeError(f"cannot read the levels from python-bidi {bidi.VERSION}'s debug output: {debug[:200]!r}")
    classes, levels, offset = [], [], 0
    for char in text:
        classes.append(byte_classes[offset])
        levels.append(byte_levels[offset])
        offset += len(char.encode("utf-8"))
    if "B" in classes:
        raise ValueError(f"an SVG label is one line; found a paragraph separator in {text!r}")
    return classes, levels


def levels(text: str) -> list[int | None]:
    """The resolved level of each code point of ``text`` on one RTL line, after rule L1; None if X9 removes it."""
    classes, resolved = _resolve(text)
    line: list[int | None] = [None if c in REMOVED else level for c, level in zip(classes, resolved, strict=True)]
    # L1: segment separators (tabs), and the white space before one or at the
    # end of the line, go back to the paragraph level: trailing spaces of an
    # RTL label sit at its visual left.
    trailing = True
    for i in reversed(range(len(text))):
        if classes[i] == "S":
            trailing = True
        elif classes[i] not in _TRAILING:
            trailing = False
        if trailing and line[i] is not None:
            line[i] = _PARAGRAPH_LEVEL
    return line


def visual_indices(text: str) -> list[int]:
    """The indices of the code points of ``text`` in left-to-right display order (rule L2), X9-removed ones left out."""
    return _reordered(levels(text))


def _reordered(line: list[int | None]) -> list[int]:
    """Rule L2 on the levels of one line: the indices of the kept characters in display order."""
    order = [i for i, level in enumerate(line) if level is not None]
    kept = [line[i] for i in order]
    if not kept:
        return order
    # From the highest level down to the lowest odd one (the lowest level,
    # rounded up to odd), reverse every run of characters at that level or higher.
    for level in range(max(kept), (min(kept) | 1) - 1, -1):
        start = 0
        while start < len(order):
            if kept[start] < level:
                start += 1
                continue
            end = start
            while end < len(order) and kept[end] >= level:
                end += 1
            order[start:end] = order[start:end][::-1]
            kept[start:end] = kept[start:end][::-1]
            start = end
    return order


def reorder(text: str) -> str:
    """``text`` as code points in left-to-right display order on one RTL line, with no reshaping.

    Characters at odd (right-to-left) levels that have a mirror image, such as
    brackets, are replaced by it (rule L4); python-bidi's get_display does not.
    """
    line = levels(text)
    return "".join(MIRRORED.get(text[i], text[i]) if line[i] % 2 else text[i] for i in _reordered(line))


def visual(text: str) -> str:
    """The label ``text`` shaped and in left-to-right display order: what an SVG <text> must hold for WeasyPrint.

    Harakat (short vowel marks) are dropped, as arabic-reshaper does by default:
    drawn one code point at a time, each would stand beside its letter on a
    dotted circle.
    """
    return reorder(arabic_reshaper.reshape(text))
