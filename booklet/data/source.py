"""Load the booklet's YAML safely, keeping the line and column of every value."""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

import yaml

from booklet import readfile
from booklet.errors import BookletError, Place, Problem

try:  # libyaml: faster, and it accepts tabs inside text as YAML 1.2 does
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

#: A data file larger than this is refused before it is parsed: booklets are
#: text, and a file of many megabytes is a mistake (or an attack on the parser).
MAX_SOURCE_BYTES = 2 * 1024 * 1024

_ALIASES = "anchors and aliases (& and *) are not supported; write the value out"


def place_of(node: yaml.Node, path: str) -> Place:
    return _place(node.start_mark, path)


_BLOCK_TEXT = re.compile(r"^(\s*)(- )?([^:#]+):\s*[|>][-+]?\s*$")


def _block_text_above(lines: list[str], line: int) -> tuple[str, int] | None:
    """The key and indent of a 'key: |' block text just above ``line`` that ``line`` is not indented under."""
    above = next((text for text in reversed(lines[:line]) if text.strip()), None)
    match = _BLOCK_TEXT.match(above) if above else None
    if not match or line >= len(lines):
        return None
    indent = len(match[1]) + (2 if match[2] else 0)
    here = len(lines[line]) - len(lines[line].lstrip(" "))
    return (match[3].strip(), indent) if here <= indent else None


def _place(mark: yaml.Mark, shown_as: str) -> Place:
    return Place(shown_as, mark.line + 1, mark.column + 1)


def _fail(place: Place, message: str) -> BookletError:
    return BookletError([Problem(place, message)])


def load(file: Path, shown_as: str) -> yaml.Node:
    """Parse ``file`` into a YAML node tree; raise BookletError on any problem.

    Only composing is done here (no construction), so no Python object is ever
    built from tags, and ``yes``/``no`` stay the text the author typed until the
    model decides what the field means.
    """
    if not os.path.lexists(file):
        raise _fail(Place(shown_as), "no such file; the booklet's data starts here")
    try:
        # Bounded, and only a regular file inside data/: never a device, a
        # pipe or a file elsewhere that a link points to (readfile.py).
        raw = readfile.read_bytes(file, file.parent, MAX_SOURCE_BYTES)
    except readfile.TooLarge as error:
        raise _fail(
            Place(shown_as),
            f"is {error.size / 1048576:.1f} MB; a booklet's data must stay under "
            f"{MAX_SOURCE_BYTES // 1048576} MB (put images in files, not in the YAML)",
        ) from None
    except readfile.Refused as error:
        raise _fail(Place(shown_as), str(error)) from None
    text = _decode(raw, shown_as)
    try:
        _refuse_aliases(text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise BookletError([_yaml_problem(error, shown_as, text)]) from None
    except yaml.reader.ReaderError as error:
        raise BookletError([_reader_problem(error, shown_as, text)]) from None
    if node is None:
        raise _fail(
            Place(shown_as, 1, 1), "is empty; it should hold the booklet's document and sections (see README.md)"
        )
    return node


def _decode(raw: bytes, shown_as: str) -> str:
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"byte 0x{body[error.start]:02x} is not UTF-8; save the file as UTF-8"
        raise _fail(_place_at(body, error.start, shown_as), message) from None


def _place_at(data: bytes, offset: int, shown_as: str) -> Place:
    """The place of byte ``offset`` of UTF-8 ``data``: its line, and its column in characters."""
    before = data[:offset].decode("utf-8", errors="ignore")
    return Place(shown_as, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)


def _refuse_aliases(text: str) -> None:
    """Stop at the first alias, where it stands.

    An alias makes one node appear in several places: a "billion laughs"
    document expands exponentially when it is walked, and a person editing one
    place changes another without knowing. Parsing yields events without ever
    expanding an alias, so this pass is cheap and safe.
    """
    if "*" not in text:
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(problem=_ALIASES, problem_mark=event.start_mark)


def _reader_problem(error: yaml.reader.ReaderError, shown_as: str, text: str) -> Problem:
    # libyaml counts the position in bytes of UTF-8; the place counts characters.
    char = error.character if isinstance(error.character, str) else chr(error.character)
    return Problem(
        _place_at(text.encode("utf-8"), error.position, shown_as),
        f"the invisible character U+{ord(char):04X} is not allowed in YAML; delete it "
        "(it often comes with text pasted from a word processor)",
    )


def _yaml_problem(error: yaml.MarkedYAMLError, shown_as: str, text: str) -> Problem:
    problem = (error.problem or "").strip()
    mark = error.problem_mark or error.context_mark
    if problem == _ALIASES:
        return Problem(_place(mark, shown_as), _ALIASES)
    lines = text.splitlines()
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if mark and mark.column < len(line) and line[mark.column] == "\t" and line[: mark.column].strip() == "":
        return Problem(_place(mark, shown_as), "a tab is used for indenting; YAML indents with spaces only")
    context = (error.context or "").strip()
    start = error.context_mark
    # An unclosed quote or bracket breaks far from where it opened: point at the opening.
    if start and mark and start.line != mark.line and ("quoted scalar" in context or "flow" in context):
        what = "quote" if "quoted" in context else "bracket"
        return Problem(
            _place(start, shown_as),
            f"is not valid YAML: this {what} is never closed ({problem} at line {mark.line + 1})",
        )
    if start and "simple key" in context:
        # A line inside a map with no "key:" on it: the line itself is the mistake.
        return Problem(
            _place(start, shown_as), "is not valid YAML: this line has no ':' after its key (or is text on its own)"
        )
    if mark and (block := _block_text_above(lines, mark.line)):
        key, indent = block
        return Problem(
            _place(mark, shown_as),
            f"is not valid YAML: the text of '{key}: |' must be indented more than '{key}'; "
            f"indent this line by at least {indent + 2} spaces",
        )
    if "another document" in problem:
        return Problem(
            _place(mark, shown_as),
            "is not valid YAML: a second document starts here; a booklet's data is one document, "
            "remove the '---' line and what follows or merge it above",
        )
    if "cannot start any token" in problem and mark and mark.column < len(line):
        return Problem(
            _place(mark, shown_as),
            f"is not valid YAML: a text cannot start with {line[mark.column]!r}; put the whole text in quotes",
        )
    message = f"is not valid YAML: {problem}"
    if context:
        message += f" ({context})"
    if "mapping values are not allowed" in problem:
        message += "; if the text holds a colon (:), put the whole text in quotes"
    return Problem(_place(mark, shown_as) if mark else Place(shown_as), message)
