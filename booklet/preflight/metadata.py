"""Metadata: what viewers show and how they open the file, and qpdf's structural check."""

from __future__ import annotations

import re

import pikepdf

from booklet.preflight.reading import Book
from booklet.preflight.report import Row, Status

_HINTS = re.compile(r"hint table|lineariz", re.IGNORECASE)


def check(book: Book) -> list[Row]:
    """What viewers show and how they open the file, and qpdf's structural check."""
    rows = []
    for key in ("/Title", "/Author", "/Subject"):
        if not str(book.info.get(key, "")).strip():
            detail = f"no {key[1:].lower()} in the PDF's properties: viewers show the file name; rebuild with make"
            rows.append(Row(book.name, "metadata", "error", detail))
    language = str(book.pdf.Root.get("/Lang", "")).strip()
    if not language:
        detail = "no language (/Lang): screen readers read the Arabic text with the wrong voice; rebuild with make"
        rows.append(Row(book.name, "metadata", "error", detail))
    preferences = book.pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
    if preferences.get("/Direction") != "/R2L":
        detail = "viewers will show spreads left to right (no /ViewerPreferences /Direction /R2L): rebuild with make"
        rows.append(Row(book.name, "metadata", "error", detail))
    if preferences.get("/DisplayDocTitle") is not True:
        detail = "viewers will show the file name instead of the title (no /DisplayDocTitle): rebuild with make"
        rows.append(Row(book.name, "metadata", "error", detail))
    # Anything qpdf finds is damage, except in the linearization hint tables:
    # viewers do not need those to be exact (qpdf itself writes some that its
    # check finds off), and the file shows and prints the same.
    problems = book.pdf.check_pdf_syntax()
    if problems:
        status: Status = "warning" if all(_HINTS.search(p) for p in problems) else "error"
        first = re.sub(r"^(ERROR|WARNING): ", "", problems[0]).replace(f"{book.pdf.filename}: ", "")
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        verdict = "finds damage" if status == "error" else "warns"
        detail = f"qpdf's check {verdict}: {first}{more}; rebuild with make, and report it if it stays"
        rows.append(Row(book.name, "metadata", status, detail))
    if not rows:
        detail = f"title, author, subject, language {language}, spreads right to left; qpdf finds no problem"
        rows.append(Row(book.name, "metadata", "ok", detail))
    return rows
