"""What Python expects of layouts/: every file, template, token, class and id it relies on, named once.

The layouts are the designer's: Python computes the values and the layouts
show them. Where the two meet, Python relies on names, and each of those names
is written here and nowhere else; contractcheck.py checks at start-up that the
layouts provide them, and docs/designing.md lists them for designers
("What Python expects of layouts/").
"""

from __future__ import annotations

from dataclasses import dataclass

from booklet.data import blocks, chartrules, model
from booklet.editions import EDITIONS

# Files

#: The skeleton every section is merged into (Jinja renders it first).
BASE_TEMPLATE = "base.html"
#: The booklet's look and its design tokens, in every edition.
STYLESHEET = "booklet.css"
#: The charts' words, numbers and bars (booklet.css imports it).
CHARTS_STYLESHEET = "charts.css"
#: The styles of the charts' drawn marks, embedded in each drawing with its tokens resolved.
MARKS_STYLESHEET = "chart-marks.css"
#: The folder of the icons a figure may name, one SVG file each.
ICONS = "icons"

#: Each stylesheet Python relies on, and what it holds (said when it is missing).
STYLESHEETS = {
    STYLESHEET: "the booklet's look and its design tokens",
    CHARTS_STYLESHEET: "the styles of the charts' words, numbers and bars (booklet.css imports it)",
    MARKS_STYLESHEET: "the styles of the charts' drawn marks (dots, lines, rings)",
    **{e.stylesheet: f"what differs in the {e.name} edition" for e in EDITIONS.values()},
}


def section_template(kind: str) -> str:
    """The template that lays out every section of ``kind``."""
    return f"sections/{kind}.html"


def block_template(kind: str) -> str:
    """The template that lays out every block of ``kind`` in a chapter."""
    return f"blocks/{kind}.html"


def icon_file(name: str) -> str:
    """The file of the icon called ``name``, inside layouts/."""
    return f"{ICONS}/{name}.svg"


#: The templates of the section kinds, each of which writes its section's id.
SECTION_TEMPLATES = tuple(section_template(kind) for kind in model.SECTION_KINDS)
#: Every template Python renders by its name: the skeleton, a template a section kind, one a block kind.
TEMPLATES = {
    BASE_TEMPLATE: "the skeleton every section is merged into",
    **{section_template(kind): f"every section of kind {kind}" for kind in model.SECTION_KINDS},
    **{block_template(kind): f"every {kind} block of a chapter" for kind in blocks.KINDS},
}

#: The folders whose templates are read by name (checked for syntax and for the templates they include).
TEMPLATE_FOLDERS = ("sections", "blocks", "partials")

# Design tokens


@dataclass(frozen=True)
class Token:
    """A design token Python reads from the :root of the stylesheets."""

    name: str
    #: What Python draws with it (plural: "... take its colour").
    what: str
    #: A value to suggest when it is missing.
    example: str
    #: "colour", "length" (a CSS length such as 30pt) or "number" (drawing units or a stroke width).
    kind: str = "colour"


#: The tokens Python reads by name (the palette's are found by PALETTE_PREFIX).
ICON_COLOUR = "--icon"
PAPER = "--paper"
QR_INK = "--qr-ink"
BRAND = "--brand"
SIZE_FIGURE = "--size-figure"
SIZE_HERO = "--size-hero"
ICON_STROKE = "--icon-stroke"
#: The sizes of the charts' marks (chartmarks.Marks), in drawing units: a drawing is 100 units wide.
MARK_SIZES = {
    "dot_radius": "--chart-dot-radius",
    "point_radius": "--chart-point-radius",
    "plot_height": "--chart-plot-height",
    "plot_padding": "--chart-plot-padding",
    "bar_height": "--chart-bar-height",
    "ring_outer": "--chart-ring-outer",
    "ring_inner": "--chart-ring-inner",
}
#: How many chart colours there are (--chart-1 ... --chart-8): a chart tells this many categories apart.
CHART_COLOURS = chartrules.PALETTE


def chart_colour(n: int) -> str:
    """The token of a chart's ``n``-th category (from 1), which chart-marks.css uses."""
    return f"--chart-{n}"


_COLOURS = [
    Token(ICON_COLOUR, "the icons of the big-number cards", "var(--accent)"),
    Token(PAPER, "the paper behind the QR codes of section links", "#ffffff"),
    Token(QR_INK, "the QR codes of section links", "#000000"),
    Token(BRAND, "the marks of a chart in a section without a colour", "#0033a0"),
    *(
        Token(chart_colour(n), f"the marks of a chart's category {n}", "var(--brand)" if n == 1 else "#7fa4d9")
        for n in range(1, CHART_COLOURS + 1)
    ),
]
_SIZES = [
    Token(SIZE_FIGURE, "the values of the big-number cards in chapters", "30pt", "length"),
    Token(SIZE_HERO, "the values of the highlights page's cards", "38pt", "length"),
]
_GEOMETRY = [
    Token(MARK_SIZES["dot_radius"], "the dots of a dots chart (each in a square of 4 units)", "1.45", "number"),
    Token(MARK_SIZES["point_radius"], "the points on a line chart's lines", "0.9", "number"),
    Token(MARK_SIZES["plot_height"], "the plot of a line chart", "32", "number"),
    Token(MARK_SIZES["plot_padding"], "the room above and below a line chart's lines", "3", "number"),
    Token(MARK_SIZES["bar_height"], "the bar of a proportion chart", "10", "number"),
    Token(
        MARK_SIZES["ring_outer"], "the outer edge of a donut chart's ring (the drawing is 100 by 100)", "48", "number"
    ),
    Token(MARK_SIZES["ring_inner"], "the hole of a donut chart's ring", "30", "number"),
    Token(
        ICON_STROKE,
        "the lines of the icons (their width, as the icons' own 24-unit drawings count)",
        "1.5",
        "number",
    ),
]
#: Every token Python reads, by name.
TOKENS: dict[str, Token] = {token.name: token for token in [*_COLOURS, *_SIZES, *_GEOMETRY]}

