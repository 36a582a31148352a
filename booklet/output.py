"""Write output files so that a failed build never leaves a broken or half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from booklet.errors import BookletError, Place, Problem, display_path

#: Errors that say the output cannot be written (full disk, no permission...),
#: as opposed to a bug: they become a message, not a traceback.
_CANNOT_WRITE = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EFBIG,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
    errno.EISDIR,
    errno.ENOTDIR,
    errno.EEXIST,
    errno.ENAMETOOLONG,
}


class Files:
    """Files written together: each to a temporary beside it, all moved into place at once.

    Everything that can fail (writing, a full disk, flushing to the disk)
    happens before the first file is moved; moving is a rename within a
    folder. A failed build leaves every previous file as it was, and a build
    killed while writing leaves temporaries that the next build removes.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self._made: list[Path] = []  # folders made for these files, removed again if nothing lands

    def file(self, target: Path) -> Path:
        """A temporary path to write ``target``'s new content to."""
        if target.is_dir():
            raise _cannot_write(target, "is a folder; move it away or choose another folder with --out")
        folder = target.parent
        if folder.exists() and not folder.is_dir():
            raise _cannot_write(folder, "is a file, not a folder; choose another folder with --out")
        try:
            missing = [f for f in (folder, *folder.parents) if not f.exists()]
            folder.mkdir(parents=True, exist_ok=True)
            self._made.extend(missing)
            for stale in folder.glob(f".{target.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            os.close(fd)
        except OSError as error:
            raise cannot_write_folder(folder, error) from None
        temporary = Path(name)
        self._pending.append((temporary, target))
        return temporary

    @contextlib.contextmanager
    def writing(self, target: Path) -> Iterator[Path]:
        """A temporary path for ``target``; a full disk while writing it is a problem of ``target``."""
        temporary = self.file(target)
        with as_problem(target):
            yield temporary

    def commit(self) -> None:
        self._made.clear()  # the files land: their folders stay
        for temporary, target in self._pending:
            with as_problem(target), open(temporary, "rb+") as file:
                os.fsync(file.fileno())
                os.chmod(temporary, 0o644)
        # Renames rarely fail, but one may (a folder made read-only meanwhile):
        # keep each previous file until all new ones are in place, and put
        # them back if one is refused.
        backups: list[Path] = []
        replaced: list[tuple[Path, Path | None]] = []
        try:
            for temporary, target in self._pending:
                backup = None
                if target.exists():
                    backup = Path(tempfile.mktemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
                    os.link(target, backup)
                    backups.append(backup)
                with as_problem(target):
                    os.replace(temporary, target)
                replaced.append((target, backup))
        except BaseException:
            for target, backup in reversed(replaced):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
            raise
        finally:
            for backup in backups:
                backup.unlink(missing_ok=True)
        self._pending.clear()

    def discard(self) -> None:
        for temporary, _target in self._pending:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        self._pending.clear()
        for folder in self._made:  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._made.clear()


@contextlib.contextmanager
def files() -> Iterator[Files]:
    """Files written together, committed when the block ends without an error."""
    pending = Files()
    try:
        yield pending
        pending.commit()
    finally:
        pending.discard()


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success."""
    with files() as pending:
        yield pending.file(target)


@contextlib.contextmanager
def as_problem(target: Path) -> Iterator[None]:
    """A full disk (or a refused write) while ``target`` is written: a problem of ``target``."""
    try:
        yield
    except OSError as error:
        if error.errno not in _CANNOT_WRITE:
            raise
        raise _cannot_write(target, _reason(error, "the previous file is untouched")) from None


def cannot_write_folder(folder: Path, error: OSError) -> BookletError:
    """A folder of the build that cannot be written: a problem of that folder, saying what to do."""
    return _cannot_write(folder, _reason(error, "choose another folder with --out"))


def _reason(error: OSError, advice: str) -> str:
    return f"cannot be written: {error.strerror or error}; {advice}"


def _cannot_write(path: Path, message: str) -> BookletError:
    return BookletError([Problem(Place(display_path(path)), message)])
