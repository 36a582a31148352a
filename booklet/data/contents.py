"""The numbered sections, their numbers and their parts, for the section heads and the contents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from booklet.data import model
from booklet.data.placed import PlacedText
from booklet.errors import Problem

#: The kinds with a numbered head, listed in the contents.
HEADED = (model.Foreword, model.Highlights, model.Chapter, model.Partners)
_SECTION = re.compile(r"sections\[(\d+)\]\.part\Z")


@dataclass(frozen=True)
class Entry:
    """One section listed in the contents: its position in ``sections`` and its number (or None)."""

    index: int
    ordinal: int | None
    part: str | None


def entries(booklet: model.Booklet) -> list[Entry]:
    """The sections of the contents, in order; only the numbered ones count."""
    found = []
    count = 0
    for index, section in enumerate(booklet.sections):
        if isinstance(section, HEADED):
            if section.numbered:
                count += 1
            found.append(Entry(index, count if section.numbered else None, section.part))
    return found


def scattered_parts(texts: list[PlacedText]) -> list[Problem]:
    """A problem for each section whose part was left for another one before: a part's sections follow each other."""
    parts = sorted((int(m[1]), text) for text in texts if (m := _SECTION.match(text.where)))
    problems = []
    closed: dict[str, int] = {}
    previous: tuple[int, str] | None = None
    for index, text in parts:
        if previous and previous[1] != text.value:
            closed.setdefault(previous[1], previous[0])
        if text.value in closed:
            problems.append(
                Problem(
                    text.place,
                    f"{text.where}: the part {text.value!r} already ended at sections[{closed[text.value]}]; "
                    "the sections of a part follow each other: move this section up to them, or name another part",
                )
            )
        previous = (index, text.value)
    return problems