#: The tokens that name the palette of section colours: --palette-teal is the colour ``teal``.
PALETTE_PREFIX = "--palette-"
#: The custom property a coloured section sets on its element, for its rules to use.
SECTION_COLOUR = "--section-colour"
#: The custom property that switches kashida on or off for an element (``--kashida: off``).
KASHIDA = "--kashida"

# Fonts

#: Every @font-face family of booklet.css starts with this: a font in the PDF whose
#: name does not start with it came from somewhere other than fonts/.
FONT_FAMILY_PREFIX = "Booklet"
#: The faces that pictures' own text is set in (an SVG picture's fonts are replaced by these).
TEXT_FAMILIES = ("Booklet Naskh", "Booklet Sans")

# Ids and classes


def section_id(index: int) -> str:
    """The id of the ``index``-th section (from 1): the contents' links and the PDF's bookmarks lead to it."""
    return f"section-{index}"


#: The variable a section template writes as its outermost element's id.
SECTION_ID_VARIABLE = "section.id"

#: The kinds of section (as the data names them) that the layouts make fill exactly one page: the
#: build's manifest marks them and the preflight checks that each stays on its page.
ONE_PAGE_KINDS = frozenset({"cover", "contents", "highlights", "photo", "back-cover"})

#: Classes the templates write that Python looks for, by the template expected to write them:
#: the layout finds where a section starts, or a page designed as one, by them (typeset/flow.py).
PAGE_STARTS = {
    "chapter__head": "partials/chapter-head.html",
    "cover": section_template("cover"),
    "back-cover": section_template("back-cover"),
    "photo-page": section_template("photo"),
    "contents": section_template("contents"),
    "foreword__text": section_template("foreword"),
    "colophon": section_template("colophon"),
}
#: The class of a chapter's picture, which the layout may make shorter to end a chapter a page earlier.
PHOTO = "photo"
PHOTO_TEMPLATE = section_template("chapter")

#: Classes Python writes into a chart's HTML, which charts.css styles.
CHART_CLASSES = (
    "chart",
    "chart__row",
    "chart__label",
    "chart__track",
    "chart__bar",
    "chart__value",
    "chart__swatch",
    "chart__legend",
    "chart__key",
    "chart__segment",
    "chart__stack",
    "chart__parts",
    "chart__part",
    "chart__donut",
    "chart__unit",
    "chart__events",
    "chart__event",
    "chart__when",
    "chart__axis",
    "chart__tick",
    "chart__year",
    "chart__rule",
    "chart__dots",
    "chart__shares",
    "chart__ring",
    "chart__plot",
)
#: Classes Python writes beside those, for a stylesheet to use if it will (KIND is a chart kind, N a category).
CHART_MODIFIERS = (
    "chart--KIND",
    "chart__fill--N",
    "chart__ink--N",
    "chart__legend--parts",
    "chart__axis--ends",
    "chart__share",
    "chart__name",
)
#: Classes Python writes into the charts' SVG marks, which chart-marks.css styles:
#: c1... fill a category's marks, s1... stroke a line chart's series.
MARK_CLASSES = (
    *(f"c{n}" for n in range(1, CHART_COLOURS + 1)),
    *(f"s{n}" for n in range(1, CHART_COLOURS + 1)),
    "grid",
    "base",
    "rule",
)
#: The class of an icon's SVG, and of a section link's QR code, which booklet.css sizes.
ICON_CLASS = "icon"
QR_CLASS = "qr-code"
#: The address printed after a link's text: hidden on screen (booklet.css), shown in print (print.css);
#: a short one is kept on one line (print.css may style it, or not).
LINK_ADDRESS = "link-address"
LINK_ADDRESS_SHORT = "link-address--short"
#: A telephone number kept on one line. booklet/data/direction.py writes it (the data comes before the
#: design and cannot read this module); tests/test_contract.py checks that the two agree.
PHONE = "phone"

#: The classes each stylesheet must style: a rule that names them, in any stylesheet of layouts/.
STYLED = {
    CHARTS_STYLESHEET: CHART_CLASSES,
    MARKS_STYLESHEET: MARK_CLASSES,
    STYLESHEET: (ICON_CLASS, QR_CLASS, LINK_ADDRESS, PHONE),
}
