"""SVG labels: visual order of single labels, bidi conformance, and the same glyphs as HTML text in a real PDF."""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import arabic_reshaper
import bidi
import pytest
from bidi.mirror import MIRRORED
from conftest import ROOT
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream, TextStringObject
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from booklet.typeset import svgtext

# Debian's unicode-data package.
UNICODE_DATA = Path("/usr/share/unicode")


def rtl(word: str) -> str:
    """An Arabic word as the SVG must hold it: joined forms, last letter first."""
    return arabic_reshaper.reshape(word)[::-1]


# Each label and what visual() must return: the code points left to right.
LABELS = [
    # The brackets hold only Latin letters, so they take the direction of the
    # Arabic before them (UAX #9 N0 c.1): level 1, hence mirrored, while IOM
    # (level 2) still reads left to right.
    ("المنظمة الدولية للهجرة (IOM)", "(IOM) " + rtl("للهجرة") + " " + rtl("الدولية") + " " + rtl("المنظمة")),
    ("منظمة (IOM) الدولية", rtl("الدولية") + " (IOM) " + rtl("منظمة")),
    # European digits after Arabic letters are Arabic numbers (W2); the dash
    # and spaces between them and the word are right-to-left (N1).
    ("كوفيد - 19", "19 - " + rtl("كوفيد")),
    # A plus sign joins a number only between two digits (W4): at the start of
    # an RTL label it is a neutral between the paragraph start and the digits,
    # so right-to-left, and it is drawn to the right of 172, as browsers do.
    ("+172 ممثلا", rtl("ممثلا") + " 172+"),
    ("25%", "25%"),  # a percent sign after digits is part of the number (W5)
    ("2020/09", "2020/09"),  # one slash between digits is part of the number (W4)
    ("١٩٥١", "١٩٥١"),  # Arabic-Indic digits read left to right too
    # Alef, lam-alef with hamza (one glyph), initial meem, final meem; the
    # harakat-free reshaping of الأمم is 4 code points for 5 letters.
    ("الأمم", "\ufee2\ufee3\ufef7\ufe8d"),
    ("UN Migration", "UN Migration"),  # Latin only: one left-to-right run at level 2
    # Arabic inside both pairs: everything at level 1, reversed, each bracket mirrored.
    ("المنظمة (الدولية [للهجرة])", "([" + rtl("للهجرة") + "] " + rtl("الدولية") + ") " + rtl("المنظمة")),
    # The inner pair holds Latin after Latin (N0 c.1): left to right, not mirrored.
    ("منظمة (IOM [UN])", "(IOM [UN]) " + rtl("منظمة")),
    # Trailing white space goes to the paragraph level (L1): the visual left.
    ("25% ", " 25%"),
    ("كوفيد ", " " + rtl("كوفيد")),
    # Embedding controls are removed (X9): nothing is drawn for them.
    ("\u202aIOM\u202c", "IOM"),
    ("", ""),
]


@pytest.mark.parametrize(("label", "expected"), LABELS)
def test_visual(label, expected):
    assert svgtext.visual(label) == expected


@pytest.mark.parametrize(
    "label", [label for label, _ in LABELS if not any(c in MIRRORED for c in label) and "\u202a" not in label]
)
def test_visual_is_python_bidi_display_without_mirrored_characters(label):
    # get_display neither mirrors (L4) nor drops X9 characters: elsewhere it is the reference.
    assert svgtext.visual(label) == bidi.get_display(arabic_reshaper.reshape(label), base_dir="R")


def test_levels_are_per_code_point():
    # python-bidi reports levels per UTF-8 byte: 2-byte Arabic and 4-byte
    # mathematical letters must still give one level per code point.
    assert svgtext.levels("𝐀ج a") == [2, 1, 1, 2]
    assert svgtext.visual_indices("𝐀ج a") == [3, 2, 1, 0]


def test_trailing_white_space_and_tabs_go_to_paragraph_level():
    # Inside the isolate the space would be at level 2, but L1 resets trailing
    # white space and isolate controls; a tab is reset wherever it is.
    assert svgtext.levels("\u2066IOM \u2069") == [1, 2, 2, 2, 1, 1]
    assert svgtext.levels("a\tb ج") == [2, 1, 2, 1, 1]


def test_removed_characters_have_no_level():
    assert svgtext.levels("\u202bIOM\u202c\u00ad") == [None, 4, 4, 4, None, None]
    assert svgtext.visual_indices("\u202bIOM\u202c\u00ad") == [1, 2, 3]


def test_a_label_is_one_line():
    with pytest.raises(ValueError, match="one line"):
        svgtext.visual("IOM\nUN")


