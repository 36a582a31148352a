"""Typeset the merged HTML with WeasyPrint into one PDF per edition."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pydyf
import tinycss2
from weasyprint import CSS, HTML
from weasyprint.logger import LOGGER
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data

from . import fonts
from .errors import BookletError, Place, Problem
from .fetcher import ProjectFetcher


@dataclass(frozen=True)
class Edition:
    name: str
    stylesheet: str
    #: Options for HTML.render(): WeasyPrint applies dpi and image options only
    #: there, not in Document.write_pdf().
    options: dict


EDITIONS = {
    "print": Edition("print", "print.css", {}),
    # About 150 ppi at the placed size is sharp on any screen and keeps the
    # file light enough for messaging apps.
    "screen": Edition("screen", "screen.css", {"dpi": 150, "jpeg_quality": 82, "optimize_images": True}),
}


NOTES = logging.getLogger("booklet")

#: WeasyPrint messages that say nothing about the booklet's content, with the
#: note printed instead of failing the build. Without Debian's
#: libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools, which is slower
#: but gives a correct PDF.
_NOT_PROBLEMS = {
    "Using fontTools instead of HarfBuzz-Subset": (
        "fonts are subset with fontTools, which is slower; install Debian's libharfbuzz-subset0 to speed up builds"
    ),
}
_POSITION = re.compile(r" at (\d+):(\d+)")


class _Collect(logging.Handler):
    """Keep WeasyPrint's warnings and errors: in a trusted build each is a failure."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _short(url: str) -> str:
    return url if len(url) <= 100 else url[:97] + "..."


@contextlib.contextmanager
def _problems_from(
    source: str, fetcher: ProjectFetcher, problems: list[Problem], reported: frozenset[str] = frozenset()
) -> Iterator[None]:
    """Turn what WeasyPrint logs, and every URL the fetcher refuses, into problems of ``source``."""
    handler = _Collect()
    saved = LOGGER.handlers[:]
    LOGGER.handlers = [handler]
    fetcher.refused.clear()
    try:
        yield
    finally:
        LOGGER.handlers = saved
    refused = [url for url, _reason in fetcher.refused]
    for url, reason in fetcher.refused:
        if url in reported:
            continue  # already reported, at its line, by the stylesheet's url() check
        problems.append(Problem(Place(source), f"cannot read {_short(url)}: {reason}"))
    for record in handler.records:
        message = record.getMessage()
        if note := next((n for start, n in _NOT_PROBLEMS.items() if message.startswith(start)), None):
            NOTES.info("%s", note)
            continue
        if any(url in message for url in refused) or any(reason in message for _url, reason in fetcher.refused):
            continue  # WeasyPrint's own line about a refused URL says less than ours
        if (refused or reported) and message.startswith("Font-face '") and message.endswith("cannot be loaded"):
            continue  # the consequence of a refused font file, reported above
        message = message.rstrip(".")
        place = Place(source)
        # CSS messages carry "at LINE:COL" but no file: move the position
        # into the place, in front of the message, as for the data.
        if match := _POSITION.search(message):
            place = Place(source, int(match[1]), int(match[2]))
            message = message[: match.start()] + message[match.end() :]
        problems.append(Problem(place, message[0].lower() + message[1:]))


@contextlib.contextmanager
def _fixed_font_time() -> Iterator[None]:
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


def _tokens(nodes: Iterable) -> Iterator:
    """Every component value of a parsed stylesheet, nested blocks included."""
    for node in nodes:
        yield node
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                yield from _tokens(children)


