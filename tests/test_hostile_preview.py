"""The preview under hostile conditions, without a browser: a runaway layout, dropped connections, data/ replaced."""

from __future__ import annotations

import shutil
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT, page_texts

from booklet import Project
from booklet.tools import deadline
from booklet.tools.preview import Preview, State

#: Two loops of the sandbox's largest range: ten thousand million turns, a layout that never ends.
RUNAWAY = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"
BACK_COVER = "sections/back-cover.html"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    for folder in ("data", "layouts", "fonts"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return Project(tmp_path / "data", root=tmp_path)


def _until(preview: Preview, done: Callable[[State], bool], seconds: float = 120) -> State:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = preview.state()
        if done(state):
            return state
        time.sleep(0.05)
    pytest.fail(f"waited {seconds} s; the preview shows {preview.state()}")


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
def running(project: Project, said: list[str]) -> Iterator[Callable[..., Preview]]:
    started: list[Preview] = []

    def start(**options: object) -> Preview:
        preview = Preview(project, project.root / "build", port=0, say=said.append, **options)
        preview.start()
        started.append(preview)
        return preview

    yield start
    for preview in started:
        preview.stop()


def test_a_runaway_layout_is_stopped_and_the_next_edit_builds(project: Project, running, said: list[str]) -> None:
    layout = project.layouts / BACK_COVER
    good = layout.read_text(encoding="utf-8")
    layout.write_text(good + RUNAWAY, encoding="utf-8")
    preview = running(timeout=2)
    state = _until(preview, lambda s: s.builds >= 1)
    assert [str(p) for p in state.problems] == [
        "build: took longer than 2 s and was stopped; look for a text or a style that makes the layout run away, "
        "or allow more time with --timeout"
    ]
    assert state.seconds < 10
    preview.timeout = 300  # a real build on a loaded machine may take more than 2 s
    layout.write_text(good, encoding="utf-8")
    state = _until(preview, lambda s: s.good >= 2)
    assert state.problems == ()
    assert said[0] == "1 problem in " + said[0].split(" in ")[1]


def test_stopping_while_a_layout_runs_away_is_quick(project: Project, running) -> None:
    """Ctrl-C in the preview: no time limit at all, and still stopped in a moment, no file left half-written."""
    (project.layouts / BACK_COVER).write_text(
        (project.layouts / BACK_COVER).read_text(encoding="utf-8") + RUNAWAY, encoding="utf-8"
    )
    preview = running(timeout=0)
    time.sleep(3)  # well into the layout
    assert preview.state().building
    start = time.monotonic()
    preview.stop()
    assert time.monotonic() - start < 5
    assert [p.name for p in project.root.rglob("*.tmp")] == []


def _dropped(port: int, path: str) -> None:
    """Ask for ``path`` and hang up at once, with a reset: the server's writes fail (a reload, a closed tab)."""
    connection = socket.create_connection(("127.0.0.1", port))
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    connection.close()


def test_dropped_connections_leave_the_log_clean(running, said: list[str], capfd: pytest.CaptureFixture[str]) -> None:
    preview = running()
    _until(preview, lambda s: s.good >= 1)
    port = preview.server.server_address[1]
    for _ in range(20):
        for path in ("/booklet-screen.pdf", "/events", "/state", "/"):
            _dropped(port, path)
    time.sleep(1)
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert "Error" not in out + err
    assert said == ["built in " + said[0].split(" in ")[1]]  # one line, for the one build


def test_a_request_that_fails_otherwise_is_one_line(running, said: list[str]) -> None:
    preview = running()
    try:
        raise ValueError("a bad request")
    except ValueError:
        preview.server.handle_error(None, ("127.0.0.1", 1))
    assert said[-1] == "a request from the browser failed: ValueError: a bad request"


def test_data_deleted_and_restored_is_still_watched(project: Project, running) -> None:
    preview = running()
    _until(preview, lambda s: s.good >= 1)
    saved = project.root / "saved-data"
    shutil.copytree(project.data, saved)
    shutil.rmtree(project.data)
    state = _until(preview, lambda s: s.builds >= 2 and not s.building)
    assert [p.message for p in state.problems] == ["no such file; the booklet's data starts here"]
    shutil.copytree(saved, project.data)
    state = _until(preview, lambda s: s.good > 1)
    # And it keeps watching the new folder: an edit after the restore is built too.
    data = project.data / "booklet.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("title: ", "title: عنوان جديد ", 1), encoding="utf-8")
    builds = state.builds
    state = _until(preview, lambda s: s.builds > builds and not s.building and s.good == s.builds)
    assert "عنوان جديد" in " ".join(page_texts(project.root / "build" / "booklet-screen.pdf"))


def test_a_font_linked_to_a_device_is_refused_not_read(project: Project, running) -> None:
    """The preview loads the fonts before its first build: a link to /dev/zero must not be read then either."""
    font = project.fonts / "NotoSans-Bold.ttf"
    font.unlink()
    font.symlink_to("/dev/zero")
    preview = running()
    state = _until(preview, lambda s: s.builds >= 1)
    assert [p.message for p in state.problems] == [
        "leads outside fonts/ (through a link); copy the file into fonts/ instead"
    ]


def test_a_stop_lands_only_inside_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stops asked at random moments: each is raised inside the block that may be stopped, or withdrawn;
    never in another thread, never after the block."""
    escaped: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda hook: escaped.append(hook.exc_value))
    watch = deadline.Watch()
    done = threading.Event()
    outside: list[BaseException] = []

    def work() -> None:
        for _ in range(300):
            try:
                with watch.running(0.002):
                    sorted(str(n) for n in range(300))
                    time.sleep(0)
            except (deadline.Expired, deadline.Stopped):
                pass
            try:
                sum(range(200))  # outside the block: nothing may land here
            except BaseException as error:  # noqa: BLE001
                outside.append(error)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        watch.interrupt(deadline.Stopped)
        time.sleep(0.0005)
    worker.join(timeout=30)
    assert (escaped, outside) == ([], [])
