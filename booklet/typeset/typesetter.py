"""Typeset the merged HTML with WeasyPrint into one PDF per edition."""

from __future__ import annotations

import contextlib
import datetime
import difflib
import hashlib
import logging
import os
import re
import uuid
import zlib
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urljoin

import pydyf
import tinycss2
from weasyprint import CSS, HTML
from weasyprint.logger import LOGGER
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data

from booklet import readfile
from booklet.design import contract, tokencheck
from booklet.editions import EDITIONS, Edition
from booklet.errors import BookletError, Place, Problem, display_path
from booklet.typeset import drawings, finishing, fonts, latin, pdfstructure
from booklet.typeset.fetcher import ProjectFetcher

NOTES = logging.getLogger("booklet")

pdfstructure.install()  # what the HTML says and WeasyPrint's tagging leaves out (see the module)

#: More pages than this is a runaway layout, not a booklet.
MAX_PAGES = 400

#: WeasyPrint messages that say nothing about the booklet's content, with the
#: note printed instead of failing the build. Without Debian's
#: libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools, which is slower
#: but gives a correct PDF.
_NOT_PROBLEMS = {
    "Using fontTools instead of HarfBuzz-Subset": (
        "fonts are subset with fontTools, which is slower; install Debian's libharfbuzz-subset0 to speed up builds"
    ),
}
_AT_RULE = re.compile(r"Unknown rule <AtRule @([\w-]+)[^>]*>")
_AT_RULES = ["font-face", "page", "media", "import", "counter-style", "color-profile", "namespace", "layer", "supports"]


def _at_rule_hint(match: re.Match[str]) -> str:
    close = difflib.get_close_matches(match[1], _AT_RULES, n=1)
    return f"unknown at-rule @{match[1]}" + (f"; did you mean @{close[0]}?" if close else "")


_QUOTED = re.compile(r", '(.+)'$", re.DOTALL)
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
    source: str,
    fetcher: ProjectFetcher,
    problems: list[Problem],
    reported: frozenset[str] = frozenset(),
    text: str = "",
) -> Iterator[None]:
    """Turn what WeasyPrint logs, and every URL the fetcher refuses, into problems of ``source``.

    ``text`` is the source itself, when it is a stylesheet: a message without
    a position that quotes it (an invalid selector) is placed where the quote is.
    """
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
        for url, title in fetcher.drawings.items():
            message = message.replace(url, f"the drawing {title!r}")
        if note := next((n for start, n in _NOT_PROBLEMS.items() if message.startswith(start)), None):
            NOTES.info("%s", note)
            continue
        if any(url in message for url in refused) or any(reason in message for _url, reason in fetcher.refused):
            continue  # WeasyPrint's own line about a refused URL says less than ours
        if (refused or reported) and message.startswith("Font-face '") and message.endswith("cannot be loaded"):
            continue  # the consequence of a refused font file, reported above
        message = _AT_RULE.sub(_at_rule_hint, message.rstrip("."))
        place = Place(source)
        # CSS messages carry "at LINE:COL" but no file: move the position
        # into the place, in front of the message, as for the data.
        if match := _POSITION.search(message):
            place = Place(source, int(match[1]), int(match[2]))
            message = message[: match.start()] + message[match.end() :]
        elif text and (quoted := _QUOTED.search(message)) and text.count(quoted[1]) == 1:
            before = text[: text.index(quoted[1])]
            place = Place(source, before.count("\n") + 1, len(before) - before.rfind("\n"))
        problems.append(Problem(place, message[0].lower() + message[1:]))


@contextlib.contextmanager
def _weasyprint_failure(edition: Edition) -> Iterator[None]:
    """WeasyPrint stopped by a value it cannot handle: a message, not a traceback.

    Extreme CSS values (a font size of 1e30px, a letter spacing of -1e9px)
    make WeasyPrint and Pango fail deep inside with arithmetic errors; some
    markup trips over WeasyPrint's own gaps (an inline SVG sized by its
    viewBox alone in right-to-left text: AttributeError in layout/block.py).
    """
    try:
        yield
    except (ArithmeticError, ValueError, TypeError, RecursionError, MemoryError) as error:
        raise BookletError(
            [
                Problem(
                    Place(f"booklet.html ({edition.name} edition)"),
                    f"WeasyPrint could not typeset it ({type(error).__name__}: {error}); look in layouts/ for "
                    "an extreme value, such as a huge size or spacing",
                )
            ]
        ) from None
    except (AttributeError, KeyError, IndexError, AssertionError) as error:
        if not _raised_in_weasyprint(error):
            raise  # a bug of the booklet's own (the finisher, the fetcher): its traceback says where
        raise BookletError(
            [
                Problem(
                    Place(f"booklet.html ({edition.name} edition)"),
                    f"WeasyPrint failed on it ({type(error).__name__}: {error}); look in layouts/ at what changed "
                    "last, such as a drawing or picture without a width and height",
                )
            ]
        ) from None