class Typesetter:
    """One font configuration and one set of parsed stylesheets, reused for every edition."""

    def __init__(
        self, root: Path, layouts: Path, data: Path, fonts_dir: Path, extra_roots: tuple[Path, ...] = ()
    ) -> None:
        self.root = root
        self.layouts = layouts
        self.fonts_dir = fonts_dir
        self.fetcher = ProjectFetcher([layouts, data, fonts_dir], extra_roots)
        self.font_config = FontConfiguration()
        self._font_digests = fonts.digests(fonts_dir)
        self._stylesheets: dict[str, CSS] = {}

    def _shown(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def stylesheet(self, name: str, problems: list[Problem]) -> CSS:
        """Parse one stylesheet of layouts/ on its own, so its problems carry its name."""
        if name not in self._stylesheets:
            path = self.layouts / name
            shown = self._shown(path)
            if not path.is_file():
                problems.append(Problem(Place(shown), "no such stylesheet in layouts/"))
                return CSS(string="")
            refused = self._check_urls(path, shown, problems)
            with _problems_from(shown, self.fetcher, problems, refused):
                self._stylesheets[name] = CSS(
                    filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config
                )
        return self._stylesheets[name]

    def _check_urls(self, path: Path, shown: str, problems: list[Problem]) -> frozenset[str]:
        """Refuse every url() of a stylesheet that points outside the project, at its line.

        WeasyPrint fetches background images only while laying out pages, when
        nothing says which stylesheet asked; checking here names the file.
        """
        base = path.resolve().as_uri()
        refused: set[str] = set()
        rules, _encoding = tinycss2.parse_stylesheet_bytes(path.read_bytes())
        for token in _tokens(rules):
            if isinstance(token, tinycss2.ast.URLToken):
                url = token.value
            elif isinstance(token, tinycss2.ast.FunctionBlock) and token.lower_name == "url":
                strings = [t for t in token.arguments if isinstance(t, tinycss2.ast.StringToken)]
                if not strings:
                    continue
                url = strings[0].value
            else:
                continue
            try:
                self.fetcher.check(urljoin(base, url))
            except PermissionError as error:
                refused.add(urljoin(base, url))
                problems.append(
                    Problem(Place(shown, token.source_line, token.source_column), f"cannot read {_short(url)}: {error}")
                )
        return frozenset(refused)

    def layout(self, html: str, base_url: str, edition: Edition):  # noqa: ANN201 - a weasyprint Document
        """Lay out ``html`` for ``edition``: the pages, ready to be written."""
        problems: list[Problem] = []
        sheets = [self.stylesheet("booklet.css", problems), self.stylesheet(edition.stylesheet, problems)]
        if problems:
            raise BookletError(problems)
        with _problems_from(f"booklet.html ({edition.name} edition)", self.fetcher, problems):
            document = HTML(string=html, base_url=base_url, url_fetcher=self.fetcher).render(
                stylesheets=sheets, font_config=self.font_config, **edition.options
            )
        if problems:
            raise BookletError(problems)
        return document

    def write(self, document, target: Path, edition: Edition) -> None:  # noqa: ANN001
        """Write the laid-out ``document`` as PDF to ``target``."""
        problems: list[Problem] = []
        with _problems_from(f"booklet.html ({edition.name} edition)", self.fetcher, problems), _fixed_font_time():
            document.write_pdf(target, finisher=self._finish)
        problems += self._foreign_fonts(document)
        if problems:
            raise BookletError(problems)

    def _finish(self, document, pdf: pydyf.PDF) -> None:  # noqa: ANN001 - WeasyPrint's Document
        # WeasyPrint never writes the reading direction: without it viewers lay
        # out spreads left to right, the wrong way for a right-bound book.
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary(
            {
                "Direction": "/R2L",
                "DisplayDocTitle": "true",
            }
        )

    def _foreign_fonts(self, document) -> list[Problem]:  # noqa: ANN001
        """Fonts that Pango took from the system because no bundled font had a glyph."""
        problems = []
        for font in document.fonts.values():
            blob = get_hb_object_data(font.hb_face)
            if hashlib.sha256(blob).hexdigest() not in self._font_digests:
                problems.append(
                    Problem(
                        Place("fonts/"),
                        f"the system font {font.family!r} was used for text that no font in fonts/ covers; "
                        "add a font with those characters to fonts/ and to booklet.css",
                    )
                )
        return problems
