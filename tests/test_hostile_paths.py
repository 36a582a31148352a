"""Paths: what is not a file inside data/ is refused before it is read, and nothing outside reaches an output.

Paths that need a link, a pipe or an empty folder on disk are made here; the
others are small projects under tests/roots/ (``path-``).
"""

from __future__ import annotations

import io
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from conftest import NOT_INSIDE, ROOT, edit, page_texts, write
from hostile_kit import PICTURE, SRC, check_gives, in_folder, png_claiming, quoted
from PIL import Image

import booklet


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return in_folder(tmp_path, monkeypatch)


def _outside_picture(data: Path) -> None:
    """data/images/pictures: a link to a folder beside data/ that holds cover.png."""
    (data.parent / "outside" / "images").mkdir(parents=True)
    (data.parent / "outside" / "images" / "cover.png").write_bytes(png_claiming(4, 4))
    (data / "images").mkdir()
    (data / "images" / "pictures").symlink_to(data.parent / "outside" / "images")


CASES = [
    pytest.param(
        PICTURE.format(src="images/passwd.png"),
        lambda data: (data / "images").mkdir() or (data / "images" / "passwd.png").symlink_to("/etc/passwd"),
        [f"{SRC} 'images/passwd.png' leads outside data/ (through a link); copy the picture into data/"],
        id="path-symlink-to-absolute",
    ),
    pytest.param(
        PICTURE.format(src="images/pictures/cover.png"),
        _outside_picture,
        [f"{SRC} 'images/pictures/cover.png' leads outside data/ (through a link); copy the picture into data/"],
        id="path-symlinked-folder-outside",
    ),
    pytest.param(
        PICTURE.format(src="images/a.png"),
        lambda data: (
            (data / "images").mkdir()
            or (data / "images" / "a.png").symlink_to("b.png")
            or (data / "images" / "b.png").symlink_to("a.png")
        ),
        [f"{SRC} no such file 'images/a.png' in data/"],
        id="path-symlink-loop",
    ),
    pytest.param(
        PICTURE.format(src="images/pipe.png"),
        lambda data: (data / "images").mkdir() or os.mkfifo(data / "images" / "pipe.png"),
        [f"{SRC} 'images/pipe.png' is not a file; name a picture file"],
        id="path-fifo",
    ),
    pytest.param(
        PICTURE.format(src="images/folder.png"),
        lambda data: (data / "images" / "folder.png").mkdir(parents=True),
        [f"{SRC} 'images/folder.png' is not a file; name a picture file"],
        id="path-directory-named-like-a-picture",
    ),
    pytest.param(
        PICTURE.format(src="images/" + "ب" * 200 + ".png"),
        lambda data: (data / "images").mkdir(),
        [f"{SRC} 'images/{'ب' * 200}.png' cannot be opened: File name too long; rename the file"],
        id="path-name-too-long",
    ),
]


@pytest.mark.parametrize(("source", "setup", "expected"), CASES)
def test_check(here: Path, cli, source: str, setup, expected: list[str]) -> None:
    check_gives(here, cli, source, setup, expected)


# --- proof: nothing outside the project reaches an output file ------------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> tuple[Path, str]:
    """tmp_path/secret/, outside the project, holding a unique token as text, as an SVG and as a stylesheet."""
    token = f"TOKEN-{uuid.uuid4().hex}"
    folder = tmp_path / "secret"
    folder.mkdir()
    (folder / "secret.txt").write_text(token + "\n")
    (folder / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text y="30">{token}</text></svg>'
    )
    (folder / "secret.css").write_text(f'body::before {{ content: "{token}" }}\n')
    return folder, token


def _every_byte(out: Path) -> Iterator[tuple[str, bytes]]:
    """Every output file's bytes; for PDFs also every object and stream decompressed, and the text drawn."""
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        yield path.name, raw
        if raw.startswith(b"%PDF"):
            with pikepdf.open(path) as pdf:
                expanded = io.BytesIO()
                pdf.save(
                    expanded,
                    qdf=True,
                    compress_streams=False,
                    stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
                    object_stream_mode=pikepdf.ObjectStreamMode.disable,
                )
                yield f"{path.name} (expanded)", expanded.getvalue()
            yield f"{path.name} (text)", "".join(page_texts(path)).encode()


def _leaks(out: Path, token: str) -> list[str]:
    if not out.exists():
        return []
    return [name for name, content in _every_byte(out) if token.encode() in content]


