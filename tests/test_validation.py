"""Validation messages: each case is a small data/booklet.yaml and the exact lines `booklet check` prints.

In the style of WeasyPrint's tests/css/test_errors.py: the source and every line
it produces, pinned exactly, so a message that changes is a decision, not an
accident. Cases start from MINIMAL, the smallest valid booklet, and change one
thing (or a few, for the cases about reporting several problems at once).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ALIASES, EMPTY, FILE, FONTS, MINIMAL, NOT_INSIDE, NUMBER, edit, problems_of, write

import booklet

KINDS = "cover, colophon, foreword, contents, highlights, chapter, partners, photo, back-cover"
DOCUMENT_KEYS = "title, subtitle, organisation, subject, keywords, date, logo"
SETTINGS_KEYS = "page_size, digits, numbers, thousands_separator"
COLON = "if the text holds a colon (:), put the whole text in quotes"


def with_settings(settings: str) -> str:
    return f"settings:\n{settings}" + MINIMAL


def bug(reason: str) -> pytest.MarkDecorator:
    """A case whose expected lines say what the message should be; today it is wrong."""
    return pytest.mark.xfail(reason=f"BUG: {reason}", strict=True)


CASES = [
    pytest.param(MINIMAL, [], id="minimal-is-valid"),
    # Missing fields point at the map that lacks them.
    pytest.param(
        edit("  title: دليل الهجرة\n", ""),
        [f"{FILE}:2:3: document.title: missing; expected the booklet's title, as on its cover"],
        id="missing-required-field",
    ),
    pytest.param(
        edit("    title: بناء القدرات\n", ""),
        [f"{FILE}:7:5: sections[2].title: missing; expected the chapter's heading"],
        id="missing-required-field-in-section",
    ),
    pytest.param(
        edit("  - kind: cover\n", ""),
        [],
        id="no-cover-is-allowed",
    ),
    pytest.param(
        "settings:\n  page_size: A4\n",
        [
            f"{FILE}:1:1: document: missing; expected the booklet's title, publisher and PDF metadata",
            f"{FILE}:1:1: sections: missing; expected the booklet's pages in reading order, each with a kind",
        ],
        id="missing-top-level-keys",
    ),
    # Wrong types.
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: بناء القدرات\n    figures:\n      - value: كثير\n        label: متدربا\n",
        ),
        [f"{FILE}:10:16: sections[2].figures[1].value: expected a number {NUMBER}, found 'كثير'"],
        id="text-for-number",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: بناء القدرات\n    figures:\n      - value: ١٧٢\n        label: متدربا\n",
        ),
        [],
        id="arabic-indic-digits-for-number",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: بناء القدرات\n    figures:\n      - value: ۱۷۲\n        label: متدربا\n",
        ),
        [],
        id="persian-digits-for-number",
    ),
    pytest.param(
        with_settings("  - A5\n  - western\n"),
        [f"{FILE}:2:3: settings: expected a map of keys ({SETTINGS_KEYS}), found a list"],
        id="list-for-map",
    ),
    pytest.param(
        "settings: [A5, western]\n" + MINIMAL,
        [f"{FILE}:1:11: settings: expected a map of keys ({SETTINGS_KEYS}), found a list"],
        id="flow-list-for-map",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject:\n    ar: تقرير مصور\n"),
        [f"{FILE}:5:5: document.subject: expected text, found a map of keys"],
        id="map-for-text",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: [دليل, الهجرة]\n"),
        [f"{FILE}:2:10: document.title: expected text, found a list"],
        id="list-for-text",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  keywords: الهجرة، قطر\n"),
        [f"{FILE}:5:13: document.keywords: expected a list (lines starting with '- '), found 'الهجرة، قطر'"],
        id="text-for-list",
    ),
    pytest.param(
        edit("  - kind: cover\n", "  - cover\n"),
        [f"{FILE}:6:5: sections[1]: expected a map of keys starting with 'kind', found 'cover'"],
        id="text-for-section",
    ),
    pytest.param(
        # Tags are never constructed: a Python object tag is just a list where text belongs.
        edit("  title: دليل الهجرة\n", '  title: !!python/object/apply:os.system ["true"]\n'),
        [f"{FILE}:2:10: document.title: expected text, found a list"],
        id="python-tag-is-not-constructed",
    ),
    # Unknown keys and kinds.
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  subtitel: بعثة قطر\n"),
        [f"{FILE}:5:3: document.subtitel: unknown key; did you mean 'subtitle'?"],
        id="unknown-key-near-miss",
    ),
    pytest.param(
        edit("    title: بناء القدرات\n", "    title: بناء القدرات\n    lede: ست دورات تدريبية\n"),
        [f"{FILE}:9:5: sections[2].lede: unknown key; did you mean 'lead'?"],
        id="unknown-key-near-miss-in-section",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  colour: blue\n"),
        [f"{FILE}:5:3: document.colour: unknown key; known keys: {DOCUMENT_KEYS}"],
        id="unknown-key-no-near-miss",
    ),
    pytest.param(
        edit("kind: chapter", "kind: chapetr"),
        [f"{FILE}:7:11: sections[2].kind: unknown section kind 'chapetr'; did you mean 'chapter'? (kinds: {KINDS})"],
        id="unknown-kind-near-miss",
    ),
    pytest.param(
        edit("kind: chapter", "kind: appendix"),
        [f"{FILE}:7:11: sections[2].kind: unknown section kind 'appendix' (kinds: {KINDS})"],
        id="unknown-kind-no-near-miss",
    ),
    pytest.param(
        edit("  - kind: chapter\n    title:", "  - title:"),
        [f"{FILE}:7:5: sections[2].kind: missing; every section starts with a kind, one of {KINDS}"],
        id="missing-kind",
    ),
    pytest.param(
        edit("  - kind: chapter\n", "  - kind:\n"),
        [f"{FILE}:7:10: sections[2].kind: expected one of {KINDS}, found nothing"],
        id="kind-left-empty",
    ),
    pytest.param(
        edit("  - kind: chapter\n", "  - kind: {name: chapter}\n"),
        [f"{FILE}:7:11: sections[2].kind: expected one of {KINDS}, found a map of keys"],
        id="kind-is-a-map",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  title: عنوان آخر\n"),
        [f"{FILE}:5:3: document.title: duplicate key (first given at line 2); keep only one"],
        id="duplicate-key",
    ),
    pytest.param(
        edit("  - kind: chapter\n", "  - kind: chapter\n    kind: cover\n"),
        [f"{FILE}:8:5: sections[2].kind: duplicate key (first given at line 7); keep only one"],
        id="duplicate-kind",
    ),
    # YAML 1.1 booleans stay the text the author typed in text fields.
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: yes\n").replace("بناء القدرات", "no").replace("شكرا لكم", "off"),
        [],
        id="yes-no-off-as-text",
    ),
    # Settings with a fixed set of values.
    pytest.param(
        with_settings("  page_size: A3\n"),
        [f"{FILE}:2:14: settings.page_size: expected one of 'A5', 'A4', found 'A3'"],
        id="page-size-A3",
    ),
    pytest.param(
        with_settings("  page_size: yes\n"),
        [f"{FILE}:2:14: settings.page_size: expected one of 'A5', 'A4', found 'yes'"],
        id="page-size-bool-ish",
    ),
    pytest.param(
        with_settings("  page_size: a5\n"),
        [f"{FILE}:2:14: settings.page_size: expected one of 'A5', 'A4', found 'a5'; did you mean 'A5'?"],
        id="page-size-lower-case",
    ),
    pytest.param(
        with_settings("  digits: hindi\n"),
        [f"{FILE}:2:11: settings.digits: expected one of 'arabic-indic', 'western', found 'hindi'"],
        id="digits-hindi",
    ),
    pytest.param(
        with_settings("  digits: Western\n"),
        [
            f"{FILE}:2:11: settings.digits: expected one of 'arabic-indic', 'western', found 'Western'; "
            "did you mean 'western'?"
        ],
        id="digits-near-miss",
    ),
    # Empty text and dates.
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", '  subject: ""\n'),
        [f"{FILE}:4:12: document.subject: is empty; write the text, or remove the key"],
        id="empty-text",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: '   '\n"),
        [f"{FILE}:4:12: document.subject: is empty; write the text, or remove the key"],
        id="blank-text",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject:\n"),
        [f"{FILE}:4:11: document.subject: is empty; write the text, or remove the key"],
        id="required-text-left-empty",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  keywords:\n    - الهجرة\n    -\n"),
        [f"{FILE}:7:6: document.keywords[2]: is empty; write the text, or remove the item"],
        id="empty-list-item",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  subtitle:\n  date: ~\n"),
        [],
        id="optional-fields-left-empty",
    ),
    pytest.param(
        with_settings(""),
        [],
        id="settings-left-empty",
    ),
    pytest.param("settings: ~\n" + MINIMAL, [], id="settings-null"),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  date: 2022-02-30\n"),
        [f"{FILE}:5:9: document.date: expected a date as YYYY-MM-DD, such as 2022-10-06, found '2022-02-30'"],
        id="invalid-date",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  date: 06/10/2022\n"),
        [f"{FILE}:5:9: document.date: expected a date as YYYY-MM-DD, such as 2022-10-06, found '06/10/2022'"],
        id="date-in-another-format",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  date: 2022-10-06\n"),
        [],
        id="valid-date",
    ),
    # The file itself: YAML syntax, encoding, emptiness.
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: التقرير: الجزء الأول\n"),
        [f"{FILE}:4:19: is not valid YAML: mapping values are not allowed in this context; {COLON}"],
        id="yaml-syntax-error",
    ),
    pytest.param(
        # Reported where the quote opens, with the line where the file ends.
        edit("  subject: تقرير مصور عن برامج البعثة\n", '  subject: "تقرير مصور\n'),
        [f"{FILE}:4:12: is not valid YAML: this quote is never closed (found unexpected end of stream at line 11)"],
        id="unclosed-quote",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: [دليل الهجرة\n"),
        [f"{FILE}:2:10: is not valid YAML: this bracket is never closed (did not find expected ',' or ']' at line 3)"],
        id="unclosed-bracket",
    ),
    pytest.param(
        # Reported on the line missing its colon, not on the next one.
        edit("  organisation: المنظمة الدولية للهجرة\n", "  organisation المنظمة الدولية للهجرة\n"),
        [f"{FILE}:3:3: is not valid YAML: this line has no ':' after its key (or is text on its own)"],
        id="key-without-colon",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "\tsubject: تقرير\n"),
        [f"{FILE}:4:1: a tab is used for indenting; YAML indents with spaces only"],
        id="tab-for-indenting",
    ),
    pytest.param(
        edit("    title: بناء القدرات\n", "  \t title: بناء القدرات\n"),
        [f"{FILE}:8:3: a tab is used for indenting; YAML indents with spaces only"],
        id="tab-inside-indenting",
    ),
    pytest.param(
        "",
        [f"{FILE}:1:1: {EMPTY}"],
        id="empty-file",
    ),
    pytest.param(
        "# nothing yet\n",
        [f"{FILE}:1:1: {EMPTY}"],
        id="only-comment",
    ),
    pytest.param(
        "- kind: cover\n",
        [f"{FILE}:1:1: expected a map of keys (document, sections, settings), found a list"],
        id="list-at-top",
    ),
    pytest.param(
        # "Café" saved as Latin-1.
        edit("  organisation: المنظمة الدولية للهجرة\n", "  organisation: IOM Caf\0\n")
        .encode()
        .replace(b"\0", b"\xe9"),
        [f"{FILE}:3:24: byte 0xe9 is not UTF-8; save the file as UTF-8"],
        id="not-utf-8",
    ),
    pytest.param(b"\xef\xbb\xbf" + MINIMAL.encode(), [], id="utf-8-bom"),
    pytest.param(
        b"\xef\xbb\xbf" + ("settings: A5\n" + MINIMAL).encode(),
        [f"{FILE}:1:11: settings: expected a map of keys ({SETTINGS_KEYS}), found 'A5'"],
        id="utf-8-bom-keeps-columns",
    ),
    # Rules across sections.
    pytest.param(
        edit("  - kind: cover\n", "").replace("  - kind: back-cover\n", "  - kind: cover\n  - kind: back-cover\n"),
        [f"{FILE}:8:5: sections[2]: the cover must be the first section; move it up"],
        id="cover-not-first",
    ),
    pytest.param(
        edit("  - kind: back-cover\n    body: شكرا لكم\n", "").replace(
            "  - kind: chapter\n", "  - kind: back-cover\n    body: شكرا لكم\n  - kind: chapter\n"
        ),
        [f"{FILE}:7:5: sections[2]: the back-cover must be the last section; move it down"],
        id="back-cover-not-last",
    ),
    pytest.param(
        edit("  - kind: cover\n", "  - kind: cover\n  - kind: cover\n"),
        [f"{FILE}:7:5: sections[2]: a second cover; a booklet has one"],
        id="two-covers",
    ),
    pytest.param(
        edit("  - kind: back-cover\n", "  - kind: back-cover\n    body: شكرا\n  - kind: back-cover\n"),
        [f"{FILE}:11:5: sections[4]: a second back-cover; a booklet has one"],
        id="two-back-covers",
    ),
    pytest.param(
        edit(
            "  - kind: back-cover\n",
            "  - kind: contents\n    title: المحتويات\n  - kind: contents\n    title: المحتويات\n"
            "  - kind: back-cover\n",
        ),
        [f"{FILE}:11:5: sections[4]: a second contents; a booklet has one"],
        id="two-contents",
    ),
    pytest.param(
        edit("  - kind: cover\n", "").replace("    body: شكرا لكم\n", "    body: شكرا لكم\n  - kind: cover\n"),
        [
            f"{FILE}:8:5: sections[2]: the back-cover must be the last section; move it down",
            f"{FILE}:10:5: sections[3]: the cover must be the first section; move it up",
        ],
        id="cover-and-back-cover-swapped",
    ),
    pytest.param(
        # The rules hold whatever else is wrong: the chapter's missing title does not hide them.
        edit("    title: بناء القدرات\n", "").replace("  - kind: cover\n", "") + "  - kind: cover\n",
        [
            f"{FILE}:6:5: sections[1].title: missing; expected the chapter's heading",
            f"{FILE}:7:5: sections[2]: the back-cover must be the last section; move it down",
            f"{FILE}:9:5: sections[3]: the cover must be the first section; move it up",
        ],
        id="order-rules-beside-other-problems",
    ),
    pytest.param(
        MINIMAL.split("sections:")[0] + "sections: []\n",
        [f"{FILE}:5:11: sections: is empty; list the booklet's pages, starting with a cover"],
        id="no-sections",
    ),
    # Characters that no bundled font can draw.
    pytest.param(
        edit("بناء القدرات", "بناء القدرات 😀"),
        [f"{FILE}:8:12: sections[2].title: '😀' (U+1F600 GRINNING FACE) {FONTS}"],
        id="emoji",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: دليل 移民\n"),
        [
            # Listed in code point order, not in the order they appear.
            f"{FILE}:2:10: document.title: '民' (U+6C11 CJK UNIFIED IDEOGRAPH-6C11), "
            f"'移' (U+79FB CJK UNIFIED IDEOGRAPH-79FB) {FONTS}"
        ],
        id="cjk",
    ),
    pytest.param(
        edit("    body: شكرا لكم\n", "    body: |\n      شكرا لكم\n\n      ✈ مع تحيات البعثة\n"),
        [f"{FILE}:10:11: sections[3].body: '✈' (U+2708 AIRPLANE) {FONTS}"],
        id="uncovered-in-block-text",
    ),
    pytest.param(
        # Joiners and bidi marks are the shaper's business, not a font's.
        edit("بناء القدرات", "بناء\u200c القدرات\u200f"),
        [],
        id="format-characters",
    ),
    # Several problems, all at once, sorted by line whatever order they are found in.
    pytest.param(
        "settings:\n  page_size: A3\n"
        + edit("  title: دليل الهجرة\n", "")
        .replace("kind: chapter", "kind: chapetr")
        .replace("    body: شكرا لكم\n", "    body: شكرا لكم\n    colour: blue\n"),
        [
            f"{FILE}:2:14: settings.page_size: expected one of 'A5', 'A4', found 'A3'",
            f"{FILE}:4:3: document.title: missing; expected the booklet's title, as on its cover",
            f"{FILE}:8:11: sections[2].kind: unknown section kind 'chapetr'; did you mean 'chapter'? (kinds: {KINDS})",
            f"{FILE}:12:5: sections[3].colour: unknown key; known keys: kind, body, link",
        ],
        id="several-problems-sorted",
    ),
    # Aliases are refused by the loader, at the first * (it stops there), before any key is known.
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: &name دليل الهجرة\n").replace("بناء القدرات", "*name"),
        [f"{FILE}:8:12: {ALIASES}"],
        id="alias",
    ),
    pytest.param(
        # The column counts characters: each Arabic letter before the bad byte counts once.
        edit("  organisation: المنظمة الدولية للهجرة\n", "  organisation: المنظمة \0\n")
        .encode()
        .replace(b"\0", b"\xe9"),
        [f"{FILE}:3:25: byte 0xe9 is not UTF-8; save the file as UTF-8"],
        id="not-utf-8-after-arabic",
    ),
    pytest.param(
        MINIMAL.split("sections:")[0] + "sections:\n  - kind: cvoer\n",
        [f"{FILE}:6:11: sections[1].kind: unknown section kind 'cvoer'; did you mean 'cover'? (kinds: {KINDS})"],
        id="invalid-sections-are-not-empty",
    ),
    pytest.param(
        edit("  - kind: cover\n", "  - kind: cover\n  -\n"),
        [f"{FILE}:7:4: sections[2]: expected a map of keys starting with 'kind', found nothing"],
        id="empty-section-item",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: a\tb: c\n"),
        [f"{FILE}:4:15: is not valid YAML: mapping values are not allowed in this context; {COLON}"],
        id="tab-in-text-is-not-indenting",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\tمصور\n"),
        [],
        id="tab-inside-text",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject:\tتقرير مصور\n"),
        [],
        id="tab-after-colon",
    ),
    pytest.param(
        edit("  organisation: المنظمة الدولية للهجرة\n", " organisation: المنظمة الدولية للهجرة\n"),
        [f"{FILE}:3:2: is not valid YAML: did not find expected key (while parsing a block mapping)"],
        id="dedented-key",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", '  subject: "تقرير" مصور\n'),
        [f"{FILE}:4:20: is not valid YAML: did not find expected key (while parsing a block mapping)"],
        id="quote-in-middle-of-text",
    ),
    pytest.param(
        b"\xef\xbb\xbf" + ("settings: caf\0\n" + MINIMAL).encode().replace(b"\0", b"\xe9"),
        [f"{FILE}:1:14: byte 0xe9 is not UTF-8; save the file as UTF-8"],
        id="not-utf-8-after-bom",
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_problems(data: Path, source: str | bytes, expected: list[str]) -> None:
    write(data, source)
    assert problems_of(data) == expected


IMAGE = edit("  - kind: cover\n", "  - kind: cover\n    image:\n      src: {src}\n      alt: صورة الغلاف\n")
SRC = f"{FILE}:8:12: sections[1].image.src:"


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param("images/cover.png", [], id="picture-inside-data"),
        pytest.param("./images/cover.png", [], id="dot-slash"),
        pytest.param("images/photo.JPG", [], id="upper-case-suffix"),
        pytest.param("images/missing.png", [f"{SRC} no such file 'images/missing.png' in data/"], id="missing-file"),
        pytest.param("../secret.png", [f"{SRC} '../secret.png' {NOT_INSIDE}"], id="dot-dot-escape"),
        pytest.param(
            "images/../../secret.png", [f"{SRC} 'images/../../secret.png' {NOT_INSIDE}"], id="dot-dot-inside-path"
        ),
        pytest.param("/etc/passwd", [f"{SRC} '/etc/passwd' {NOT_INSIDE}"], id="absolute-path"),
        pytest.param("https://example.org/x.png", [f"{SRC} 'https://example.org/x.png' {NOT_INSIDE}"], id="https-url"),
        pytest.param("file:///etc/passwd", [f"{SRC} 'file:///etc/passwd' {NOT_INSIDE}"], id="file-url"),
        pytest.param(r"images\cover.png", [f"{SRC} 'images\\\\cover.png' {NOT_INSIDE}"], id="backslash"),
        pytest.param("C:/images/cover.png", [f"{SRC} 'C:/images/cover.png' {NOT_INSIDE}"], id="drive-letter"),
        pytest.param("images", [f"{SRC} 'images' is not a file; name a picture file"], id="directory"),
        pytest.param(
            "images/outside.png",
            [f"{SRC} 'images/outside.png' leads outside data/ (through a link); copy the picture into data/"],
            id="symlink-outside-data",
        ),
        pytest.param("images/inside.png", [], id="symlink-inside-data"),
        pytest.param(
            "notes.txt",
            [f"{SRC} 'notes.txt' is not a picture; use one of .gif, .jpeg, .jpg, .png, .svg, .webp"],
            id="not-a-picture",
        ),
        pytest.param('""', [f"{SRC} is empty; name a picture file inside data/"], id="empty"),
    ],
)
def test_image_paths(data: Path, src: str, expected: list[str]) -> None:
    secret = data.parent / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    (data / "images").mkdir()
    (data / "images" / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (data / "images" / "photo.JPG").write_bytes(b"\xff\xd8\xff")
    (data / "images" / "outside.png").symlink_to(secret)
    (data / "images" / "inside.png").symlink_to(data / "images" / "cover.png")
    (data / "notes.txt").write_text("not a picture\n")
    write(data, IMAGE.format(src=src))
    assert problems_of(data) == expected


def test_yes_and_no_stay_text(data: Path) -> None:
    write(data, edit("  title: دليل الهجرة\n", "  title: yes\n").replace("بناء القدرات", "No"))
    validated = booklet.check(booklet.Project(data))
    assert validated.booklet.document.title == "yes"
    assert validated.booklet.sections[1].title == "No"


def test_only_the_first_alias_is_reported(data: Path) -> None:
    """The loader stops at the first alias: a second one, later in the file, is not reached."""
    source = edit("  title: دليل الهجرة\n", "  title: &name دليل الهجرة\n").replace("بناء القدرات", "*name")
    write(data, source.replace("شكرا لكم", "*name"))
    assert problems_of(data) == [f"{FILE}:8:12: {ALIASES}"]


def test_anchor_without_alias_is_read(data: Path) -> None:
    """An anchor alone makes no node appear twice: the value is read as written."""
    write(data, edit("  title: دليل الهجرة\n", "  title: &name دليل الهجرة\n"))
    assert booklet.check(booklet.Project(data)).booklet.document.title == "دليل الهجرة"


def test_alias_bomb_is_refused_quickly(data: Path) -> None:
    """A "billion laughs" document is refused at its first alias, before anything is expanded."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    source = edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  keywords: *a8\n")
    write(data, source.replace("document:\n", "\n".join(lines) + "\ndocument:\n"))
    assert problems_of(data) == [f"{FILE}:2:10: {ALIASES}"]


@pytest.mark.parametrize("null", ["", "~", "null", "Null", "NULL"])
def test_null_optional_text_is_none(data: Path, null: str) -> None:
    write(data, edit("  subject: تقرير مصور عن برامج البعثة\n", f"  subject: تقرير\n  subtitle: {null}\n"))
    assert booklet.check(booklet.Project(data)).booklet.document.subtitle is None


@pytest.mark.parametrize("quoted", ["'null'", '"~"'])
def test_quoted_null_is_text(data: Path, quoted: str) -> None:
    write(data, edit("  subject: تقرير مصور عن برامج البعثة\n", f"  subject: تقرير\n  subtitle: {quoted}\n"))
    assert booklet.check(booklet.Project(data)).booklet.document.subtitle == quoted[1:-1]
