"""Pictures from every side: each kind Pillow opens prepared right or refused with a reason, memory and time
bounded, library warnings kept off the terminal, and the cache of prepared copies written all or nothing."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, write
from hostile_kit import PICTURE, SRC, counted, limited
from PIL import Image

import booklet
from booklet.typeset import fetcher, picturecache, svgcheck

CMYK_PROFILE = ROOT / "layouts" / "color" / "booklet-cmyk.icc"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "images").mkdir(parents=True)
    return tmp_path


def _with_picture(here: Path, name: str, content: bytes | None = None) -> Path:
    path = here / "data" / "images" / name
    if content is not None:
        path.write_bytes(content)
    write(here / "data", PICTURE.format(src=f"images/{name}"))
    return path


def _encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def _images(pdf: Path) -> list[pikepdf.PdfImage]:
    with pikepdf.open(pdf) as document:
        found = []
        for page in document.pages:
            for _name, raw in page.get_images().items():
                found.append(pikepdf.PdfImage(raw))
        return [(image.colorspace, image.width, image.height, image.as_pil_image().copy()) for image in found]


def _grey16() -> bytes:
    image = Image.new("I;16", (64, 48))
    image.putdata([column * 1000 for _row in range(48) for column in range(64)])  # 0 to 63,000, left to right
    return _encoded(image, "PNG")


def _rgb_with_cmyk_profile() -> bytes:
    return _encoded(Image.new("RGB", (64, 48), (200, 30, 30)), "JPEG", icc_profile=CMYK_PROFILE.read_bytes())


def _broken_exif_jpeg() -> bytes:
    # An IFD entry whose value points past the end of the block: Pillow warns "Corrupt EXIF data".
    exif = b"Exif\0\0MM\0*\0\0\0\x08\0\x05\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\xff\xff\xff\xff"
    return _encoded(Image.new("RGB", (64, 48), (30, 120, 200)), "JPEG", exif=exif)


# --- every kind of pixels: prepared right ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "colours"),
    [
        pytest.param("grey16.png", _grey16, {"/DeviceGray"}, id="16-bit-grey"),
        pytest.param(
            "palette.png",
            lambda: _encoded(Image.new("RGB", (64, 48), (0, 90, 160)).convert("P"), "PNG"),
            {"/DeviceRGB", "/DeviceCMYK"},
            id="palette",
        ),
        pytest.param(
            "grey-alpha.png",
            lambda: _encoded(Image.new("LA", (64, 48), (90, 128)), "PNG"),
            {"/DeviceGray"},
            id="grey-with-alpha",
        ),
        pytest.param(
            "cmyk-profile.jpg", _rgb_with_cmyk_profile, {"/DeviceRGB", "/DeviceCMYK"}, id="rgb-jpeg-with-cmyk-profile"
        ),
        pytest.param(
            "int32.png",
            lambda: _encoded(Image.new("I", (64, 48), 40000).convert("I;16"), "PNG"),
            {"/DeviceGray"},
            id="32-bit-grey-saved-as-16",
        ),
    ],
)
def test_every_kind_of_pixels_is_prepared(here: Path, cli, name: str, make, colours: set[str]) -> None:
    _with_picture(here, name, make())
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert (code, err) == (0, [])
    for edition in ("print", "screen"):
        shown = [image for image in _images(here / "out" / f"booklet-{edition}.pdf") if image[1:3] == (64, 48)]
        assert shown, edition
        assert {image[0] for image in shown} <= colours, (edition, [image[0] for image in shown])


def test_16_bit_grey_keeps_its_tones(here: Path, cli) -> None:
    """The darkest column black, the lightest light grey: scaled from 16 to 8 bits, not clipped to white."""
    _with_picture(here, "grey16.png", _grey16())
    assert cli("build", "--data", "data", "--out", "out", "--edition", "print")[0] == 0
    image = next(i for i in _images(here / "out" / "booklet-print.pdf") if i[1:3] == (64, 48))
    grey = image[3].convert("L")
    left, right = grey.getpixel((0, 24)), grey.getpixel((63, 24))
    assert left <= 8
    assert 230 <= right <= 250  # 63,000 / 65,535 of white


def test_a_broken_exif_block_prints_no_warning(here: Path) -> None:
    """Pillow warns "Corrupt EXIF data" on it: the build says nothing of it, and the picture is there."""
    _with_picture(here, "exif.jpg", _broken_exif_jpeg())
    warned = subprocess.run(
        [sys.executable, "-W", "default", "-c", "from PIL import Image; Image.open('data/images/exif.jpg').getexif()"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=here,
        check=True,
    )
    assert "UserWarning: Corrupt EXIF data" in warned.stderr  # Pillow itself warns on it
    run = subprocess.run(
        [sys.executable, "-W", "default", "-m", "booklet", "build", "--data", "data", "--out", "out"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=here,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert [line for line in run.stderr.splitlines() if not line.startswith("note: ")] == []
    # Its orientation tag (6: turned) was read before the damage: the copy is upright, 48 x 64.
    assert any(image[1:3] == (48, 64) for image in _images(here / "out" / "booklet-print.pdf"))


# --- refused with a reason ----------------------------------------------------------------------------------


def _svg(body: str, attributes: str = 'width="20" height="20"') -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}>{body}</svg>'.encode()


SVG_CASES = [
    pytest.param(
        _svg("<g/>" * (svgcheck.MAX_ELEMENTS + 1)),
        f"has more than {svgcheck.MAX_ELEMENTS:,} elements; simplify the drawing, or export it as a PNG",
        id="too-many-elements",
    ),
    pytest.param(
        _svg("<g>" * (svgcheck.MAX_DEPTH + 1) + "</g>" * (svgcheck.MAX_DEPTH + 1)),
        f"nests elements more than {svgcheck.MAX_DEPTH} deep; simplify the drawing, or export it as a PNG",
        id="too-deep",
    ),
    pytest.param(
        _svg(f'<path d="M0 0{" L1 1" * (svgcheck.MAX_PATH_DATA // 5 + 1)}"/>'),
        f"has more than {svgcheck.MAX_PATH_DATA:,} characters of path data; "
        "simplify the drawing, or export it as a PNG",
        id="too-much-path-data",
    ),
    pytest.param(
        _svg('<text y="10" font-size="1e30">كبير</text>'),
        "has a text size of 1e30; a drawing's text may be at most 10000 units",
        id="huge-font-size-attribute",
    ),
    pytest.param(
        _svg('<text y="10" style="fill: red; font-size: 9e99px">كبير</text>'),
        "has a text size of 9e99px; a drawing's text may be at most 10000 units",
        id="huge-font-size-in-style",
    ),
    pytest.param(
        _svg("<style>text { font-size: 1e20px }</style><text y='9'>ب</text>"),
        "has a text size of 1e20px; a drawing's text may be at most 10000 units",
        id="huge-font-size-in-stylesheet",
    ),
    pytest.param(
        _svg('<style>@import url("other.css"); rect { fill: red }</style><rect width="5" height="5"/>'),
        "its style imports another stylesheet (@import); put the styles in the drawing itself",
        id="style-import",
    ),
]


@pytest.mark.parametrize(("content", "message"), SVG_CASES)
def test_svg_beyond_a_bound_is_refused(here: Path, cli, content: bytes, message: str) -> None:
    _with_picture(here, "drawing.svg", content)
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (0, [])  # checking the data does not open pictures
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    assert (code, err) == (1, [f"{SRC} {message}", counted(1, build=True)])


def test_a_large_svg_is_refused_before_it_is_parsed(here: Path, cli) -> None:
    path = _with_picture(here, "map.svg")
    with open(path, "wb") as file:  # sparse: no disk space, and nothing parsed
        file.write(_svg("")[:-6])
        file.truncate(svgcheck.MAX_SVG_BYTES + 1)
    code, _out, err = cli("build", "--data", "data", "--out", "out", "--edition", "screen")
    message = "is 8.0 MB of SVG; a drawing may have at most 8 MB: simplify it, or export it as a PNG"
    assert (code, err) == (1, [f"{SRC} {message}", counted(1, build=True)])


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        pytest.param(
            "huge.jpg",
            3 << 30,
            "is 3072 MB; a picture may have at most 64 MB: save it again as a JPEG (photos) or PNG (drawings)",
            id="3-GB-photo",
        ),
        pytest.param(
            "many.svg",
            61 << 20,
            "is 61.0 MB of SVG; a drawing may have at most 8 MB: simplify it, or export it as a PNG",
            id="61-MB-drawing",
        ),
    ],
)
def test_huge_picture_files_are_refused_before_they_are_read(here: Path, name: str, size: int, message: str) -> None:
    """Under a 1.5 GB address-space cap and 60 s of CPU: the file is never read whole."""
    path = _with_picture(here, name)
    with open(path, "wb") as file:  # sparse
        file.write(b"\xff\xd8\xff\xe0" if name.endswith(".jpg") else _svg("")[:-6])
        file.truncate(size)
    start = time.monotonic()
    run = subprocess.run(
        [*limited(60, 1536), "build", "--data", "data", "--out", "out", "--edition", "screen"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=here,
        check=False,
    )
    assert time.monotonic() - start < 60
    lines = [line for line in run.stderr.splitlines() if not line.startswith("note: ")]
    assert (run.returncode, lines) == (1, [f"{SRC} {message}", counted(1, build=True)])


def test_a_prepared_copy_may_be_larger_than_a_source_file(tmp_path: Path) -> None:
    """The CMYK print copy of a 24-megapixel photo may pass 64 MB: the build's own copies are bounded by the
    pixel bound (four bytes a pixel), the files of the project by 64 MB."""
    data, cache = tmp_path / "data", tmp_path / "out" / "cache" / "images"
    for folder in (data, cache):
        folder.mkdir(parents=True)
        with open(folder / "photo.jpg", "wb") as file:  # sparse
            file.truncate(100 << 20)
    reader = fetcher.ProjectFetcher([data], (cache,))
    assert reader.check((cache / "photo.jpg").as_uri()) == (cache / "photo.jpg").resolve()
    with pytest.raises(PermissionError, match="is larger than 64 MB"):
        reader.check((data / "photo.jpg").as_uri())
    with open(cache / "photo.jpg", "wb") as file:
        file.truncate(fetcher.MAX_PREPARED_BYTES + 1)
    with pytest.raises(PermissionError, match="is larger than 244 MB"):
        reader.check((cache / "photo.jpg").as_uri())
    assert fetcher.MAX_PREPARED_BYTES >= 4 * booklet.typeset.images.MAX_PIXELS


# --- the cache of prepared copies ------------------------------------------------------------------------------


def _photo(here: Path) -> Path:
    return _with_picture(here, "photo.jpg", _encoded(Image.new("RGB", (400, 300), (200, 120, 40)), "JPEG"))


def _copies(out: Path) -> list[Path]:
    return sorted((out / "cache" / "images").iterdir())


def test_a_truncated_copy_is_made_again(here: Path, cli) -> None:
    """A copy cut short under its final name (a full disk, once) is not embedded: it is made again."""
    _photo(here)
    assert cli("build", "--data", "data", "--out", "out")[0] == 0
    copies = _copies(here / "out")
    assert sorted(p.name.rsplit("-", 1)[1] for p in copies) == ["print.jpg", "screen.jpg"]
    for copy in copies:
        copy.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert (code, err) == (0, [])
    assert all(picturecache.sound(copy) for copy in _copies(here / "out"))
    for edition in ("print", "screen"):
        for image in _images(here / "out" / f"booklet-{edition}.pdf"):
            image[3].load()  # every picture in the PDF decodes whole


def _failing_save(written: float, error: OSError | None):  # noqa: ANN202
    """Image.save that writes ``written`` of the bytes, then raises ``error`` (or says nothing)."""
    real = Image.Image.save

    def save(self: Image.Image, fp, format=None, **options):  # noqa: A002, ANN001, ANN202
        if not hasattr(fp, "write"):
            return real(self, fp, format, **options)
        encoded = io.BytesIO()
        real(self, encoded, format, **options)
        fp.write(encoded.getvalue()[: int(len(encoded.getvalue()) * written)])
        if error is not None:
            raise error
        return None

    return save


@pytest.mark.parametrize(
    "error", [OSError(errno.ENOSPC, "No space left on device"), None], ids=["disk-full", "cut-short-silently"]
)
def test_a_copy_is_written_all_or_nothing(here: Path, cli, monkeypatch: pytest.MonkeyPatch, error) -> None:
    _photo(here)
    with monkeypatch.context() as patched:
        patched.setattr(Image.Image, "save", _failing_save(0.5, error))
        code, _out, err = cli("build", "--data", "data", "--out", "out")
    reason = "No space left on device" if error else "the copy read back is incomplete (is the disk full?)"
    assert (code, err) == (
        1,
        [f"out/cache/images: cannot be written: {reason}; choose another folder with --out", counted(1, True)],
    )
    assert [p.name for p in (here / "out" / "cache" / "images").iterdir()] == []  # no copy, no temporary
    code, _out, err = cli("build", "--data", "data", "--out", "out")  # space again
    assert (code, err) == (0, [])
    assert all(picturecache.sound(copy) for copy in _copies(here / "out"))


def test_temporaries_of_a_killed_build_are_removed(here: Path, cli) -> None:
    _photo(here)
    cache = here / "out" / "cache" / "images"
    cache.mkdir(parents=True)
    stale = cache / ".0123456789abcdef0123-print.jpg.k7x2.tmp"
    stale.write_bytes(b"\xff\xd8 half a picture")
    assert cli("build", "--data", "data", "--out", "out")[0] == 0
    assert not stale.exists()
    assert [p.name for p in cache.iterdir() if p.name.startswith(".")] == []


def test_old_copies_are_pruned(here: Path, cli) -> None:
    _photo(here)
    cache = here / "out" / "cache" / "images"
    cache.mkdir(parents=True)
    old, recent = cache / "aaaaaaaaaaaaaaaaaaaa-screen.jpg", cache / "bbbbbbbbbbbbbbbbbbbb-screen.jpg"
    for copy in (old, recent):
        copy.write_bytes(_encoded(Image.new("RGB", (8, 8)), "JPEG"))
    month = time.time() - (picturecache.STALE_DAYS + 1) * 86400
    os.utime(old, (month, month))
    assert cli("build", "--data", "data", "--out", "out")[0] == 0
    names = [p.name for p in _copies(here / "out")]
    assert old.name not in names
    assert recent.name in names  # unused, but young: another data folder's, perhaps
    assert len(names) == 3


def test_pruning_keeps_the_cache_under_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(picturecache, "MAX_CACHE_BYTES", 2500)
    now = time.time()
    for age, name in enumerate(["a", "b", "c", "d"]):
        copy = tmp_path / f"{name}-screen.jpg"
        copy.write_bytes(b"x" * 1000)
        os.utime(copy, (now - age * 60, now - age * 60))
    picturecache.prune(tmp_path, used={tmp_path / "d-screen.jpg"}, now=now)
    # d is in use (and the oldest); of the others the oldest go until 2,500 bytes remain.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-screen.jpg", "d-screen.jpg"]
