"""The fonts bundled in fonts/: which characters they cover, and which files they are."""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from booklet import readfile
from booklet.data.placed import PlacedText
from booklet.errors import BookletError, Place, Problem, display_path
from booklet.typeset.fontcheck import MAX_FONT_BYTES

FONT_SUFFIXES = {".ttf", ".otf", ".woff", ".woff2"}


def font_files(fonts_dir: Path) -> list[Path]:
    return sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


@lru_cache(maxsize=8)
def _coverage(files: tuple[tuple[Path, float], ...]) -> frozenset[int]:
    covered: set[int] = set()
    problems = []
    for path, _mtime in files:
        try:
            with TTFont(path, lazy=True) as font:
                covered.update(font.getBestCmap() or {})
        except Exception:  # fontTools raises many kinds on a file that is not a font  # noqa: BLE001
            problems.append(Problem(Place(display_path(path)), "is not a font file; put the font back"))
    if problems:
        raise BookletError(problems)
    return frozenset(covered)


def coverage(fonts_dir: Path) -> frozenset[int]:
    """Every code point that some font in ``fonts_dir`` has a glyph for."""
    return _coverage(tuple((p, p.stat().st_mtime) for p in font_files(fonts_dir)))


def digests(fonts_dir: Path) -> dict[str, str]:
    """sha256 of each bundled font file, to recognise them inside the PDF.

    Read with the checks of every file of fonts/ (a link out of it, a pipe,
    a file past the bound is left out here; the build's check names it).
    """
    found = {}
    for path in font_files(fonts_dir) if fonts_dir.is_dir() else []:
        with contextlib.suppress(readfile.Refused):
            found[hashlib.sha256(readfile.read_bytes(path, fonts_dir, MAX_FONT_BYTES)).hexdigest()] = path.name
    return found


def _needs_glyph(char: str) -> bool:
    # Line breaks, spaces and format characters (ZWJ, ZWNJ, bidi marks) are
    # handled by the shaper, not drawn from a font's cmap.
    return unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp") and char not in " \u00a0"


def uncovered(texts: list[PlacedText], fonts_dir: Path) -> list[Problem]:
    """One problem per text that holds a character no bundled font can draw."""
    covered = coverage(fonts_dir)
    problems = []
    for text in texts:
        missing = sorted({c for c in text.value if _needs_glyph(c) and ord(c) not in covered})
        if missing:
            names = ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in missing[:5])
            problems.append(
                Problem(
                    text.place,
                    f"{text.where}: {names} cannot be drawn by any font in fonts/; remove it or add a font that has it",
                )
            )
    return problems
