"""Pictures: full resolution in the print edition, about 150 ppi in the screen edition."""

from __future__ import annotations

from conftest import build_into
from PIL import Image

MM = 72 / 25.4


def _images(reader) -> list:  # noqa: ANN001 - a PdfReader
    found = {}
    for page in reader.pages:
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject["/Subtype"] == "/Image":
                found[xobject.indirect_reference.idnum] = xobject
    return list(found.values())


def test_print_keeps_full_resolution_and_screen_is_downsampled(data_copy, tmp_path):
    (data_copy / "images").mkdir()
    Image.linear_gradient("L").resize((3000, 2000)).convert("RGB").save(data_copy / "images/photo.jpg", quality=90)
    source = data_copy / "booklet.yaml"
    text = source.read_text(encoding="utf-8")
    marker = "    groups:\n      - title: الجهات المستفيدة من التدريب"
    assert marker in text
    source.write_text(
        text.replace(
            marker,
            (
                "    image:\n"
                "      src: images/photo.jpg\n"
                "      alt: تدرج من الأسود إلى الأبيض\n"
                "      caption: صورة تجريبية\n"
                "      credit: فريق التصميم\n" + marker
            ),
        ),
        encoding="utf-8",
    )

    built = build_into(data_copy, tmp_path / "out")
    (printed,) = _images(built.reader("print"))
    (screen,) = _images(built.reader("screen"))
    assert (printed["/Width"], printed["/Height"]) == (3000, 2000)
    # Placed across the text column (about 115 mm), 150 ppi gives about 680 px.
    assert 600 <= screen["/Width"] <= 760
    assert built.pdfs["screen"].stat().st_size < built.pdfs["print"].stat().st_size / 2
    text = " ".join(built.page_texts("screen"))
    assert "صورة تجريبية" in text and "فريق التصميم" in text
