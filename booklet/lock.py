"""One build at a time into one folder: the second waits for the first, or stops with a message.

Two builds into the same --out would each take the other's temporaries for
those of a killed build and remove them. The lock is the build folder itself
(flock on an open handle of the folder, Linux and the BSDs): it leaves no file
behind, and the system releases it when the build ends, however it ends
(killed included).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from booklet.errors import BookletError, Place, Problem, display_path

NOTES = logging.getLogger("booklet")

#: How long a build waits for another one into the same folder before it stops.
WAIT_SECONDS = 600.0
_POLL = 0.1


#: Folders this process holds the lock of, and how many times: a tool that
#: builds first (impose, proof) holds it around the build, which takes it again.
_HELD: dict[Path, int] = {}


@contextlib.contextmanager
def held(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the build lock of ``folder`` (made if missing, removed again if left empty) while the block runs."""
    wait = WAIT_SECONDS if wait is None else wait
    folder = Path(folder).absolute()
    if _HELD.get(folder):
        _HELD[folder] += 1
        try:
            yield
        finally:
            _HELD[folder] -= 1
        return
    missing = [f for f in (folder, *folder.parents) if not f.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        # The folder cannot be made or opened: writing into it will fail with
        # its own message (output.py), which says more than a lock could.
        yield
        return
    try:
        _acquire(fd, folder, wait)
        _HELD[folder] = 1
        yield
    finally:
        _HELD.pop(folder, None)
        os.close(fd)  # releases the lock
        for made in missing:  # deepest first: a failed build into a new folder leaves none
            with contextlib.suppress(OSError):
                made.rmdir()


def _acquire(fd: int, folder: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return  # a file system without locks: build as before
        if not told:
            NOTES.info("another build is writing into %s/; waiting for it to finish", display_path(folder))
            told = True
        if time.monotonic() >= deadline:
            raise BookletError(
                [
                    Problem(
                        Place(display_path(folder)),
                        f"another build has been writing into this folder for {wait:g} s; wait for it to "
                        "finish, or build into another folder with --out",
                    )
                ]
            )
        time.sleep(_POLL)
