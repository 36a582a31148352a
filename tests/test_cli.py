"""The command line, run in-process through booklet.cli.main: what it prints and what it returns."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL
from pypdf import PdfReader

from booklet.cli import main
from booklet.project import ROOT

BAD = """\
document:
  title: دليل الهجرة
sections: []
"""


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths print relative to the working directory: run from the project's root."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(autouse=True)
def _notes_logger(notes_logger: None) -> None:
    """main() sets up the "booklet" logger for its notes once per process: undo it after each test."""


def without_notes(err: str) -> list[str]:
    """stderr's lines but the notes (such as WeasyPrint subsetting fonts with fontTools on some machines)."""
    return [line for line in err.splitlines() if not line.startswith("note: ")]


def test_check_default_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert [re.sub(r"\s+\d+ ms$", "", line) for line in lines[:-1]] == ["  loading", "  validating"]
    assert lines[-1] == "data/booklet.yaml: no problems"
    assert err == ""


def test_check_bad_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "booklet.yaml").write_text(BAD, encoding="utf-8")
    assert main(["check", "--data", str(bad)]) == 1
    out, err = capsys.readouterr()
    shown = f"{bad.as_posix()}/booklet.yaml"  # outside the working directory: shown as given
    assert err.splitlines() == [
        f"{shown}:2:3: document.organisation: missing; expected who publishes the booklet; the PDF's author",
        f"{shown}:2:3: document.subject: missing; expected one sentence on what the booklet is about; "
        "the PDF's subject",
        f"{shown}:3:11: sections: is empty; list the booklet's pages, starting with a cover",
        "3 problems",
    ]
    assert "Traceback" not in err
    assert "no problems" not in out


def test_check_relative_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "booklet.yaml").write_text("settings:\n  digits: hindi\n" + BAD, encoding="utf-8")
    assert main(["check", "--data", "bad"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "bad/booklet.yaml:2:11: settings.digits: expected one of 'arabic-indic', 'western', found 'hindi'"
    )
    assert err.splitlines()[-1] == "4 problems"


def test_check_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--data", "nowhere"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "nowhere/booklet.yaml: no such file; the booklet's data starts here",
        "1 problem",
    ]
    assert "Traceback" not in err