def test_naskh_draws_every_form_the_reshaper_makes():
    # WeasyPrint picks a font per code point in SVG text: a presentation form
    # that Naskh lacks would come from a system font. Noto Kufi has almost none
    # of them, so chart labels use "Booklet Naskh".
    from arabic_reshaper.letters import LETTERS_ARABIC
    from arabic_reshaper.ligatures import LIGATURES
    from arabic_reshaper.reshaper_config import default_config

    forms = {form for forms in LETTERS_ARABIC.values() for form in forms if form}
    forms |= {form for name, (_, forms_) in LIGATURES if default_config.get(name) for form in forms_ if form}
    for name in ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"):
        cmap = TTFont(ROOT / "fonts" / name).getBestCmap()
        assert sorted(f"U+{ord(c):04X}" for c in forms if ord(c) not in cmap) == [], name


# Conformance with the Unicode Bidirectional Algorithm.


@dataclass(frozen=True)
class Case:
    line: int
    text: str
    levels: str  # resolved levels after L1, 'x' for characters removed by X9
    order: str  # visual order, left to right, as indices into text


def _unicode_data(name: str) -> list[str]:
    path = UNICODE_DATA / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: install Debian's unicode-data package (.ci/run does)")
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def rtl_cases() -> list[Case]:
    """Every case of BidiCharacterTest.txt whose paragraph is right to left, read once."""
    cases = []
    for number, line in enumerate(_unicode_data("BidiCharacterTest.txt"), 1):
        if not line or line.startswith("#"):
            continue
        code_points, _direction, paragraph_level, resolved, order = line.split(";")
        # Field 2 is the resolved paragraph level: 1 for every case asked to be
        # RTL (field 1 = 1) and for the auto cases (2) that rules P2-P3 resolve
        # to RTL. The rest of the algorithm depends only on that level, so the
        # module, which always sets RTL, must give their results too.
        if paragraph_level == "1":
            text = "".join(chr(int(c, 16)) for c in code_points.split())
            cases.append(Case(number, text, resolved, order))
    return cases


def test_conformance(rtl_cases):
    # Explicit embeddings, overrides and isolates included: python-bidi resolves them.
    assert len(rtl_cases) > 45_000
    failures = []
    for case in rtl_cases:
        line = svgtext.levels(case.text)
        indices = svgtext.visual_indices(case.text)
        levels = " ".join("x" if level is None else str(level) for level in line)
        order = " ".join(str(i) for i in indices)
        if (levels, order) != (case.levels, case.order):
            failures.append(f"line {case.line}: levels {levels} order {order}, expected {case.levels}; {case.order}")
        # Where X9 removes nothing, the order must also be python-bidi's own (its L1 and L2).
        elif None not in line and "".join(case.text[i] for i in indices) != bidi.get_display(case.text, base_dir="R"):
            failures.append(f"line {case.line}: not the order of python-bidi's get_display")
    assert failures == []


# BidiTest.txt gives bidi classes, not characters: one character of each class.
_OF_CLASS = {
    "L": "a", "R": "\u05d0", "AL": "\u0627", "EN": "0", "ES": "+", "ET": "#", "AN": "\u0660", "CS": ",",
    "NSM": "\u0300", "BN": "\u00ad", "S": "\t", "WS": " ", "ON": "!", "LRE": "\u202a", "LRO": "\u202d",
    "RLE": "\u202b", "RLO": "\u202e", "PDF": "\u202c", "LRI": "\u2066", "RLI": "\u2067", "FSI": "\u2068",
    "PDI": "\u2069",
}  # fmt: skip


def test_conformance_by_class():
    # No RTL case of BidiCharacterTest.txt needs rule L1 (they all pass without
    # it); thousands of BidiTest.txt do: tabs, white space before them and at
    # the end of the line. Its RTL cases (bit 4) are checked except those with
    # a paragraph separator (a label is one line) and the 234,256 of exactly
    # four classes, which take 4 s (all passed when this test was written); the
    # shorter ones are every combination of up to three classes.
    failures, count = [], 0
    levels = order = ""
    for line in _unicode_data("BidiTest.txt"):
        if line.startswith("@Levels:"):
            levels = " ".join(line.split(":")[1].split())
        elif line.startswith("@Reorder:"):
            order = " ".join(line.split(":")[1].split())
        elif line and not line.startswith(("#", "@")):
            classes, paragraphs = (field.split() for field in line.split(";"))
            if int(paragraphs[0]) & 4 and "B" not in classes and len(classes) != 4:
                count += 1
                text = "".join(_OF_CLASS[c] for c in classes)
                got = " ".join("x" if level is None else str(level) for level in svgtext.levels(text))
                got_order = " ".join(str(i) for i in svgtext.visual_indices(text))
                if (got, got_order) != (levels, order):
                    failures.append(f"{' '.join(classes)}: levels {got} order {got_order}, expected {levels}; {order}")
    assert count > 11_000
    assert failures == []


