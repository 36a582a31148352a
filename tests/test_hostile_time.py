"""Time limits: --timeout stops a layout that runs away, wherever the alarm lands, and the old files stay."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from conftest import MINIMAL, edit, write
from hostile_kit import DESIGN, append, counted, in_folder, make_project, old_files, snapshot

import booklet


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return in_folder(tmp_path, monkeypatch)


@pytest.fixture
def design(here: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root in the working directory: copies of layouts/ and fonts/, MINIMAL with a colophon as data."""
    return make_project(here, monkeypatch, DESIGN)


@pytest.fixture
def old_build(here: Path) -> Path:
    return old_files(here)


def test_time_limit(design: Path, cli, old_build: Path) -> None:
    """--timeout stops a layout that runs away (1,000 paragraphs, a page each) with a message; the previous files
    stay as they were. The inline drawings are taken out of the layouts: WeasyPrint's loading of one would
    swallow the alarm (see below)."""
    append(design / "layouts" / "booklet.css", "\n.prose p { break-before: page }\n")
    for drawing in ("pattern.svg", "star.svg"):
        (design / "layouts" / "partials" / drawing).write_text("", encoding="utf-8")
    body = "".join(f"      فقرة رقم {n}\n\n" for n in range(1000))
    source = edit("    title: بناء القدرات\n", "    title: فصل طويل\n    body: |\n" + body)
    write(design / "data", edit("  - kind: cover\n", "", source))  # the cover draws a star inline
    before = snapshot(old_build)
    gc.collect()  # no finalizer of an earlier test's objects may swallow the alarm (see below)
    started = time.perf_counter()
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--timeout", "0.5")
    assert time.perf_counter() - started < 5
    assert (code, err) == (
        1,
        [
            "build: took longer than 0.5 s and was stopped; look for a text or a style that makes the layout "
            "run away, or allow more time with --timeout",
            counted(1, build=True),
        ],
    )
    assert snapshot(old_build) == before
    assert sorted(p.name for p in old_build.iterdir()) == sorted(before)


def test_a_bug_of_the_booklets_own_keeps_its_traceback(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only WeasyPrint's failures become messages about layouts/; the booklet's own bugs must show where they are."""
    from booklet.typeset.typesetter import Typesetter

    def broken(*_args, **_kwargs):
        raise AttributeError("a bug in the finisher")

    monkeypatch.setattr(Typesetter, "_finish", broken)
    write(here / "data", MINIMAL)
    with pytest.raises(AttributeError, match="a bug in the finisher"):
        booklet.build(booklet.Project(here / "data"), here / "out", ["screen"])


def test_time_limit_expiring_while_weasyprint_loads_a_drawing(here: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.html
    import weasyprint.images

    real = weasyprint.images.SVGImage
    slept = []

    def slow(*args, **kwargs):
        if not slept:
            slept.append(True)
            time.sleep(0.5)  # the alarm fires here
        return real(*args, **kwargs)

    # Drawings reach WeasyPrint as images (booklet/typeset/drawings.py); one that
    # cannot stand alone stays an inline SVG: slow down both ways in.
    monkeypatch.setattr(weasyprint.images, "SVGImage", slow)
    monkeypatch.setattr(weasyprint.html, "SVGImage", slow)
    write(here / "data", MINIMAL)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen", "--timeout", "0.2")
    assert (code, err) == (
        1,
        [
            "build: took longer than 0.2 s and was stopped; look for a text or a style that makes the layout "
            "run away, or allow more time with --timeout",
            counted(1, build=True),
        ],
    )


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_time_limit_expiring_in_a_finalizer(here: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A finalizer that runs when the time is up: the alarm must still stop the build."""
    from booklet import pipeline

    class Slow:
        def __del__(self) -> None:
            time.sleep(0.5)  # the alarm fires here

    real_check = pipeline.check

    def check(*args, **kwargs):
        Slow()  # dropped at once: its __del__ runs now
        return real_check(*args, **kwargs)

    monkeypatch.setattr(pipeline, "check", check)
    write(here / "data", MINIMAL)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen", "--timeout", "0.2")
    assert (code, err) == (
        1,
        [
            "build: took longer than 0.2 s and was stopped; look for a text or a style that makes the layout "
            "run away, or allow more time with --timeout",
            counted(1, build=True),
        ],
    )
    assert not (here / "out").exists()
