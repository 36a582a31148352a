"""The booklet's typed model: what each section kind holds, with what it means."""

from __future__ import annotations

import datetime as dt
import functools
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NewType

from booklet.data.amounts import Amount

#: Text that may carry light Markdown (emphasis, strong, links, paragraphs).
Markdown = NewType("Markdown", str)


def doc(text: str, default: object = dataclass) -> object:
    """A dataclass field with the help text that validation messages quote."""
    if default is dataclass:
        return field(metadata={"doc": text})
    if isinstance(default, list):
        return field(default_factory=list, metadata={"doc": text})
    return field(default=default, metadata={"doc": text})


@functools.cache
def hints(cls: type) -> dict[str, object]:
    """The resolved type of each field of a model class, read once a process (validation asks for every record)."""
    return typing.get_type_hints(cls)


@dataclass(frozen=True, kw_only=True)
class Image:
    src: Path = doc("a picture file inside data/, such as images/training.jpg")
    alt: str = doc("a sentence describing the picture for readers who cannot see it")
    caption: str | None = doc("a caption printed under the picture", None)
    credit: str | None = doc("who made the picture", None)
    focus: str = doc(
        "the part of the picture that must stay in a crop, as CSS object-position such as 'center top'", "center"
    )


@dataclass(frozen=True, kw_only=True)
class Settings:
    page_size: Literal["A5", "A4"] = doc("the trim size: A5 (148 x 210 mm) or A4", "A5")
    digits: Literal["arabic-indic", "western"] = doc(
        "how page numbers and figures are written: arabic-indic (١٢٣) or western (123)", "arabic-indic"
    )
    numbers: Literal["full", "compact"] = doc(
        "how big numbers print: full (٢٧٬٨٠٠٬٠٠٠) or compact (٢٧٫٨ مليون)", "full"
    )
    thousands_separator: bool = doc("whether numbers of five digits and more are grouped by thousands (١٢٬٥٠٠)", True)


@dataclass(frozen=True, kw_only=True)
class Document:
    title: str = doc("the booklet's title, as on its cover")
    subtitle: str | None = doc("a line under the title", None)
    organisation: str = doc("who publishes the booklet; the PDF's author")
    subject: str = doc("one sentence on what the booklet is about; the PDF's subject")
    keywords: list[str] = doc("a list of words people search for", [])
    date: dt.date | None = doc("the publication date as YYYY-MM-DD; the PDF's creation date", None)
    logo: Path | None = doc(
        "the organisation's logo on the cover and the back cover, an SVG or PNG file inside data/, such as logo.svg",
        None,
    )


@dataclass(frozen=True, kw_only=True)
class Figure:
    value: Amount = doc(
        "a number such as 172 or 27.8, a percentage such as 94%, or money such as {amount: 1250000, currency: QAR}"
    )
    label: str = doc("what the number counts, such as ممثلا عن الجهات الحكومية")
    qualifier: str | None = doc("a word before the number, such as أكثر من", None)
    icon: str | None = doc("the name of an icon in layouts/icons/, such as users", None)


@dataclass(frozen=True, kw_only=True)
class ChartItem:
    label: str = doc("what the value is, such as ورش عمل مغلقة; for a line chart, the year or period, such as 2021")
    value: Amount | None = doc(
        "a number such as 172, 27.8 or 45%, or money; for a timeline, the year (or values, for charts with series)",
        None,
    )
    values: list[Amount] = doc(
        "for stacked, grouped and line charts with series: one value per series, in their order", []
    )
    note: str | None = doc("for a timeline, words before the year, such as سبتمبر", None)


@dataclass(frozen=True, kw_only=True)
class Chart:
    kind: Literal["bars", "dots", "timeline", "stacked", "grouped", "proportion", "line"] = doc(
        "bars (one bar per item), dots (dots per unit, items as colours), timeline (items as years), "
        "stacked or grouped (bars of several series), proportion (parts of a whole) or line (values over years)"
    )
    title: str = doc("the chart's heading")
    alt: str = doc("what the chart shows, in a sentence, for readers who cannot see it")
    items: list[ChartItem] = doc("the chart's items, each with a label and a value")
    series: list[str] = doc("for stacked, grouped and line charts: the name of each series, in the legend", [])
    unit: str | None = doc("for a dots chart: what one unit is, in the singular, such as طفل", None)
    units: str | None = doc("for a dots chart: the plural of unit, such as أطفال", None)
    per_dot: int | None = doc(
        "for a dots chart: how many units one dot stands for; chosen to fit a page if left out", None
    )
    shape: Literal["bar", "donut"] = doc(
        "for a proportion chart: one bar across the page (bar) or a ring (donut)", "bar"
    )


@dataclass(frozen=True, kw_only=True)
class Group:
    title: str = doc("the heading of the list")
    items: list[str] = doc("the entries of the list, one per line")


@dataclass(frozen=True, kw_only=True)
class Partner:
    name: str = doc("the partner's name, printed under its logo")
    logo: Path | None = doc("the partner's logo, an SVG or PNG file inside data/, such as logos/qffd.png", None)


