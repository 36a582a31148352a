"""The edition registry (booklet/editions.py) is the one place that knows the editions.

A third edition is one more entry in EDITIONS: built here through the public
API and read back. And no module elsewhere asks an edition its name.
"""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pikepdf
import pytest
from conftest import MINIMAL, ROOT, edit, write
from PIL import Image

import booklet
from booklet import editions
from booklet.editions import Edition


def _with_photo(data: Path) -> None:
    """MINIMAL with a 3000 x 2000 photograph on a page of its own."""
    (data / "images").mkdir(parents=True)
    Image.linear_gradient("L").resize((3000, 2000)).convert("RGB").save(data / "images" / "wide.jpg", quality=80)
    photo = "  - kind: photo\n    image:\n      src: images/wide.jpg\n      alt: منظر واسع\n  - kind: back-cover\n"
    write(data, edit("  - kind: back-cover\n", photo, MINIMAL))


def _picture_widths(pdf: pikepdf.Pdf) -> list[int]:
    return [
        int(image.Width)
        for page in pdf.pages
        for image in page.get_images().values()
        if image.get("/Subtype") == "/Image" and image.Width > 100
    ]


@pytest.mark.parametrize(("tagged", "light"), [(False, False), (True, True)])
def test_a_third_edition_is_one_entry_in_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tagged: bool, light: bool
) -> None:
    draft = Edition("draft", "screen.css", tagged=tagged, light_pictures=light, summary="for reading drafts")
    monkeypatch.setitem(editions.EDITIONS, "draft", draft)
    data, out = tmp_path / "data", tmp_path / "out"
    _with_photo(data)

    [built] = booklet.build(booklet.Project(data), out, ["draft"])

    assert built.edition == "draft"
    assert built.path == out / "booklet-draft.pdf" == out / draft.pdf_name
    assert sorted(p.name for p in out.glob("*.pdf")) == ["booklet-draft.pdf"]
    # Not made for sharing: no cover picture beside it.
    assert built.share_image is None
    assert not (out / "booklet-cover.png").exists()
    with pikepdf.open(built.path) as pdf:
        assert len(pdf.pages) == built.pages >= 3
        # Tagged for screen readers exactly when the registry says so.
        assert ("/StructTreeRoot" in pdf.Root) is tagged
        # Not for the press: no output intent.
        assert "/OutputIntents" not in pdf.Root
        # Its photograph: the light copy when it takes light pictures, else the file as given.
        widths = _picture_widths(pdf)
        assert widths, "the photograph is in the PDF"
        if light:
            assert max(widths) < 3000
        else:
            assert max(widths) == 3000


def test_the_edition_for_screens_comes_from_the_registry() -> None:
    chosen = editions.for_screens()
    assert chosen in editions.EDITIONS.values()
    assert chosen.light_pictures and not chosen.press
    assert chosen.weasyprint_options["pdf_tags"] is chosen.tagged


def test_a_pdf_ua_edition_must_say_it_is_tagged() -> None:
    with pytest.raises(ValueError, match="tagged=True"):
        Edition("accessible", "screen.css", {"pdf_variant": "pdf/ua-1"})


def test_the_benchmark_takes_the_screen_options_without_the_package() -> None:
    """bench/child.py's bare WeasyPrint run reads the registry alone: neither booklet nor WeasyPrint is imported."""
    script = (
        "import json, sys; sys.path.insert(0, 'bench'); import child; "
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('booklet', 'weasyprint')]; "
        "print(json.dumps({'options': child.SCREEN_OPTIONS, 'loaded': loaded}))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    seen = json.loads(result.stdout)
    assert seen["loaded"] == []
    assert seen["options"] == editions.for_screens().weasyprint_options


#: The editions' names, which only the registry may write out.
NAMES = {"print", "screen"}
#: Print told by its PDF variant rather than asked.
BY_VARIANT = re.compile(r"""startswith\(\s*["']pdf/""")


def asks_the_name(source: str) -> list[int]:
    """The lines of Python ``source`` that write an edition's name as a string, or tell print by its PDF variant.

    Any string that is exactly a name counts (== "print", in ("print", "screen"), .get("screen"),
    case "print":), read with Python's own tokenizer so that prose in docstrings and comments does not.
    """
    lines = {
        token.start[0]
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.STRING and _plain(token.string) in NAMES
    }
    lines |= {n for n, line in enumerate(source.splitlines(), 1) if BY_VARIANT.search(line)}
    return sorted(lines)


def _plain(literal: str) -> str | None:
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


@pytest.mark.parametrize(
    "line",
    [
        'if edition == "print":',
        "if name != 'screen':",
        'press = x if "print" in editions else None',
        'EDITIONS["print"]',
        'options.get("pdf_variant", "").startswith("pdf/x")',
        'if name in ("print", "screen"):',
        'found = editions.get("screen")',
        'match name:\n    case "print":\n        pass',
    ],
)
def test_the_search_finds_a_name_asked(line: str) -> None:
    assert asks_the_name(line + "\n")


def test_the_search_leaves_prose_alone() -> None:
    assert asks_the_name('"""The print edition goes to the press; the screen edition to screens."""\n# print\n') == []


def test_no_module_asks_an_edition_its_name() -> None:
    """Only booklet/editions.py knows which edition is which; everything else asks an Edition's attributes."""
    package = ROOT / "booklet"
    found = []
    for path in sorted(package.rglob("*.py")):
        if path == package / "editions.py":
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        found += [f"{path.relative_to(ROOT)}:{n}: {lines[n - 1].strip()}" for n in asks_the_name(source)]
    assert not found, "\n".join(found)
