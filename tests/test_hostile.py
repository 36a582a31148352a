"""Bad input never crashes, leaks or loses a file: a corpus of hostile inputs and the exact lines each gives.

Every case runs the command line in-process (booklet.cli.main) and pins what a person sees: the exit code and
every line on stderr, ``file:line:column: message`` where there is a place. A case is a small project (MINIMAL,
the smallest valid booklet, with one thing changed) or a change to a copy of layouts/ or fonts/. Case ids start
with the issue's bullet: ``yaml-``, ``text-``, ``path-``, ``layout-``, ``output-``, ``limit-``.

Many cases were pinned before this file and are not repeated here; EXISTING lists them by test id, so that the
corpus can be counted as a whole. A case marked ``bug`` pins the behaviour a communications officer needs; today
it is wrong (xfail, strict: fixing the bug makes it pass, and the mark must then go).

Hypothesis properties (any text in any field) are in test_properties.py.
"""

from __future__ import annotations

import errno
import gc
import html
import io
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import unicodedata
import uuid
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import markupsafe
import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import ALIASES, EMPTY, FILE, FONTS, MINIMAL, NOT_INSIDE, NUMBER, ROOT, edit, page_texts, write
from PIL import Image

import booklet
from booklet import output
from booklet.data import validate
from booklet.design import chartmarks
from booklet.typeset import typesetter as typeset

#: MINIMAL with a cover picture: its src value is at line 8, column 12.
PICTURE = MINIMAL.replace(
    "  - kind: cover\n", "  - kind: cover\n    image:\n      src: {src}\n      alt: صورة الغلاف\n"
)
SRC = f"{FILE}:8:12: sections[1].image.src:"

BIDI = "delete it (the layout sets the direction of every text)"
NOTHING_WRITTEN = "nothing was written"

#: Cases of the corpus pinned in other files (exact lines there), by bullet.
EXISTING = {
    "yaml": [
        "test_validation.py::test_problems[yaml-syntax-error]",
        "test_validation.py::test_problems[unclosed-quote]",
        "test_validation.py::test_problems[unclosed-bracket]",
        "test_validation.py::test_problems[key-without-colon]",
        "test_validation.py::test_problems[dedented-key]",
        "test_validation.py::test_problems[quote-in-middle-of-text]",
        "test_validation.py::test_problems[tab-for-indenting]",
        "test_validation.py::test_problems[tab-inside-indenting]",
        "test_validation.py::test_problems[duplicate-key]",
        "test_validation.py::test_problems[duplicate-kind]",
        "test_validation.py::test_problems[text-for-number]",
        "test_validation.py::test_problems[list-for-map]",
        "test_validation.py::test_problems[map-for-text]",
        "test_validation.py::test_problems[list-for-text]",
        "test_validation.py::test_problems[text-for-list]",
        "test_validation.py::test_problems[text-for-section]",
        "test_validation.py::test_problems[python-tag-is-not-constructed]",
        "test_validation.py::test_problems[unknown-key-near-miss]",
        "test_validation.py::test_problems[unknown-key-no-near-miss]",
        "test_validation.py::test_problems[unknown-kind-near-miss]",
        "test_validation.py::test_problems[yes-no-off-as-text]",
        "test_validation.py::test_problems[page-size-bool-ish]",
        "test_validation.py::test_problems[invalid-date]",
        "test_validation.py::test_problems[empty-file]",
        "test_validation.py::test_problems[only-comment]",
        "test_validation.py::test_problems[list-at-top]",
        "test_validation.py::test_problems[not-utf-8]",
        "test_validation.py::test_problems[utf-8-bom]",
        "test_validation.py::test_problems[utf-8-bom-keeps-columns]",
        "test_validation.py::test_problems[alias]",
        "test_validation.py::test_alias_bomb_is_refused_quickly",
    ],
    "text": [
        "test_validation.py::test_problems[emoji]",
        "test_validation.py::test_problems[cjk]",
        "test_validation.py::test_problems[format-characters]",
        "test_validation.py::test_problems[empty-text]",
        "test_validation.py::test_problems[blank-text]",
        "test_validation.py::test_problems[empty-list-item]",
    ],
    "path": [
        "test_validation.py::test_image_paths[missing-file]",
        "test_validation.py::test_image_paths[dot-dot-escape]",
        "test_validation.py::test_image_paths[absolute-path]",
        "test_validation.py::test_image_paths[https-url]",
        "test_validation.py::test_image_paths[file-url]",
        "test_validation.py::test_image_paths[directory]",
        "test_validation.py::test_image_paths[symlink-outside-data]",
        "test_validation.py::test_image_paths[not-a-picture]",
        "test_pictures.py::test_unusable_picture_is_refused_with_its_place[truncated]",
        "test_safety.py::test_refuses_url[data]",
    ],
    "layout": [
        "test_layouts.py::test_undefined_template_variable",
        "test_layouts.py::test_template_syntax_error",
        "test_layouts.py::test_unknown_css_property_and_unparsable_value",
        "test_layouts.py::test_missing_font_file",
        "test_safety.py::test_refusal_lines[background-names-the-stylesheet]",
    ],
    "output": [
        "test_safety.py::test_failed_write_leaves_old_pdfs",
        "test_safety.py::test_failed_write_leaves_old_html",
    ],
}


@pytest.mark.parametrize("case", [case for cases in EXISTING.values() for case in cases])
def test_the_cases_pinned_elsewhere_are_there(case: str) -> None:
    """EXISTING counts cases of other files: each must still be a test there, with that id."""
    file, _, test = case.partition("::")
    name, _, case_id = test.rstrip("]").partition("[")
    text = (Path(__file__).parent / file).read_text(encoding="utf-8")
    assert f"def {name}(" in text, case
    assert not case_id or f'id="{case_id}"' in text, case


def bug(reason: str, raises: type[BaseException] | None = None) -> pytest.MarkDecorator:
    """A case whose expected lines are what they should be; today they are not (see the reason)."""
    return pytest.mark.xfail(reason=f"BUG: {reason}", strict=True, raises=raises)


def counted(problems: int, build: bool) -> str:
    """The last line of a failed run."""
    line = f"{problems} problem{'s' if problems != 1 else ''}"
    return f"{line}; {NOTHING_WRITTEN}" if build else line


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the working directory, with an empty data/: paths print as data/booklet.yaml."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    return tmp_path


# --- pictures made here, small -----------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header says width x height pixels: Pillow reads the size from it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def corrupt_png() -> bytes:
    """A 20 x 10 PNG whose compressed pixels are damaged (the chunk's CRC made to match)."""
    width, height = 20, 10
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = bytearray(zlib.compress(b"".join(b"\0" + b"\x80" * 3 * width for _ in range(height))))
    idat[4:8] = b"\xff\xff\xff\xff"
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", bytes(idat)) + _chunk(b"IEND", b"")


def gif_claiming(width: int, height: int) -> bytes:
    """A GIF whose logical screen is width x height and whose one frame is a single pixel."""
    screen = b"GIF89a" + struct.pack("<HH", width, height) + b"\0\0\0"
    return screen + b"," + struct.pack("<HHHH", 0, 0, 1, 1) + b"\0\x02\x02\x44\x01\0;"


