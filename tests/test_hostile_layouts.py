"""Layouts decide what is printed, never what is read: links out of layouts/, data/ and fonts/ are refused.

Every file the pipeline reads itself (the templates and their includes, the
stylesheets, charts.css, the icons, booklet.yaml, the fonts) goes through the
same checks as WeasyPrint's reads: a regular file whose real path stays in its
folder. Each case pins the exact lines and that nothing of the outside file
reached the output. (Sandboxed templates: tests/roots/layouts-sandbox-*.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FILE
from hostile_kit import counted, make_project, outside

SECRET = "SECRET-OUTSIDE-THE-PROJECT"
LEADS_OUT = "leads outside {folder}/ (through a link); copy the file into {folder}/ instead"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def _nothing_of(folder: Path, text: str) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert text.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("link", "target", "expected"),
    [
        pytest.param(
            "layouts/partials/pattern.svg",
            "secret.svg",
            f"layouts/partials/pattern.svg: {LEADS_OUT.format(folder='layouts')}",
            id="included-partial",
        ),
        pytest.param(
            "layouts/sections/back-cover.html",
            "secret.html",
            f"layouts/sections/back-cover.html: {LEADS_OUT.format(folder='layouts')}",
            id="section-template",
        ),
        pytest.param(
            "layouts/screen.css",
            "secret.css",
            f"layouts/screen.css: {LEADS_OUT.format(folder='layouts')}",
            id="edition-stylesheet",
        ),
        pytest.param(
            "layouts/charts.css",
            "secret.css",
            f"layouts/charts.css: {LEADS_OUT.format(folder='layouts')}",
            id="charts-css",
        ),
    ],
)
def test_a_link_out_of_layouts_is_refused(
    project: Path, tmp_path: Path, cli, link: str, target: str, expected: str
) -> None:
    secrets = outside(tmp_path)
    (project / link).unlink()
    (project / link).symlink_to(secrets / target)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (1, [expected, counted(1, build=True)])
    assert not (project / "out" / "booklet-screen.pdf").exists()
    if (project / "out").exists():
        _nothing_of(project / "out", SECRET)


def test_a_linked_icon_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    source = (
        "document:\n  title: ع\n  organisation: م\n  subject: ت\nsections:\n  - kind: chapter\n    title: ب\n"
        "    figures:\n      - value: 3\n        label: عدد\n        icon: flag\n"
    )
    project = make_project(tmp_path, monkeypatch, source)
    secrets = outside(tmp_path)
    (project / "layouts/icons/flag.svg").unlink()
    (project / "layouts/icons/flag.svg").symlink_to(secrets / "secret.svg")
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (1, [f"layouts/icons/flag.svg: {LEADS_OUT.format(folder='layouts')}", counted(1, True)])


def test_a_link_to_a_file_inside_layouts_is_followed(project: Path, cli) -> None:
    """Links inside the folder are fine: a designer may share a partial under two names."""
    (project / "layouts/partials/pattern-copy.svg").write_bytes((project / "layouts/partials/pattern.svg").read_bytes())
    (project / "layouts/partials/pattern.svg").unlink()
    (project / "layouts/partials/pattern.svg").symlink_to("pattern-copy.svg")
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (0, [])


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(
            lambda file, secrets: file.symlink_to("/etc/passwd"),
            f"{FILE}: {LEADS_OUT.format(folder='data')}",
            id="link-to-etc-passwd",
        ),
        pytest.param(
            lambda file, secrets: file.symlink_to("/dev/zero"),
            f"{FILE}: {LEADS_OUT.format(folder='data')}",
            id="link-to-dev-zero",
        ),
        pytest.param(
            lambda file, secrets: os.mkfifo(file),
            f"{FILE}: is not a regular file (a device, a pipe or a folder); put a file here",
            id="fifo",
        ),
        pytest.param(
            lambda file, secrets: (file.parent / "inner").mkdir() or file.symlink_to("inner"),
            f"{FILE}: is not a regular file (a device, a pipe or a folder); put a file here",
            id="link-to-a-folder",
        ),
        pytest.param(
            lambda file, secrets: file.symlink_to(secrets / "secret.txt"),
            f"{FILE}: {LEADS_OUT.format(folder='data')}",
            id="link-out-of-the-project",
        ),
        pytest.param(
            lambda file, secrets: file.symlink_to("booklet.yaml"),
            f"{FILE}: cannot be opened: a loop of links",
            id="link-to-itself",
        ),
    ],
)
def test_booklet_yaml_that_is_not_a_file_inside_data(project: Path, tmp_path: Path, cli, make, expected: str) -> None:
    file = project / "data" / "booklet.yaml"
    file.unlink()
    make(file, outside(tmp_path))
    code, _out, err = cli("check", "--data", "data")  # a FIFO would block here without the check
    assert (code, err) == (1, [expected, counted(1, build=False)])
    assert "root:" not in " ".join(err)


def test_a_linked_font_is_refused_before_it_is_read(project: Path, tmp_path: Path, cli) -> None:
    secrets = outside(tmp_path)
    (project / "fonts/NotoSans-Bold.ttf").unlink()
    (project / "fonts/NotoSans-Bold.ttf").symlink_to(secrets / "secret.txt")
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (1, [f"fonts/NotoSans-Bold.ttf: {LEADS_OUT.format(folder='fonts')}", counted(1, False)])


def test_a_font_that_is_a_fifo_does_not_hang(project: Path, cli) -> None:
    os.mkfifo(project / "fonts/Extra.ttf")
    code, _out, err = cli("check", "--data", "data")
    message = "is not a regular file (a device, a pipe or a folder); put a file here"
    assert (code, err) == (1, [f"fonts/Extra.ttf: {message}", counted(1, False)])
