"""Write output files so that a failed build never leaves a broken or half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import BookletError, Place, Problem, display_path

#: Errors that say the output cannot be written (full disk, no permission...),
#: as opposed to a bug: they become a message, not a traceback.
_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success.

    The temporary file lives in the same folder, so the final rename is atomic:
    readers see the old file or the new one, never a part of either. A build
    killed while writing leaves its temporary behind; the next build of the
    same file removes it.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{target.name}.*.tmp"):
            stale.unlink(missing_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as error:
        raise _cannot_write(target.parent, error, "choose another folder with --out") from None
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as file:
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        if error.errno not in _CANNOT_WRITE:
            raise
        raise _cannot_write(target, error, "the previous file is untouched") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _cannot_write(path: Path, error: OSError, advice: str) -> BookletError:
    reason = error.strerror or str(error)
    return BookletError([Problem(Place(display_path(path)), f"cannot be written: {reason}; {advice}")])
