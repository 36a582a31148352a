"""Draw the pictures of the blocks fixture (tests/blocks/booklet.yaml) with Pillow."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

#: Each picture's file name and size in pixels.
SIZES = {
    "wide.jpg": (1200, 800),
    "tall.jpg": (600, 900),
    "square.png": (400, 400),
    "map.png": (1000, 700),
    "portrait.jpg": (400, 500),
}
FRAME = (220, 20, 20)  # the map's frame: seen whole when the map is never cropped


#: A diagram drawn as SVG: three bars in a frame, wider than high.
DIAGRAM = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120">'
    '<rect x="2" y="2" width="296" height="116" fill="#eef2fa" stroke="#dc1414" stroke-width="4"/>'
    '<rect x="30" y="60" width="60" height="50" fill="#0033a0"/>'
    '<rect x="120" y="30" width="60" height="80" fill="#0033a0"/>'
    '<rect x="210" y="45" width="60" height="65" fill="#0033a0"/></svg>'
)


def make_pictures(images: Path) -> None:
    """Write the fixture's pictures into ``images``."""
    images.mkdir(parents=True, exist_ok=True)
    (images / "diagram.svg").write_text(DIAGRAM, encoding="utf-8")
    for name, size in SIZES.items():
        picture = Image.linear_gradient("L").resize(size).convert("RGB")
        draw = ImageDraw.Draw(picture)
        if name == "map.png":
            picture = Image.new("RGB", size, (235, 240, 250))
            draw = ImageDraw.Draw(picture)
            draw.rectangle((0, 0, size[0] - 1, size[1] - 1), outline=FRAME, width=24)
            draw.ellipse((300, 200, 700, 500), fill=(60, 120, 200))
        elif name == "square.png":
            picture = Image.new("RGBA", size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(picture)
            draw.ellipse((20, 20, 380, 380), fill=(0, 51, 160, 255))
        else:
            draw.rectangle((size[0] // 3, size[1] // 3, size[0] * 2 // 3, size[1] * 2 // 3), fill=(0, 90, 60))
        picture.save(images / name)
