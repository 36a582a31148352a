"""Fonts checked when the build starts: a damaged font names its file, before any letter prints blank.

A font whose glyph index (loca) is damaged still loads in HarfBuzz and Pango,
which draw nothing for the glyphs they cannot read: the preflight then finds
the font embedded and says nothing. Each case damages a copy of a bundled font.
"""

from __future__ import annotations

import gc
import random
import struct
from pathlib import Path

import pytest
from hostile_kit import counted, make_project

from booklet.typeset import fontcheck

FONT = "fonts/NotoNaskhArabic-Regular.ttf"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def _table(font: bytes, tag: bytes) -> tuple[int, int]:
    """The offset and length of table ``tag`` in the font's directory."""
    count = struct.unpack(">H", font[4:6])[0]
    for i in range(count):
        name, _checksum, offset, length = struct.unpack(">4sIII", font[12 + 16 * i : 28 + 16 * i])
        if name == tag:
            return offset, length
    raise KeyError(tag)


def _damage(path: Path, tag: bytes, damage) -> None:  # noqa: ANN001
    font = bytearray(path.read_bytes())
    offset, length = _table(bytes(font), tag)
    damage(font, offset, length)
    path.write_bytes(bytes(font))


def _zeroed(font: bytearray, offset: int, length: int) -> None:
    font[offset : offset + length] = bytes(length)


def _backwards(font: bytearray, offset: int, length: int) -> None:
    """Offsets that run backwards from the middle of the index: glyphs of negative length."""
    middle = offset + length // 2
    font[middle : offset + length] = bytes(reversed(font[middle : offset + length]))


BLANK = "would print blank, its outline is empty (the glyph index, loca, is likely damaged)"


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        pytest.param(
            _zeroed,
            f"{FONT}: is damaged: '0' (U+0030 DIGIT ZERO) {BLANK}; put the font back from its source",
            id="loca-zeroed",
        ),
        pytest.param(
            _backwards,
            f"{FONT}: is damaged: its glyph index (loca) or its outlines (glyf) cannot be read; "
            "put the font back from its source",
            id="loca-backwards",
        ),
    ],
)
def test_a_damaged_glyph_index_names_the_font(project: Path, cli, damage, expected: str) -> None:
    _damage(project / FONT, b"loca", damage)
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (1, [expected, counted(1, build=False)])
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert (code, err) == (1, [expected, counted(1, build=True)])
    assert not (project / "out").exists()


def test_damaged_outlines_name_the_font(project: Path, cli) -> None:
    """The glyph table itself overwritten with noise where the Arabic letters are."""

    def noise(font: bytearray, offset: int, length: int) -> None:
        rng = random.Random(14)
        for i in range(offset, offset + length, 7):
            font[i] = rng.randrange(256)

    _damage(project / FONT, b"glyf", noise)
    code, _out, err = cli("check", "--data", "data")
    assert code == 1
    assert len(err) == 2
    assert err[0].startswith(f"{FONT}: is damaged")
    assert err[0].endswith("put the font back from its source")
    assert err[1] == counted(1, build=False)


@pytest.mark.parametrize("seed", range(8))
def test_random_damage_to_any_table_is_a_message_or_a_build(project: Path, cli, seed: int) -> None:
    """A few bytes changed anywhere in the font: one line naming it, or a build whose letters all have outlines."""
    rng = random.Random(seed)
    path = project / FONT
    font = bytearray(path.read_bytes())
    for _ in range(1 + seed * 4):
        font[rng.randrange(12, len(font))] = rng.randrange(256)
    path.write_bytes(bytes(font))
    code, _out, err = cli("check", "--data", "data")
    if code:
        assert err[-1] == counted(len(err) - 1, build=False)
        assert all(line.startswith("fonts/") for line in err[:-1]), err
    else:
        assert fontcheck.damaged([path], ["دليل الهجرة"]) == []


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_font_file_that_is_not_a_font(project: Path, cli) -> None:
    (project / "fonts" / "NotoSans-Bold.ttf").write_text("not a font\n")
    try:
        code, _out, err = cli("check", "--data", "data")
    finally:
        gc.collect()  # fontTools leaves the file open when it fails: close it here, not in a later test
    assert (code, err) == (1, ["fonts/NotoSans-Bold.ttf: is not a font file; put the font back", counted(1, False)])


def test_a_missing_fonts_folder_is_a_message(project: Path, cli) -> None:
    (project / "fonts").rename(project / "fonts-elsewhere")
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (1, ["fonts/: is missing; put back the fonts/ folder, with its fonts", counted(1, False)])
