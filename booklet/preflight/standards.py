"""Standards: PDF/X-4 for an edition made for the press; for the others PDF/UA-1 when tagged, linearized when
the edition is, and light enough to send."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pikepdf

from booklet.preflight.reading import Book
from booklet.preflight.report import Row, megabytes, pages_list

#: The bleed print.css asks for, and what presses expect.
BLEED_MM = 3
_MM_PER_PT = 25.4 / 72
_PDFX_ID = "{http://www.npes.org/pdfx/ns/id/}"
_PDFUA_ID = "{http://www.aiim.org/pdfua/ns/id/}"


def check(book: Book) -> list[Row]:
    return _press(book) if book.edition.press else _screen(book)


def _press(book: Book) -> list[Row]:
    """PDF/X-4 as the press reads it: CMYK output intent, XMP version, trapping key, boxes, no RGB."""
    rows = []

    def error(detail: str) -> None:
        rows.append(Row(book.name, "standards", "error", detail))

    intents = [i for i in book.pdf.Root.get("/OutputIntents") or [] if i.get("/S") == "/GTS_PDFX"]
    profile = intents[0].get("/DestOutputProfile") if intents else None
    if not intents:
        error("no PDF/X output intent: the press cannot tell which CMYK the colours are meant for")
    elif not isinstance(profile, pikepdf.Stream) or profile.get("/N") != 4:
        error("the PDF/X output intent has no CMYK profile (DestOutputProfile with 4 components)")
    version = book.xmp_value(f"{_PDFX_ID}GTS_PDFXVersion")
    if not version or not version.startswith("PDF/X-4"):
        error(f"the XMP metadata does not claim PDF/X-4 (pdfxid:GTS_PDFXVersion is {version or 'missing'})")
    if book.info.get("/Trapped") not in ("/True", "/False"):
        error("no /Trapped key saying whether the file is trapped: PDF/X requires it")
    no_trim, no_bleed, thin = [], [], []
    for number, page in enumerate(book.pdf.pages, start=1):
        trim, bleed = page.obj.get("/TrimBox"), page.obj.get("/BleedBox")
        if trim is None:
            no_trim.append(number)
        if bleed is None:
            no_bleed.append(number)
        if trim is not None and bleed is not None:
            t, b = [float(v) for v in trim], [float(v) for v in bleed]
            if min(t[0] - b[0], t[1] - b[1], b[2] - t[2], b[3] - t[3]) * _MM_PER_PT < BLEED_MM - 0.05:
                thin.append(number)
    if no_trim:
        error(f"no TrimBox on {pages_list(no_trim)}: the press cannot tell where to cut")
    if no_bleed:
        error(f"no BleedBox on {pages_list(no_bleed)}: the press cannot tell how far pictures run past the cut")
    if thin:
        detail = f"less than {BLEED_MM} mm of bleed on {pages_list(thin)}: a white edge may show after cutting"
        rows.append(Row(book.name, "standards", "warning", detail))
    rgb = [number for number, marks in enumerate(book.marks, start=1) if marks.rgb]
    if rgb:
        error(f"RGB colour painted on {pages_list(rgb)}: a PDF/X-4 file for a CMYK press should hold none")
    if not rows:
        condition = str(intents[0].get("/OutputConditionIdentifier", "CMYK"))
        detail = (
            f"{version}, output intent {condition}; trim box and {BLEED_MM} mm bleed on all "
            f"{len(book.pdf.pages)} pages; no RGB colour"
        )
        rows.append(Row(book.name, "standards", "ok", detail))
    return rows


def _screen(book: Book) -> list[Row]:
    """For screens: PDF/UA-1 when the edition is tagged, linearized when it is, and light enough to send."""
    rows = []

    def error(detail: str) -> None:
        rows.append(Row(book.name, "standards", "error", detail))

    done = []
    if book.edition.tagged:
        figures = _tagged(book, error)
        done.append(f"PDF/UA-1, tagged, {figures} figures with text alternatives")
    if book.edition.linearize:
        if not book.pdf.is_linearized:
            error("not linearized: a browser shows nothing until the whole file has arrived")
        done.append("linearized")
    size = book.path.stat().st_size
    if (heaviest := book.edition.preflight.max_bytes) is not None and size >= heaviest:
        error(f"{megabytes(size)}: over {megabytes(heaviest)}, too heavy for messaging apps; use smaller pictures")
    if not rows:
        rows.append(Row(book.name, "standards", "ok", "; ".join([*done, megabytes(size)])))
    return rows


def _tagged(book: Book, error: Callable[[str], None]) -> int:
    """PDF/UA-1 as screen readers need it: marked, a structure tree, every figure described, the claim in XMP.
    The number of figures."""
    root = book.pdf.Root
    mark_info = root.get("/MarkInfo") or pikepdf.Dictionary()
    if mark_info.get("/Marked") is not True:
        error("not marked as tagged (/MarkInfo /Marked true): screen readers cannot follow it")
    tree = root.get("/StructTreeRoot")
    figures: list[tuple[int | None, bool]] = []
    if not isinstance(tree, pikepdf.Dictionary):
        error("no structure tree (StructTreeRoot): screen readers cannot tell headings, text and pictures apart")
    else:
        figures = list(_figures(book, tree))
        silent = [page for page, described in figures if not described]
        if silent:
            where = pages_list(p for p in silent if p is not None) if any(silent) else "somewhere"
            error(
                f"{len(silent)} figure{'s' if len(silent) > 1 else ''} on {where} without a text alternative "
                "(/Alt): give each picture and chart its alt in the data"
            )
    part = book.xmp_value(f"{_PDFUA_ID}part")
    if part != "1":
        error(f"the XMP metadata does not claim PDF/UA-1 (pdfuaid:part is {part or 'missing'})")
    return len(figures)


def _figures(book: Book, tree: pikepdf.Dictionary) -> Iterator[tuple[int | None, bool]]:
    """Each /Figure structure element (role-mapped ones too): its page, and whether it has /Alt or /ActualText."""
    roles = tree.get("/RoleMap") or pikepdf.Dictionary()
    stack: list[tuple[pikepdf.Object, int | None]] = [(tree, None)]
    seen = set()
    while stack:
        node, page = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if isinstance(node.get("/Pg"), pikepdf.Dictionary):
            page = book.numbers.get(node.Pg.objgen, page)
        kind = node.get("/S")
        if kind is not None and roles.get(kind) is not None:
            kind = roles[kind]
        if kind == "/Figure":
            described = any(str(node.get(key, "")).strip() for key in ("/Alt", "/ActualText"))
            yield page, described
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack += [(kid, page) for kid in reversed(list(kids))]
        elif kids is not None:
            stack.append((kids, page))
