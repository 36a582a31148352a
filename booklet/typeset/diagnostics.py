"""What WeasyPrint says while it typesets, turned into the booklet's problems.

In a trusted build every warning of WeasyPrint's is a failure: each becomes a
Problem placed in the file it is about (a stylesheet at its line, the merged
HTML of an edition), with a hint where one helps. A failure deep inside
WeasyPrint (an extreme value, a gap of its own) becomes a message about the
layouts, not a traceback; a bug of the booklet's own keeps its traceback.
"""

from __future__ import annotations

import contextlib
import difflib
import logging
import re
from collections.abc import Iterator

from weasyprint.logger import LOGGER

from booklet.editions import Edition
from booklet.errors import BookletError, Place, Problem
from booklet.typeset.fetcher import ProjectFetcher

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


def short(url: str) -> str:
    """``url``, cut to a length a message can show."""
    return url if len(url) <= 100 else url[:97] + "..."


def edition_source(edition: Edition) -> str:
    """Where a problem of ``edition``'s layout is: its merged HTML."""
    return f"booklet.html ({edition.name} edition)"


@contextlib.contextmanager
def problems_from(
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
        problems.append(Problem(Place(source), f"cannot read {short(url)}: {reason}"))
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
def weasyprint_failure(edition: Edition) -> Iterator[None]:
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
                    Place(edition_source(edition)),
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
                    Place(edition_source(edition)),
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