# Rendering: each label drawn in SVG through visual(), and as HTML text, by
# WeasyPrint with the booklet's fonts; the PDF's glyphs are compared.

RENDERED = ["المنظمة الدولية للهجرة (IOM)", "كوفيد - 19", "+172 ممثلا", "25%", "2020/09", "الأمم"]
FAMILIES = '"Booklet Naskh", "Booklet Sans"'


@dataclass(frozen=True)
class Glyph:
    x: float  # where it starts on its line, in its text space
    font: str  # the base font name without its subset tag
    gid: int
    text: str  # the characters the PDF says it draws


@dataclass(frozen=True)
class Font:
    name: str
    widths: dict[int, float]
    text: dict[int, str]


def _font(font) -> Font:  # noqa: ANN001 - a pypdf dictionary
    """Name, advance widths and ToUnicode map of a WeasyPrint Type0 font."""
    font = font.get_object()
    widths: dict[int, float] = {}
    entries = list(font["/DescendantFonts"][0].get_object()["/W"])
    while entries:
        first = int(entries.pop(0))
        if isinstance(entries[0], list):
            widths.update((first + i, float(w)) for i, w in enumerate(entries.pop(0)))
        else:
            last, width = int(entries.pop(0)), float(entries.pop(0))
            widths.update((gid, width) for gid in range(first, last + 1))
    cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
    assert "bfrange" not in cmap
    text = {
        int(gid, 16): bytes.fromhex(chars).decode("utf-16-be")
        for gid, chars in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]+)>", cmap.split("beginbfchar", 1)[-1])
    }
    return Font(str(font["/BaseFont"]).split("+")[-1], widths, text)


def _glyphs(reader: PdfReader, stream, resources) -> list[tuple[float, Glyph]]:  # noqa: ANN001 - pypdf objects
    """The glyphs drawn by ``stream`` and the forms it draws, each with its baseline in its text space.

    Positions come from the text matrix and the advance widths, never from the
    order of the stream, which for an SVG label is the order visual() wrote.
    """
    fonts = {name: _font(font) for name, font in resources.get("/Font", {}).items()}
    glyphs: list[tuple[float, Glyph]] = []
    font, size, x, y = None, 0.0, 0.0, 0.0
    for operands, operator in ContentStream(stream, reader).operations:
        if operator == b"Tf":
            font, size = fonts[operands[0]], float(operands[1])
        elif operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif operator in (b"Td", b"TD", b"T*", b"'", b'"', b"Tz", b"Tc", b"Tw"):
            raise AssertionError(f"unexpected {operator.decode()} in WeasyPrint's text")
        elif operator in (b"TJ", b"Tj"):
            for item in operands[0] if operator == b"TJ" else operands:
                if isinstance(item, bytes | TextStringObject):
                    raw = item.original_bytes if isinstance(item, TextStringObject) else bytes(item)
                    for i in range(0, len(raw), 2):
                        gid = int.from_bytes(raw[i : i + 2], "big")
                        glyphs.append((y, Glyph(x, font.name, gid, font.text.get(gid, ""))))
                        x += font.widths.get(gid, 0) * size / 1000
                else:
                    x -= float(item) * size / 1000
        elif operator == b"Do":
            form = resources["/XObject"][operands[0]].get_object()
            if form["/Subtype"] == "/Form":
                glyphs += _glyphs(reader, form, form.get("/Resources", resources))
    return glyphs


def _lines(reader: PdfReader, page) -> list[list[Glyph]]:  # noqa: ANN001
    """The glyphs of each line of ``page``, top to bottom, by baseline; the lines must not share one."""
    lines: dict[float, list[Glyph]] = {}
    for y, glyph in _glyphs(reader, page.get_contents(), page["/Resources"]):
        lines.setdefault(y, []).append(glyph)
    return list(lines.values())


def _letters(line: list[Glyph]) -> list[tuple[str, Glyph | None]]:
    """The letters drawn on ``line``, left to right by position, each with its glyph (None in a ligature).

    Presentation forms are read as their letters (NFKC). A ligature glyph lists
    its letters in logical order: an Arabic one draws them right to left.
    """
    letters: list[tuple[str, Glyph | None]] = []
    for glyph in sorted(line, key=lambda g: g.x):
        assert glyph.text, f"no text for {glyph}"
        text = unicodedata.normalize("NFKC", glyph.text)
        if len(text) > 1 and any(unicodedata.bidirectional(c) == "AL" for c in text):
            text = text[::-1]
        letters += [(c, glyph if len(text) == 1 else None) for c in text if not c.isspace()]
    return letters


