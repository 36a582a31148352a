"""Read a file of the project's own folders, with the same checks as WeasyPrint's reads (fetcher.py).

Every file the pipeline reads itself (booklet.yaml, the templates, the
stylesheets, charts.css, the icons, the fonts) comes through here: it must be a
regular file whose real path (after every symbolic link) stays inside its
folder, and no larger than the bound given. Nothing is read before the checks,
so a link to /etc/passwd, /dev/zero or a FIFO is refused without a byte of it
being read, let alone shown.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from booklet.errors import BookletError, Place, Problem, display_path

#: No file of layouts/ or fonts/ the pipeline reads itself should be larger
#: (the same bound as the files WeasyPrint reads, fetcher.MAX_RESOURCE_BYTES).
MAX_DESIGN_BYTES = 64 * 1024 * 1024
#: An icon is a few hundred bytes of SVG drawn inline on every page that shows it.
MAX_ICON_BYTES = 256 * 1024


class Refused(Exception):
    """The file may not be read; the message says why, without the file's name."""


class TooLarge(Refused):
    """The file is larger than the bound; ``size`` is how large (in bytes, as far as known)."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        super().__init__(f"is {size / 1048576:.1f} MB; a file here may have at most {limit // 1048576} MB")


def checked(path: Path, folder: Path, limit: int = MAX_DESIGN_BYTES) -> Path:
    """``path``'s real path, if it is a regular file inside ``folder`` of at most ``limit`` bytes; else Refused."""
    try:
        resolved = Path(path).resolve(strict=True)
    except FileNotFoundError:
        raise Refused("no such file") from None
    except (OSError, RuntimeError) as error:  # a loop of links, a name too long
        raise Refused(f"cannot be opened: {getattr(error, 'strerror', None) or 'a loop of links'}") from None
    root = Path(folder).resolve()
    if not resolved.is_relative_to(root):
        raise Refused(f"leads outside {root.name}/ (through a link); copy the file into {root.name}/ instead")
    status = resolved.stat()
    if not stat.S_ISREG(status.st_mode):
        raise Refused("is not a regular file (a device, a pipe or a folder); put a file here")
    if status.st_size > limit:
        raise TooLarge(status.st_size, limit)
    return resolved


def read_bytes(path: Path, folder: Path, limit: int = MAX_DESIGN_BYTES) -> bytes:
    """The bytes of ``path`` (checked as by checked()); never more than ``limit`` bytes are read."""
    resolved = checked(path, folder, limit)
    # O_NONBLOCK: a file swapped for a pipe between the check and the open
    # must not block the build; O_NOFOLLOW: nor for a link.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(resolved, flags)
    except OSError as error:
        raise Refused(f"cannot be read: {error.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("is not a regular file (a device, a pipe or a folder); put a file here")
        data = file.read(limit + 1)
    if len(data) > limit:  # grew since it was checked
        raise TooLarge(len(data), limit)
    return data


def read_text(path: Path, folder: Path, limit: int = MAX_DESIGN_BYTES) -> str:
    """``path`` as UTF-8 text (checked as by checked())."""
    data = read_bytes(path, folder, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as UTF-8") from None


def problem(path: Path, refused: Refused, root: Path | None = None) -> BookletError:
    """A refusal as the build reports it: the file as the person would type it, then why."""
    # The link's own name, not where it leads: that may be outside the project.
    path = Path(path)
    shown = f"{display_path(path.parent, root)}/{path.name}"
    return BookletError([Problem(Place(shown), str(refused))])
