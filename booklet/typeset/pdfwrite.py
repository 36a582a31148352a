"""The finisher WeasyPrint calls on its pydyf PDF, before the file is written.

Done here, on WeasyPrint's own objects, what is cheaper or only possible
before the bytes exist: each stream compressed once, WeasyPrint's own black
painted with the K ink for the press, the press's output profile as the
designer gave it, a document ID drawn from the content, the reading direction
of a right-bound book. pikepdf finishes the written file (finishing.py).

pydyf has no public way to read a stream back: ``_stream_bytes`` uses its
private ``_to_bytes``, as WeasyPrint itself does.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import uuid
import zlib
from collections.abc import Iterator

import pydyf

from booklet.typeset import images


def finish(pdf: pydyf.PDF, identity: str, press: bool, profile: bytes | None) -> None:
    """Finish WeasyPrint's ``pdf``.

    ``identity`` (a digest of the input) makes its document ID; for an
    edition made for the press (``press``), black is CMYK black, pictures
    separated for the press keep their transparency, and ``profile`` (ICC
    bytes) is the output intent.
    """
    if press:
        _black_as_cmyk(pdf)
        images.soft_masks(pdf)  # the transparency of pictures separated for the press
        if profile:
            for intent in pdf.catalog.get("OutputIntents", []):
                _referenced(pdf, intent["DestOutputProfile"]).stream = [profile]
    if metadata := pdf.catalog.get("Metadata"):
        xmp = _referenced(pdf, metadata)
        document_id = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, 'booklet:' + identity)}".encode()
        xmp.stream = [_DOCUMENT_ID.sub(document_id, _stream_bytes(xmp))]
    # WeasyPrint never writes the reading direction: without it viewers lay
    # out spreads left to right, the wrong way for a right-bound book.
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary(
        {
            "Direction": "/R2L",
            "DisplayDocTitle": "true",
        }
    )
    _compress_once(pdf)


def both_dates(metadata) -> None:  # noqa: ANN001 - WeasyPrint's DocumentMetadata
    """Give a document both PDF dates, as PDF/X needs: the data's date, else SOURCE_DATE_EPOCH's (not the clock)."""
    when = metadata.created or _epoch_date()
    metadata.created = metadata.created or when
    metadata.modified = metadata.modified or when


@contextlib.contextmanager
def fixed_font_time() -> Iterator[None]:
    """Same input, same bytes, with fontTools too.

    When WeasyPrint subsets fonts with fontTools (no libharfbuzz-subset0), each
    subset font gets the current time in its head table, unless
    SOURCE_DATE_EPOCH says otherwise: fix it while the PDF is written.
    """
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or "0"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]


def _stream_bytes(stream: pydyf.Stream) -> bytes:
    """A pydyf stream's content, joined as pydyf writes it."""
    return b"\n".join(pydyf._to_bytes(item) for item in stream.stream)  # noqa: SLF001


def _referenced(pdf: pydyf.PDF, reference: bytes | str) -> pydyf.Object:
    """The object a pydyf reference (b"N 0 R") points to."""
    number = reference.split()[0] if isinstance(reference, bytes) else str(reference).split()[0]
    return pdf.objects[int(number)]


def _compress_once(pdf: pydyf.PDF) -> None:
    """Compress every stream now, once, at zlib's default level.

    pydyf compresses a stream each time its bytes are asked for, at level 9,
    and writing a file ID (PDF/X and PDF/UA need one) asks twice: the
    benchmark found a sixth of the build in zlib. Level 6 makes files about 1 %
    larger, and the same input still gives the same bytes.
    """
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress:
            obj.stream = [zlib.compress(_stream_bytes(obj), 6)]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


_RGB_BLACK = re.compile(rb"^0 0 0 (rg|RG)$", re.MULTILINE)


def _black_as_cmyk(pdf: pydyf.PDF) -> None:
    """Paint WeasyPrint's own black (crop marks, SVG's initial colour) with the K ink.

    WeasyPrint writes those in RGB even when every colour of the layouts is
    CMYK, and a PDF/X file for a CMYK press should hold no RGB colour. Only
    drawing streams are touched: page contents and form XObjects.
    """
    for obj in pdf.objects:
        drawing = isinstance(obj, pydyf.Stream) and (
            obj.extra.get("Subtype") == "/Form" or not ({"Subtype", "Type", "Length1", "N"} & set(obj.extra))
        )
        if drawing:
            data = _stream_bytes(obj)
            if _RGB_BLACK.search(data):
                obj.stream = [_RGB_BLACK.sub(lambda m: b"0 0 0 1 " + (b"k" if m[1] == b"rg" else b"K"), data)]


_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def _epoch_date() -> str:
    seconds = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
