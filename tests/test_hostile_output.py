"""Build output: the previous files stay whole however a write fails or the process dies; no temporary is left."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT, write
from hostile_kit import PICTURE, counted, in_folder, old_files, snapshot
from PIL import Image

import booklet
from booklet import output


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return in_folder(tmp_path, monkeypatch)


@pytest.fixture
def old_build(here: Path) -> Path:
    return old_files(here)


def test_out_folder_under_a_file(here: Path, cli) -> None:
    write(here / "data", MINIMAL)
    (here / "notes.txt").write_text("a file, not a folder\n")
    code, _out, err = cli("build", "--data", "data", "--out", "notes.txt/out", "--edition", "screen")
    assert (code, err) == (
        1,
        ["notes.txt/out: cannot be written: Not a directory; choose another folder with --out", counted(1, True)],
    )


def test_out_folder_under_a_file_with_a_picture(here: Path, cli) -> None:
    write(here / "data", PICTURE.format(src="images/cover.png"))
    (here / "data" / "images").mkdir()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(here / "data" / "images" / "cover.png")
    (here / "notes.txt").write_text("a file, not a folder\n")
    code, _out, err = cli("build", "--data", "data", "--out", "notes.txt/out", "--edition", "screen")
    assert (code, err) == (
        1,
        [
            "notes.txt/out/cache/images: cannot be written: Not a directory; choose another folder with --out",
            counted(1, True),
        ],
    )


def test_out_folder_is_a_file(here: Path, cli) -> None:
    write(here / "data", MINIMAL)
    (here / "notes.txt").write_text("a file, not a folder\n")
    code, _out, err = cli("build", "--data", "data", "--out", "notes.txt", "--edition", "screen")
    assert (code, err) == (
        1,
        ["notes.txt: is a file, not a folder; choose another folder with --out", counted(1, True)],
    )


def test_folder_in_the_place_of_a_pdf(here: Path, cli, old_build: Path) -> None:
    write(here / "data", MINIMAL)
    (old_build / "booklet-screen.pdf").unlink()
    (old_build / "booklet-screen.pdf").mkdir()
    before = snapshot(old_build)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (
        1,
        ["out/booklet-screen.pdf: is a folder; move it away or choose another folder with --out", counted(1, True)],
    )
    assert snapshot(old_build) == before


def test_temporary_folder_not_writable(here: Path, cli, old_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, permission bits do not stop a write: mkstemp fails as it would in a folder without write access."""
    write(here / "data", MINIMAL)

    def refused(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refused)
    before = snapshot(old_build)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (
        1,
        ["out: cannot be written: Permission denied; choose another folder with --out", counted(1, True)],
    )
    assert snapshot(old_build) == before
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)


def _failing(real: Callable, fails: str, error: OSError, name_of: Callable[..., str]) -> Callable:
    """``real``, but raising ``error`` when the file it works on is a temporary of ``fails``."""

    def call(*args, **kwargs):
        if f".{fails}." in name_of(*args):
            raise error
        return real(*args, **kwargs)

    return call


ENOSPC = OSError(errno.ENOSPC, "No space left on device")
EACCES = PermissionError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize(
    ("fails", "how"),
    [
        pytest.param("booklet-cover.png", "fsync", id="output-disk-full-on-fsync-cover"),
        pytest.param(
            "booklet-screen.pdf",
            "fsync",
            id="output-disk-full-on-fsync-pdf",
        ),
        pytest.param(
            "booklet.html",
            "fsync",
            id="output-disk-full-on-fsync-html",
        ),
        pytest.param("booklet-cover.png", "replace", id="output-not-writable-on-replace-cover"),
        pytest.param(
            "booklet.html",
            "replace",
            id="output-not-writable-on-replace-html",
        ),
    ],
)
def test_output_fails_while_moving_into_place(
    here: Path, cli, old_build: Path, monkeypatch: pytest.MonkeyPatch, fails: str, how: str
) -> None:
    write(here / "data", MINIMAL)
    if how == "fsync":
        real = os.fsync
        monkeypatch.setattr(
            output.os, "fsync", _failing(real, fails, ENOSPC, lambda fd: os.readlink(f"/proc/self/fd/{fd}"))
        )
        reason = "No space left on device"
    else:
        real = os.replace
        monkeypatch.setattr(output.os, "replace", _failing(real, fails, EACCES, lambda source, _target: str(source)))
        reason = "Permission denied"
    before = snapshot(old_build)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (
        1,
        [f"out/{fails}: cannot be written: {reason}; the previous file is untouched", counted(1, True)],
    )
    assert snapshot(old_build) == before
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)


