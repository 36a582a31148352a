"""The cover as a picture for messages and posts, rendered from the screen edition."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

#: Wide enough for a sharp preview in messaging apps and social posts.
WIDTH_PX = 1200


def cover_png(pdf: Path, target: Path) -> None:
    """Render the first page of ``pdf`` to a PNG ``WIDTH_PX`` wide at ``target``."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = WIDTH_PX / page.get_width()
        # No metadata, no timestamps: the same PDF gives the same bytes.
        page.render(scale=scale).to_pil().convert("RGB").save(target, format="PNG")
    finally:
        document.close()
