"""The icons of layouts/icons/, drawn inline in the design's colour."""

from __future__ import annotations

import difflib
from pathlib import Path

from markupsafe import Markup, escape

from . import readfile
from .errors import Problem
from .validate import Text


def available(layouts: Path) -> list[str]:
    return sorted(p.stem for p in (layouts / "icons").glob("*.svg"))


def unknown(texts: list[Text], layouts: Path) -> list[Problem]:
    """A problem for every figure whose icon is not a file in layouts/icons/."""
    names = available(layouts)
    problems = []
    for text in texts:
        if text.where.endswith(".icon") and text.value not in names:
            close = difflib.get_close_matches(text.value, names, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "icons: " + ", ".join(names)
            problems.append(Problem(text.place, f"{text.where}: no icon {text.value!r} in layouts/icons/; {hint}"))
    return problems


def inline(layouts: Path, name: str, colour: str, title: str) -> Markup:
    """The icon's SVG, its currentColor replaced: it never reaches an inline SVG in WeasyPrint.

    ``title`` becomes the icon's alternative text in the tagged screen edition.
    """
    path = layouts / "icons" / f"{name}.svg"
    try:
        svg = readfile.read_text(path, layouts, readfile.MAX_ICON_BYTES)
    except readfile.Refused as refused:
        raise readfile.problem(path, refused) from None
    svg = svg.replace("currentColor", colour).replace('stroke-width="2"', 'stroke-width="1.5"')
    svg = svg.replace("<svg ", '<svg class="icon" aria-hidden="true" ', 1)
    head, _, rest = svg.partition(">")
    return Markup(f"{head}><title>{escape(title)}</title>{rest}")