def test_check_yaml_error_has_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "booklet.yaml").write_bytes(b"document: [\n\xff\n")
    assert main(["check", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{tmp_path.as_posix()}/booklet.yaml:2:1: byte 0xff is not UTF-8; save the file as UTF-8",
        "1 problem",
    ]


def test_build_bad_data_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """build says that nothing was written (check writes nothing anyway, so it does not say so)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "booklet.yaml").write_text(BAD, encoding="utf-8")
    assert main(["build", "--data", "bad", "--out", "out"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "bad/booklet.yaml:2:3: document.organisation: missing; expected who publishes the booklet; the PDF's author",
        "bad/booklet.yaml:2:3: document.subject: missing; expected one sentence on what the booklet is about; "
        "the PDF's subject",
        "bad/booklet.yaml:3:11: sections: is empty; list the booklet's pages, starting with a cover",
        "3 problems; nothing was written",
    ]
    assert "wrote" not in out
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("command", "options"),
    [("build", ["--edition", "--data", "--out", "--report"]), ("check", ["--data"])],
)
def test_help(command: str, options: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main([command, "--help"])
    assert raised.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m booklet {command}")
    for option in options:
        assert option in out
    if command == "build":
        assert "{print,screen,all}" in out


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--help"])
    assert raised.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "build typeset data/ into the print and screen PDFs" in out
    # The two commands that check say which thing each reads, when to use it, and the make target.
    assert (
        "check check the data (booklet.yaml) for mistakes without typesetting: seconds, while writing (make check)"
        in out
    )
    assert "preflight read the built PDFs back before sending them out" in out
    assert "(make preflight)" in out


def _make(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Make in the project's root: -n prints the commands without running them; -o keeps files as they are."""
    keep = ["-o", ".venv/.installed", "-o", "build/booklet-print.pdf", "-o", "build/booklet-screen.pdf"]
    return subprocess.run(["make", "--no-print-directory", *keep, *arguments], capture_output=True, text=True, cwd=ROOT)


def test_make_check_is_booklet_check_and_make_preflight_the_preflight() -> None:
    assert _make("-n", "check").stdout.splitlines()[-1] == ".venv/bin/python -m booklet check --data data"
    assert _make("-n", "preflight").stdout.splitlines()[-1] == (
        ".venv/bin/python -m booklet preflight --data data --out build"
    )
    # One name each: the old target for the data is gone, not kept as an alias.
    assert "No rule to make target 'check-data'" in _make("-n", "check-data").stderr
    listed = dict(line.split(None, 1) for line in _make("help").stdout.splitlines())
    assert listed["check"] == "Check data/ for mistakes without typesetting: seconds, while writing"
    assert listed["preflight"].startswith("Read the built PDFs back before sending them")


def test_unknown_edition(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["build", "--edition", "ebook"])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert "argument --edition: invalid choice: 'ebook'" in err
    assert "Traceback" not in err


def test_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main([])
    assert raised.value.code == 2
    assert "required: COMMAND" in capsys.readouterr().err


def test_build_screen_edition(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A full build: the screen edition of the smallest booklet, told in lines for a person."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "booklet.yaml").write_text(MINIMAL, encoding="utf-8")
    out_dir = tmp_path / "out"
    assert main(["build", "--edition", "screen", "--data", str(data), "--out", str(out_dir)]) == 0
    out, err = capsys.readouterr()
    assert without_notes(err) == []
    built = ["booklet-cover.png", "booklet-manifest.json", "booklet-screen.pdf", "booklet.html"]
    assert sorted(p.name for p in out_dir.iterdir()) == built
    assert (out_dir / "booklet-screen.pdf").read_bytes().startswith(b"%PDF-")
    assert not (out_dir / "booklet-print.pdf").exists()

    lines = out.splitlines()
    steps = [re.fullmatch(r"  (\S.*?) +(\d+) ms", line) for line in lines[:7]]
    assert all(steps), lines[:7]
    assert [step[1] for step in steps] == [
        "loading",
        "validating",
        "preparing pictures",
        "rendering HTML screen",
        "typesetting screen",
        "writing screen",
        "share image",
    ]
    assert re.fullmatch(rf"wrote {re.escape(out_dir.as_posix())}/booklet-screen\.pdf \(\d+ pages\)", lines[7])
    assert lines[8] == f"wrote {out_dir.as_posix()}/booklet-cover.png (the cover, for sharing)"
    assert re.fullmatch(r"done in \d+\.\d s", lines[9])
    assert len(lines) == 10


def test_build_report_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--report json: stdout is one JSON object (the pipeline's steps, the total, each file written), nothing else."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "booklet.yaml").write_text(MINIMAL, encoding="utf-8")
    out_dir = tmp_path / "out"
    code = main(["build", "--edition", "screen", "--data", str(data), "--out", str(out_dir), "--report", "json"])
    out, err = capsys.readouterr()
    assert (code, without_notes(err)) == (0, [])
    report = json.loads(out)  # the whole of stdout: no line for a person beside it
    assert sorted(report) == ["files", "steps", "total_seconds"]
    assert [step["step"] for step in report["steps"]] == [
        "loading",
        "validating",
        "preparing pictures",
        "rendering HTML screen",
        "typesetting screen",
        "writing screen",
        "share image",
    ]
    assert all(isinstance(step["seconds"], float) and step["seconds"] >= 0 for step in report["steps"])
    assert sum(step["seconds"] for step in report["steps"]) <= report["total_seconds"]
    (written,) = report["files"]
    assert written == {
        "edition": "screen",
        "path": str((out_dir / "booklet-screen.pdf").resolve()),
        "pages": len(PdfReader(out_dir / "booklet-screen.pdf").pages),
        "share_image": str((out_dir / "booklet-cover.png").resolve()),
    }
    assert written["pages"] > 0


def test_build_report_json_bad_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad data with --report json: the problems on stderr as always, exit code 1, no JSON on stdout."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "booklet.yaml").write_text(BAD, encoding="utf-8")
    assert main(["build", "--data", "bad", "--out", "out", "--report", "json"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "bad/booklet.yaml:2:3: document.organisation: missing; expected who publishes the booklet; the PDF's author",
        "bad/booklet.yaml:2:3: document.subject: missing; expected one sentence on what the booklet is about; "
        "the PDF's subject",
        "bad/booklet.yaml:3:11: sections: is empty; list the booklet's pages, starting with a cover",
        "3 problems; nothing was written",
    ]
    assert out == ""
    assert not (tmp_path / "out").exists()


def test_notes_go_to_the_current_stderr_once_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """A later main() (or a program that swaps sys.stderr) prints notes to the stream of that moment."""
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    assert main(["check"]) == 0
    first.close()
    monkeypatch.setattr(sys, "stderr", second)
    assert main(["check"]) == 0
    notes = logging.getLogger("booklet")
    notes.info("Using fontTools instead of HarfBuzz-Subset")
    notes.info("Using fontTools instead of HarfBuzz-Subset")
    notes.info("another note")
    assert second.getvalue() == "note: Using fontTools instead of HarfBuzz-Subset\nnote: another note\n"


def test_notes_are_printed_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run starts afresh: a note printed by an earlier main() is printed again by the next one."""
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    for _ in range(2):
        assert main(["check"]) == 0
        logging.getLogger("booklet").info("a note")
    assert err.getvalue() == "note: a note\nnote: a note\n"
