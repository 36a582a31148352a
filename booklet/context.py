"""Make the template context: Python computes every value, templates only display."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from . import charts, icons, model, tokens
from .markup import to_html
from .model import Booklet, Markdown

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

#: The CSS counter style that writes page numbers in each digits setting.
COUNTER_STYLES = {"arabic-indic": "arabic-indic", "western": "decimal"}


def format_number(value: int, digits: str) -> str:
    """A figure as the booklet writes it: 1951 -> ١٩٥١ with arabic-indic digits."""
    text = str(value)
    return text.translate(_ARABIC_INDIC) if digits == "arabic-indic" else text


def _view(value: Any, digits: str, urls: dict[Path, str]) -> Any:
    """A model value ready for a template: Markdown rendered, numbers formatted, pictures located."""
    if dataclasses.is_dataclass(value):
        hints = {f.name: f.type for f in dataclasses.fields(value)}
        view = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is not None and "Markdown" in str(hints[f.name]):
                view[f.name] = to_html(Markdown(item))
            else:
                view[f.name] = _view(item, digits, urls)
        if isinstance(value, model.Figure):
            view["display"] = format_number(value.value, digits)
        if isinstance(value, model.Image):
            view["url"] = urls.get(value.src) or value.src.as_uri()
        # Attribute access for templates: a dict's .items would shadow a field.
        return SimpleNamespace(**view)
    if isinstance(value, list):
        return [_view(v, digits, urls) for v in value]
    return value


def make_context(
    booklet: Booklet, stylesheets: list[str], layouts: Path, picture_urls: dict[Path, str], edition_stylesheet: str
) -> dict[str, Any]:
    """The variables every template receives (listed in README.md for designers).

    ``picture_urls`` gives the file each picture of the data is read from in
    this edition (a prepared copy, or the original); ``edition_stylesheet``
    the stylesheet whose tokens override booklet.css's in this edition.
    """
    digits = booklet.settings.digits
    design = tokens.design_tokens(layouts, edition_stylesheet)
    resolved = {name: tokens.resolve(value, design) for name, value in design.items()}
    chart_style = tokens.resolve((layouts / "charts.css").read_text(encoding="utf-8"), design)
    icon_colour = resolved["--icon"]

    def number(value: int) -> str:
        return format_number(value, digits)

    sections = []
    chapters = []
    for index, section in enumerate(booklet.sections, start=1):
        view = _view(section, digits, picture_urls)
        view.id = f"section-{index}"
        if isinstance(section, model.Chapter):
            for chart, chart_view in zip(section.charts, view.charts, strict=True):
                chart_view.svg = charts.draw(chart, number, chart_style)
        for figure in getattr(view, "figures", []):
            figure.icon_svg = icons.inline(layouts, figure.icon, icon_colour, figure.label) if figure.icon else None
        view.template = f"sections/{section.kind}.html"
        if isinstance(section, (model.Foreword, model.Highlights, model.Chapter, model.Partners)):
            view.number = format_number(len(chapters) + 1, digits).rjust(2, format_number(0, digits))
            chapters.append(SimpleNamespace(id=view.id, title=section.title, number=view.number))
        sections.append(view)
    document = _view(booklet.document, digits, picture_urls)
    return {
        "lang": "ar",
        "dir": "rtl",
        "document": document,
        "page_size": booklet.settings.page_size,
        "counter_style": COUNTER_STYLES[digits],
        "sections": sections,
        "chapters": chapters,
        "stylesheets": stylesheets,
        # For drawings inline in the templates, which never see CSS custom properties.
        "tokens": resolved,
        "created": booklet.document.date.isoformat() if booklet.document.date else None,
    }
