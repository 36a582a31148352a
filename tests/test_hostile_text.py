"""Text is printed as written: invisible characters and encodings refused where they stand, markup never run.

Cases whose data holds characters a reader cannot see (controls, bidi marks,
joiners, a no-break space, other encodings) stay here, written with escapes;
the visible ones are small projects under tests/roots/ (``yaml-``, ``text-``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import markupsafe
import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import FILE, FONTS, MINIMAL, edit, page_texts, write
from hostile_kit import PICTURE, check_gives, in_folder, png_claiming, quoted

import booklet

BIDI = "delete it (the layout sets the direction of every text)"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return in_folder(tmp_path, monkeypatch)


def _cover_picture(data: Path) -> None:
    (data / "images").mkdir()
    (data / "images" / "cover.png").write_bytes(png_claiming(4, 4))


CASES = [
    # Characters YAML does not allow.
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: IOM\0\n"),
        None,
        [
            f"{FILE}:2:13: the invisible character U+0000 is not allowed in YAML; delete it "
            "(it often comes with text pasted from a word processor)"
        ],
        id="yaml-nul-byte",
    ),
    pytest.param(
        edit("    body: شكرا لكم\n", "    body: شكرا\a لكم\n"),
        None,
        [
            f"{FILE}:10:15: the invisible character U+0007 is not allowed in YAML; delete it "
            "(it often comes with text pasted from a word processor)"
        ],
        id="yaml-control-character-after-arabic",
    ),
    # Encodings.
    pytest.param(
        "\ufeff".encode("utf-16-le") + MINIMAL.encode("utf-16-le"),
        None,
        [f"{FILE}:1:1: byte 0xff is not UTF-8; save the file as UTF-8"],
        id="yaml-utf-16",
    ),
    pytest.param(edit("  title: دليل الهجرة\n", "  title: دليل\ufeffالهجرة\n"), None, [], id="yaml-bom-inside-text"),
    pytest.param(b"\xef\xbb\xbf\xef\xbb\xbf" + MINIMAL.encode(), None, [], id="yaml-two-boms"),
    # Text: bidi controls are refused where they stand, in every kind of text field.
    *[
        pytest.param(
            edit("  title: دليل الهجرة\n", f"  title: دليل{control}الهجرة\n"),
            None,
            [f"{FILE}:2:10: document.title: holds the invisible direction control U+{ord(control):04X}; {BIDI}"],
            id=f"text-bidi-U+{ord(control):04X}",
        )
        for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    ],
    pytest.param(
        edit("    body: شكرا لكم\n", "    body: |\n      شكرا\n\n      **لكم\u202e**\n"),
        None,
        [f"{FILE}:10:11: sections[3].body: holds the invisible direction control U+202E; {BIDI}"],
        id="text-bidi-in-markdown",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: رسم\n    charts:\n      - kind: bars\n        title: ت\n        alt: و\n"
            "        items:\n          - label: \u2067IOM\u2069\n            value: 1\n",
        ),
        None,
        [f"{FILE}:14:20: sections[2].charts[1].items[1].label: holds the invisible direction control U+2067; {BIDI}"],
        id="text-bidi-in-chart-label",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title\u202e: دليل الهجرة\n"),
        None,
        [
            f"{FILE}:2:3: document.title: missing; expected the booklet's title, as on its cover",
            f"{FILE}:2:3: document.title<U+202E>: unknown key; did you mean 'title'?",
        ],
        id="text-bidi-in-key",
    ),
    # Zero-width joiners and non-joiners, the Arabic letter mark, soft hyphens: allowed.
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: دليل\u200dالهجرة\u200c\u061c\u00ad\u2060\n"),
        None,
        [],
        id="text-joiners-allowed",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", '  subject: "\u200b\u200d"\n'),
        None,
        [f"{FILE}:4:12: document.subject: is empty; write the text, or remove the key"],
        id="text-only-invisible-characters",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: دليل\ue000\n"),
        None,
        [f"{FILE}:2:10: document.title: '\\ue000' (U+E000 unnamed) {FONTS}"],
        id="text-private-use",
    ),
    pytest.param(
        PICTURE.format(src="images/cover.png").replace("صورة الغلاف", '"\u00a0"'),
        _cover_picture,
        [f"{FILE}:9:12: sections[1].image.alt: is empty; write the text, or remove the key"],
        id="text-no-break-space-for-alt",
    ),
]


@pytest.mark.parametrize(("source", "setup", "expected"), CASES)
def test_check(here: Path, cli, source: str | bytes, setup, expected: list[str]) -> None:
    check_gives(here, cli, source, setup, expected)


# --- text is printed as written, never interpreted -------------------------------------------------

#: Hostile text in every kind of field: (where, the text as the author typed it).
MARKUP = {
    "document.title": "<b>دليل</b> {{ 7*7 }} {% if true %}نعم{% endif %}",
    "document.organisation": "<script>alert('IOM')</script>",
    "document.subject": "body { display: none } @import url(x.css); </style>",
    "cover.kicker": "<style>* { color: red }</style>",
    "cover.tagline": "&amp; &lt; &#x41; \"quoted\" 'single'",
    "chapter.title": '<h1 onclick="alert(1)">عنوان</h1>',
    "chapter.lead": "{{ config }} {# comment #} ${x} <!-- comment -->",
    "chapter.body": '<p onclick="x">فقرة</p> <img src="file:///etc/passwd"> <link rel="attachment" '
    'href="file:///etc/passwd"> [رابط] (javascript:alert(3))',
    "chart.title": '<svg onload="alert(4)">',
    "chart.alt": '</title><image href="file:///etc/passwd"/>',
    "chart.label": "<tspan>أ</tspan>&x;",
    "group.item": "{{ self.__init__.__globals__ }}",
    "joined": "لا\u200dم\u200cي \u061cالهجرة",
}
MARKUP_SOURCE = """\
document:
  title: {document.title}
  organisation: {document.organisation}
  subject: {document.subject}
