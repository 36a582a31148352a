"""Make the template context: Python computes every value, templates only display."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from booklet.data import blocks, contents, model, numbers, tables
from booklet.data.markup import to_html
from booklet.data.model import Booklet, Markdown
from booklet.design import chartmarks, charts, contract, figures, icons, palette, printlinks, tokens

#: The CSS counter style that writes page numbers in each digits setting.
COUNTER_STYLES = {"arabic-indic": "arabic-indic", "western": "decimal"}


@dataclasses.dataclass
class _Views:
    """Model values made ready for the templates of one edition."""

    numbering: numbers.Numbering
    urls: dict[Path, str]
    layouts: Path
    marks: chartmarks.Marks
    icon_colour: str
    icon_stroke: float
    page_size: str = "A5"
    value_sizes: dict[str, float] = dataclasses.field(default_factory=lambda: {"chapter": 30.0, "hero": 38.0})

    @property
    def digits(self) -> str:
        """The booklet's digits setting, arabic-indic or western."""
        return self.numbering.digits

    def number(self, value: Any) -> str:
        """``value`` as the booklet prints it: the one place numbers are formatted (booklet.data.numbers)."""
        return numbers.display(value, self.numbering)

    def figure_group(self, items: list[model.Figure], kind: str = "chapter") -> figures.FigureGrid:
        """A group of big-number cards, laid out so that every value fits its card whole."""
        views = [self.of(item) for item in items]
        fonts = self.layouts.parent / "fonts"
        size = self.value_sizes[kind]
        values = [item.value for item in items]
        return figures.arrange(views, values, fonts, self.page_size, size, kind, self.numbering)

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
                elif isinstance(value, model.Highlights) and f.name == "figures":
                    view[f.name] = self.figure_group(item, "hero")  # the highlights page's larger cards
                else:
                    view[f.name] = self.of(item)
            if isinstance(value, model.Figure):
                view["display"] = self.number(value.value)
                icon = value.icon and icons.inline(
                    self.layouts, value.icon, self.icon_colour, value.label, self.icon_stroke
                )
                view["icon_svg"] = icon or None
            if isinstance(value, model.Image):
                view["url"] = self.urls.get(value.src) or value.src.as_uri()
            if isinstance(value, blocks.Table):
                view.update(tables.view(value, self.numbering))
            if isinstance(value, model.PartnerGroup):
                view["logos"] = any(getattr(item, "logo", None) for item in value.items)
            if isinstance(value, model.Chart):
                view["html"] = charts.draw(value, self.numbering, self.marks)
            # Attribute access for templates: a dict's .items would shadow a field.
            return SimpleNamespace(**view)
        if isinstance(value, list) and value and all(isinstance(v, model.Figure) for v in value):
            return self.figure_group(value)
        if isinstance(value, list):
            return [self.of(v) for v in value]
        return value


def make_context(
    booklet: Booklet, stylesheets: list[str], layouts: Path, picture_urls: dict[Path, str], edition_stylesheet: str
) -> dict[str, Any]:
    """The variables every template receives (listed in README.md for designers).

    ``picture_urls`` gives the file each picture of the data is read from in
    this edition (a prepared copy, or the original); ``edition_stylesheet``
    the stylesheet whose tokens override booklet.css's in this edition. The
    layouts have passed the start-up check (contractcheck.py): every token
    read here by name is declared, with a value Python can use.
    """
    settings = booklet.settings
    digits = settings.digits
    design = tokens.design_tokens(layouts, edition_stylesheet)
    resolved = {name: tokens.resolve(value, design) for name, value in design.items()}
    chart_css = chartmarks.source(layouts)
    marks = chartmarks.Marks.of(tokens.resolve(chart_css, design), resolved)
    numbering = numbers.Numbering(digits, settings.numbers, settings.thousands_separator)
    sizes = {"chapter": resolved[contract.SIZE_FIGURE], "hero": resolved[contract.SIZE_HERO]}
    views = _Views(
        numbering,
        picture_urls,
        layouts,
        marks,
        resolved[contract.ICON_COLOUR],
        float(resolved[contract.ICON_STROKE]),
        settings.page_size,
        {kind: figures.points(size) for kind, size in sizes.items()},
    )

    sections = []
    chapters = []
    listed = {entry.index: entry for entry in contents.entries(booklet)}
    current_part = None
    for index, section in enumerate(booklet.sections, start=1):
        colour = getattr(section, "colour", None)
        # A coloured section's icons and chart marks are drawn in its colour (drawings never see CSS variables).
        views.icon_colour = resolved[f"{palette.PREFIX}{colour}"] if colour else resolved[contract.ICON_COLOUR]
        views.marks = (
            dataclasses.replace(marks, style=palette.chart_style(chart_css, design, colour)) if colour else marks
        )
        view = views.of(section)
        view.id = contract.section_id(index)
        view.template = contract.section_template(section.kind)
        blocks.place(getattr(section, "blocks", []), getattr(view, "blocks", []), booklet.settings.page_size)
        for block, block_view in zip(getattr(section, "blocks", []), getattr(view, "blocks", []), strict=True):
            block_view.template = contract.block_template(blocks.kind_of(block))
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
    views.icon_colour, views.marks = resolved[contract.ICON_COLOUR], marks
    document = views.of(booklet.document)
    # The section links' QR codes, drawn in the edition's black.
    for view, section in zip(sections, booklet.sections, strict=True):
        link = getattr(section, "link", None)
        view.qr_svg = printlinks.qr_code(link, resolved[contract.QR_INK], resolved[contract.PAPER]) if link else None
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
