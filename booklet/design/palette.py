"""The palette of section colours: the ``--palette-NAME`` design tokens of booklet.css."""

from __future__ import annotations

import difflib
from pathlib import Path

from booklet.data.placed import PlacedText
from booklet.design import contract, tokens
from booklet.errors import Problem

PREFIX = contract.PALETTE_PREFIX


def names(layouts: Path) -> list[str]:
    """The colour names a section may take (``teal`` for ``--palette-teal``), in booklet.css's order."""
    return [
        name.removeprefix(PREFIX)
        for name in tokens.design_tokens(layouts, contract.STYLESHEET)
        if name.startswith(PREFIX)
    ]


def unknown(texts: list[PlacedText], layouts: Path) -> list[Problem]:
    """A problem for every section whose colour is not in the palette."""
    known = names(layouts)
    problems = []
    for text in texts:
        if text.where.endswith(".colour") and text.value not in known:
            lowered = {name.lower(): name for name in known}
            close = [lowered[text.value.lower()]] if text.value.lower() in lowered else []
            close = close or difflib.get_close_matches(text.value, known, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                Problem(
                    text.place,
                    f"{text.where}: no colour {text.value!r} in the palette; {hint}the palette: {', '.join(known)}",
                )
            )
    return problems


def chart_style(chart_css: str, design: dict[str, str], name: str) -> str:
    """chart-marks.css for a section coloured ``name``: what the charts paint in --brand takes the section's colour."""
    return tokens.resolve(chart_css, {**design, contract.BRAND: design[f"{PREFIX}{name}"]})


def custom_property(name: str) -> str:
    """The CSS a coloured section sets on itself: its colour as ``--section-colour``."""
    return f"{contract.SECTION_COLOUR}: var({PREFIX}{name})"