sections:
  - kind: cover
    kicker: {cover.kicker}
    tagline: {cover.tagline}
  - kind: chapter
    title: {chapter.title}
    lead: {chapter.lead}
    body: {chapter.body}
    charts:
      - kind: bars
        title: {chart.title}
        alt: {chart.alt}
        items:
          - label: {chart.label}
            value: 3
    groups:
      - title: {joined}
        items:
          - {group.item}
  - kind: back-cover
    body: {joined}
"""


@pytest.fixture(scope="module")
def markup_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The screen edition of a booklet whose every text field holds markup: (out folder, booklet.html, and the
    PDF's text: every page's and the metadata's, NFKC-normalized so that the charts' shaped letters read back)."""
    tmp = tmp_path_factory.mktemp("markup")
    (tmp / "data").mkdir()
    source = MARKUP_SOURCE
    for where, text in MARKUP.items():
        source = source.replace("{" + where + "}", quoted(text))
    write(tmp / "data", source)
    (built,) = booklet.build(booklet.Project(tmp / "data"), tmp / "out", ["screen"])
    texts = page_texts(built.path)
    with pikepdf.open(built.path) as pdf:
        texts += [str(value) for value in pdf.docinfo.values()]
    return (
        tmp / "out",
        (tmp / "out" / "booklet.html").read_text(encoding="utf-8"),
        unicodedata.normalize("NFKC", " ".join(texts)),
    )


MIRRORED = {"<": ">", ">": "<", "{": "}", "}": "{", "(": ")", ")": "(", "[": "]", "]": "["}


def _escaped_forms(text: str) -> set[str]:
    """The ways the pipeline writes ``text`` into booklet.html: Jinja's escaping (HTML), markdown-it's
    (Markdown fields) and the charts' (HTML, escaped by Python's html module)."""
    markdown = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return {str(markupsafe.escape(text)), markdown, xml_escape(text), html.escape(text)}


@pytest.mark.parametrize("where", list(MARKUP))
def test_markup_is_printed_as_text(markup_build, where: str) -> None:
    """booklet.html holds the text escaped, never as a tag, and the PDF holds its words, as typed."""
    _out, merged, shown = markup_build
    text = MARKUP[where]
    assert any(form in merged for form in _escaped_forms(text)), where
    if where == "chart.alt":
        return  # an alternative text, not drawn: booklet.html is where it shows
    # The PDF's text holds its words and its signs, literally. Bidi reorders a mixed line and mirrors the
    # brackets in it, so words are compared one by one (runs of letters) and brackets as pairs.
    words = re.findall(r"[A-Za-z]{2,}|[\u0621-\u064a]{2,}", text)
    assert [w for w in words if w not in shown] == [], where
    signs = {MIRRORED.get(c, c) for c in text if c in "<>{}()[]&#%$*=;:/!'\""}
    assert {sign for sign in signs if sign not in shown and MIRRORED.get(sign) not in shown} == set(), where


def test_markup_adds_no_element_and_no_action(markup_build) -> None:
    out, merged, _texts = markup_build
    body = merged[merged.index("<body") :]
    for tag in ("<script", "<style>*", "<img", "<link", "<b>", "<h1 onclick", "<p onclick", "<tspan", "<image"):
        assert tag not in body, tag
    assert 'href="javascript:' not in merged
    with pikepdf.open(out / "booklet-screen.pdf") as pdf:
        names = pdf.Root.get("/Names")
        assert names is None or "/EmbeddedFiles" not in names
        assert "/OpenAction" not in pdf.Root
        for page in pdf.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get("/A")
                assert action is None or action.get("/S") != "/JavaScript"
                assert action is None or not str(action.get("/URI", "")).startswith("javascript:")


def test_one_very_long_word_stays_on_the_page(here: Path) -> None:
    """A word of 600 letters with no space (and a Latin one) wraps inside the page: every glyph is in the page box."""
    word, latin = "مستشفى" * 100, "Pneumonoultramicroscopic" * 12
    write(
        here / "data",
        edit(
            "    title: بناء القدرات\n",
            f"    title: {word[:120]}\n    body: |\n      قبل {word} بعد\n\n      {latin}\n",
        ),
    )
    (built,) = booklet.build(booklet.Project(here / "data"), here / "out", ["screen"])
    document = pdfium.PdfDocument(built.path)
    try:
        outside, drawn = [], 0
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            for char in range(textpage.count_chars()):
                left, bottom, right, top = textpage.get_charbox(char)
                if right <= left:
                    continue
                drawn += 1
                if left < 0 or bottom < 0 or right > width or top > height:
                    outside.append((index, char, (left, bottom, right, top)))
    finally:
        document.close()
    assert drawn > len(word) + len(latin)
    assert outside == []
