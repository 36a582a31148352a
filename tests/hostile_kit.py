"""What the hostile-input test files share: a project in the working directory, old files, a failure's last line."""

from __future__ import annotations

import shutil
import struct
import sys
import zlib
from pathlib import Path

import pytest
import yaml
from conftest import FILE, MINIMAL, ROOT, edit, write

import booklet

NOTHING_WRITTEN = "nothing was written"
#: MINIMAL with a cover picture: its src value is at line 8, column 12.
PICTURE = MINIMAL.replace(
    "  - kind: cover\n", "  - kind: cover\n    image:\n      src: {src}\n      alt: صورة الغلاف\n"
)
SRC = f"{FILE}:8:12: sections[1].image.src:"
#: MINIMAL with a colophon, whose template a layout case may change.
DESIGN = edit("  - kind: cover\n", "  - kind: cover\n  - kind: colophon\n    body: صدر عن البعثة\n")


def bug(reason: str, raises: type[BaseException] | None = None) -> pytest.MarkDecorator:
    """A case whose expected lines are what they should be; today they are not (see the reason)."""
    return pytest.mark.xfail(reason=f"BUG: {reason}", strict=True, raises=raises)


def counted(problems: int, build: bool) -> str:
    """The last line of a failed run."""
    line = f"{problems} problem{'s' if problems != 1 else ''}"
    return f"{line}; {NOTHING_WRITTEN}" if build else line


def make_project(here: Path, monkeypatch: pytest.MonkeyPatch, source: str = MINIMAL) -> Path:
    """``here`` as a project root, the working directory: copies of layouts/ and fonts/, ``source`` as its data.

    The command line builds with it (its Project gets this root).
    """
    for folder in ("layouts", "fonts"):
        shutil.copytree(ROOT / folder, here / folder)
    (here / "data").mkdir(exist_ok=True)
    write(here / "data", source)
    monkeypatch.chdir(here)
    monkeypatch.setattr("booklet.cli.Project", lambda data: booklet.Project(data, root=here))
    return here


def outside(tmp_path: Path, text: str = "SECRET-OUTSIDE-THE-PROJECT") -> Path:
    """A folder beside the project holding secret.txt, secret.css, secret.html, secret.svg, all with ``text``."""
    folder = tmp_path.parent / f"{tmp_path.name}-outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(text + "\n")
    (folder / "secret.css").write_text(f'.cover::after {{ content: "{text}" }}\n')
    (folder / "secret.html").write_text(f"<p>{text}</p>\n")
    (folder / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>{text}</text></svg>\n'
    )
    return folder


def limited(seconds: int, megabytes: int) -> list[str]:
    """``python -m booklet`` that may use at most ``megabytes`` of address space and ``seconds`` of CPU."""
    limits = (
        "import resource as r; "
        f"r.setrlimit(r.RLIMIT_AS, ({megabytes << 20},) * 2); r.setrlimit(r.RLIMIT_CPU, ({seconds},) * 2)"
    )
    run = "import runpy, sys; sys.argv[0] = 'booklet'; runpy.run_module('booklet', run_name='__main__')"
    return [sys.executable, "-c", f"{limits}; {run}"]


def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path`` as the working directory, with an empty data/: paths print as data/booklet.yaml."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    return tmp_path


def check_gives(here: Path, cli, source: str | bytes, setup, expected: list[str]) -> None:  # noqa: ANN001
    """`booklet check` of ``source`` (after ``setup(data)``) prints exactly ``expected``, or says no problems."""
    data = here / "data"
    write(data, source)
    if setup:
        setup(data)
    code, out, err = cli("check", "--data", "data")
    if expected:
        assert (code, err) == (1, [*expected, counted(len(expected), build=False)])
    else:
        assert (code, err, out.splitlines()[-1]) == (0, [], f"{FILE}: no problems")


def append(path: Path, text: str) -> int:
    """Append ``text`` (starting with a new line) to ``path``; the line number of its first line."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def old_files(here: Path) -> Path:
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


def quoted(text: str) -> str:
    """``text`` as one YAML double-quoted string, with escapes for what cannot be written as is (a newline, a bell)."""
    dumped = yaml.dump(text, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=float("inf"))
    return dumped.rstrip("\n")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header says width x height pixels: Pillow reads the size from it.

    (The pictures of tests/roots/ whose expected.txt says so were made with it.)
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
