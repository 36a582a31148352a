"""Shared fixtures: the sample booklet is built once per test session."""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

import booklet
from booklet.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: Small projects on disk, one folder a case (tests/test_hostile_roots.py runs them).
ROOTS = Path(__file__).resolve().parent / "roots"
#: The smallest valid booklet (tests/roots/minimal/): the data that validation
#: and hostile-input tests start from and mutate.
MINIMAL = (ROOTS / "minimal" / "data" / "booklet.yaml").read_text(encoding="utf-8")

#: The data file as messages name it, run from the data folder's parent.
FILE = "data/booklet.yaml"
#: Advice that validation messages end with, pinned by several test files.
NOT_INSIDE = "is not a path inside data/; write a relative path such as images/cover.jpg"
FONTS = "cannot be drawn by any font in fonts/; remove it or add a font that has it"
ALIASES = "anchors and aliases (& and *) are not supported; write the value out"
#: How a value that is not a number is told what to write (booklet.data.amounts).
NUMBER = "such as 172, 27.8, 1,250,000 or 45%"
EMPTY = "is empty; it should hold the booklet's document and sections (see README.md)"


def edit(old: str, new: str, source: str = MINIMAL) -> str:
    """``source`` (MINIMAL by default) with the one occurrence of ``old`` replaced by ``new``."""
    assert source.count(old) == 1, f"{old!r} must occur once"
    return source.replace(old, new)


def write(data: Path, source: str | bytes) -> None:
    """``source`` as ``data``/booklet.yaml."""
    file = data / "booklet.yaml"
    if isinstance(source, bytes):
        file.write_bytes(source)
    else:
        file.write_text(source, encoding="utf-8")


_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@dataclass
class Built:
    """A built booklet: its folder and each edition's PDF, read back."""

    out: Path
    pdfs: dict[str, Path]

    def reader(self, edition: str) -> PdfReader:
        return PdfReader(self.pdfs[edition])

    def page_texts(self, edition: str) -> list[str]:
        return page_texts(self.pdfs[edition])


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of ``pdf``, as PDFium (a viewer) extracts it."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def western(text: str) -> str:
    """Text with Arabic-Indic digits written as 0-9 and runs of white space as one space."""
    return " ".join(text.translate(_ARABIC_INDIC).split())


def build_into(data: Path, out: Path, editions: list[str] | None = None, root: Path = ROOT) -> Built:
    built = booklet.build(booklet.Project(data, root=root), out, editions or list(booklet.EDITIONS))
    return Built(out, {b.edition: b.path for b in built})


def problems_of(data: Path) -> list[str]:
    try:
        booklet.check(booklet.Project(data))
    except booklet.BookletError as error:
        return [str(problem) for problem in error.problems]
    return []


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data/ folder; the working directory is its parent so paths show as data/..."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Both editions of the default data in data/, built once."""
    return build_into(ROOT / "data", tmp_path_factory.mktemp("sample"))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may change."""
    return Path(shutil.copytree(ROOT / "data", tmp_path / "data"))


@contextlib.contextmanager
def restored_notes() -> Iterator[None]:
    """main() sets up the "booklet" logger for its notes once per process: undo that afterwards."""
    notes = logging.getLogger("booklet")
    saved = notes.handlers[:], notes.level, notes.propagate
    try:
        yield
    finally:
        notes.handlers[:], notes.level, notes.propagate = saved


@pytest.fixture
def notes_logger() -> Iterator[None]:
    """For a test that calls booklet.cli.main itself: the "booklet" logger as it was, afterwards."""
    with restored_notes():
        yield


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, list[str]]]:
    """Run booklet.cli.main in-process: (exit code, stdout, stderr lines without notes); never a traceback."""

    def run(*argv: str) -> tuple[int, str, list[str]]:
        with restored_notes():
            code = main(list(argv))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, [line for line in err.splitlines() if not line.startswith("note: ")]

    return run
