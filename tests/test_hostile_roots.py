"""Cases kept as small projects on disk: tests/roots/NAME/, one folder a case, run through the command line.

Each folder holds a ``data/`` (booklet.yaml and its pictures), optionally files
ending in ``.append`` under ``layouts/`` (appended to a copy of the project's
file of the same name, starting on a new line: ``{line}`` in the expected lines
is that line's number), and ``expected.txt``: two header lines, ``# command:
check`` or ``# command: build`` (the screen edition) and ``# exit: N``, then
every line the command prints on stderr, exactly (notes aside). Other lines
starting with ``# `` say what the case is (how its picture was made, say).

A check that passes must end by saying so; a build that fails must leave no
PDF. A case that builds may hold ``expected-text.txt`` (lines the screen PDF's
text holds, digits written 0-9) and ``expected-links.txt`` (the addresses of its
links, exactly). The case ids start with what they are about: ``yaml-``,
``text-``, ``path-``, ``links-``, ``values-``, ``layout-``/``layouts-``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FILE, ROOT, ROOTS, page_texts, western
from pypdf import PdfReader

import booklet

CASES = sorted(path.name for path in ROOTS.iterdir() if (path / "expected.txt").is_file())


def _header(lines: list[str], key: str) -> str:
    return next(line.split(":", 1)[1].strip() for line in lines if line.startswith(f"# {key}:"))


def project(name: str, tmp_path: Path) -> tuple[Path, int]:
    """The case ``name`` copied into ``tmp_path``; the first appended line.

    A case that changes layouts/ gets copies of layouts/ and fonts/ beside its
    data; the others are built with the project's own.
    """
    case = ROOTS / name
    shutil.copytree(case / "data", tmp_path / "data")
    if not (case / "layouts").is_dir():
        return ROOT, 0
    for folder in ("layouts", "fonts"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    line = 0
    for addition in sorted((case / "layouts").rglob("*.append")):
        target = tmp_path / "layouts" / addition.relative_to(case / "layouts").with_suffix("")
        before = target.read_text(encoding="utf-8")
        line = before.count("\n") + 1
        target.write_text(before + addition.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path, line


@pytest.mark.parametrize("name", CASES)
def test_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    lines = (ROOTS / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    command, exit_code = _header(lines, "command"), int(_header(lines, "exit"))
    root, line = project(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("booklet.cli.Project", lambda data: booklet.Project(data, root=root))
    argv = ["check", "--data", "data"]
    if command == "build":
        argv = ["build", "--data", "data", "--out", "out", "--edition", "screen"]
    code, out, err = cli(*argv)
    expected = [entry.replace("{line}", str(line)) for entry in lines if not entry.startswith("# ")]
    assert (code, err) == (exit_code, expected)
    pdf = tmp_path / "out" / "booklet-screen.pdf"
    if command == "check" and exit_code == 0:
        assert out.splitlines()[-1] == f"{FILE}: no problems"
    if command == "build" and exit_code != 0:
        assert not pdf.exists()
    if (texts := ROOTS / name / "expected-text.txt").is_file():
        text = western(" ".join(page_texts(pdf))).replace(",", "").replace("\u066c", "")  # thousands separators aside
        for wanted in texts.read_text(encoding="utf-8").splitlines():
            assert wanted in text, wanted
    if (addresses := ROOTS / name / "expected-links.txt").is_file():
        assert _links(pdf) == addresses.read_text(encoding="utf-8").splitlines()


def _links(pdf: Path) -> list[str]:
    """The address of every link of ``pdf``, page by page."""
    found = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def test_every_case_has_data() -> None:
    assert CASES, "no cases under tests/roots/"
    for name in CASES:
        assert (ROOTS / name / "data" / "booklet.yaml").is_file(), name
