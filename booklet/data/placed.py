"""What validation found where in booklet.yaml: the texts and the pictures, for the checks and steps after it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from booklet.errors import Place


@dataclass(frozen=True)
class PlacedText:
    """A piece of text from the data and where it stands, for checks after validation."""

    place: Place
    where: str
    value: str


@dataclass(frozen=True)
class PlacedPicture:
    """A picture named in the data, and where."""

    place: Place
    where: str
    source: Path
