"""PDFs given to the tools (proof, preflight, impose): whatever sits in the build folder, one clean line naming it.

Empty, foreign, password-protected, encrypted and damaged files are each made
here from the sample's screen edition; a small fuzz test changes a few bytes of
it at random (a fixed number of seeds, each run bounded in time) and asks only
that every tool ends in its own lines: no traceback, no hang.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import pikepdf
import pytest
from hostile_kit import counted

SCREEN = "booklet-screen.pdf"
AGAIN = "delete it and build again (make)"


def _empty(pdf: bytes, folder: Path) -> bytes:
    return b""


def _not_a_pdf(pdf: bytes, folder: Path) -> bytes:
    return b"<html><body>a web page saved under the PDF's name</body></html>\n"


def _half(pdf: bytes, folder: Path) -> bytes:
    return pdf[: len(pdf) // 2]


def _rewritten(pdf: bytes, folder: Path, change, **save: object) -> bytes:  # noqa: ANN001
    source, target = folder / "source.pdf", folder / "changed.pdf"
    source.write_bytes(pdf)
    with pikepdf.open(source) as document:
        change(document)
        document.save(target, **save)
    data = target.read_bytes()
    source.unlink()
    target.unlink()
    return data


def _password(pdf: bytes, folder: Path) -> bytes:
    return _rewritten(pdf, folder, lambda d: None, encryption=pikepdf.Encryption(user="secret", owner="secret"))


def _encrypted(pdf: bytes, folder: Path) -> bytes:
    """Encrypted with an empty user password: every viewer opens it without asking."""
    return _rewritten(pdf, folder, lambda d: None, encryption=pikepdf.Encryption(user="", owner="owner", aes=True))


def _null_annotation(pdf: bytes, folder: Path) -> bytes:
    def change(document: pikepdf.Pdf) -> None:
        for page in document.pages:
            page.obj.Annots = pikepdf.Array([None, *page.obj.get("/Annots", pikepdf.Array())])

    return _rewritten(pdf, folder, change)


def _unknown_filter(pdf: bytes, folder: Path) -> bytes:
    def change(document: pikepdf.Pdf) -> None:
        for page in document.pages:
            contents = page.obj.Contents
            streams = contents if isinstance(contents, pikepdf.Array) else [contents]
            for stream in streams:
                stream.Filter = pikepdf.Name("/BookletDecode")

    return _rewritten(pdf, folder, change)


CASES = {
    "empty": (_empty, f"is empty (0 bytes), perhaps from a full disk; {AGAIN}"),
    "not-a-pdf": (_not_a_pdf, f"is not a PDF (it does not start with %PDF-); {AGAIN}"),
    "password": (_password, f"is protected by a password; the tools read the booklet's own PDFs, {AGAIN}"),
    "encrypted": (_encrypted, f"is encrypted; the tools read the booklet's own PDFs, {AGAIN}"),
}


@pytest.fixture
def folder(sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A build folder holding a copy of the sample's files, as the working directory (paths print as out/...)."""
    out = tmp_path / "out"
    shutil.copytree(sample.out, out, ignore=shutil.ignore_patterns("cache", "proof"))
    monkeypatch.chdir(tmp_path)
    return out


def _spoil(folder: Path, make) -> None:  # noqa: ANN001
    for edition in ("screen", "print"):
        path = folder / f"booklet-{edition}.pdf"
        path.write_bytes(make(path.read_bytes(), folder.parent))


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("tool", ["impose", "proof"])
def test_impose_and_proof_name_the_file(folder: Path, cli, tool: str, case: str) -> None:
    make, message = CASES[case]
    _spoil(folder, make)
    before = sorted(p.name for p in folder.iterdir())
    code, out, err = cli(tool, "--out", "out")
    assert (code, err) == (1, [f"out/{SCREEN}: {message}", counted(1, build=True)])
    assert "wrote" not in out
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.parametrize("case", list(CASES))
def test_preflight_names_the_file(folder: Path, cli, case: str) -> None:
    make, message = CASES[case]
    _spoil(folder, make)
    code, out, err = cli("preflight", "--out", "out")
    rows = [line.split(None, 3) for line in out.splitlines()[1:-1]]
    assert (code, err) == (1, [])
    assert [row[:3] for row in rows] == [["print", "file", "error"], ["screen", "file", "error"]]
    assert [row[3] for row in rows] == [f"out/booklet-print.pdf: {message}", f"out/{SCREEN}: {message}"]
    assert out.splitlines()[-1] == "2 errors, 0 warnings: fix the errors before sending anything"


@pytest.mark.parametrize(
    ("make", "tools"),
    [
        pytest.param(_half, ("impose", "proof", "preflight"), id="cut-in-half"),
        pytest.param(_null_annotation, ("impose", "proof", "preflight"), id="null-in-annots"),
        pytest.param(_unknown_filter, ("impose", "proof", "preflight"), id="unknown-filter"),
    ],
)
def test_damaged_files_end_in_lines_of_their_own(folder: Path, cli, make, tools: tuple[str, ...]) -> None:
    _spoil(folder, make)
    for tool in tools:
        _one_run(cli, tool)


def _one_run(cli, tool: str) -> tuple[int, str, list[str]]:  # noqa: ANN001
    """Run ``tool`` on the damaged folder: its own lines, whatever they say; never a traceback or a hang."""
    start = time.monotonic()
    code, out, err = cli(tool, "--out", "out")
    assert time.monotonic() - start < 60, tool
    assert code in (0, 1), (tool, code)
    if tool == "preflight":
        assert err == []
        assert out.splitlines()[-1].split(":")[0].endswith(("warnings", "warning")), out
    elif code:
        assert err[-1] == counted(len(err) - 1, build=True), err
        assert all(line.startswith(f"out/{SCREEN}: ") for line in err[:-1]), err
    return code, out, err


@pytest.mark.parametrize("seed", range(10))
def test_random_damage(folder: Path, cli, seed: int) -> None:
    """A few bytes changed at random, in the header, the objects or the cross-reference table."""
    rng = random.Random(seed)
    for edition in ("screen", "print"):
        path = folder / f"booklet-{edition}.pdf"
        data = bytearray(path.read_bytes())
        for _ in range(rng.choice((1, 4, 16))):
            where = rng.choice((rng.randrange(0, 1024), rng.randrange(len(data)), len(data) - rng.randrange(1, 512)))
            data[where] = rng.randrange(256)
        path.write_bytes(bytes(data))
    for tool in ("impose", "proof", "preflight"):
        _one_run(cli, tool)
