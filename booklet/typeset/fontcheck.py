"""Check the fonts of fonts/ when a build starts: readable, inside the project, every needed glyph drawn.

A font whose glyph index (``loca``) or outlines (``glyf``) are damaged still
loads: HarfBuzz and Pango draw nothing for the glyphs they cannot read, and the
booklet would print with blank letters. Each character the booklet's text needs
is looked up in every font that claims it (its ``cmap``), and its outline is
decoded here; a damaged one names the font file and the character.
"""

from __future__ import annotations

import io
import logging
import unicodedata
import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from booklet import readfile
from booklet.errors import Place, Problem, display_path

#: A font larger than this is not a font a booklet needs (the bundled ones are under 1 MB).
MAX_FONT_BYTES = 32 * 1024 * 1024

#: Digits the booklet writes itself (page numbers, figures) whatever the data holds.
ALWAYS = "0123456789٠١٢٣٤٥٦٧٨٩"


def _drawn(char: str) -> bool:
    """Whether ``char`` must have a visible outline (spaces, controls and format characters need none)."""
    return unicodedata.category(char)[0] in "LNPS"


def _shown(path: Path) -> str:
    return f"{display_path(path.parent)}/{path.name}"


def missing(fonts_dir: Path) -> list[Problem]:
    """A problem if ``fonts_dir`` is not a folder (the booklet's fonts all live there)."""
    if Path(fonts_dir).is_dir():
        return []
    return [Problem(Place(f"{display_path(fonts_dir)}/"), "is missing; put back the fonts/ folder, with its fonts")]


def outside(fonts_dir: Path, files: Iterable[Path]) -> list[Problem]:
    """A problem for each font file that leads outside fonts/, is not a regular file, or is too large."""
    problems = []
    for path in files:
        try:
            readfile.checked(path, fonts_dir, MAX_FONT_BYTES)
        except readfile.Refused as refused:
            problems.append(Problem(Place(_shown(path)), str(refused)))
    return problems


def damaged(files: Iterable[Path], texts: Iterable[str]) -> list[Problem]:
    """A problem for each font (checked by outside()) damaged for a character the text needs."""
    needed = frozenset(c for text in (*texts, ALWAYS) for c in text if _drawn(c))
    problems = []
    for path in files:
        resolved = path.resolve()
        stat = resolved.stat()
        if why := _damaged(resolved, stat.st_mtime_ns, stat.st_size, needed):
            problems.append(Problem(Place(_shown(path)), why))
    return problems


@lru_cache(maxsize=32)
def _best_cmap(path: Path, _mtime: int, _size: int) -> dict[int, str]:
    with TTFont(path, lazy=True) as font:
        return font.getBestCmap() or {}


def best_cmap(path: Path) -> dict[int, str]:
    """The cmap fontTools prefers in the font at ``path`` (code point to glyph name), read once per version of the file.

    fonts.coverage() and damaged() both need it: decoding it is a third of the check.
    """
    resolved = path.resolve()
    stat = resolved.stat()
    return _best_cmap(resolved, stat.st_mtime_ns, stat.st_size)


#: Per version of a font file (resolved path, mtime, size): the characters whose outlines were read and are drawn.
#: A build, or the preview's next one after an edit, reads only the outlines no earlier check has read.
_DRAWN: dict[tuple[Path, int, int], set[str]] = {}
_DRAWN_FILES = 64


def _damaged(path: Path, mtime: int, size: int, needed: frozenset[str]) -> str | None:
    """Why the font at ``path`` cannot draw what ``needed`` asks of it, or None."""
    quiet = logging.getLogger("fontTools")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # fontTools logs what it repairs: the message below says it once
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cmap = _best_cmap(path, mtime, size)
            drawn = _DRAWN.get((path, mtime, size), set())
            claimed = sorted(c for c in needed if ord(c) in cmap and c not in drawn)
            if not claimed:
                return None
            data = path.read_bytes()  # checked and bounded by the caller
            with TTFont(io.BytesIO(data), lazy=True) as font:
                why = _outlines(font, cmap, claimed)
    except Exception:  # noqa: BLE001 - fontTools raises many kinds on a damaged font
        return "is damaged (its tables cannot be read); put the font back from its source"
    finally:
        quiet.setLevel(level)
    if why is None:
        if len(_DRAWN) >= _DRAWN_FILES and (path, mtime, size) not in _DRAWN:
            _DRAWN.clear()
        _DRAWN.setdefault((path, mtime, size), set()).update(claimed)
    return why


def _outlines(font: TTFont, cmap: dict[int, str], claimed: list[str]) -> str | None:
    """Why the outlines of ``claimed`` (sorted, each in ``cmap``) cannot be drawn from ``font``, or None."""
    if "glyf" in font:
        try:
            glyf, offsets = font["glyf"], list(font["loca"])
        except Exception:  # noqa: BLE001 - fontTools raises many kinds on a damaged table
            return (
                "is damaged: its glyph index (loca) or its outlines (glyf) cannot be read; "
                "put the font back from its source"
            )
        order = font.getGlyphOrder()
        if len(offsets) != len(order) + 1 or any(b < a for a, b in zip(offsets, offsets[1:], strict=False)):
            return _broken(claimed[0], "its glyph index (loca) is damaged")
        for char in claimed:
            name = cmap[ord(char)]
            try:
                glyph = glyf[name]
                glyph.expand(glyf)
                empty = glyph.numberOfContours == 0
            except Exception:  # noqa: BLE001 - a damaged outline
                return _broken(char, "its outline cannot be read (the glyph index, loca, or glyf is damaged)")
            if empty:
                return _broken(char, "its outline is empty (the glyph index, loca, is likely damaged)")
    elif "CFF " in font:
        glyphs = font.getGlyphSet()
        for char in claimed:
            try:
                glyphs[cmap[ord(char)]].draw(_NullPen())
            except Exception:  # noqa: BLE001
                return _broken(char, "its outline cannot be read (the CFF table is damaged)")
    return None


def _broken(char: str, why: str) -> str:
    name = unicodedata.name(char, "unnamed")
    return (
        f"is damaged: {char!r} (U+{ord(char):04X} {name}) would print blank, {why}; put the font back from its source"
    )


class _NullPen:
    """A pen that draws nothing: decoding the outline is the test."""

    def moveTo(self, point: object) -> None:  # noqa: N802 - the pen protocol's names
        pass

    def lineTo(self, point: object) -> None:  # noqa: N802
        pass

    def curveTo(self, *points: object) -> None:  # noqa: N802
        pass

    def qCurveTo(self, *points: object) -> None:  # noqa: N802
        pass

    def closePath(self) -> None:  # noqa: N802
        pass

    def endPath(self) -> None:  # noqa: N802
        pass

    def addComponent(self, name: str, transform: object) -> None:  # noqa: N802
        pass