def real_png() -> bytes:
    encoded = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 51, 160)).save(encoded, format="PNG")
    return encoded.getvalue()


def picture(name: str, content: bytes) -> Callable[[Path], None]:
    def make(data: Path) -> None:
        (data / "images").mkdir(parents=True, exist_ok=True)
        (data / "images" / name).write_bytes(content)

    return make


# --- the corpus: `booklet check` ---------------------------------------------------------------------
# (source, setup(data) or None, the exact problem lines); an empty list means the data is valid.

DEEP_FLOW = "[" * 1001 + "]" * 1001
DEEP_BLOCK = "".join(f"\n{'  ' * (i + 2)}a:" for i in range(1000)) + " x"

CHECK_CASES = [
    # YAML syntax of several kinds.
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: {ar: دليل\n"),
        None,
        [f"{FILE}:2:10: is not valid YAML: this bracket is never closed (did not find expected ',' or '}}' at line 3)"],
        id="yaml-unclosed-flow-map",
    ),
    pytest.param(
        edit("  - kind: chapter\n", "   - kind: chapter\n"),
        None,
        [f"{FILE}:7:4: is not valid YAML: did not find expected '-' indicator (while parsing a block collection)"],
        id="yaml-list-item-indented-too-far",
    ),
    pytest.param(
        MINIMAL + "---\ndocument:\n  title: نسخة ثانية\n",
        None,
        [
            f"{FILE}:11:1: is not valid YAML: a second document starts here; a booklet's data is one document, "
            "remove the '---' line and what follows or merge it above"
        ],
        id="yaml-two-documents",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: @IOM دليل\n"),
        None,
        [f"{FILE}:2:10: is not valid YAML: a text cannot start with '@'; put the whole text in quotes"],
        id="yaml-text-starting-with-at",
    ),
    pytest.param(
        edit("    body: شكرا لكم\n", "    body: |\n   شكرا لكم\n"),
        None,
        [
            f"{FILE}:11:4: is not valid YAML: the text of 'body: |' must be indented more than 'body'; "
            "indent this line by at least 6 spaces"
        ],
        id="yaml-block-text-not-indented",
    ),
    pytest.param(
        edit("  - kind: chapter\n", "\t- kind: chapter\n"),
        None,
        [f"{FILE}:7:1: a tab is used for indenting; YAML indents with spaces only"],
        id="yaml-tab-before-list-item",
    ),
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
    # Duplicate keys at every level.
    pytest.param(
        "settings:\n  page_size: A5\n  page_size: A4\n" + MINIMAL,
        None,
        [f"{FILE}:3:3: settings.page_size: duplicate key (first given at line 2); keep only one"],
        id="yaml-duplicate-key-in-settings",
    ),
    pytest.param(
        MINIMAL + "sections: []\n",
        None,
        [f"{FILE}:11:1: sections: duplicate key (first given at line 5); keep only one"],
        id="yaml-duplicate-top-level-key",
    ),
    pytest.param(
        PICTURE.format(src="images/cover.png").replace("      alt:", "      src: images/other.png\n      alt:"),
        picture("cover.png", png_claiming(4, 4)),
        [f"{FILE}:9:7: sections[1].image.src: duplicate key (first given at line 8); keep only one"],
        id="yaml-duplicate-key-in-picture",
    ),
    # A wrong type in every kind of field: number, date, path, picture, choice, Markdown, list, map, section.
    pytest.param(
        edit(
            "    title: بناء القدرات\n", "    title: أرقام\n    figures:\n      - value: [172]\n        label: متدربا\n"
        ),
        None,
        [f"{FILE}:10:16: sections[2].figures[1].value: expected a number such as 172, 27.8 or 45%, found a list"],
        id="yaml-list-for-number",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n", "    title: أرقام\n    figures:\n      - value: 17.5\n        label: متدربا\n"
        ),
        None,
        [],
        id="yaml-decimal-for-number",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n", "    title: أرقام\n    figures:\n      - value: 1,000\n        label: متدربا\n"
        ),
        None,
        [],
        id="yaml-thousands-separator-in-number",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n", "    title: أرقام\n    figures:\n      - value: yes\n        label: متدربا\n"
        ),
        None,
        [f"{FILE}:10:16: sections[2].figures[1].value: expected a number {NUMBER}, found 'yes'"],
        id="yaml-yes-for-number",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: أرقام\n    figures:\n      - value: 1234567890123456\n        label: متدربا\n",
        ),
        None,
        [
            f"{FILE}:10:16: sections[2].figures[1].value: '1234567890123456' has more than 15 digits; "
            "a value holds at most 15: check the number"
        ],
        id="yaml-sixteen-digit-number",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  date: [2022, 10, 6]\n"),
        None,
        [f"{FILE}:5:9: document.date: expected a date as YYYY-MM-DD, found a list"],
        id="yaml-list-for-date",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  date: 2022\n"),
        None,
        [f"{FILE}:5:9: document.date: expected a date as YYYY-MM-DD, such as 2022-10-06, found '2022'"],
        id="yaml-year-for-date",
    ),
    pytest.param(
        PICTURE.format(src="[images/cover.png]"),
        None,
        [f"{SRC} expected a file path, found a list"],
        id="yaml-list-for-path",
    ),
    pytest.param(
        edit("  - kind: cover\n", "  - kind: cover\n    image: images/cover.png\n"),
        None,
        [
            f"{FILE}:7:12: sections[1].image: expected a map of keys (src, alt, caption, credit, focus), "
            "found 'images/cover.png'"
        ],
        id="yaml-text-for-picture",
    ),
    pytest.param(
        "settings:\n  page_size: [A5]\n" + MINIMAL,
        None,
        [f"{FILE}:2:14: settings.page_size: expected one of 'A5', 'A4', found a list"],
        id="yaml-list-for-choice",
    ),
    pytest.param(
        edit("    body: شكرا لكم\n", "    body: [شكرا, لكم]\n"),
        None,
        [f"{FILE}:10:11: sections[3].body: expected text, found a list"],
        id="yaml-list-for-markdown",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n", "    title: قوائم\n    groups:\n      - title: الجهات\n        items: أ، ب\n"
        ),
        None,
        [f"{FILE}:11:16: sections[2].groups[1].items: expected a list (lines starting with '- '), found 'أ، ب'"],
        id="yaml-text-for-list-of-names",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  keywords:\n    - {ar: الهجرة}\n"),
        None,
        [f"{FILE}:6:7: document.keywords[1]: expected text, found a map of keys"],
        id="yaml-map-for-list-item",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: رسم\n    charts:\n      - kind: pie\n        title: ت\n        alt: و\n"
            "        items:\n          - label: أ\n            value: 1\n",
        ),
        None,
        [
            f"{FILE}:10:15: sections[2].charts[1].kind: expected one of 'bars', 'dots', 'timeline', 'stacked', "
            "'grouped', 'proportion', 'line', found 'pie'"
        ],
        id="yaml-unknown-chart-kind",
    ),
    pytest.param(
        edit("  - kind: chapter\n    title: بناء القدرات\n", "  - [chapter, بناء القدرات]\n"),
        None,
        [f"{FILE}:7:5: sections[2]: expected a map of keys starting with 'kind', found a list"],
        id="yaml-list-for-section",
    ),
    # Unknown keys, with "did you mean" for near misses.
    pytest.param(
        PICTURE.format(src="images/cover.png").replace("      alt:", "      captoin: تعليق\n      alt:"),
        picture("cover.png", png_claiming(4, 4)),
        [f"{FILE}:9:7: sections[1].image.captoin: unknown key; did you mean 'caption'?"],
        id="yaml-unknown-key-in-picture",
    ),
    pytest.param(
        "settings:\n  pagesize: A4\n" + MINIMAL,
        None,
        [f"{FILE}:2:3: settings.pagesize: unknown key; did you mean 'page_size'?"],
        id="yaml-unknown-key-in-settings",
    ),
    pytest.param(
        edit("sections:\n", "section:\n"),
        None,
        [
            f"{FILE}:1:1: sections: missing; expected the booklet's pages in reading order, each with a kind",
            f"{FILE}:5:1: section: unknown key; did you mean 'sections'?",
        ],
        id="yaml-unknown-top-level-key",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: رسم\n    charts:\n      - kind: bars\n        tilte: ت\n        alt: و\n"
            "        items:\n          - label: أ\n            value: 1\n",
        ),
        None,
        [
            f"{FILE}:10:9: sections[2].charts[1].title: missing; expected the chart's heading",
            f"{FILE}:11:9: sections[2].charts[1].tilte: unknown key; did you mean 'title'?",
        ],
        id="yaml-unknown-key-in-chart",
    ),
    # yes/no/on/off where text was meant: the text as typed.
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: on\n").replace("بناء القدرات", "true").replace("شكرا لكم", "Off"),
        None,
        [],
        id="yaml-on-true-off-as-text",
    ),
    pytest.param(
        "settings:\n  digits: no\n" + MINIMAL,
        None,
        [f"{FILE}:2:11: settings.digits: expected one of 'arabic-indic', 'western', found 'no'"],
        id="yaml-no-for-choice",
    ),
    # Empty files, and a list or a text where a map was meant.
    pytest.param("  \n\n   \n", None, [f"{FILE}:1:1: {EMPTY}"], id="yaml-only-white-space"),
    pytest.param(
        "hello\n",
        None,
        [f"{FILE}:1:1: expected a map of keys (document, sections, settings), found 'hello'"],
        id="yaml-text-at-top",
    ),
    pytest.param(
        edit(
            "  title: دليل الهجرة\n  organisation: المنظمة الدولية للهجرة\n  subject: تقرير مصور عن برامج البعثة\n",
            "  - دليل الهجرة\n",
        ),
        None,
        [
            f"{FILE}:2:3: document: expected a map of keys "
            "(title, subtitle, organisation, subject, keywords, date, logo), found a list"
        ],
        id="yaml-list-for-document",
    ),
    # Deep nesting: libyaml stops at 1000 levels; under that, the model stops at the first level it does not expect.
    pytest.param(
        edit("  title: دليل الهجرة\n", f"  title: {DEEP_FLOW}\n"),
        None,
        [f"{FILE}:2:1008: is not valid YAML: exceeded maximum nesting depth (while increasing flow level)"],
        id="yaml-deep-nesting-flow",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", f"  title:{DEEP_BLOCK}\n"),
        None,
        [f"{FILE}:1000:2000: is not valid YAML: exceeded maximum nesting depth (while increasing block level)"],
        id="yaml-deep-nesting-block",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: " + "[" * 900 + "]" * 900 + "\n"),
        None,
        [f"{FILE}:2:10: document.title: expected text, found a list"],
        id="yaml-deep-nesting-under-the-limit",
    ),
    # Aliases, also as a merge key (<<), are refused where they stand.
    pytest.param(
        "base: &base {title: دليل}\n" + edit("document:\n", "document:\n  <<: *base\n"),
        None,
        [f"{FILE}:3:7: {ALIASES}"],
        id="yaml-merge-key-alias",
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
    # Characters no bundled font covers, in every place text goes: refused with their place.
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: تقرير\n  keywords: [الهجرة, 🌍]\n"),
        None,
        [f"{FILE}:5:22: document.keywords[2]: '🌍' (U+1F30D EARTH GLOBE EUROPE-AFRICA) {FONTS}"],
        id="text-emoji-in-keyword",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: رسم\n    charts:\n      - kind: dots\n        title: ت\n        alt: 移民\n"
            "        items:\n          - label: أ\n            value: 3\n",
        ),
        None,
        [
            f"{FILE}:12:14: sections[2].charts[1].alt: '民' (U+6C11 CJK UNIFIED IDEOGRAPH-6C11), "
            f"'移' (U+79FB CJK UNIFIED IDEOGRAPH-79FB) {FONTS}"
        ],
        id="text-cjk-in-chart-alt",
    ),
    pytest.param(
        PICTURE.format(src="images/cover.png").replace("صورة الغلاف", "صورة ❤️"),
        picture("cover.png", png_claiming(4, 4)),
        [
            f"{FILE}:9:12: sections[1].image.alt: '❤' (U+2764 HEAVY BLACK HEART), "
            f"'\ufe0f' (U+FE0F VARIATION SELECTOR-16) {FONTS}"
        ],
        id="text-emoji-in-picture-alt",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: 😀😁😂🤣😃😄😅\n"),
        None,
        [
            f"{FILE}:2:10: document.title: '😀' (U+1F600 GRINNING FACE), '😁' (U+1F601 GRINNING FACE WITH SMILING "
            "EYES), '😂' (U+1F602 FACE WITH TEARS OF JOY), '😃' (U+1F603 SMILING FACE WITH OPEN MOUTH), '😄' "
            f"(U+1F604 SMILING FACE WITH OPEN MOUTH AND SMILING EYES) {FONTS}"
        ],
        id="text-more-than-five-uncovered",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: دليل\ue000\n"),
        None,
        [f"{FILE}:2:10: document.title: '\\ue000' (U+E000 unnamed) {FONTS}"],
        id="text-private-use",
    ),
    # Empty strings where text is required.
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: قوائم\n    groups:\n      - title: الجهات\n        items: ['', ب]\n",
        ),
        None,
        [f"{FILE}:11:17: sections[2].groups[1].items[1]: is empty; write the text, or remove the item"],
        id="text-empty-list-item",
    ),
    pytest.param(
        PICTURE.format(src="images/cover.png").replace("صورة الغلاف", '"\u00a0"'),
        picture("cover.png", png_claiming(4, 4)),
        [f"{FILE}:9:12: sections[1].image.alt: is empty; write the text, or remove the key"],
        id="text-no-break-space-for-alt",
    ),
    pytest.param(
        edit("    title: بناء القدرات\n", "    title: أرقام\n    figures:\n      - value: 3\n        label: ''\n"),
        None,
        [f"{FILE}:11:16: sections[2].figures[1].label: is empty; write the text, or remove the key"],
        id="text-empty-figure-label",
    ),
    # Paths: everything that is not a relative path to a picture file inside data/.
    pytest.param(
        PICTURE.format(src="http://example.org/a.png"),
        None,
        [f"{SRC} 'http://example.org/a.png' {NOT_INSIDE}"],
        id="path-http-url",
    ),
    pytest.param(
        PICTURE.format(src="data:image/png;base64,iVBORw0KGgo="),
        None,
        [f"{SRC} 'data:image/png;base64,iVBORw0KGgo=' {NOT_INSIDE}"],
        id="path-data-url",
    ),
    pytest.param(
        PICTURE.format(src="file://localhost/etc/passwd"),
        None,
        [f"{SRC} 'file://localhost/etc/passwd' {NOT_INSIDE}"],
        id="path-file-url-localhost",
    ),
    pytest.param(
        PICTURE.format(src="//server/share/cover.png"),
        None,
        [f"{SRC} '//server/share/cover.png' {NOT_INSIDE}"],
        id="path-network-share",
    ),
    pytest.param(
        PICTURE.format(src="images/passwd.png"),
        lambda data: (data / "images").mkdir() or (data / "images" / "passwd.png").symlink_to("/etc/passwd"),
        [f"{SRC} 'images/passwd.png' leads outside data/ (through a link); copy the picture into data/"],
        id="path-symlink-to-absolute",
    ),
    pytest.param(
        PICTURE.format(src="images/pictures/cover.png"),
        lambda data: (
            picture("cover.png", png_claiming(4, 4))(data.parent / "outside")
            or (data / "images").mkdir()
            or (data / "images" / "pictures").symlink_to(data.parent / "outside" / "images")
        ),
        [f"{SRC} 'images/pictures/cover.png' leads outside data/ (through a link); copy the picture into data/"],
        id="path-symlinked-folder-outside",
    ),
    pytest.param(
        PICTURE.format(src="images/a.png"),
        lambda data: (
            (data / "images").mkdir()
            or (data / "images" / "a.png").symlink_to("b.png")
            or (data / "images" / "b.png").symlink_to("a.png")
        ),
        [f"{SRC} no such file 'images/a.png' in data/"],
        id="path-symlink-loop",
    ),
    pytest.param(
        PICTURE.format(src="images/pipe.png"),
        lambda data: (data / "images").mkdir() or os.mkfifo(data / "images" / "pipe.png"),
        [f"{SRC} 'images/pipe.png' is not a file; name a picture file"],
        id="path-fifo",
    ),
    pytest.param(
        PICTURE.format(src="images/folder.png"),
        lambda data: (data / "images" / "folder.png").mkdir(parents=True),
        [f"{SRC} 'images/folder.png' is not a file; name a picture file"],
        id="path-directory-named-like-a-picture",
    ),
    pytest.param(
        PICTURE.format(src='"images/cover\\0.png"'),
        None,
        [f"{SRC} no such file 'images/cover\\x00.png' in data/"],
        id="path-nul-character",
    ),
    pytest.param(
        PICTURE.format(src="images/" + "ب" * 200 + ".png"),
        lambda data: (data / "images").mkdir(),
        [f"{SRC} 'images/{'ب' * 200}.png' cannot be opened: File name too long; rename the file"],
        id="path-name-too-long",
    ),
    # Limits on the size of the input.
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: " + "ب" * validate.MAX_TEXT + "\n"), None, [], id="limit-text-at-max"
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", "  title: " + "ب" * (validate.MAX_TEXT + 1) + "\n"),
        None,
        [f"{FILE}:2:10: document.title: is 20,001 characters long; a text holds at most 20,000"],
        id="limit-text-over-max",
    ),
    pytest.param(
        edit(
            "  subject: تقرير مصور عن برامج البعثة\n",
            "  subject: تقرير\n  keywords: [" + ", ".join(["كلمة"] * (validate.MAX_ITEMS + 1)) + "]\n",
        ),
        None,
        [f"{FILE}:5:13: document.keywords: has 501 entries; a list holds at most 500"],
        id="limit-items-over-max",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: رسم\n    charts:\n      - kind: dots\n        title: ت\n        alt: و\n        per_dot: 1\n"
            f"        items:\n          - label: أ\n            value: {chartmarks.MAX_DOTS}\n"
            "          - label: ب\n            value: 1\n",
        ),
        None,
        [
            f"{FILE}:13:18: sections[2].charts[1].per_dot: with 1 units a dot the chart draws 451 dots; a page "
            "holds 450: write a larger per_dot, or leave it out to have it chosen"
        ],
        id="limit-dots-over-max",
    ),
    pytest.param(
        edit(
            "    title: بناء القدرات\n",
            "    title: رسم\n    charts:\n      - kind: dots\n        title: ت\n        alt: و\n        per_dot: 1\n"
            f"        items:\n          - label: أ\n            value: {chartmarks.MAX_DOTS + 1}\n",
        ).replace("  - kind: chapter\n", "  - kind: chapter\n  - kind: chapter\n"),
        None,
        [
            f"{FILE}:7:5: sections[2].title: missing; expected the chapter's heading",
            f"{FILE}:14:18: sections[3].charts[1].per_dot: with 1 units a dot the chart draws 451 dots; a page "
            "holds 450: write a larger per_dot, or leave it out to have it chosen",
        ],
        id="limit-dots-after-an-invalid-section",
    ),
    pytest.param(
        edit("  subject: تقرير مصور عن برامج البعثة\n", "  subject: " + "س" * 1_600_000 + "\n"),
        None,
        [f"{FILE}: is 3.1 MB; a booklet's data must stay under 2 MB (put images in files, not in the YAML)"],
        id="yaml-many-megabytes",
    ),
]


