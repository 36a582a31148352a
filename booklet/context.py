"""Make the template context: Python computes every value, templates only display."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from . import blocks, charts, icons, model, readfile, tables, tokens
from .markup import to_html
from .model import Booklet, Markdown

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

#: The CSS counter style that writes page numbers in each digits setting.
COUNTER_STYLES = {"arabic-indic": "arabic-indic", "western": "decimal"}


def format_number(value: int, digits: str) -> str:
    """A figure as the booklet writes it: 1951 -> ١٩٥١ with arabic-indic digits."""
    text = str(value)
    return text.translate(_ARABIC_INDIC) if digits == "arabic-indic" else text


@dataclasses.dataclass
class _Views:
    """Model values made ready for the templates of one edition."""

    digits: str
    urls: dict[Path, str]
    layouts: Path
    chart_style: str
    icon_colour: str

    def number(self, value: int) -> str:
        return format_number(value, self.digits)

    def of(self, value: Any) -> Any:
        """``value`` for a template: Markdown rendered, numbers formatted, pictures located, charts and icons drawn."""
        if dataclasses.is_dataclass(value):
            hints = {f.name: f.type for f in dataclasses.fields(value)}
            view = {}
            for f in dataclasses.fields(value):
                item = getattr(value, f.name)
                if item is not None and "Markdown" in str(hints[f.name]):
                    view[f.name] = to_html(Markdown(item))
                else:
                    view[f.name] = self.of(item)
            if isinstance(value, model.Figure):
                view["display"] = self.number(value.value)
                icon = value.icon and icons.inline(self.layouts, value.icon, self.icon_colour, value.label)
                view["icon_svg"] = icon or None
            if isinstance(value, model.Image):
                view["url"] = self.urls.get(value.src) or value.src.as_uri()
            if isinstance(value, blocks.Table):
                view.update(tables.view(value, self.digits))
            if isinstance(value, model.Chart):
                view["svg"] = charts.draw(value, self.number, self.chart_style)
            # Attribute access for templates: a dict's .items would shadow a field.
            return SimpleNamespace(**view)
        if isinstance(value, list):
            return [self.of(v) for v in value]
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
    try:
        chart_css = readfile.read_text(layouts / "charts.css", layouts)
    except readfile.Refused as refused:
        raise readfile.problem(layouts / "charts.css", refused) from None
    chart_style = tokens.resolve(chart_css, design)
    views = _Views(digits, picture_urls, layouts, chart_style, resolved["--icon"])

    sections = []
    chapters = []
    for index, section in enumerate(booklet.sections, start=1):
        view = views.of(section)
        view.id = f"section-{index}"
        view.template = f"sections/{section.kind}.html"
        blocks.place(getattr(section, "blocks", []), getattr(view, "blocks", []), booklet.settings.page_size)
        if isinstance(section, (model.Foreword, model.Highlights, model.Chapter, model.Partners)):
            view.number = views.number(len(chapters) + 1).rjust(2, views.number(0))
            chapters.append(SimpleNamespace(id=view.id, title=section.title, number=view.number))
        sections.append(view)
    document = views.of(booklet.document)
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
