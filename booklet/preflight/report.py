"""The preflight's findings: one row per problem, or one ok row per check saying what it looked at."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["ok", "warning", "error"]


@dataclass(frozen=True)
class Row:
    """One line of the report: what was checked in which edition, and what to do about it."""

    edition: str
    check: str
    status: Status
    detail: str


@dataclass
class Findings:
    """Every row of one preflight, in the order the report prints them."""

    rows: list[Row] = field(default_factory=list)

    @property
    def errors(self) -> list[Row]:
        return [row for row in self.rows if row.status == "error"]

    @property
    def warnings(self) -> list[Row]:
        return [row for row in self.rows if row.status == "warning"]


def pages_list(pages: Iterable[int]) -> str:
    """``page 3`` or ``pages 1, 2 and 4 more``."""
    pages = sorted(set(pages))
    shown = ", ".join(str(p) for p in pages[:8]) + (f" and {len(pages) - 8} more" if len(pages) > 8 else "")
    return f"page{'s' if len(pages) > 1 else ''} {shown}"


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