@pytest.mark.parametrize(("source", "setup", "expected"), CHECK_CASES)
def test_check(here: Path, cli, source: str | bytes, setup, expected: list[str]) -> None:
    data = here / "data"
    write(data, source)
    if setup:
        setup(data)
    code, out, err = cli("check", "--data", "data")
    if expected:
        assert (code, err) == (1, [*expected, counted(len(expected), build=False)])
    else:
        assert (code, err, out.splitlines()[-1]) == (0, [], f"{FILE}: no problems")


# --- the corpus: `booklet build`, for what only a build finds (pictures' content, text the layout draws) --

BUILD_CASES = [
    pytest.param(
        PICTURE.format(src="images/huge.png"),
        picture("huge.png", png_claiming(20_000, 20_000)),
        [f"{SRC} is too large to decode safely; save it at most 64 million pixels"],
        id="path-20000-by-20000-pixels",
    ),
    pytest.param(
        PICTURE.format(src="images/screen.gif"),
        picture("screen.gif", gif_claiming(65_535, 65_535)),
        [f"{SRC} is too large to decode safely; save it at most 64 million pixels"],
        id="path-decompression-bomb-gif",
    ),
    pytest.param(
        PICTURE.format(src="images/nine.png"),
        picture("nine.png", png_claiming(9_000, 9_000)),
        [f"{SRC} 9000 x 9000 pixels is too large; save it at most 64 million pixels"],
        id="path-81-million-pixels",
    ),
    pytest.param(
        PICTURE.format(src="images/empty.png"),
        picture("empty.png", b""),
        [f"{SRC} is not a picture Pillow can read; save it as JPEG or PNG"],
        id="path-empty-picture-file",
    ),
    pytest.param(
        PICTURE.format(src="images/notes.jpg"),
        picture("notes.jpg", "ملاحظات الاجتماع\n".encode() * 50),
        [f"{SRC} is not a picture Pillow can read; save it as JPEG or PNG"],
        id="path-text-file-named-jpg",
    ),
    pytest.param(
        PICTURE.format(src="images/header.png"),
        picture("header.png", png_claiming(20, 10)[:33]),
        [f"{SRC} is not a picture Pillow can read; save it as JPEG or PNG"],
        id="path-png-header-only",
    ),
    pytest.param(
        PICTURE.format(src="images/corrupt.png"),
        picture("corrupt.png", corrupt_png()),
        [f"{SRC} cannot be read as a picture (broken data stream when reading image file); export it again"],
        id="path-corrupt-png",
    ),
    pytest.param(
        PICTURE.format(src="images/broken.svg"),
        picture("broken.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect'),
        [f"{SRC} is not a well-formed SVG drawing (unclosed token: line 1, column 63); export it again"],
        id="path-broken-svg",
    ),
    pytest.param(
        PICTURE.format(src="images/cover.png").replace("صورة الغلاف", "صورة\n      focus: top centre"),
        picture("cover.png", real_png()),
        [
            f"{FILE}:10:14: sections[1].image.focus: 'top centre' is not a focus; write one or two of left, center, "
            "right, top, bottom or a percentage, such as 'center top' or '50% 20%'"
        ],
        id="text-focus-not-a-position",
    ),
    # Control characters written as YAML escapes pass validation, then WeasyPrint draws .notdef for them.
    pytest.param(
        edit("  title: دليل الهجرة\n", '  title: "دليل\\eالهجرة"\n'),
        None,
        [f"{FILE}:2:10: document.title: holds the invisible control character U+001B; delete it"],
        id="text-control-character",
    ),
    pytest.param(
        edit("  title: دليل الهجرة\n", '  title: "دليل\\Lالهجرة"\n'),
        None,
        [f"{FILE}:2:10: document.title: holds the invisible control character U+2028; delete it"],
        id="text-line-separator",
    ),
]


@pytest.mark.parametrize(("source", "setup", "expected"), BUILD_CASES)
def test_build(here: Path, cli, source: str, setup, expected: list[str]) -> None:
    data = here / "data"
    write(data, source)
    if setup:
        setup(data)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (1, [*expected, counted(len(expected), build=True)])
    assert not (here / "out" / "booklet-screen.pdf").exists()


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


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def markup_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The screen edition of a booklet whose every text field holds markup: (out folder, booklet.html, and the
    PDF's text: every page's and the metadata's, NFKC-normalized so that the charts' shaped letters read back)."""
    tmp = tmp_path_factory.mktemp("markup")
    (tmp / "data").mkdir()
    source = MARKUP_SOURCE
    for where, text in MARKUP.items():
        source = source.replace("{" + where + "}", _quoted(text))
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


# --- layouts/ and fonts/ ------------------------------------------------------------------------------


@pytest.fixture
def design(here: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root in the working directory: copies of layouts/ and fonts/, MINIMAL with a colophon as data.

    The command line builds with it (its Project gets this root).
    """
    for folder in ("layouts", "fonts"):
        shutil.copytree(ROOT / folder, here / folder)
    write(here / "data", edit("  - kind: cover\n", "  - kind: cover\n  - kind: colophon\n    body: صدر عن البعثة\n"))
    monkeypatch.setattr("booklet.cli.Project", lambda data: booklet.Project(data, root=here))
    return here


def _append(path: Path, text: str) -> int:
    """Append ``text`` (starting with a new line) to ``path``; the line number of its first line."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


LAYOUT_CASES = [
    pytest.param(
        "booklet.css",
        "<html><body>not css</body></html>\n",
        ["layouts/booklet.css:{line}:34: parse error: EOF reached before {{}} block for a qualified rule"],
        id="layout-css-fails-to-parse",
    ),
    pytest.param(
        "booklet.css",
        '.x { content: "unclosed\n}\n',
        ['layouts/booklet.css:{line}:6: ignored `content: "[bad string]\\n\\n`, invalid value'],
        id="layout-css-unclosed-string",
    ),
    pytest.param(
        "booklet.css",
        ".x { color: red; }}}\n.y { color: blue; }\n",
        ["layouts/booklet.css:{line}:19: invalid or unsupported selector, '}}}}\\n.y '"],
        id="layout-css-stray-braces",
    ),
    pytest.param(
        "booklet.css",
        "@fonts-face { font-family: x; }\n",
        ["layouts/booklet.css:{line}:1: unknown at-rule @fonts-face; did you mean @font-face?"],
        id="layout-css-unknown-at-rule",
    ),
    pytest.param(
        "sections/colophon.html",
        "{% include 'partials/footer.html' %}\n",
        ["layouts/sections/colophon.html:{line}:1: no template 'partials/footer.html' in layouts/"],
        id="layout-template-not-found",
    ),
    pytest.param(
        "sections/colophon.html",
        "{{ 1 / 0 }}\n",
        ["layouts/sections/colophon.html:{line}:1: template error: division by zero"],
        id="layout-template-error",
    ),
    pytest.param(
        "booklet.css",
        "\n@media print { .chart-figure > svg { width: 50% } }\n",
        [
            "layouts/booklet.css:{line}:32: the selector '.chart-figure > svg' names svg, which reaches no drawing: "
            "drawings are laid out as images (docs/designing.md); select a drawing by its class"
        ],
        id="layout-css-selector-for-svg",
    ),
    pytest.param(
        "sections/chapter.html",
        '<p><svg viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg></p>\n',
        [
            "booklet.html (screen edition): WeasyPrint failed on it (AttributeError: 'InlineReplacedBox' object "
            "has no attribute 'position_x'); look in layouts/ at what changed last, such as a drawing or picture "
            "without a width and height"
        ],
        id="layout-drawing-sized-by-its-viewbox-alone",
    ),
    pytest.param(
        "screen.css",
        "\n.cover { background: url(big.png) }\n",
        ["layouts/screen.css:{line}:22: cannot read big.png: is larger than 64 MB"],
        id="limit-layout-file-over-64-mb",
    ),
]


@pytest.mark.parametrize(("file", "addition", "expected"), LAYOUT_CASES)
def test_layout(design: Path, cli, file: str, addition: str, expected: list[str]) -> None:
    if "big.png" in addition:
        with open(design / "layouts" / "big.png", "wb") as big:  # sparse: no disk space, no time
            big.truncate(65 * 1024 * 1024)
    line = _append(design / "layouts" / file, addition)
    line += addition.startswith("\n")
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    lines = [e.format(line=line) for e in expected]
    assert (code, err) == (1, [*lines, counted(len(lines), build=True)])


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_font_file_that_is_not_a_font(design: Path, cli) -> None:
    (design / "fonts" / "NotoSans-Bold.ttf").write_text("not a font\n")
    try:
        code, _out, err = cli("check", "--data", "data")
    finally:
        gc.collect()  # fontTools leaves the file open when it fails: close it here, not in a later test
    assert (code, err) == (1, ["fonts/NotoSans-Bold.ttf: is not a font file; put the font back", counted(1, False)])


@pytest.mark.parametrize(
    "css",
    [
        pytest.param(
            ".chapter__title { font-size: 1e30px }",
            id="limit-css-huge-font-size",
        ),
        pytest.param(
            ".chapter__title { letter-spacing: -1e9px }",
            id="limit-css-huge-letter-spacing",
        ),
    ],
)
def test_huge_css_value_is_a_message(design: Path, cli, css: str) -> None:
    """A value WeasyPrint cannot lay out is a problem of the layouts, with exit code 1, not a traceback."""
    _append(design / "layouts" / "booklet.css", "\n" + css + "\n")
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err[-1]) == (1, counted(len(err) - 1, build=True))
    assert all(line.startswith(("layouts/", "booklet.html")) for line in err[:-1]), err


def test_huge_css_values_that_weasyprint_survives(design: Path, cli) -> None:
    """A box of 90 m and margins of 10^30 px: the layout overflows the page, it does not run away."""
    _append(
        design / "layouts" / "booklet.css",
        "\n.chapter__title { height: 90000mm; width: 99999999999mm; margin-block-start: 1e30px }\n",
    )
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (0, [])


# --- limits on the layout: pages and time ---------------------------------------------------------


def test_page_limit(design: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A layout that runs away (here every chapter title pushes 400 mm of margin) is stopped by MAX_PAGES.

    The limit is lowered so that the test lays out a few pages, not 400.
    """
    assert typeset.MAX_PAGES == 400
    monkeypatch.setattr(typeset, "MAX_PAGES", 4)
    chapters = "".join(f"  - kind: chapter\n    title: الفصل {n}\n" for n in range(3))
    write(design / "data", edit("  - kind: chapter\n    title: بناء القدرات\n", chapters))
    _append(design / "layouts" / "booklet.css", "\n.chapter__title { margin-block-end: 400mm }\n")
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, len(err), err[-1]) == (1, 2, counted(1, build=True))
    pages = re.fullmatch(
        r"booklet\.html \(screen edition\): has (\d+) pages; a booklet may have at most 4 "
        r"\(look for a text or a picture that runs away\)",
        err[0],
    )
    assert pages and int(pages[1]) > 4, err[0]
    assert not (design / "out").exists()


