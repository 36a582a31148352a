"""What the hostile-input test files share: a project in the working directory, and the last line of a failure."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT, write

import booklet

NOTHING_WRITTEN = "nothing was written"


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
