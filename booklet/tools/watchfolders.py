"""Which folder is watched: a folder deleted and made again is another folder to the system."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

#: How often (ms) the preview checks that the folders it watches are still the ones there.
CHECK_MS = 500


def identities(folders: Iterable[Path]) -> tuple[tuple[int, int] | None, ...]:
    """(device, inode) of each folder, None for one that is missing: a change means watch again."""
    found = []
    for folder in folders:
        try:
            status = os.stat(folder)
        except OSError:
            found.append(None)
            continue
        found.append((status.st_dev, status.st_ino) if os.path.isdir(folder) else None)
    return tuple(found)