def _differences(svg: list[Glyph], twin: list[Glyph]) -> list[str]:
    """How the SVG label's glyphs differ from its HTML twin's: order, or glyph (a letter not joined as in HTML)."""
    drawn, reference = _letters(svg), _letters(twin)
    if [c for c, _ in drawn] != [c for c, _ in reference]:
        return [f"order {''.join(c for c, _ in drawn)!r}, HTML {''.join(c for c, _ in reference)!r}"]
    # Noto Naskh draws lam-alef as two glyphs from the letters (HarfBuzz) but
    # as one from the presentation form: a ligature on either side is compared
    # by its letters only. Every other letter must be the very same glyph.
    return [
        f"letter {i} {c!r}: {a.font} glyph {a.gid}, HTML {b.font} glyph {b.gid}"
        for i, ((c, a), (_, b)) in enumerate(zip(drawn, reference, strict=True))
        if a and b and (a.font, a.gid) != (b.font, b.gid)
    ]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[Glyph]]]:
    """Page 1: the labels in SVG, and two controls; page 2: the labels as HTML text. The glyphs of each line."""
    # The booklet's own @font-face rules, their url()s resolved from layouts/.
    faces = "\n".join(re.findall(r"@font-face\s*{[^}]*}", (ROOT / "layouts/booklet.css").read_text(encoding="utf-8")))
    first = RENDERED[0]
    # Controls: the label as written (WeasyPrint's own behaviour) and reordered
    # but not reshaped: the comparison must tell both from the HTML.
    svg_texts = [svgtext.visual(label) for label in RENDERED] + [first, svgtext.reorder(first)]
    # text-anchor="end" puts the visual right edge at x, as an RTL label needs;
    # WeasyPrint then draws each label in a form. No direction="rtl": Pango
    # would mirror each bracket again.
    svg = "".join(
        f'<text x="380" y="{24 * (i + 1)}" text-anchor="end">{html.escape(text)}</text>'
        for i, text in enumerate(svg_texts)
    )
    paragraphs = "".join(f"<p>{html.escape(label)}</p>" for label in RENDERED)
    document = f"""<html lang="ar" dir="rtl"><head><style>
{faces}
@page {{ size: 110mm 80mm; margin: 5mm }}
body {{ margin: 0; font-family: {FAMILIES}; font-size: 16px }}
p {{ margin: 0 0 8px }}
svg {{ display: block; break-after: page }}
</style></head><body>
<svg xmlns="http://www.w3.org/2000/svg" width="380" height="{24 * len(svg_texts) + 8}"
 font-family="{html.escape(FAMILIES)}" font-size="16">{svg}</svg>
{paragraphs}
</body></html>"""
    target = tmp_path_factory.mktemp("svgtext") / "labels.pdf"
    warnings = _Collect()
    logging.getLogger("weasyprint").addHandler(warnings)
    try:
        HTML(string=document, base_url=(ROOT / "layouts").as_uri() + "/").write_pdf(
            target, font_config=FontConfiguration()
        )
    finally:
        logging.getLogger("weasyprint").removeHandler(warnings)
    # As in a build, anything WeasyPrint warns about is a failure (the fontTools
    # fallback for subsetting is only slower).
    assert [m for m in warnings.messages if not m.startswith("Using fontTools instead of HarfBuzz-Subset")] == []
    reader = PdfReader(target)
    pages = [_lines(reader, page) for page in reader.pages]
    assert [len(lines) for lines in pages] == [len(svg_texts), len(RENDERED)]
    return {"svg": pages[0], "html": pages[1]}


@pytest.mark.parametrize("index", range(len(RENDERED)), ids=RENDERED)
def test_svg_label_draws_the_glyphs_of_html_text_in_the_same_order(rendered, index):
    assert _differences(rendered["svg"][index], rendered["html"][index]) == []


def test_the_comparison_sees_unordered_and_unjoined_labels(rendered):
    as_written, not_reshaped = rendered["svg"][len(RENDERED) :]
    assert _differences(as_written, rendered["html"][0])[0].startswith("order ")
    assert _differences(not_reshaped, rendered["html"][0])[0].startswith("letter ")


def test_svg_labels_use_only_bundled_fonts(rendered):
    # WeasyPrint names each embedded font after its family: ours all start with "Booklet".
    fonts = {glyph.font for line in rendered["svg"][: len(RENDERED)] for glyph in line}
    assert fonts and all(font.startswith("Booklet-") for font in fonts), fonts
