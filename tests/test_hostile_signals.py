"""Signals and concurrency: Ctrl-C is one line and exit 130, files intact; builds into one folder take turns."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT, write
from hostile_kit import counted
from pypdf import PdfReader

from booklet import lock

#: MINIMAL with a long chapter: the layout takes long enough to be interrupted in the middle.
LONG = MINIMAL.replace(
    "    title: بناء القدرات\n",
    "    title: بناء القدرات\n    body: |\n" + "      فقرة طويلة عن الهجرة والتنمية في المنطقة.\n\n" * 400,
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", LONG)
    return tmp_path


def _booklet(*argv: str, cwd: Path) -> subprocess.Popen[str]:
    """``python -m booklet`` in a session of its own: a signal to its group reaches it as the terminal's would."""
    return subprocess.Popen(
        [sys.executable, "-m", "booklet", *argv],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _until_typesetting(process: subprocess.Popen[str]) -> None:
    """Read the build's report until the pictures are prepared: the editions are being laid out from then on."""
    assert process.stdout is not None
    for line in process.stdout:
        if "preparing pictures" in line:
            return
    pytest.fail("the build ended before it was laid out")


STOPS = {
    "ctrl-c": (signal.SIGINT, True, 130, "stopped (Ctrl-C); nothing was written"),
    "sigterm-to-the-build": (signal.SIGTERM, False, 143, "stopped (terminated); nothing was written"),
    "sigterm-to-its-processes": (signal.SIGTERM, True, 143, "stopped (terminated); nothing was written"),
}


@pytest.mark.parametrize("editions", [["--edition", "screen"], []], ids=["one-edition", "both-editions-in-parallel"])
@pytest.mark.parametrize("stop", list(STOPS))
def test_stopped_during_a_build(here: Path, editions: list[str], stop: str) -> None:
    """One line, exit 130 (Ctrl-C) or 143 (SIGTERM), the previous build's files as they were, no temporary left."""
    number, group, exit_code, line = STOPS[stop]
    first = _booklet("build", "--data", "data", "--out", "out", cwd=here)
    _out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    before = _snapshot(here / "out")
    write(here / "data", LONG.replace("دليل الهجرة", "دليل جديد"))
    process = _booklet("build", "--data", "data", "--out", "out", *editions, cwd=here)
    _until_typesetting(process)
    time.sleep(0.3)
    if group:
        os.killpg(process.pid, number)  # as the terminal does: the parent and the editions' processes
    else:
        os.kill(process.pid, number)  # as kill does
    _out, err = process.communicate(timeout=60)
    lines = [entry for entry in err.splitlines() if entry and not entry.startswith("note: ")]
    assert (process.returncode, lines) == (exit_code, [line])
    assert _snapshot(here / "out") == before


def test_two_builds_into_one_folder_take_turns(here: Path) -> None:
    """Started together: both finish, neither sees a traceback, and the files are whole."""
    builds = [_booklet("build", "--data", "data", "--out", "out", cwd=here) for _ in range(3)]
    results = [(process.communicate(timeout=600)[1], process.returncode) for process in builds]
    for err, code in results:
        lines = [line for line in err.splitlines() if line]
        assert code == 0, err
        assert all(line == "note: another build is writing into out/; waiting for it to finish" for line in lines), err
    pages = {len(PdfReader(here / "out" / f"booklet-{edition}.pdf").pages) for edition in ("print", "screen")}
    assert len(pages) == 1 and pages.pop() > 4
    assert [p.name for p in (here / "out").iterdir() if p.name.endswith(".tmp")] == []


def test_a_build_that_waits_too_long_stops_with_a_message(here: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
    (here / "out").mkdir()
    other = os.open(here / "out", os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX)  # another build's lock, as far as the system knows
        code, out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    finally:
        os.close(other)
    message = (
        "out: another build has been writing into this folder for 0.3 s; wait for it to finish, "
        "or build into another folder with --out"
    )
    assert (code, err) == (1, [message, counted(1, build=True)])
    assert "wrote" not in out


def test_the_lock_is_released_however_the_build_ends(here: Path) -> None:
    """A build killed outright leaves no lock behind: the system releases it with the process."""
    process = _booklet("build", "--data", "data", "--out", "out", cwd=here)
    _until_typesetting(process)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    done = threading.Event()

    def take() -> None:
        with lock.held(here / "out", wait=5):
            done.set()

    taker = threading.Thread(target=take)
    taker.start()
    taker.join(timeout=10)
    assert done.is_set()


def test_a_build_into_a_new_folder_that_fails_leaves_no_folder(here: Path, cli) -> None:
    write(here / "data", MINIMAL.replace("title: دليل الهجرة", "title: ''"))
    code, _out, err = cli("build", "--data", "data", "--out", "new/deeper")
    assert code == 1
    assert not (here / "new").exists()


@pytest.mark.parametrize("tool", ["impose", "proof"])
def test_tools_into_one_folder_take_turns(sample, tmp_path: Path, tool: str) -> None:
    """Three at once on the same screen edition: all finish, whole, without a traceback."""
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(sample.pdfs["screen"], out / "booklet-screen.pdf")
    runs = [_booklet(tool, "--out", "out", cwd=tmp_path) for _ in range(3)]
    results = [(process.communicate(timeout=600)[1], process.returncode) for process in runs]
    for err, code in results:
        assert code == 0, err
        assert "Traceback" not in err
    if tool == "impose":
        assert len(PdfReader(out / "booklet-imposed.pdf").pages) == 8
    else:
        assert (out / "proof" / "contact-sheet.png").is_file()
    assert [p.name for p in out.rglob("*.tmp")] == []