@dataclass(frozen=True, kw_only=True)
class PartnerGroup:
    title: str = doc("the heading of the group")
    items: list[str | Partner] = doc("the partners: a name, or a name and a logo ({name: ..., logo: ...})")


#: Options of the sections that have a numbered head (foreword, highlights, chapters, partners).
_COLOUR = "the section's colour from the palette of booklet.css, such as teal or sand"
_NUMBERED = "false to leave the section without a number in its head and in the contents"
_PART = "the part of the booklet the section belongs to, printed as a heading in the contents"
_LINK = "a web address (https://...) printed with a QR code in the print edition and clickable on screen"


@dataclass(frozen=True, kw_only=True)
class Cover:
    kind: Literal["cover"]
    kicker: str | None = doc("a short line above the title", None)
    tagline: str | None = doc("a line under the title", None)
    image: Image | None = doc("a picture for the cover", None)


@dataclass(frozen=True, kw_only=True)
class Colophon:
    kind: Literal["colophon"]
    body: Markdown = doc("the colophon's text (Markdown)")


@dataclass(frozen=True, kw_only=True)
class Foreword:
    kind: Literal["foreword"]
    title: str = doc("the foreword's heading")
    body: Markdown = doc("the foreword's text (Markdown, paragraphs separated by a blank line)")
    signature: str = doc("the name of who signs the foreword")
    role: str = doc("the signatory's position")
    quote: str | None = doc("a short sentence from the text, set large as a pull quote", None)
    numbered: bool = doc(_NUMBERED, True)
    part: str | None = doc(_PART, None)
    colour: str | None = doc(_COLOUR, None)


@dataclass(frozen=True, kw_only=True)
class Contents:
    kind: Literal["contents"]
    title: str = doc("the contents page's heading")


@dataclass(frozen=True, kw_only=True)
class Highlights:
    kind: Literal["highlights"]
    title: str = doc("the page's heading")
    intro: Markdown | None = doc("a short paragraph under the heading (Markdown)", None)
    figures: list[Figure] = doc("the big numbers, each with a value and a label")
    numbered: bool = doc(_NUMBERED, True)
    part: str | None = doc(_PART, None)
    colour: str | None = doc(_COLOUR, None)


@dataclass(frozen=True, kw_only=True)
class Chapter:
    kind: Literal["chapter"]
    title: str = doc("the chapter's heading")
    lead: str | None = doc("one or two sentences under the heading, set large", None)
    body: Markdown | None = doc("the chapter's text (Markdown)", None)
    figures: list[Figure] = doc("big numbers, each with a value and a label", [])
    charts: list[Chart] = doc("charts drawn from the data", [])
    groups: list[Group] = doc("titled lists, such as the bodies trained", [])
    image: Image | None = doc("a picture for the chapter", None)
    numbered: bool = doc(_NUMBERED, True)
    part: str | None = doc(_PART, None)
    colour: str | None = doc(_COLOUR, None)
    link: str | None = doc(_LINK, None)
    blocks: list[content_blocks.Block] = doc(
        "the chapter's content in the order given: text, figures, chart, table, picture, gallery, testimonial, case",
        [],
    )


@dataclass(frozen=True, kw_only=True)
class Partners:
    kind: Literal["partners"]
    title: str = doc("the page's heading")
    intro: Markdown | None = doc("a short paragraph under the heading (Markdown)", None)
    groups: list[PartnerGroup] = doc("partners grouped by kind, each group with a title and names or logos")
    numbered: bool = doc(_NUMBERED, True)
    part: str | None = doc(_PART, None)
    colour: str | None = doc(_COLOUR, None)


@dataclass(frozen=True, kw_only=True)
class Photo:
    kind: Literal["photo"]
    image: Image = doc("the picture, printed across the whole page and into the bleed")


@dataclass(frozen=True, kw_only=True)
class BackCover:
    kind: Literal["back-cover"]
    body: Markdown = doc("the text on the back cover (Markdown)")
    link: str | None = doc(_LINK, None)


#: Other spellings a writer may use for a key: each is read as the key it names.
KEY_ALIASES: dict[str, str] = {"color": "colour", "url": "link"}

Section = Cover | Colophon | Foreword | Contents | Highlights | Chapter | Partners | Photo | BackCover
#: Each section's ``kind`` picks its class here and its layout in layouts/sections/.
SECTION_KINDS: dict[str, type] = {
    "cover": Cover,
    "colophon": Colophon,
    "foreword": Foreword,
    "contents": Contents,
    "highlights": Highlights,
    "chapter": Chapter,
    "partners": Partners,
    "photo": Photo,
    "back-cover": BackCover,
}


@dataclass(frozen=True, kw_only=True)
class Booklet:
    document: Document = doc("the booklet's title, publisher and PDF metadata")
    sections: list[Section] = doc("the booklet's pages in reading order, each with a kind")
    settings: Settings = doc("page size and digits", Settings())


# Blocks build on the classes above (Image, Figure, Chart); imported last, for Chapter's annotation.
from booklet.data import blocks as content_blocks  # noqa: E402
