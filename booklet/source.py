"""Load the booklet's YAML safely, keeping the line and column of every value."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import BookletError, Place, Problem

_ALIASES = "anchors and aliases (& and *) are not supported; write the value out"


class _Loader(yaml.SafeLoader):
    """PyYAML's safe composer, refusing aliases where they stand.

    An alias makes one node appear in several places: a "billion laughs"
    document expands exponentially when it is walked, and a person editing one
    place changes another without knowing. libyaml's faster composer cannot be
    told to refuse them, and booklet data is small.
    """

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, _ALIASES, mark)
        return super().compose_node(parent, index)


#: A data file larger than this is refused before it is parsed: booklets are
#: text, and a file of many megabytes is a mistake (or an attack on the parser).
MAX_SOURCE_BYTES = 2 * 1024 * 1024


def place_of(node: yaml.Node, path: str) -> Place:
    mark = node.start_mark
    return Place(path, mark.line + 1, mark.column + 1)


def load(file: Path, shown_as: str) -> yaml.Node:
    """Parse ``file`` into a YAML node tree; raise BookletError on any problem.

    Only composing is done here (no construction), so no Python object is ever
    built from tags, and ``yes``/``no`` stay the text the author typed until the
    model decides what the field means.
    """
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise BookletError([Problem(Place(shown_as), "no such file; the booklet's data starts here")]) from None
    except OSError as error:
        raise BookletError([Problem(Place(shown_as), f"cannot be read: {error.strerror}")]) from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise BookletError(
            [
                Problem(
                    Place(shown_as),
                    f"is {len(raw) / 1048576:.1f} MB; a booklet's data must stay under "
                    f"{MAX_SOURCE_BYTES // 1048576} MB (put images in files, not in the YAML)",
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", errors="replace")) + 1
        raise BookletError(
            [
                Problem(
                    Place(shown_as, line, column),
                    f"byte 0x{raw[error.start]:02x} is not UTF-8; save the file as UTF-8",
                )
            ]
        ) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise BookletError([_yaml_problem(error, shown_as, text)]) from None
    except yaml.YAMLError as error:  # pragma: no cover - unmarked errors are rare
        raise BookletError([Problem(Place(shown_as), f"is not valid YAML: {error}")]) from None
    if node is None:
        raise BookletError(
            [Problem(Place(shown_as, 1, 1), "is empty; it should hold the booklet's settings and sections")]
        )
    return node


def _yaml_problem(error: yaml.MarkedYAMLError, shown_as: str, text: str) -> Problem:
    problem = (error.problem or "").strip()
    if problem == _ALIASES:
        mark = error.problem_mark
        return Problem(Place(shown_as, mark.line + 1, mark.column + 1), _ALIASES)
    mark = error.problem_mark or error.context_mark
    lines = text.splitlines()
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if mark and "\\t" in problem or (mark and mark.column < len(line) and line[mark.column] == "\t"):
        return Problem(_place(mark, shown_as), "a tab is used for indenting; YAML indents with spaces only")
    message = f"is not valid YAML: {problem}"
    if "mapping values are not allowed" in problem:
        message += "; if the text holds a colon (:), put the whole text in quotes"
    context = error.context_mark
    if context and error.context and (not mark or context.line != mark.line):
        # Report where the unclosed quote or bracket started, with where it broke.
        where = f" at line {mark.line + 1}" if mark else ""
        return Problem(_place(context, shown_as), f"is not valid YAML: {error.context.strip()}, {problem}{where}")
    if error.context:
        message += f" ({error.context.strip()})"
    return Problem(_place(mark, shown_as) if mark else Place(shown_as), message)


def _place(mark: yaml.Mark, shown_as: str) -> Place:
    return Place(shown_as, mark.line + 1, mark.column + 1)