@pytest.fixture
def old_build(here: Path) -> Path:
    """out/ holding the files of an earlier build (made up: any change to them shows)."""
    out = here / "out"
    out.mkdir()
    for name in (
        "booklet-print.pdf",
        "booklet-screen.pdf",
        "booklet.html",
        "booklet-cover.png",
        "booklet-manifest.json",
    ):
        (out / name).write_bytes(f"old {name}\n".encode())
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_time_limit(design: Path, cli, old_build: Path) -> None:
    """--timeout stops a layout that runs away (1,000 paragraphs, a page each) with a message; the previous files
    stay as they were. The inline drawings are taken out of the layouts: WeasyPrint's loading of one would
    swallow the alarm (see below)."""
    _append(design / "layouts" / "booklet.css", "\n.prose p { break-before: page }\n")
    for drawing in ("pattern.svg", "star.svg"):
        (design / "layouts" / "partials" / drawing).write_text("", encoding="utf-8")
    body = "".join(f"      فقرة رقم {n}\n\n" for n in range(1000))
    source = edit("    title: بناء القدرات\n", "    title: فصل طويل\n    body: |\n" + body)
    write(design / "data", edit("  - kind: cover\n", "", source))  # the cover draws a star inline
    before = snapshot(old_build)
    gc.collect()  # no finalizer of an earlier test's objects may swallow the alarm (see below)
    started = time.perf_counter()
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--timeout", "0.5")
    assert time.perf_counter() - started < 5
    assert (code, err) == (
        1,
        [
            "build: took longer than 0.5 s and was stopped; look for a text or a style that makes the layout "
            "run away, or allow more time with --timeout",
            counted(1, build=True),
        ],
    )
    assert snapshot(old_build) == before
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)


