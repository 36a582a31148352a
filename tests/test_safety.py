"""What the build may read, and what a failed build leaves behind."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL

import booklet
from booklet.project import ROOT
from booklet.typeset.fetcher import ProjectFetcher

PASSWD = Path("/etc/passwd")
OUTSIDE = "is outside the folders the booklet may read (layouts/)"
NETWORK = "only files inside the project are read, never the network"
DATA_URL = "only files inside the project are read, not data: URLs"

# The fetcher on its own.


@pytest.fixture
def layouts(tmp_path: Path) -> Path:
    folder = tmp_path / "layouts"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "mark.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "secret.txt").write_text("secret\n")
    return folder


def test_serves_file_inside_root(layouts: Path) -> None:
    fetcher = ProjectFetcher([layouts])
    response = fetcher.fetch((layouts / "images" / "mark.png").as_uri())
    assert response.read() == b"\x89PNG\r\n\x1a\n"
    assert response.content_type == "image/png"
    assert fetcher.refused == []


def test_serves_file_with_query_and_fragment(layouts: Path) -> None:
    fetcher = ProjectFetcher([layouts])
    response = fetcher((layouts / "images" / "mark.png").as_uri() + "?v=2#top")
    assert response.read() == b"\x89PNG\r\n\x1a\n"


def test_serves_from_every_root(tmp_path: Path, layouts: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    fetcher = ProjectFetcher([layouts, data])
    assert fetcher.fetch((data / "photo.jpg").as_uri()).read() == b"\xff\xd8\xff"


def test_serves_symlink_inside_root(layouts: Path) -> None:
    (layouts / "alias.png").symlink_to(layouts / "images" / "mark.png")
    assert ProjectFetcher([layouts]).fetch((layouts / "alias.png").as_uri()).read() == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        pytest.param(PASSWD.as_uri(), OUTSIDE, id="etc-passwd"),
        pytest.param("file://localhost/etc/passwd", OUTSIDE, id="etc-passwd-localhost"),
        pytest.param("file://example.org/etc/passwd", NETWORK, id="file-url-with-host"),
        pytest.param("https://example.org/x.png", NETWORK, id="https"),
        pytest.param("http://example.org/x.png", NETWORK, id="http"),
        pytest.param("ftp://example.org/x.png", NETWORK, id="ftp"),
        pytest.param("data:image/png;base64,iVBORw0KGgo=", DATA_URL, id="data"),
        pytest.param(
            "javascript:alert(1)", "only files inside the project are read, not javascript: URLs", id="javascript"
        ),
    ],
)
def test_refuses_url(layouts: Path, url: str, reason: str) -> None:
    fetcher = ProjectFetcher([layouts])
    with pytest.raises(PermissionError, match=re.escape(reason)):
        fetcher.fetch(url)
    assert fetcher.refused == [(url, reason)]


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        pytest.param("../secret.txt", OUTSIDE, id="dot-dot"),
        pytest.param("images/../../secret.txt", OUTSIDE, id="dot-dot-inside-path"),
        pytest.param("%2e%2e/secret.txt", OUTSIDE, id="percent-encoded-dot-dot"),
        pytest.param("images/link.txt", OUTSIDE, id="symlink-outside"),
        pytest.param("images/missing.png", "no such file", id="missing"),
        pytest.param("images", "is not a file", id="directory"),
    ],
)
def test_refuses_path(layouts: Path, relative: str, reason: str) -> None:
    (layouts / "images" / "link.txt").symlink_to(layouts.parent / "secret.txt")
    url = f"{layouts.as_uri()}/{relative}"
    fetcher = ProjectFetcher([layouts])
    with pytest.raises(PermissionError, match=re.escape(reason)):
        fetcher.fetch(url)
    assert fetcher.refused == [(url, reason)]


def test_refused_urls_accumulate(layouts: Path) -> None:
    fetcher = ProjectFetcher([layouts])
    for url in ("https://example.org/a.css", PASSWD.as_uri()):
        with pytest.raises(PermissionError):
            fetcher.fetch(url)
    assert fetcher.refused == [("https://example.org/a.css", NETWORK), (PASSWD.as_uri(), OUTSIDE)]


# Failed builds.

#: A small booklet with a colophon, so that layouts/sections/colophon.html is used; it lays out in 0.1 s.
SMALL = MINIMAL.replace(
    "  - kind: cover\n", "  - kind: cover\n  - kind: colophon\n    body: صدر هذا التقرير عن البعثة.\n"
)
READABLE = "is outside the folders the booklet may read (layouts/, data/, fonts/)"


def leftovers(out_dir: Path) -> list[str]:
    return sorted(p.name for p in out_dir.glob(".booklet*.tmp"))


def snapshot(out_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out_dir.iterdir())}


@pytest.fixture
def old_build(tmp_path: Path) -> Path:
    """An out folder holding the files of an earlier build."""
    out_dir = tmp_path / "build"
    out_dir.mkdir()
    (out_dir / "booklet-print.pdf").write_bytes(b"%PDF-1.7 old print edition")
    (out_dir / "booklet-screen.pdf").write_bytes(b"%PDF-1.7 old screen edition")
    (out_dir / "booklet.html").write_text("<p>old html</p>")
    return out_dir


def test_invalid_data_leaves_old_files(tmp_path: Path, old_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "booklet.yaml").read_text(encoding="utf-8")
    assert text.count("page_size: A5") == 1
    (data / "booklet.yaml").write_text(text.replace("page_size: A5", "page_size: A3"), encoding="utf-8")
    before = snapshot(old_build)
    with pytest.raises(booklet.BookletError) as raised:
        booklet.build(booklet.Project(data), old_build, ["print", "screen"])
    assert [str(p) for p in raised.value.problems] == [
        "data/booklet.yaml:6:14: settings.page_size: expected one of 'A5', 'A4', found 'A3'"
    ]
    assert snapshot(old_build) == before
    assert leftovers(old_build) == []


def test_invalid_data_creates_no_out_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "booklet.yaml").write_text("")
    with pytest.raises(booklet.BookletError):
        booklet.build(booklet.Project(data), tmp_path / "build", ["screen"])
    assert not (tmp_path / "build").exists()


def project_with(tmp_path: Path, file: str, addition: str, *, before: bool = False) -> booklet.Project:
    """A project root in tmp_path: SMALL as data, copies of layouts/ and fonts/, ``addition`` in layouts/``file``."""
    root = tmp_path / "project"
    for folder in ("layouts", "fonts"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "data").mkdir()
    (root / "data" / "booklet.yaml").write_text(SMALL, encoding="utf-8")
    path = root / "layouts" / file
    text = path.read_text(encoding="utf-8")
    path.write_text(addition + text if before else text + addition, encoding="utf-8")
    return booklet.Project(root / "data", root=root)


def test_small_project_builds(tmp_path: Path) -> None:
    """The baseline of the failing builds below: without the addition, the project builds."""
    project = project_with(tmp_path, "sections/colophon.html", "")
    (built,) = booklet.build(project, tmp_path / "build", ["screen"])
    assert built.path.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [
        "booklet-cover.png",
        "booklet-manifest.json",
        "booklet-screen.pdf",
        "booklet.html",
    ]


# A character that no font in fonts/ has (nor DejaVu, often the only system
# font): the layout succeeds and the problem shows when the PDF is written.
UNCOVERED_IN_LAYOUT = ("sections/colophon.html", "<p>移民</p>\n")


def test_failed_write_leaves_old_pdfs(tmp_path: Path, old_build: Path) -> None:
    project = project_with(tmp_path, *UNCOVERED_IN_LAYOUT)
    before = snapshot(old_build)
    with pytest.raises(booklet.BookletError) as raised:
        booklet.build(project, old_build, ["screen"])
    assert any("U+79FB" in p.message or "system font" in p.message for p in raised.value.problems)
    after = snapshot(old_build)
    assert after["booklet-print.pdf"] == before["booklet-print.pdf"]
    assert after["booklet-screen.pdf"] == before["booklet-screen.pdf"]
    assert leftovers(old_build) == []


def test_failed_write_leaves_old_html(tmp_path: Path, old_build: Path) -> None:
    """booklet.html is moved into place with the PDFs, after all are written: a failure leaves the old one."""
    project = project_with(tmp_path, *UNCOVERED_IN_LAYOUT)
    before = snapshot(old_build)
    with pytest.raises(booklet.BookletError):
        booklet.build(project, old_build, ["screen"])
    assert snapshot(old_build) == before
    assert leftovers(old_build) == []


LONG_URL = "https://example.org/" + "x" * 200
#: The line of an addition that starts with a blank line, at the end of layouts/booklet.css.
CSS_END = (ROOT / "layouts" / "booklet.css").read_text(encoding="utf-8").count("\n") + 2
SCREEN_END = (ROOT / "layouts" / "screen.css").read_text(encoding="utf-8").count("\n") + 2

#: (file in layouts/, text added to it, added before the text?, the URL refused, the reason). A url() in a
#: stylesheet is refused as written there; one in the HTML, once WeasyPrint has made it a full URL.
LAYOUT_PROBLEMS = [
    pytest.param(
        "sections/colophon.html",
        '<img src="file:///etc/passwd">\n',
        False,
        PASSWD.as_uri(),
        READABLE,
        id="img-file-url",
    ),
    pytest.param(
        "sections/colophon.html", '<img src="/etc/passwd">\n', False, PASSWD.as_uri(), READABLE, id="img-absolute"
    ),
    # Attachments are read while the PDF is written, after the layout.
    pytest.param(
        "sections/colophon.html",
        '<link rel="attachment" href="file:///etc/passwd">\n',
        False,
        PASSWD.as_uri(),
        READABLE,
        id="attachment",
    ),
    # A drawing with a title reaches WeasyPrint as an image of itself
    # (booklet/typeset/drawings.py): what it refers to goes through the same door.
    pytest.param(
        "sections/colophon.html",
        '<p><svg width="8" height="8" viewBox="0 0 1 1"><title>t</title>'
        '<image href="file:///etc/passwd" width="1" height="1"/></svg></p>\n',
        False,
        PASSWD.as_uri(),
        READABLE,
        id="drawing-image-file-url",
    ),
    pytest.param(
        "sections/colophon.html",
        '<p><svg width="8" height="8" viewBox="0 0 1 1">'
        '<image href="file:///etc/passwd" width="1" height="1"/></svg></p>\n',
        False,
        PASSWD.as_uri(),
        READABLE,
        id="inline-drawing-image-file-url",
    ),
    # Only the data: URLs of the booklet's own drawings are read.
    pytest.param(
        "sections/colophon.html",
        '<img alt="x" src="data:image/svg+xml;base64,PHN2Zy8+">\n',
        False,
        "data:image/svg+xml;base64,PHN2Zy8+",
        DATA_URL,
        id="img-data-url",
    ),
    pytest.param(
        "sections/colophon.html",
        '<img src="https://example.org/x.png">\n',
        False,
        "https://example.org/x.png",
        NETWORK,
        id="img-https",
    ),
    pytest.param(
        "booklet.css",
        "@import url(https://example.org/x.css);\n",
        True,
        "https://example.org/x.css",
        NETWORK,
        id="css-import-https",
    ),
    pytest.param(
        "booklet.css",
        "\nbody { background: url(/etc/passwd); }\n",
        False,
        "/etc/passwd",
        READABLE,
        id="css-background-absolute",
    ),
    pytest.param(
        "booklet.css",
        "\nbody { background: url(../../../../../../../../etc/passwd); }\n",
        False,
        "../../../../../../../../etc/passwd",
        READABLE,
        id="css-background-dot-dot",
    ),
    pytest.param(
        "booklet.css",
        '\n@font-face { font-family: "Booklet Naskh"; src: url(/etc/passwd); }\n',
        False,
        "/etc/passwd",
        READABLE,
        id="css-font-face",
    ),
    pytest.param(
        "screen.css",
        "\nbody { background: url(data:image/png;base64,iVBORw0KGgo=); }\n",
        False,
        "data:image/png;base64,iVBORw0KGgo=",
        DATA_URL,
        id="css-data-url",
    ),
]


@pytest.mark.parametrize(("file", "addition", "before", "url", "reason"), LAYOUT_PROBLEMS)
def test_layout_reading_outside_fails_and_leaks_nothing(
    tmp_path: Path, old_build: Path, file: str, addition: str, before: bool, url: str, reason: str
) -> None:
    project = project_with(tmp_path, file, addition, before=before)
    old = snapshot(old_build)
    with pytest.raises(booklet.BookletError) as raised:
        booklet.build(project, old_build, ["screen"])
    assert f"cannot read {url}: {reason}" in [p.message for p in raised.value.problems]
    assert snapshot(old_build) == old
    assert leftovers(old_build) == []
    if PASSWD.is_file():
        first_line = PASSWD.read_bytes().splitlines()[0]
        for path in old_build.rglob("*"):
            assert first_line not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("file", "addition", "before", "expected"),
    [
        pytest.param(
            "sections/colophon.html",
            '<img src="file:///etc/passwd">\n<img src="https://example.org/x.png">\n',
            False,
            [
                f"booklet.html (screen edition): cannot read {PASSWD.as_uri()}: {READABLE}",
                f"booklet.html (screen edition): cannot read https://example.org/x.png: {NETWORK}",
            ],
            id="every-refusal-reported",
        ),
        pytest.param(
            "booklet.css",
            "@import url(https://example.org/x.css);\n",
            True,
            [f"layouts/booklet.css:1:9: cannot read https://example.org/x.css: {NETWORK}"],
            id="import-names-the-stylesheet",
        ),
        pytest.param(
            "booklet.css",
            f"@import url({LONG_URL});\n",
            True,
            [f"layouts/booklet.css:1:9: cannot read {LONG_URL[:97]}...: {NETWORK}"],
            id="long-url-shortened",
        ),
        pytest.param(
            "booklet.css",
            "\nbody { background: url(/etc/passwd); }\n",
            False,
            [f"layouts/booklet.css:{CSS_END}:20: cannot read /etc/passwd: {READABLE}"],
            id="background-names-the-stylesheet",
        ),
        pytest.param(
            "screen.css",
            '\nbody { list-style-image: url("data:image/png;base64,iVBORw0KGgo="); }\n',
            False,
            [f"layouts/screen.css:{SCREEN_END}:26: cannot read data:image/png;base64,iVBORw0KGgo=: {DATA_URL}"],
            id="edition-stylesheet-quoted-url",
        ),
        pytest.param(
            "booklet.css",
            "\n/* body { background: url(/etc/passwd); } */\n"
            '\n@font-face { font-family: "Booklet Naskh"; src: url(/etc/passwd), url("https://example.org/x"); }\n',
            False,
            [
                f"layouts/booklet.css:{CSS_END + 2}:49: cannot read /etc/passwd: {READABLE}",
                f"layouts/booklet.css:{CSS_END + 2}:67: cannot read https://example.org/x: {NETWORK}",
            ],
            id="every-url-of-a-stylesheet-not-comments",
        ),
        pytest.param(
            "booklet.css",
            "\nbody { background: url(/etc/passwd); colr: red; }\n",
            False,
            [
                f"layouts/booklet.css:{CSS_END}:20: cannot read /etc/passwd: {READABLE}",
                f"layouts/booklet.css:{CSS_END}:38: ignored `colr: red`, unknown property",
            ],
            id="refusal-beside-other-stylesheet-problems",
        ),
        pytest.param(
            "sections/colophon.html",
            '<link rel="attachment" href="file:///etc/passwd">\n',
            False,
            [f"booklet.html (screen edition): cannot read {PASSWD.as_uri()}: {READABLE}"],
            id="attachment-reported-once",
        ),
    ],
)
def test_refusal_lines(tmp_path: Path, file: str, addition: str, before: bool, expected: list[str]) -> None:
    project = project_with(tmp_path, file, addition, before=before)
    with pytest.raises(booklet.BookletError) as raised:
        booklet.build(project, tmp_path / "build", ["screen"])
    assert [str(p) for p in raised.value.problems] == expected
