"""The prepared pictures kept under the build folder: written all or nothing, checked, pruned.

A copy is written to a temporary of its own, flushed to the disk, read back (its
size, its header and its end marker) and only then renamed to its final name:
a full disk or a killed build never leaves a broken copy under a name a later
build would reuse. A copy found under its final name is checked the same way
before it is reused, and removed if it is broken. Temporaries are removed by the
next build into the same folder (builds into one folder take turns, lock.py);
copies the build does not use are removed once they are STALE_DAYS days old,
and the oldest go first when the folder passes MAX_CACHE_BYTES.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import warnings
from pathlib import Path

from PIL import Image

#: Copies a build does not use are removed once they are this many days old.
STALE_DAYS = 30
#: The prepared pictures of one build folder stay under this size (the oldest go first).
MAX_CACHE_BYTES = 1024 * 1024 * 1024

_END_MARKERS = {".jpg": b"\xff\xd9", ".jpeg": b"\xff\xd9", ".png": b"IEND\xaeB`\x82"}


def remove_temporaries(cache: Path) -> None:
    """Remove the temporaries of builds that were killed (only one build writes ``cache`` at a time)."""
    if cache.is_dir():
        for stale in cache.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()


def find(cache: Path, stem: str) -> Path | None:
    """The sound copy named ``stem`` in ``cache``; a broken one is removed."""
    if not cache.is_dir():
        return None
    for path in sorted(cache.glob(f"{stem}.*")):
        if sound(path):
            return path
        with contextlib.suppress(OSError):
            path.unlink()
    return None


def sound(path: Path, size: tuple[int, int] | None = None, suffix: str | None = None) -> bool:
    """Whether ``path`` is a whole picture: not empty, its header readable (of ``size``), its end marker there.

    ``suffix`` says what kind of file it is (.jpg, .png) when its own name does not (a temporary).
    """
    try:
        length = path.stat().st_size
        if length < 16:
            return False
        marker = _END_MARKERS.get((suffix or path.suffix).lower())
        if marker:
            with open(path, "rb") as file:
                file.seek(max(0, length - 64))
                if marker not in file.read():
                    return False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                return size is None or image.size == size
    except Exception:  # noqa: BLE001 - any failure to read it back means it is not sound
        return False


def save(image: Image.Image, target: Path, options: dict) -> None:
    """Write ``image`` to ``target`` (Pillow's save ``options``) all or nothing; OSError if it cannot be."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            image.save(file, **options)
            file.flush()
            os.fsync(file.fileno())
        if not sound(temporary, image.size, target.suffix):
            # A write that failed without saying so (a full disk seen only at close).
            raise OSError(28, "the copy read back is incomplete (is the disk full?)")
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def prune(cache: Path, used: set[Path], now: float | None = None) -> None:
    """Remove copies not in ``used``: those older than STALE_DAYS days, then the oldest past MAX_CACHE_BYTES."""
    if not cache.is_dir():
        return
    now = time.time() if now is None else now
    entries = []
    for path in cache.iterdir():
        if path.name.startswith(".") or not path.is_file():
            continue
        with contextlib.suppress(OSError):
            status = path.stat()
            entries.append((status.st_mtime, status.st_size, path))
    entries.sort()
    total = sum(size for _mtime, size, _path in entries)
    for mtime, size, path in entries:
        if path in used:
            continue
        if now - mtime > STALE_DAYS * 86400 or total > MAX_CACHE_BYTES:
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