def test_a_bug_of_the_booklets_own_keeps_its_traceback(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only WeasyPrint's failures become messages about layouts/; the booklet's own bugs must show where they are."""
    from booklet.typeset.typesetter import Typesetter

    def broken(*_args, **_kwargs):
        raise AttributeError("a bug in the finisher")

    monkeypatch.setattr(Typesetter, "_finish", broken)
    write(here / "data", MINIMAL)
    with pytest.raises(AttributeError, match="a bug in the finisher"):
        booklet.build(booklet.Project(here / "data"), here / "out", ["screen"])


def test_time_limit_expiring_while_weasyprint_loads_a_drawing(here: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.html
    import weasyprint.images

    real = weasyprint.images.SVGImage
    slept = []

    def slow(*args, **kwargs):
        if not slept:
            slept.append(True)
            time.sleep(0.5)  # the alarm fires here
        return real(*args, **kwargs)

    # Drawings reach WeasyPrint as images (booklet/drawings.py); one that
    # cannot stand alone stays an inline SVG: slow down both ways in.
    monkeypatch.setattr(weasyprint.images, "SVGImage", slow)
    monkeypatch.setattr(weasyprint.html, "SVGImage", slow)
    write(here / "data", MINIMAL)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen", "--timeout", "0.2")
    assert (code, err) == (
        1,
        [
            "build: took longer than 0.2 s and was stopped; look for a text or a style that makes the layout "
            "run away, or allow more time with --timeout",
            counted(1, build=True),
        ],
    )


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_time_limit_expiring_in_a_finalizer(here: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A finalizer that runs when the time is up: the alarm must still stop the build."""
    from booklet import pipeline

    class Slow:
        def __del__(self) -> None:
            time.sleep(0.5)  # the alarm fires here

    real_check = pipeline.check

    def check(*args, **kwargs):
        Slow()  # dropped at once: its __del__ runs now
        return real_check(*args, **kwargs)

    monkeypatch.setattr(pipeline, "check", check)
    write(here / "data", MINIMAL)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen", "--timeout", "0.2")
    assert (code, err) == (
        1,
        [
            "build: took longer than 0.2 s and was stopped; look for a text or a style that makes the layout "
            "run away, or allow more time with --timeout",
            counted(1, build=True),
        ],
    )
    assert not (here / "out").exists()


# --- output: the previous files stay whole, no temporary is left behind ----------------------------


def test_out_folder_under_a_file(here: Path, cli) -> None:
    write(here / "data", MINIMAL)
    (here / "notes.txt").write_text("a file, not a folder\n")
    code, _out, err = cli("build", "--data", "data", "--out", "notes.txt/out", "--edition", "screen")
    assert (code, err) == (
        1,
        ["notes.txt/out: cannot be written: Not a directory; choose another folder with --out", counted(1, True)],
    )


def test_out_folder_under_a_file_with_a_picture(here: Path, cli) -> None:
    write(here / "data", PICTURE.format(src="images/cover.png"))
    (here / "data" / "images").mkdir()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(here / "data" / "images" / "cover.png")
    (here / "notes.txt").write_text("a file, not a folder\n")
    code, _out, err = cli("build", "--data", "data", "--out", "notes.txt/out", "--edition", "screen")
    assert (code, err) == (
        1,
        [
            "notes.txt/out/cache/images: cannot be written: Not a directory; choose another folder with --out",
            counted(1, True),
        ],
    )


def test_out_folder_is_a_file(here: Path, cli) -> None:
    write(here / "data", MINIMAL)
    (here / "notes.txt").write_text("a file, not a folder\n")
    code, _out, err = cli("build", "--data", "data", "--out", "notes.txt", "--edition", "screen")
    assert (code, err) == (
        1,
        ["notes.txt: is a file, not a folder; choose another folder with --out", counted(1, True)],
    )


def test_folder_in_the_place_of_a_pdf(here: Path, cli, old_build: Path) -> None:
    write(here / "data", MINIMAL)
    (old_build / "booklet-screen.pdf").unlink()
    (old_build / "booklet-screen.pdf").mkdir()
    before = snapshot(old_build)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (
        1,
        ["out/booklet-screen.pdf: is a folder; move it away or choose another folder with --out", counted(1, True)],
    )
    assert snapshot(old_build) == before


def test_temporary_folder_not_writable(here: Path, cli, old_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, permission bits do not stop a write: mkstemp fails as it would in a folder without write access."""
    write(here / "data", MINIMAL)

    def refused(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refused)
    before = snapshot(old_build)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (
        1,
        ["out: cannot be written: Permission denied; choose another folder with --out", counted(1, True)],
    )
    assert snapshot(old_build) == before
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)


def _failing(real: Callable, fails: str, error: OSError, name_of: Callable[..., str]) -> Callable:
    """``real``, but raising ``error`` when the file it works on is a temporary of ``fails``."""

    def call(*args, **kwargs):
        if f".{fails}." in name_of(*args):
            raise error
        return real(*args, **kwargs)

    return call


ENOSPC = OSError(errno.ENOSPC, "No space left on device")
EACCES = PermissionError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize(
    ("fails", "how"),
    [
        pytest.param("booklet-cover.png", "fsync", id="output-disk-full-on-fsync-cover"),
        pytest.param(
            "booklet-screen.pdf",
            "fsync",
            id="output-disk-full-on-fsync-pdf",
        ),
        pytest.param(
            "booklet.html",
            "fsync",
            id="output-disk-full-on-fsync-html",
        ),
        pytest.param("booklet-cover.png", "replace", id="output-not-writable-on-replace-cover"),
        pytest.param(
            "booklet.html",
            "replace",
            id="output-not-writable-on-replace-html",
        ),
    ],
)
def test_output_fails_while_moving_into_place(
    here: Path, cli, old_build: Path, monkeypatch: pytest.MonkeyPatch, fails: str, how: str
) -> None:
    write(here / "data", MINIMAL)
    if how == "fsync":
        real = os.fsync
        monkeypatch.setattr(
            output.os, "fsync", _failing(real, fails, ENOSPC, lambda fd: os.readlink(f"/proc/self/fd/{fd}"))
        )
        reason = "No space left on device"
    else:
        real = os.replace
        monkeypatch.setattr(output.os, "replace", _failing(real, fails, EACCES, lambda source, _target: str(source)))
        reason = "Permission denied"
    before = snapshot(old_build)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (
        1,
        [f"out/{fails}: cannot be written: {reason}; the previous file is untouched", counted(1, True)],
    )
    assert snapshot(old_build) == before
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)


def test_disk_full_while_writing_the_pdf(here: Path, cli, old_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC from the write itself, half-way through the PDF."""
    import pydyf

    write(here / "data", MINIMAL)

    def full(self, output_file, *_args, **_kwargs):
        output_file.write(b"%PDF-1.7\n% half a PDF")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pydyf.PDF, "write", full)
    before = snapshot(old_build)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (
        1,
        [
            "out/booklet-screen.pdf: cannot be written: No space left on device; the previous file is untouched",
            counted(1, True),
        ],
    )
    assert snapshot(old_build) == before
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)


