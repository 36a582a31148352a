"""The icons of layouts/icons/, drawn inline in the design's colour."""

from __future__ import annotations

import difflib
from pathlib import Path

from markupsafe import Markup, escape

from booklet import readfile
from booklet.data.placed import PlacedText
from booklet.design import contract
from booklet.errors import Problem


def available(layouts: Path) -> list[str]:
    return sorted(p.stem for p in (layouts / contract.ICONS).glob("*.svg"))


#: Words a writer may try for an icon, and the icon that draws it (a hint, never a second name).
SYNONYMS = {
    "water": "droplet",
    "food": "tools-kitchen-2",
    "health": "first-aid-kit",
    "shelter": "tent",
    "house": "home",
    "money": "cash",
    "education": "school",
    "protection": "shield",
    "children": "mood-kid",
    "child": "mood-kid",
    "women": "woman",
    "refugees": "luggage",
    "refugee": "luggage",
    "migration": "walk",
    "migrants": "walk",
    "training": "presentation",
    "partnership": "heart-handshake",
    "partners": "heart-handshake",
    "medicine": "pill",
    "justice": "scale",
    "law": "gavel",
    "energy": "bolt",
    "internet": "wifi",
    "environment": "leaf",
    "climate": "plant-2",
    "people": "users",
    "job": "briefcase",
    "jobs": "briefcase",
    "agriculture": "tractor",
    "transport": "truck",
    "statistics": "chart-bar",
}


def _suggestion(name: str, names: list[str]) -> str:
    key = name.strip().lower().replace(" ", "-").replace("_", "-")
    if key in names:
        return key
    if SYNONYMS.get(key) in names:
        return SYNONYMS[key]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    return close[0] if close else ""


def unknown(texts: list[PlacedText], layouts: Path) -> list[Problem]:
    """A problem for every figure whose icon is not a file in layouts/icons/."""
    names = available(layouts)
    problems = []
    for text in texts:
        if text.where.endswith(".icon") and text.value not in names:
            close = _suggestion(text.value, names)
            listed = f"{len(names)} icons, listed in ASSETS.md"
            hint = f"did you mean {close!r}? ({listed})" if close else f"use one of the {listed}"
            problems.append(Problem(text.place, f"{text.where}: no icon {text.value!r} in layouts/icons/; {hint}"))
    return problems


def inline(layouts: Path, name: str, colour: str, title: str, stroke: float) -> Markup:
    """The icon's SVG, its currentColor replaced: it never reaches an inline SVG in WeasyPrint.

    ``title`` becomes the icon's alternative text in the tagged screen edition;
    ``stroke`` the width of its lines (the --icon-stroke token), in place of the drawn 2.
    """
    path = layouts / contract.icon_file(name)
    try:
        svg = readfile.read_text(path, layouts, readfile.MAX_ICON_BYTES)
    except readfile.Refused as refused:
        raise readfile.problem(path, refused) from None
    svg = svg.replace("currentColor", colour).replace('stroke-width="2"', f'stroke-width="{stroke:g}"')
    svg = svg.replace("<svg ", f'<svg class="{contract.ICON_CLASS}" aria-hidden="true" ', 1)
    head, _, rest = svg.partition(">")
    return Markup(f"{head}><title>{escape(title)}</title>{rest}")
