"""SVG drawings from the data, their colours separated for the press.

A logo or a drawing exported from a design tool paints in RGB (``#0033a0``,
``rgb(0, 51, 160)``, ``white``); a PDF/X file for a CMYK press may hold no RGB
colour. The print edition reads a copy whose colours are the press's CMYK,
converted through the output profile as pictures are, written as
``device-cmyk()``, which WeasyPrint's SVG renderer paints as CMYK.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from PIL import Image, ImageCms

_NAMED = {
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "yellow": (255, 255, 0),
    "orange": (255, 165, 0),
    "navy": (0, 0, 128),
}
_VALUE = r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgb\(\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*\)|" + "|".join(
    rf"\b{name}\b" for name in _NAMED
)
#: A colour given to a painting property, as an attribute (fill="#fff") or a declaration (fill: #fff).
_PAINT = re.compile(
    rf"(?P<lead>\b(?:fill|stroke|stop-color|flood-color|lighting-color|color)\s*(?:=\s*[\"']\s*|:\s*))(?P<colour>{_VALUE})",
    re.IGNORECASE,
)
#: Bump when the way copies are made changes.
_RECIPE = b"svg-cmyk-1"


def _rgb(text: str) -> tuple[int, int, int]:
    text = text.lower()
    if text in _NAMED:
        return _NAMED[text]
    if text.startswith("#"):
        digits = text[1:] if len(text) == 7 else "".join(c * 2 for c in text[1:])
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    parts = re.findall(r"(\d{1,3})(%?)", text)
    return tuple(min(255, round(int(n) * 2.55) if pct else int(n)) for n, pct in parts)  # type: ignore[return-value]


def separated(svg: str, press: bytes) -> str:
    """``svg`` with every RGB paint written as device-cmyk() in the press's colour space."""
    found = sorted({_rgb(m["colour"]) for m in _PAINT.finditer(svg)})
    if not found:
        return svg
    strip = Image.frombytes("RGB", (len(found), 1), bytes(v for rgb in found for v in rgb))
    target = ImageCms.ImageCmsProfile(io.BytesIO(press))
    cmyk = ImageCms.profileToProfile(
        strip,
        ImageCms.createProfile("sRGB"),
        target,
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        outputMode="CMYK",
    )
    inks = {
        rgb: "device-cmyk({})".format(" ".join(f"{v / 255:.3f}".rstrip("0").rstrip(".") or "0" for v in ink))
        for rgb, ink in zip(found, (cmyk.getpixel((x, 0)) for x in range(len(found))), strict=True)
    }
    return _PAINT.sub(lambda m: m["lead"] + inks[_rgb(m["colour"])], svg)


def print_copy(data: bytes, cache: Path, press: bytes) -> Path:
    """The print edition's copy of an SVG drawing whose content is ``data``, made once and kept in ``cache``."""
    digest = hashlib.sha256(data + _RECIPE + press).hexdigest()[:20]
    target = cache / f"{digest}-print.svg"
    if not target.is_file():
        text = data.decode("utf-8", errors="replace")
        cache.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(separated(text, press), encoding="utf-8")
        temporary.replace(target)
    return target
