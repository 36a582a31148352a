"""Fonts: every font embedded, every one from fonts/, and no glyph drawn as an empty box."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from booklet.design import contract
from booklet.preflight import streams
from booklet.preflight.reading import Book
from booklet.preflight.report import Row
from booklet.typeset.fonts import font_files


@lru_cache(maxsize=8)
def _bundled(fonts_dir: Path, stamp: tuple[tuple[str, float], ...]) -> dict[str, str]:
    """PostScript name to file name, for every font file in fonts/ (``stamp`` renews it when they change)."""
    names = {}
    for path in font_files(fonts_dir):
        with TTFont(path, lazy=True) as font:
            names[font["name"].getDebugName(6)] = path.name
    return names


def check(book: Book, fonts_dir: Path) -> list[Row]:
    """Every font the pages can use, read from the PDF's font dictionaries and their embedded programs.

    A font is one of fonts/ when its PDF name is one of the layouts' families
    (all start with contract.FONT_FAMILY_PREFIX, see booklet.css) and its embedded program
    carries the PostScript name of a file in fonts/: Pango names system fonts
    after their own family, and the subset keeps the file's name table.
    """
    stamp = tuple((p.name, p.stat().st_mtime) for p in font_files(fonts_dir)) if fonts_dir.is_dir() else ()
    bundled = _bundled(fonts_dir, stamp) if stamp else {}
    rows, seen, names = [], set(), []

    def error(detail: str) -> None:
        rows.append(Row(book.name, "fonts", "error", detail))

    for number, marks in enumerate(book.marks, start=1):
        for key, font in marks.fonts.items():
            if key in seen:
                continue
            seen.add(key)
            name = streams.base_name(font)
            names.append(name)
            embedded = streams.program(font)
            if font.get("/Subtype") == "/Type3":
                error(f"page {number}: the font {name} is drawn as pictures (Type 3), not from a file of fonts/")
                continue
            if embedded is None:
                error(f"page {number}: the font {name} is not embedded; a printer or reader without it shows another")
                continue
            parsed = streams.opentype(embedded)
            postscript = parsed["name"].getDebugName(6) if parsed is not None and "name" in parsed else None
            if not name.startswith(contract.FONT_FAMILY_PREFIX) or postscript not in bundled:
                source = f" ({postscript})" if postscript else ""
                error(
                    f"page {number}: the font {name}{source} is not one of fonts/: it came from the computer that "
                    "built the booklet; a character in the text is missing from the booklet's fonts"
                )
    notdef: Counter[tuple[int, str]] = Counter()
    for number, marks in enumerate(book.marks, start=1):
        for name, count in marks.notdef.items():
            notdef[number, name] += count
    for (number, name), count in sorted(notdef.items()):
        them = "it" if count == 1 else "them"
        error(
            f"page {number}: {count} character{'s' if count > 1 else ''} in {name} drawn as an empty box: the font "
            f"has no glyph for {them}; change the text or add a font that has {them}"
        )
    if not rows:
        detail = f"{len(names)} fonts, all embedded and from fonts/; every character has its glyph"
        rows.append(Row(book.name, "fonts", "ok", detail))
    return rows
