"""Make the template context: Python computes every value, templates only display."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from . import charts, contents, icons, model, palette, printlinks, readfile, tokens
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
                    view[f.name] = printlinks.annotate(to_html(Markdown(item)))
                elif isinstance(item, Path):
                    view[f.name] = item
                    view[f"{f.name}_url"] = self.urls.get(item) or item.as_uri()
                else:
                    view[f.name] = self.of(item)
            if isinstance(value, model.Figure):
                view["display"] = self.number(value.value)
                icon = value.icon and icons.inline(self.layouts, value.icon, self.icon_colour, value.label)
                view["icon_svg"] = icon or None
            if isinstance(value, model.Image):
                view["url"] = self.urls.get(value.src) or value.src.as_uri()
            if isinstance(value, model.PartnerGroup):
                view["logos"] = any(getattr(item, "logo", None) for item in value.items)
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
    listed = {entry.index: entry for entry in contents.entries(booklet)}
    current_part = None
    for index, section in enumerate(booklet.sections, start=1):
        colour = getattr(section, "colour", None)
        # A coloured section's icons and chart marks are drawn in its colour (drawings never see CSS variables).
        views.icon_colour = resolved[f"{palette.PREFIX}{colour}"] if colour else resolved["--icon"]
        views.chart_style = palette.chart_style(layouts, design, colour) if colour else chart_style
        view = views.of(section)
        view.id = f"section-{index}"
        view.template = f"sections/{section.kind}.html"
        view.tone = palette.custom_property(colour) if colour else None
        if entry := listed.get(index - 1):
            view.number = views.number(entry.ordinal).rjust(2, views.number(0)) if entry.ordinal else None
            # A part's heading opens the contents' entries until the next part.
            heading = entry.part if entry.part and entry.part != current_part else None
            current_part = entry.part or current_part
            chapters.append(
                SimpleNamespace(id=view.id, title=section.title, number=view.number, part=heading, tone=view.tone)
            )
        sections.append(view)
    views.icon_colour, views.chart_style = resolved["--icon"], chart_style
    document = views.of(booklet.document)
    # The section links' QR codes, drawn in the edition's black.
    for view, section in zip(sections, booklet.sections, strict=True):
        link = getattr(section, "link", None)
        view.qr_svg = printlinks.qr_code(link, resolved["--qr-ink"], resolved["--paper"]) if link else None
        view.link_address = printlinks.isolated(printlinks.address(link)) if link else None
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
