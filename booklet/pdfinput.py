"""A PDF given to the tools (proof, preflight, impose): checked before any library reads it.

The tools read the booklet's own PDFs, but what sits in the build folder may be
anything: an empty file, another file renamed, a password-protected copy, a file
cut short by a full disk. Each of these ends in one line naming the file and
saying what to do; never in a library's traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from booklet.errors import BookletError, Place, Problem, display_path

#: A booklet's PDF is a few megabytes; a file past this is not one.
MAX_PDF_BYTES = 512 * 1024 * 1024
#: Pages the tools read (the build makes at most typeset.MAX_PAGES).
MAX_PDF_PAGES = 1000
#: The largest page side the tools draw, in points (1 m): proofs are drawn at 150 ppi.
MAX_PAGE_SIDE = 1000 / 25.4 * 72

_REBUILD = "delete it and build again (make)"


def problem(path: Path, message: str) -> BookletError:
    return BookletError([Problem(Place(display_path(path)), message)])


def check(path: Path) -> None:
    """Raise BookletError (one line naming ``path``) unless it is a PDF the tools can read."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise problem(path, f"is missing; {_REBUILD}") from None
    if not path.is_file():
        raise problem(path, "is not a file; move it away and build again (make)")
    if size == 0:
        raise problem(path, f"is empty (0 bytes), perhaps from a full disk; {_REBUILD}")
    if size > MAX_PDF_BYTES:
        raise problem(path, f"is {size / 1048576:.0f} MB, larger than any booklet; {_REBUILD}")
    with open(path, "rb") as file:
        head = file.read(1024)
    if b"%PDF-" not in head:
        raise problem(path, f"is not a PDF (it does not start with %PDF-); {_REBUILD}")
    import pikepdf  # noqa: PLC0415 - only the tools need it

    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                raise problem(path, f"is encrypted; the tools read the booklet's own PDFs, {_REBUILD}")
            count = len(pdf.pages)
            if count == 0:
                raise problem(path, f"has no pages; {_REBUILD}")
            if count > MAX_PDF_PAGES:
                raise problem(path, f"has {count} pages, more than any booklet; {_REBUILD}")
            for number, page in enumerate(pdf.pages, start=1):
                box = [float(v) for v in page.mediabox]
                width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
                if not (0 < width <= MAX_PAGE_SIDE and 0 < height <= MAX_PAGE_SIDE):
                    size = f"{width:.0f} x {height:.0f} pt"
                    raise problem(path, f"page {number} is {size}, not a booklet's page; {_REBUILD}")
    except pikepdf.PasswordError:
        raise problem(path, f"is protected by a password; the tools read the booklet's own PDFs, {_REBUILD}") from None
    except BookletError:
        raise
    except Exception as error:  # noqa: BLE001 - qpdf's reasons for a damaged file are many
        raise damaged(path, error) from None
    import pypdfium2  # noqa: PLC0415

    try:
        pypdfium2.PdfDocument(path).close()
    except Exception as error:  # noqa: BLE001 - PdfiumError, and worse on worse files
        raise damaged(path, error) from None


def damaged(path: Path, error: BaseException) -> BookletError:
    """A PDF that a library failed on: one line, with the library's reason cut short."""
    reason = str(error)
    for name in {str(path), str(Path(path).absolute()), str(Path(path).resolve())}:
        reason = reason.replace(f"{name}: ", "").replace(name, Path(path).name)
    reason = " ".join(reason.split()) or type(error).__name__
    if len(reason) > 120:
        reason = reason[:117] + "..."
    return problem(path, f"is damaged ({reason}); {_REBUILD}")


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Any failure of a library reading ``path`` in the block: damaged(), not a traceback."""
    try:
        yield
    except (BookletError, KeyboardInterrupt, MemoryError):
        raise
    except Exception as error:  # noqa: BLE001 - pikepdf and PDFium fail in many ways on damage
        raise damaged(path, error) from None
