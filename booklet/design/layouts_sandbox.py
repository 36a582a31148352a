"""The layouts' Jinja environment: a sandbox, and a loader with the project's path checks.

Layouts are trusted to decide what is printed, never what is read or run.
Jinja's ImmutableSandboxedEnvironment refuses attributes that start with an
underscore (``lipsum.__globals__``, ``''.__class__.__mro__``), the
internals of functions and frames, calls of unsafe callables, and methods
that change a list or a dict; str.format is checked the same way. The
global a template could use to run away (``lipsum``, which writes as much
text as it is asked for) is removed; ``range`` is bounded by the sandbox.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import jinja2
import jinja2.sandbox
from jinja2.loaders import split_template_path

from booklet import readfile
from booklet.design import contract

#: Jinja globals a layout has no use for: lipsum writes as much text as it is asked for.
#: (cycler, joiner and namespace stay: a layout may count or alternate with them, safely.)
_REMOVED_GLOBALS = ("lipsum",)

#: The longest template a layout may have (bytes): a template is a page of markup, not a book.
MAX_TEMPLATE_BYTES = 1024 * 1024


class Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the globals a booklet's layouts never need taken away."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)
        for name in _REMOVED_GLOBALS:
            self.globals.pop(name, None)


class CheckedLoader(jinja2.BaseLoader):
    """Templates from ``layouts`` only, each a regular file whose real path stays inside it."""

    def __init__(self, layouts: Path) -> None:
        self.layouts = Path(layouts)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, object]:
        pieces = split_template_path(template)  # refuses '..' (TemplateNotFound)
        path = self.layouts.joinpath(*pieces)
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        try:
            text = readfile.read_text(path, self.layouts, MAX_TEMPLATE_BYTES)
        except readfile.Refused as refused:
            raise readfile.problem(path, refused) from None
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.exists() and path.stat().st_mtime == mtime

    def list_templates(self) -> list[str]:
        found = (p.relative_to(self.layouts).as_posix() for p in self.layouts.rglob("*") if p.is_file())
        return sorted(found)


RECURSION = (
    "leads back to itself without end (an include or a macro that comes back here, directly or through "
    "others); remove the call that leads back"
)


def repeated_frame(error: RecursionError) -> tuple[str, int]:
    """The template line a runaway recursion repeats most: the include (or macro call) that leads back."""
    counts: Counter[tuple[str, int]] = Counter()
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".svg", ".css")):
            counts[(filename, tb.tb_lineno)] += 1
        tb = tb.tb_next
    return counts.most_common(1)[0][0] if counts else (contract.BASE_TEMPLATE, 0)


def refusal(error: jinja2.sandbox.SecurityError) -> str:
    """What a template that reached for Python's internals is told."""
    return (
        f"not allowed in a layout ({error}); templates show the values they receive "
        "(listed in README.md), they cannot reach Python's internals"
    )