#: Run as `python -m booklet ARGS` after making one step stall, so that the test can SIGKILL it there:
#: "pdf": half-way through writing the screen PDF; "linearize": while qpdf's rewrite of it is complete but not
#: yet moved into place. Prints STALLED on stderr when it stalls.
STALLING = """\
import runpy, sys, time

def stall():
    print("STALLED", file=sys.stderr, flush=True)
    time.sleep(120)

step = sys.argv.pop(1)
if step == "pdf":
    import pydyf
    real = pydyf.PDF.write

    class Slow:
        def __init__(self, file):
            self.file, self.written = file, 0

        def write(self, data):
            self.file.write(data)
            self.written += len(data)
            if self.written > 4096:
                self.file.flush()
                stall()

        def __getattr__(self, name):
            return getattr(self.file, name)

    pydyf.PDF.write = lambda self, output, *a, **k: real(self, Slow(output), *a, **k)
elif step == "linearize":
    import io
    import pikepdf
    real_save = pikepdf.Pdf.save

    def half_saved(self, file, *a, **k):
        whole = io.BytesIO()
        real_save(self, whole, *a, **k)
        file.write(whole.getvalue()[:4096])
        file.flush()
        stall()

    pikepdf.Pdf.save = half_saved
sys.argv[0] = "booklet"
runpy.run_module("booklet", run_name="__main__", alter_sys=True)
"""


