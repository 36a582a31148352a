"""Make the template context: Python computes every value, templates only display."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

from . import model
from .markup import to_html
from .model import Booklet, Markdown

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

#: The CSS counter style that writes page numbers in each digits setting.
COUNTER_STYLES = {"arabic-indic": "arabic-indic", "western": "decimal"}


def format_number(value: int, digits: str) -> str:
    """A figure as the booklet writes it: 1951 -> ١٩٥١ with arabic-indic digits."""
    text = str(value)
    return text.translate(_ARABIC_INDIC) if digits == "arabic-indic" else text


def _view(value: Any, digits: str) -> Any:
    """A model value ready for a template: Markdown rendered, numbers formatted."""
    if dataclasses.is_dataclass(value):
        hints = {f.name: f.type for f in dataclasses.fields(value)}
        view = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is not None and "Markdown" in str(hints[f.name]):
                view[f.name] = to_html(Markdown(item))
            else:
                view[f.name] = _view(item, digits)
        if isinstance(value, model.Figure):
            view["display"] = format_number(value.value, digits)
        if isinstance(value, model.Image):
            view["url"] = value.src.as_uri()
        # Attribute access for templates: a dict's .items would shadow a field.
        return SimpleNamespace(**view)
    if isinstance(value, list):
        return [_view(v, digits) for v in value]
    return value


def make_context(booklet: Booklet, stylesheets: list[str]) -> dict[str, Any]:
    """The variables every template receives (listed in README.md for designers)."""
    digits = booklet.settings.digits
    sections = []
    chapters = []
    for index, section in enumerate(booklet.sections, start=1):
        view = _view(section, digits)
        view.id = f"section-{index}"
        view.template = f"sections/{section.kind}.html"
        if isinstance(section, (model.Foreword, model.Highlights, model.Chapter, model.Partners)):
            view.number = format_number(len(chapters) + 1, digits).rjust(2, format_number(0, digits))
            chapters.append(SimpleNamespace(id=view.id, title=section.title, number=view.number))
        sections.append(view)
    document = _view(booklet.document, digits)
    return {
        "lang": "ar",
        "dir": "rtl",
        "document": document,
        "page_size": booklet.settings.page_size,
        "counter_style": COUNTER_STYLES[digits],
        "sections": sections,
        "chapters": chapters,
        "stylesheets": stylesheets,
        "created": booklet.document.date.isoformat() if booklet.document.date else None,
    }