def test_nothing_outside_the_project_reaches_the_output(here: Path, secret: tuple[Path, str]) -> None:
    """Point the data and the layouts at a secret outside the project in every way: each build succeeds or fails
    cleanly, and the secret's token is in no byte of any output file (PDFs expanded, their text, HTML, PNG,
    cache)."""
    folder, token = secret
    data, out = here / "data", here / "out"
    url = (folder / "secret.txt").as_uri()
    svg_url = (folder / "secret.svg").as_uri()
    secret_css = (folder / "secret.css").as_uri()
    (data / "images").mkdir()
    Image.new("RGB", (60, 40), (0, 51, 160)).save(data / "images" / "photo.png")
    (data / "images" / "link.svg").symlink_to(folder / "secret.svg")
    (data / "images" / "up").symlink_to(folder)
    ns = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="50"'
    (data / "images" / "use.svg").write_text(f'<svg {ns}><use href="{svg_url}#x"/><rect width="9" height="9"/></svg>')
    (data / "images" / "image.svg").write_text(f'<svg {ns}><image href="{svg_url}" width="99" height="20"/></svg>')
    (data / "images" / "relative.svg").write_text(
        f'<svg {ns}><image xlink:href="../../secret/secret.svg" width="99" height="20"/></svg>'
    )
    (data / "images" / "xxe.svg").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "{url}">]>\n<svg {ns}><text y="20">&x;</text></svg>'
    )
    hostile_text = (
        f'[رابط]({url}) ![صورة]({svg_url}) <img src="{svg_url}"> <link rel="attachment" href="{url}"> '
        f'<object data="{url}"></object> [نسبي](../secret/secret.txt)'
    )

    def chapter_picture(src: str, focus: str = "center") -> str:
        return f"    image:\n      src: {src}\n      alt: صورة\n      focus: {quoted(focus)}\n"

    def source(picture_block: str = "", body: str = "شكرا لكم") -> str:
        return edit("    title: بناء القدرات\n", "    title: بناء القدرات\n" + picture_block).replace(
            "    body: شكرا لكم\n", f"    body: {quoted(body)}\n"
        )

    outcomes: dict[str, str] = {}

    def attempt(name: str, text: str, project_root: Path = ROOT) -> None:
        write(data, text)
        try:
            booklet.build(booklet.Project(data, root=project_root), out, ["print", "screen"])
            outcomes[name] = "built"
        except booklet.BookletError as error:
            outcomes[name] = "; ".join(p.message for p in error.problems)
        assert _leaks(out, token) == [], name

    # Data that passes validation and carries the secret's address in its text, and pictures that point at it.
    attempt("markup", source(chapter_picture("images/photo.png"), body=hostile_text))
    attempt("svg-use", source(chapter_picture("images/use.svg")))
    attempt("svg-image", source(chapter_picture("images/image.svg")))
    attempt("svg-relative", source(chapter_picture("images/relative.svg")))
    attempt("svg-entity", source(chapter_picture("images/xxe.svg")))
    attempt("focus-css", source(chapter_picture("images/photo.png", f"center; background-image: url({svg_url})")))
    # Paths out of data/: refused before anything is read.
    for name, src in {
        "dot-dot": "../secret/secret.svg",
        "absolute": str(folder / "secret.svg"),
        "file-url": svg_url,
        "symlink": "images/link.svg",
        "symlinked-folder": "images/up/secret.svg",
    }.items():
        attempt(name, source(chapter_picture(src)))

    # Layouts (copies) that point at it: url() in CSS, @import, @font-face, a link into layouts/, and in a
    # template <link rel=attachment>, <a rel=attachment> and <img>.
    def design(name: str, file: str, addition: str, before: bool = False) -> Path:
        root = here / name
        for folder_name in ("layouts", "fonts"):
            shutil.copytree(ROOT / folder_name, root / folder_name)
        (root / "layouts" / "secret-link.txt").symlink_to(folder / "secret.txt")
        path = root / "layouts" / file
        text = path.read_text(encoding="utf-8")
        path.write_text(addition + text if before else text + addition, encoding="utf-8")
        return root

    css = (
        f"\n.cover {{ background: url({svg_url}) }}\n.chapter {{ background: url(../../secret/secret.svg) }}\n"
        f"@font-face {{ font-family: x; src: url({url}) }}\n.back-cover {{ background: url(secret-link.txt) }}\n"
    )
    attempt("css-url", source(), design("css-url", "booklet.css", css))
    attempt("css-import", source(), design("css-import", "print.css", f"@import url({secret_css});\n", True))
    attachments = f'<link rel="attachment" href="{url}"><a rel="attachment" href="{url}">ملحق</a>\n'
    attempt("attachments", source(), design("attachments", "sections/back-cover.html", attachments))
    picture_tag = f'<img src="{svg_url}"><object data="{url}"></object><embed src="{url}">\n'
    attempt("img", source(), design("img", "sections/back-cover.html", picture_tag))

    # Every attempt that read nothing of the secret's was refused for it, or built without it.
    assert outcomes["markup"].count("is not a web or mail address") == 3, outcomes["markup"]
    assert outcomes["svg-use"] == "built"
    assert outcomes["css-url"].count("cannot read") == 4, outcomes["css-url"]
    assert outcomes["css-import"].count("cannot read") == 1, outcomes["css-import"]
    assert outcomes["attachments"].count("cannot read") >= 1, outcomes["attachments"]
    assert outcomes["img"].count("cannot read") >= 1, outcomes["img"]
    for name in ("dot-dot", "absolute", "file-url"):
        assert NOT_INSIDE in outcomes[name], outcomes[name]
    assert "leads outside data/ (through a link)" in outcomes["symlink"], outcomes["symlink"]


def test_a_link_written_as_code_is_text_and_one_in_a_list_is_still_judged() -> None:
    """The links check reads Markdown with the very rules the booklet renders it with: `[n](../notes.txt)` in
    backticks prints as code, not a link, so it is never refused; a link in a list item or a quote is still read."""
    from booklet.data import links

    assert links.refused("اكتب `[n](../notes.txt)` كما هي") == []
    refused = links.refused("- [ملاحظات](../notes.txt)\n\n> [سر](file:///etc/passwd)\n")
    assert len(refused) == 2
    assert all("is not a web or mail address" in line for line in refused)