def _kill_when_stalled(here: Path, step: str) -> None:
    """Run `python -m booklet build` with ``step`` stalling, and SIGKILL it there."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", STALLING, step, "build", "--data", "data", "--out", "out", "--edition", "screen"]
    process = subprocess.Popen(command, cwd=here, env=environment, stderr=subprocess.PIPE, text=True)
    timer = threading.Timer(60, process.kill)  # never hang the test run
    timer.start()
    try:
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.strip() == "STALLED":
                process.send_signal(signal.SIGKILL)
                break
        process.wait()
    finally:
        timer.cancel()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL, "".join(lines)


def test_killed_while_writing(here: Path, old_build: Path) -> None:
    """SIGKILL half-way through writing the PDF: the previous files stay byte for byte; the next build removes
    the temporaries the killed one left."""
    write(here / "data", MINIMAL)
    before = snapshot(old_build)
    _kill_when_stalled(here, "pdf")
    assert {name: content for name, content in snapshot(old_build).items() if name in before} == before
    left = sorted(p.name for p in old_build.iterdir() if p.name not in before)
    assert left and all(name.startswith(".booklet") and name.endswith(".tmp") for name in left), left
    booklet.build(booklet.Project(here / "data"), old_build, ["screen"])
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)
    assert snapshot(old_build)["booklet-screen.pdf"].startswith(b"%PDF-")
    assert snapshot(old_build)["booklet-print.pdf"] == before["booklet-print.pdf"]


def test_killed_while_linearizing(here: Path, old_build: Path) -> None:
    write(here / "data", MINIMAL)
    before = snapshot(old_build)
    _kill_when_stalled(here, "linearize")
    assert {name: content for name, content in snapshot(old_build).items() if name in before} == before
    booklet.build(booklet.Project(here / "data"), old_build, ["screen"])
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)


# --- proof: nothing outside the project reaches an output file ------------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> tuple[Path, str]:
    """tmp_path/secret/, outside the project, holding a unique token as text, as an SVG and as a stylesheet."""
    token = f"TOKEN-{uuid.uuid4().hex}"
    folder = tmp_path / "secret"
    folder.mkdir()
    (folder / "secret.txt").write_text(token + "\n")
    (folder / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text y="30">{token}</text></svg>'
    )
    (folder / "secret.css").write_text(f'body::before {{ content: "{token}" }}\n')
    return folder, token


def _every_byte(out: Path) -> Iterator[tuple[str, bytes]]:
    """Every output file's bytes; for PDFs also every object and stream decompressed, and the text drawn."""
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        yield path.name, raw
        if raw.startswith(b"%PDF"):
            with pikepdf.open(path) as pdf:
                expanded = io.BytesIO()
                pdf.save(
                    expanded,
                    qdf=True,
                    compress_streams=False,
                    stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
                    object_stream_mode=pikepdf.ObjectStreamMode.disable,
                )
                yield f"{path.name} (expanded)", expanded.getvalue()
            yield f"{path.name} (text)", "".join(page_texts(path)).encode()


