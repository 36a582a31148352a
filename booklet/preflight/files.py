"""The file: built after the last change to its sources."""

from __future__ import annotations

from pathlib import Path

from booklet.errors import display_path
from booklet.preflight.reading import Book
from booklet.preflight.report import Row, megabytes


def check(book: Book, sources: tuple[Path, ...]) -> list[Row]:
    """Whether ``book`` is newer than every file under the ``sources`` folders (data/, layouts/, fonts/)."""
    built = book.path.stat().st_mtime
    newer = [p for folder in sources for p in _files(folder) if p.stat().st_mtime > built]
    if newer:
        latest = max(newer, key=lambda p: p.stat().st_mtime)
        detail = (
            f"{book.shown} is older than {display_path(latest)}"
            f"{f' and {len(newer) - 1} other files' if len(newer) > 1 else ''}: run make to rebuild before sending"
        )
        return [Row(book.name, "file", "warning", detail)]
    detail = f"{book.shown}, {megabytes(book.path.stat().st_size)}, built after the last change to its sources"
    return [Row(book.name, "file", "ok", detail)]


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