#: WeasyPrint and the libraries it draws with: a failure inside them is the layouts' to avoid.
_WEASYPRINT_MODULES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "fontTools", "PIL", "cffi")


def _raised_in_weasyprint(error: BaseException) -> bool:
    """Whether ``error`` was raised inside WeasyPrint (or a library of its), not in the booklet's own code."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    module = tb.tb_frame.f_globals.get("__name__", "") if tb is not None else ""
    return module.split(".")[0] in _WEASYPRINT_MODULES


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


def _tokens(nodes: Iterable) -> Iterator:
    """Every component value of a parsed stylesheet, nested blocks included."""
    for node in nodes:
        yield node
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                yield from _tokens(children)


#: At-rules whose block holds rules (their selectors are checked too).
_GROUPING_RULES = {"media", "supports", "layer", "container"}


def _check_selectors(rules: list, shown: str, problems: list[Problem]) -> None:
    """A problem for every selector naming the element svg: no drawing is one when WeasyPrint lays it out.

    Drawings reach WeasyPrint as images of themselves (booklet/drawings.py),
    so a rule for ``svg`` would be silently dead; a class selects a drawing.
    """
    pending = list(rules)
    while pending:
        rule = pending.pop(0)
        if isinstance(rule, tinycss2.ast.AtRule) and rule.lower_at_keyword in _GROUPING_RULES and rule.content:
            pending[:0] = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            continue
        if not isinstance(rule, tinycss2.ast.QualifiedRule):
            continue
        prelude = rule.prelude
        for i, token in enumerate(prelude):
            after = prelude[i + 1] if i + 1 < len(prelude) else None
            before = prelude[i - 1] if i else None
            named = isinstance(token, tinycss2.ast.IdentToken) and token.lower_value == "svg"
            qualified = isinstance(before, tinycss2.ast.LiteralToken) and before.value in (".", ":", "|")
            prefix = isinstance(after, tinycss2.ast.LiteralToken) and after.value == "|"
            if named and not qualified and not prefix:
                selector = " ".join(tinycss2.serialize(prelude).split())
                problems.append(
                    Problem(
                        Place(shown, token.source_line, token.source_column),
                        f"the selector {selector!r} names svg, which reaches no drawing: drawings are laid out "
                        "as images (docs/designing.md); select a drawing by its class",
                    )
                )


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
        # Filled by each stylesheet's @color-profile rules while it is parsed,
        # by stylesheet: print.css's CMYK output intent must not reach the
        # screen edition.
        self.color_profiles: dict[str, dict] = {}
        self._font_digests = fonts.digests(fonts_dir)
        self._stylesheets: dict[str, CSS] = {}

    def stylesheet(self, name: str, problems: list[Problem]) -> CSS:
        """Parse one stylesheet of layouts/ on its own, so its problems carry its name.

        It is kept for later builds only when it had no problem: one that had
        is read, and its problems reported, again until it is mended.
        """
        if name in self._stylesheets:
            return self._stylesheets[name]
        path = self.layouts / name
        shown = display_path(path, self.root)
        if not path.is_file():
            problems.append(Problem(Place(shown), "no such stylesheet in layouts/"))
            return CSS(string="")
        try:
            data = readfile.read_bytes(path, self.layouts)
        except readfile.Refused as refused:
            problems += readfile.problem(path, refused, self.root).problems
            return CSS(string="")
        found: list[Problem] = []
        rules, _encoding = tinycss2.parse_stylesheet_bytes(data, skip_comments=True, skip_whitespace=True)
        refused = self._check_urls(path, rules, shown, found)
        _check_selectors(rules, shown, found)
        profiles: dict = {}
        with _problems_from(shown, self.fetcher, found, refused, data.decode("utf-8", errors="replace")):
            css = CSS(
                filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config, color_profiles=profiles
            )
        self.color_profiles[name] = profiles
        problems += found
        if not found:
            self._stylesheets[name] = css
        return css

    def restyle(self) -> None:
        """Forget the parsed stylesheets, as the layouts changed; the fonts stay loaded."""
        self._stylesheets.clear()
        self.color_profiles.clear()

    def press_profile(self, edition: Edition) -> bytes | None:
        """The CMYK output profile ``edition``'s stylesheet declares (@color-profile device-cmyk), if any.

        The file as the designer gave it: pictures are separated with it, and
        it is the output intent (WeasyPrint would embed a re-encoding twice its size).
        """
        problems: list[Problem] = []
        self.stylesheet(edition.stylesheet, problems)
        if problems:
            raise BookletError(problems)
        profile = self.color_profiles.get(edition.stylesheet, {}).get("device-cmyk")
        return self.fetcher.check(profile.src).read_bytes() if profile else None

    def _check_urls(self, path: Path, rules: list, shown: str, problems: list[Problem]) -> frozenset[str]:
        """Refuse every url() of a stylesheet that points outside the project, at its line.

        WeasyPrint fetches background images only while laying out pages, when
        nothing says which stylesheet asked; checking here names the file.
        """
        base = path.resolve().as_uri()
        refused: set[str] = set()
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

    def layout(self, html: str, base_url: str, edition: Edition, images: dict | None = None):  # noqa: ANN201
        """Lay out ``html`` for ``edition``: the pages (a weasyprint Document), ready to be written.

        ``images``, when given, is WeasyPrint's cache of loaded pictures, kept
        between two layouts of the same build (booklet/flow.py lays a booklet
        out twice): each picture is then read and converted once.
        """
        problems: list[Problem] = []
        sheets = [self.stylesheet(contract.STYLESHEET, problems), self.stylesheet(edition.stylesheet, problems)]
        if problems:
            raise BookletError(problems)
        with (
            _problems_from(f"booklet.html ({edition.name} edition)", self.fetcher, problems),
            _weasyprint_failure(edition),
        ):
            html, self.fetcher.drawings = drawings.as_images(latin.mark(html))
            document = HTML(string=html, base_url=base_url, url_fetcher=self.fetcher).render(
                stylesheets=sheets,
                font_config=self.font_config,
                color_profiles={**self.color_profiles[contract.STYLESHEET], **self.color_profiles[edition.stylesheet]},
                **edition.options,
                **({"cache": images} if images is not None else {}),
            )
        self._blame_tokens(problems, edition)
        if len(document.pages) > MAX_PAGES:
            problems.append(
                Problem(
                    Place(f"booklet.html ({edition.name} edition)"),
                    f"has {len(document.pages)} pages; a booklet may have at most {MAX_PAGES} "
                    "(look for a text or a picture that runs away)",
                )
            )
        if problems:
            raise BookletError(problems)
        return document

    def _blame_tokens(self, problems: list[Problem], edition: Edition) -> None:
        """A token set to nonsense makes every declaration using it ignored: said once, at the token.

        WeasyPrint checks some values while laying out and others while drawing.
        The stylesheets booklet.css imports are looked in too; the edition's,
        whose tokens win, last.
        """
        if not problems:
            return
        others = {e.stylesheet for e in EDITIONS.values()}
        sheets = [p for p in sorted(self.layouts.glob("*.css")) if p.name not in others]
        texts = []
        for path in [*sheets, self.layouts / edition.stylesheet]:
            with contextlib.suppress(readfile.Refused, OSError, UnicodeDecodeError):
                texts.append((display_path(path, self.root), readfile.read_bytes(path, self.layouts).decode()))
        problems[:] = tokencheck.blamed(problems, texts)

    def write(self, document, target: Path, edition: Edition, identity: str, linearize: bool = True) -> None:  # noqa: ANN001
        """Write the laid-out ``document`` as PDF to ``target``.

        ``identity`` (a digest of the merged HTML) becomes the PDF/X document
        ID, which WeasyPrint would otherwise draw at random: the same input
        gives the same bytes.
        """
        problems: list[Problem] = []
        if edition.options.get("pdf_variant", "").startswith("pdf/x"):
            # PDF/X needs both dates; WeasyPrint would use the clock. Take the
            # data's date, else SOURCE_DATE_EPOCH (the reproducible-builds rule).
            when = document.metadata.created or _epoch_date()
            document.metadata.created = document.metadata.created or when
            document.metadata.modified = document.metadata.modified or when
        finish = partial(self._finish, identity=identity, profile=self.press_profile(edition))
        with (
            _problems_from(f"booklet.html ({edition.name} edition)", self.fetcher, problems),
            _fixed_font_time(),
            _weasyprint_failure(edition),
        ):
            written = document.write_pdf(None, finisher=finish, **edition.options)
        self._blame_tokens(problems, edition)
        problems += self._foreign_fonts(document)
        if problems:
            raise BookletError(problems)
        finishing.finish(written, target, edition.name, linearize and edition.linearize)

    def _finish(self, document, pdf: pydyf.PDF, identity: str, profile: bytes | None) -> None:  # noqa: ANN001
        if intents := pdf.catalog.get("OutputIntents"):
            _black_as_cmyk(pdf)
            if profile:
                for intent in intents:
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
