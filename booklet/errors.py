"""Problems found in the booklet's sources, reported as ``file:line:col: message``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Place:
    """Where a value stands in a source file (line and column count from 1)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the sources, with what would be right."""

    place: Place
    message: str

    def __str__(self) -> str:
        return _printable(f"{self.place}: {self.message}")


#: Characters that would reorder or garble the terminal line that shows them.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _printable(text: str) -> str:
    """``text`` on one line, with invisible controls written as U+XXXX."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m[0]):04X}>", text.replace("\n", "\\n"))


class BookletError(Exception):
    """The booklet cannot be built; ``problems`` says every reason at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.place, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the person who runs the build would type it: relative when it can be."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()
