"""The last pass over each edition's file, after WeasyPrint has written it.

WeasyPrint writes the PDF; pikepdf (qpdf) then reads it once and writes the
file that is kept: the structure tree of a tagged edition mended for screen
readers (pdfstructure), the ToUnicode maps mended so that text copies and
searches right (pdftext), crop marks outside the bleed and no annotations for
the press (pressmarks), and the editions that ask for it linearized for fast
web view.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pikepdf

from booklet.data.direction import LRM
from booklet.editions import Edition
from booklet.typeset import pdfstructure, pdftext, pressmarks


def finish(pdf_bytes: bytes, target: Path, edition: Edition, linearize: bool = True) -> None:
    """Mend ``pdf_bytes`` for ``edition`` and write it to ``target``, linearized if the edition asks and ``linearize``.

    No object streams: the linearization hint tables of a file with object
    streams are read differently by qpdf 11 (Debian's) and qpdf 12 (pikepdf's),
    one of them warning whichever wrote the file, and with them qpdf once wrote
    a wrong offset in the outlines' hint table (the preflight caught it). Without
    them the screen edition is about 60 % larger (about 180 KB for the sample)
    and both accept it but for one point where qpdf 11 is wrong (README,
    "qpdf and the linearized screen edition"). The file ID is derived from the
    content: the same input still gives the same bytes.
    """
    linearize = linearize and edition.linearize
    # From memory to the build's own temporary: no temporary file of pikepdf's
    # is left behind if the build is killed meanwhile.
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf, open(target, "wb") as file:
        if edition.tagged:
            pdfstructure.finish(pdf)
        pdftext.mend(pdf)
        _plain_bookmarks(pdf)
        if edition.press:
            pressmarks.finish(pdf)
        # A file object, not a path: given an existing path, pikepdf writes
        # a temporary of its own beside it first.
        pdf.save(
            file,
            linearize=linearize,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.disable if linearize else pikepdf.ObjectStreamMode.preserve,
            compress_streams=True,
        )


def _plain_bookmarks(pdf: pikepdf.Pdf) -> None:
    """Bookmark titles without the left-to-right marks of the headings they come from (booklet/data/direction.py).

    A bookmark is a title in a viewer's panel and what a reader copies from
    it: the mark is needed where the text is typeset, not there.
    """
    for item in outline_items(pdf):
        title = str(item.get("/Title", ""))
        if LRM in title:
            item.Title = pikepdf.String(title.replace(LRM, ""))


def outline_items(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every bookmark of ``pdf``, each once, however its /Next and /First links are (mis)drawn."""
    outlines = pdf.Root.get("/Outlines")
    stack = [outlines.get("/First")] if isinstance(outlines, pikepdf.Dictionary) else []
    seen = set()
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
            continue
        seen.add(item.objgen)
        yield item
        stack += [item.get("/Next"), item.get("/First")]
