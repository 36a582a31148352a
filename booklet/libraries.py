"""Find WeasyPrint's C libraries (Pango, HarfBuzz, Fontconfig...) quickly, on Linux.

WeasyPrint's import tries several names for each library (weasyprint/text/ffi.py,
``_dlopen``: "libpango-1.0-0", "pango-1.0-0", "pango-1.0"...), and cffi asks
``ctypes.util.find_library`` about each one. On Linux every question that
fails spawns ``ldconfig``, ``gcc`` and ``ld``: 22 questions, 0.16 s of every
build, a tenth of building the sample. While WeasyPrint is imported,
``find_library`` answers from one reading of the loader's cache instead, with
the same rule as the standard library's first step (``lib<name>.<...>`` for
this machine's ABI), and from the folders in LD_LIBRARY_PATH, which is where
the standard library's later steps would find a library the cache lacks.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import glob
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


@functools.cache
def _loader_cache() -> str:
    """``ldconfig -p``: every library the dynamic loader knows, with its ABI."""
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
            listing = subprocess.run([ldconfig, "-p"], capture_output=True, env=env, check=True).stdout
            return listing.decode(errors="replace")
    return ""


def _abi() -> str:
    """The ABI tag ldconfig prints for this interpreter, as ctypes.util._findSoname_ldconfig spells it."""
    machine = os.uname().machine + "-" + ("64" if sys.maxsize > 2**32 else "32")
    tags = {
        "x86_64-64": "libc6,x86-64",
        "ppc64-64": "libc6,64bit",
        "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit",
        "ia64-64": "libc6,IA-64",
    }
    return tags.get(machine, "libc6")


def find_library(name: str) -> str | None:
    """The soname of library ``name`` ("pango-1.0" → "libpango-1.0.so.0"), or None."""
    pattern = re.compile(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(_abi())}")
    if match := pattern.search(_loader_cache()):
        return match[1]
    for folder in filter(None, os.environ.get("LD_LIBRARY_PATH", "").split(":")):
        with contextlib.suppress(OSError):
            found = sorted(p.name for p in Path(folder).glob(f"lib{glob.escape(name)}.so*") if p.is_file())
            if found:
                return found[0]
    return None


@contextlib.contextmanager
def found_once() -> Iterator[None]:
    """Within: ``ctypes.util.find_library`` answers from the loader's cache (Linux only)."""
    if not sys.platform.startswith("linux") or not _loader_cache():
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
