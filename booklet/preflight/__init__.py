"""Preflight: read the built PDFs back and say whether each is right for where it goes.

Each edition's file is opened once (reading.py) and handed to the checks, one
module each, in the order of the report: files, fonts, pictures, pages,
layoutcheck, links, metadata, standards, chartcheck, then what pdfchecks reads
beyond what the pages show. What an edition expects (its resolution, its
weight, its page multiple, its rows) is its ``preflight`` in booklet/editions.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from booklet import pdfinput
from booklet.editions import EDITIONS, Edition
from booklet.errors import BookletError, display_path
from booklet.preflight import (
    files,
    fonts,
    layoutcheck,
    links,
    metadata,
    pages,
    pdfchecks,
    pictures,
    standards,
)
from booklet.preflight.chartcheck import chart_findings
from booklet.preflight.reading import Book
from booklet.preflight.report import Findings, Row
from booklet.project import Project, pdf_path

__all__ = ["Findings", "Row", "preflight"]


def preflight(out_dir: Path, project: Project, editions: Iterable[str] = EDITIONS) -> Findings:
    """Check the built PDFs in ``out_dir``, each for where its edition goes (the press, screens)."""
    out_dir = Path(out_dir)
    findings = Findings()
    for name in editions:
        findings.rows += _edition(out_dir, EDITIONS[name], project)
    if (imposed := out_dir / "booklet-imposed.pdf").is_file():
        findings.rows += [Row("imposed", *row) for row in pdfchecks.printing(imposed)]
    return findings


def _edition(out_dir: Path, edition: Edition, project: Project) -> list[Row]:
    path = pdf_path(out_dir, edition)
    if not path.is_file():
        return [Row(edition.name, "file", "error", f"{display_path(path)} is missing: run make to build it")]
    try:  # an empty, foreign, encrypted or damaged file: one row saying so (pdfinput.py)
        pdfinput.check(path)
    except BookletError as error:
        return [Row(edition.name, "file", "error", str(error.problems[0]))]
    # Two readers: qpdf (pikepdf) for the objects, PDFium for the pages as a
    # viewer lays them out. A file either cannot open is no use to anyone.
    with contextlib.ExitStack() as stack:
        try:
            pdf = stack.enter_context(pikepdf.open(path))
            document = pdfium.PdfDocument(path)
            stack.callback(document.close)
        except (pikepdf.PdfError, pdfium.PdfiumError) as error:
            detail = f"{display_path(path)} cannot be read as a PDF ({error}): run make to build it again"
            return [Row(edition.name, "file", "error", detail)]
        book = Book(edition, path, pdf, document)
        # Each check gives its problems, or one ok row saying what it looked at.
        try:
            with pdfinput.reading(path):
                rows = files.check(book, (project.data, project.layouts, project.fonts))
                rows += fonts.check(book, project.fonts) + pictures.check(book) + pages.check(book)
                rows += layoutcheck.check(book, out_dir / "booklet.html")
                rows += links.check(book) + metadata.check(book) + standards.check(book)
                charts = [c for s in book.sections or () for c in s.charts] if book.sections is not None else None
                found = chart_findings(book.pdfium, out_dir / "booklet.html", charts)
                rows += [Row(edition.name, "charts", s, d) for s, d in found]
                rows += [Row(edition.name, *row) for row in pdfchecks.rows(pdf, edition)]
        except BookletError as error:  # damage the opening checks could not see
            rows = [Row(edition.name, "file", "error", str(error.problems[0]))]
    return rows