def test_disk_full_while_writing_the_pdf(here: Path, cli, old_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC from the write itself, half-way through the PDF."""
    import pydyf

    write(here / "data", MINIMAL)

    def full(self, output_file, *_args, **_kwargs):
        output_file.write(b"%PDF-1.7\n% half a PDF")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pydyf.PDF, "write", full)
    before = snapshot(old_build)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (
        1,
        [
            "out/booklet-screen.pdf: cannot be written: No space left on device; the previous file is untouched",
            counted(1, True),
        ],
    )
    assert snapshot(old_build) == before
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)


#: Run as `python -m booklet ARGS` after making one step stall, so that the test can SIGKILL it there:
#: "pdf": half-way through writing the screen PDF; "linearize": while qpdf's rewrite of it is complete but not
#: yet moved into place. Prints STALLED on stderr when it stalls.
STALLING = """\
import runpy, sys, time

def stall():
    print("STALLED", file=sys.stderr, flush=True)
    time.sleep(120)

step = sys.argv.pop(1)
if step == "pdf":
    import pydyf
    real = pydyf.PDF.write

    class Slow:
        def __init__(self, file):
            self.file, self.written = file, 0

        def write(self, data):
            self.file.write(data)
            self.written += len(data)
            if self.written > 4096:
                self.file.flush()
                stall()

        def __getattr__(self, name):
            return getattr(self.file, name)

    pydyf.PDF.write = lambda self, output, *a, **k: real(self, Slow(output), *a, **k)
elif step == "linearize":
    import io
    import pikepdf
    real_save = pikepdf.Pdf.save

    def half_saved(self, file, *a, **k):
        whole = io.BytesIO()
        real_save(self, whole, *a, **k)
        file.write(whole.getvalue()[:4096])
        file.flush()
        stall()

    pikepdf.Pdf.save = half_saved
sys.argv[0] = "booklet"
runpy.run_module("booklet", run_name="__main__", alter_sys=True)
"""


def _kill_when_stalled(here: Path, step: str) -> None:
    """Run `python -m booklet build` with ``step`` stalling, and SIGKILL it there."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", STALLING, step, "build", "--data", "data", "--out", "out", "--edition", "screen"]
    process = subprocess.Popen(command, cwd=here, env=environment, stderr=subprocess.PIPE, text=True)
    timer = threading.Timer(60, process.kill)  # never hang the test run
    timer.start()
    try:
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.strip() == "STALLED":
                process.send_signal(signal.SIGKILL)
                break
        process.wait()
    finally:
        timer.cancel()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL, "".join(lines)


def test_killed_while_writing(here: Path, old_build: Path) -> None:
    """SIGKILL half-way through writing the PDF: the previous files stay byte for byte; the next build removes
    the temporaries the killed one left."""
    write(here / "data", MINIMAL)
    before = snapshot(old_build)
    _kill_when_stalled(here, "pdf")
    assert {name: content for name, content in snapshot(old_build).items() if name in before} == before
    left = sorted(p.name for p in old_build.iterdir() if p.name not in before)
    assert left and all(name.startswith(".booklet") and name.endswith(".tmp") for name in left), left
    booklet.build(booklet.Project(here / "data"), old_build, ["screen"])
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)
    assert snapshot(old_build)["booklet-screen.pdf"].startswith(b"%PDF-")
    assert snapshot(old_build)["booklet-print.pdf"] == before["booklet-print.pdf"]


def test_killed_while_linearizing(here: Path, old_build: Path) -> None:
    write(here / "data", MINIMAL)
    before = snapshot(old_build)
    _kill_when_stalled(here, "linearize")
    assert {name: content for name, content in snapshot(old_build).items() if name in before} == before
    booklet.build(booklet.Project(here / "data"), old_build, ["screen"])
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)
