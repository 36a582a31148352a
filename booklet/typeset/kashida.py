"""Kashida justification: justified Arabic lines take their slack in lengthened joins first, spaces after.

WeasyPrint 70 justifies a line by widening its spaces only (``justify_line``
in weasyprint/layout/inline.py) and has no ``text-justify``. This module
replaces that one function, after the lines are broken, so no line break
ever moves: for a justified line whose text asks for it in CSS
(``--kashida: on``), it inserts tatweels (U+0640) at the points
``kashida_rules`` allows and HarfBuzz marks SAFE_TO_INSERT_TATWEEL in the
font used, then lets the spaces take what is left.

Why that hook: ``get_next_linebox`` has broken the line and removed its
trailing space before it calls ``text_align``, which calls ``justify_line``
with the line's final boxes and its exact slack. Earlier (in the line
breaking of weasyprint/text/line_break.py) a longer word would move breaks;
later (when drawing) every box's position would have to be redone. Both
functions are looked up as module globals of weasyprint.layout.inline at each
call, so replacing them there is enough. ``text_align`` is wrapped only to
learn whether the line is the last of its paragraph, which keeps its spaces.

The tatweels are real characters of the line's text: marks stay on their
letters, and the PDF's text keeps them, in reading order.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field

import uharfbuzz as hb
import weasyprint

#: The WeasyPrint this patch was written for and checked against; requirements.txt pins the same.
WEASYPRINT_VERSION = "70.0"


def _refuse(found: str) -> SystemExit:
    return SystemExit(
        f"booklet: WeasyPrint {found} is installed, but the booklet needs WeasyPrint {WEASYPRINT_VERSION} "
        "(requirements.txt): its kashida justification changes how WeasyPrint justifies lines, and would "
        "make wrong pages with another version. Run `make` to install the pinned versions."
    )


# Checked before reaching into WeasyPrint's insides, which another version may not have.
if getattr(weasyprint, "__version__", "unknown") != WEASYPRINT_VERSION:
    raise _refuse(getattr(weasyprint, "__version__", "unknown"))

from weasyprint.css import AnonymousStyle  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.layout import inline  # noqa: E402
from weasyprint.text import fonts as wp_fonts  # noqa: E402
from weasyprint.text import line_break  # noqa: E402
from weasyprint.text.ffi import ffi, gobject, harfbuzz, pango  # noqa: E402

from booklet.design import contract  # noqa: E402
from booklet.typeset import kashida_rules as rules  # noqa: E402

#: The custom property that turns kashida on (``on``) or off (``off``, the default) for a selector.
PROPERTY = contract.KASHIDA
#: How WeasyPrint keeps it in a computed style: a custom property's dashes become underscores.
_KEY = PROPERTY.replace("-", "_")

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_WORD = re.compile(r"\S+")
#: What may stand around a word without being part of it: punctuation, brackets, quotes.
_EDGE = re.compile(r"^[^\u0620-\u06ff]+|[^\u0620-\u06ff]+$")


def install() -> None:
    """Put the kashida justification in WeasyPrint, or stop with a clear message if this WeasyPrint is not 70.0."""
    if inline.justify_line is _justify_line:
        return
    found = getattr(weasyprint, "__version__", "unknown")
    missing = [
        name
        for module, name in (
            (inline, "justify_line"),
            (inline, "text_align"),
            (inline, "count_expandable_spaces"),
            (line_break, "create_layout"),
            (line_break, "line_size"),
            (wp_fonts, "get_font_description"),
            (wp_fonts, "get_hb_object_data"),
        )
        if not callable(getattr(module, name, None))
    ]
    if found != WEASYPRINT_VERSION or missing:
        raise _refuse(found)
    global _original_justify_line, _original_text_align
    _original_justify_line, _original_text_align = inline.justify_line, inline.text_align
    inline.justify_line, inline.text_align = _justify_line, _text_align


_original_justify_line = inline.justify_line
_original_text_align = inline.text_align
_last_line = False


def _text_align(context, line, available_width, last):  # noqa: ANN001, ANN202 - WeasyPrint's signature
    global _last_line
    _last_line = last
    try:
        return _original_text_align(context, line, available_width, last)
    finally:
        _last_line = False


def switch(style) -> bool:  # noqa: ANN001
    """Does ``style`` (a box's computed style) ask for kashida? ``--kashida: on``."""
    tokens = style[_KEY]
    values = [t.lower_value for t in tokens or () if getattr(t, "type", "") == "ident"]
    return values == ["on"]


def _declared(style) -> bool:  # noqa: ANN001
    """Was --kashida set on this element itself (not inherited)? For headings and text in another font."""
    while isinstance(style, AnonymousStyle):
        style = style.parent_style
    return _KEY in getattr(style, "cascaded", {})


# Fonts ---------------------------------------------------------------------


@dataclass
class _HarfBuzzFont:
    """A font as HarfBuzz sees it, with its tatweel's advance (em, 0 for none) and the words met so far."""

    font: hb.Font
    tatweel: float
    covered: dict[str, bool] = field(default_factory=dict)
    points: dict[str, rules.Point | None] = field(default_factory=dict)

    def covers(self, word: str) -> bool:
        if word not in self.covered:
            self.covered[word] = all(self.font.get_nominal_glyph(ord(c)) for c in word)
        return self.covered[word]

    def point(self, word: str) -> rules.Point | None:
        """Where ``word`` takes tatweels in this font: the rules, less the joins HarfBuzz does not mark safe."""
        if word not in self.points:
            buffer = hb.Buffer()
            buffer.add_codepoints([ord(c) for c in word])
            buffer.guess_segment_properties()
            buffer.flags = hb.BufferFlags.PRODUCE_SAFE_TO_INSERT_TATWEEL
            hb.shape(self.font, buffer, {})
            safe = hb.GlyphFlags.SAFE_TO_INSERT_TATWEEL
            allowed = frozenset(info.cluster for info in buffer.glyph_infos if info.flags & safe)
            self.points[word] = rules.kashida_point(word, allowed)
        return self.points[word]


#: Per font configuration (one per Typesetter), per font asked for: the fonts of its families.
_FONTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: Per font file (its bytes' hash and length): one HarfBuzz font for every style that uses it.
_FILES: dict[tuple[int, int], _HarfBuzzFont] = {}


def _fonts(style) -> list[_HarfBuzzFont]:  # noqa: ANN001
    """The fonts of ``style``'s families, in order, as Pango loads them (each read once per process).

    Pango draws a word with the first of them that has all its letters: so
    does ``_candidates``, so that kashida is judged in the font actually used.
    """
    by_config = _FONTS.setdefault(style.font_config, {})
    key = (
        tuple(style["font_family"]),
        style["font_weight"],
        style["font_style"],
        style["font_stretch"],
        str(style["font_variation_settings"]),
    )
    if key not in by_config:
        font_map = style.font_config.font_map
        context = ffi.gc(pango.pango_font_map_create_context(font_map), gobject.g_object_unref)
        description = wp_fonts.get_font_description(style)
        found = []
        for family in style["font_family"]:
            pango.pango_font_description_set_family(description, family.encode())
            pango_font = pango.pango_font_map_load_font(font_map, context, description)
            if pango_font == ffi.NULL:
                continue
            pango_font = ffi.gc(pango_font, gobject.g_object_unref)
            loaded = ffi.gc(pango.pango_font_describe_with_absolute_size(pango_font), pango.pango_font_description_free)
            if ffi.string(pango.pango_font_description_get_family(loaded)).decode().lower() != family.lower():
                continue  # fontconfig put another font in for a family it lacks: Pango would not use it here
            face = harfbuzz.hb_font_get_face(pango.pango_font_get_hb_font(pango_font))
            data = wp_fonts.get_hb_object_data(face)
            if (hash(data), len(data)) not in _FILES:
                font = hb.Font(hb.Face(hb.Blob(data)))
                glyph = font.get_nominal_glyph(ord(rules.TATWEEL))
                # A font without a tatweel, or with an empty one on purpose, is left to spaces.
                advance = font.get_glyph_h_advance(glyph) / font.face.upem if glyph else 0
                _FILES[hash(data), len(data)] = _HarfBuzzFont(font, max(advance, 0))
            found.append(_FILES[hash(data), len(data)])
        by_config[key] = found
    return by_config[key]


# Lines ---------------------------------------------------------------------


@dataclass
class _Word:
    box: boxes.TextBox
    start: int  # where the word starts in the box's text
    word: str
    point: rules.Point
    width: float  # one tatweel, in px, in this box's font and size


def _text_boxes(box, line_style, explicit=False):  # noqa: ANN001, ANN202
    """The line's text boxes in reading order, each with whether kashida may go in it."""
    if isinstance(box, boxes.TextBox):
        style = box.style
        same_font = style["font_family"] == line_style["font_family"]
        yield box, switch(style) and (same_font or explicit or _declared(style))
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        if isinstance(box, boxes.InlineBox):
            explicit = explicit or _declared(box.style)
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child, line_style, explicit)


def _candidates(line) -> list[_Word]:  # noqa: ANN001
    """The line's words that may be lengthened, in reading order."""
    if line.element_tag in _HEADINGS and not _declared(line.style):
        return []
    words = []
    for box, allowed in _text_boxes(line, line.style):
        if not allowed or not box.text:
            continue
        fonts = _fonts(box.style)
        for match in _WORD.finditer(box.text):
            word = _EDGE.sub("", match[0])
            if len(word) < rules.MIN_LETTERS or not rules.is_arabic_word(word):
                continue
            font = next((font for font in fonts if font.covers(word)), None)
            if font is None or font.tatweel <= 0:
                continue
            point = font.point(word)
            if point is not None:
                start = match.start() + match[0].index(word)
                words.append(_Word(box, start, word, point, font.tatweel * box.style["font_size"]))
    return words


def _justify_line(context, line, extra_width):  # noqa: ANN001, ANN202 - WeasyPrint's signature
    """Give ``extra_width`` to tatweels where the rules allow, then to the spaces (WeasyPrint's way)."""
    words = [] if _last_line else _candidates(line)
    if not words:
        return _original_justify_line(context, line, extra_width)
    widest = max(w.width for w in words)
    counts = rules.share([w.point.priority for w in words], int(extra_width // widest))
    if not counts:
        return _original_justify_line(context, line, extra_width)
    # Each box's new text, from its end so that earlier offsets stay right.
    texts: dict[int, str] = {}
    for index in sorted(counts, key=lambda i: -words[i].start):
        word = words[index]
        text = texts.get(id(word.box), word.box.text)
        at = word.start + word.point.index
        texts[id(word.box)] = text[:at] + rules.TATWEEL * counts[index] + text[at:]
    layouts, added = {}, {}
    for word in words:
        box = word.box
        if id(box) in texts and id(box) not in layouts:
            layout = line_break.create_layout(texts[id(box)], box.style, context, None, 0)
            first_line, _ = layout.get_first_line()
            width, _ = line_break.line_size(first_line, box.style)
            layouts[id(box)], added[id(box)] = layout, width - box.width
    growth = sum(added.values())
    if growth > extra_width + 0.01 or growth <= 0:
        return _original_justify_line(context, line, extra_width)
    spaces = inline.count_expandable_spaces(line)
    spacing = (extra_width - growth) / spaces if spaces else 0
    _widen(line, spacing, 0, texts, layouts, added, context)
    return None


def _widen(box, spacing, x_advance, texts, layouts, added, context):  # noqa: ANN001, ANN202
    """WeasyPrint's add_word_spacing, with the boxes that got tatweels taking their new text and width."""
    if isinstance(box, boxes.TextBox):
        box.justification_spacing = spacing
        box.position_x += x_advance
        spaces = inline.count_expandable_spaces(box)
        key = id(box)
        if key in texts:
            layout = layouts[key]
            layout.justification_spacing = spacing
            layout.deactivate()  # as WeasyPrint does: drawing sets it up again, with the spacing
            box.text, box.pango_layout = texts[key], layout
            grown = added[key] + spacing * spaces
            box.width += grown
            x_advance += grown
        elif spaces:
            layout = line_break.create_layout(box.text, box.style, context, None, spacing)
            layout.deactivate()
            box.pango_layout = layout
            box.width += spacing * spaces
            x_advance += spacing * spaces
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                x_advance = _widen(child, spacing, x_advance, texts, layouts, added, context)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)  # an atomic inline-level box
    return x_advance