def _leaks(out: Path, token: str) -> list[str]:
    if not out.exists():
        return []
    return [name for name, content in _every_byte(out) if token.encode() in content]


def test_nothing_outside_the_project_reaches_the_output(here: Path, secret: tuple[Path, str]) -> None:
    """Point the data and the layouts at a secret outside the project in every way: each build succeeds or fails
    cleanly, and the secret's token is in no byte of any output file (PDFs expanded, their text, HTML, PNG,
    cache)."""
    folder, token = secret
    data, out = here / "data", here / "out"
    url = (folder / "secret.txt").as_uri()
    svg_url = (folder / "secret.svg").as_uri()
    secret_css = (folder / "secret.css").as_uri()
    (data / "images").mkdir()
    Image.new("RGB", (60, 40), (0, 51, 160)).save(data / "images" / "photo.png")
    (data / "images" / "link.svg").symlink_to(folder / "secret.svg")
    (data / "images" / "up").symlink_to(folder)
    ns = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="50"'
    (data / "images" / "use.svg").write_text(f'<svg {ns}><use href="{svg_url}#x"/><rect width="9" height="9"/></svg>')
    (data / "images" / "image.svg").write_text(f'<svg {ns}><image href="{svg_url}" width="99" height="20"/></svg>')
    (data / "images" / "relative.svg").write_text(
        f'<svg {ns}><image xlink:href="../../secret/secret.svg" width="99" height="20"/></svg>'
    )
    (data / "images" / "xxe.svg").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "{url}">]>\n<svg {ns}><text y="20">&x;</text></svg>'
    )
    hostile_text = (
        f'[رابط]({url}) ![صورة]({svg_url}) <img src="{svg_url}"> <link rel="attachment" href="{url}"> '
        f'<object data="{url}"></object> [نسبي](../secret/secret.txt)'
    )

    def chapter_picture(src: str, focus: str = "center") -> str:
        return f"    image:\n      src: {src}\n      alt: صورة\n      focus: {_quoted(focus)}\n"

    def source(picture_block: str = "", body: str = "شكرا لكم") -> str:
        return edit("    title: بناء القدرات\n", "    title: بناء القدرات\n" + picture_block).replace(
            "    body: شكرا لكم\n", f"    body: {_quoted(body)}\n"
        )

    outcomes: dict[str, str] = {}

    def attempt(name: str, text: str, project_root: Path = ROOT) -> None:
        write(data, text)
        try:
            booklet.build(booklet.Project(data, root=project_root), out, ["print", "screen"])
            outcomes[name] = "built"
        except booklet.BookletError as error:
            outcomes[name] = "; ".join(p.message for p in error.problems)
        assert _leaks(out, token) == [], name

    # Data that passes validation and carries the secret's address in its text, and pictures that point at it.
    attempt("markup", source(chapter_picture("images/photo.png"), body=hostile_text))
    attempt("svg-use", source(chapter_picture("images/use.svg")))
    attempt("svg-image", source(chapter_picture("images/image.svg")))
    attempt("svg-relative", source(chapter_picture("images/relative.svg")))
    attempt("svg-entity", source(chapter_picture("images/xxe.svg")))
    attempt("focus-css", source(chapter_picture("images/photo.png", f"center; background-image: url({svg_url})")))
    # Paths out of data/: refused before anything is read.
    for name, src in {
        "dot-dot": "../secret/secret.svg",
        "absolute": str(folder / "secret.svg"),
        "file-url": svg_url,
        "symlink": "images/link.svg",
        "symlinked-folder": "images/up/secret.svg",
    }.items():
        attempt(name, source(chapter_picture(src)))

    # Layouts (copies) that point at it: url() in CSS, @import, @font-face, a link into layouts/, and in a
    # template <link rel=attachment>, <a rel=attachment> and <img>.
    def design(name: str, file: str, addition: str, before: bool = False) -> Path:
        root = here / name
        for folder_name in ("layouts", "fonts"):
            shutil.copytree(ROOT / folder_name, root / folder_name)
        (root / "layouts" / "secret-link.txt").symlink_to(folder / "secret.txt")
        path = root / "layouts" / file
        text = path.read_text(encoding="utf-8")
        path.write_text(addition + text if before else text + addition, encoding="utf-8")
        return root

    css = (
        f"\n.cover {{ background: url({svg_url}) }}\n.chapter {{ background: url(../../secret/secret.svg) }}\n"
        f"@font-face {{ font-family: x; src: url({url}) }}\n.back-cover {{ background: url(secret-link.txt) }}\n"
    )
    attempt("css-url", source(), design("css-url", "booklet.css", css))
    attempt("css-import", source(), design("css-import", "print.css", f"@import url({secret_css});\n", True))
    attachments = f'<link rel="attachment" href="{url}"><a rel="attachment" href="{url}">ملحق</a>\n'
    attempt("attachments", source(), design("attachments", "sections/back-cover.html", attachments))
    picture_tag = f'<img src="{svg_url}"><object data="{url}"></object><embed src="{url}">\n'
    attempt("img", source(), design("img", "sections/back-cover.html", picture_tag))

    # Every attempt that read nothing of the secret's was refused for it, or built without it.
    assert outcomes["markup"].count("is not a web or mail address") == 3, outcomes["markup"]
    assert outcomes["svg-use"] == "built"
    assert outcomes["css-url"].count("cannot read") == 4, outcomes["css-url"]
    assert outcomes["css-import"].count("cannot read") == 1, outcomes["css-import"]
    assert outcomes["attachments"].count("cannot read") >= 1, outcomes["attachments"]
    assert outcomes["img"].count("cannot read") >= 1, outcomes["img"]
    for name in ("dot-dot", "absolute", "file-url"):
        assert NOT_INSIDE in outcomes[name], outcomes[name]
    assert "leads outside data/ (through a link)" in outcomes["symlink"], outcomes["symlink"]
