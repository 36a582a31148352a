"""The blocks a chapter may hold, in the writer's order: text, figures, charts, tables, pictures,
galleries, testimonials and boxed case studies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from booklet.data import model
from booklet.data.model import Figure, Image, Markdown, doc

#: One cell of a table: text, a number (the booklet writes it in its digits) or
#: nothing (an empty cell). Validation keeps every cell as the text written,
#: "" for an empty one; the union says what the data may hold (the JSON Schema).
Cell = str | float | None

#: Tables larger than this are refused: they belong in an annex or a spreadsheet, and a
#: table of thousands of rows would take minutes to lay out.
MAX_ROWS = 500
MAX_COLUMNS = 12
#: A gallery shows two to six pictures: one is a picture, seven are too small to read.
GALLERY_SIZES = (2, 6)


@dataclass(frozen=True, kw_only=True)
class Text:
    type: Literal["text"]
    body: Markdown = doc("the text (Markdown: paragraphs, ## sub-headings, - lists, 1. numbered lists, > quotes)")


@dataclass(frozen=True, kw_only=True)
class Figures:
    type: Literal["figures"]
    items: list[Figure] = doc("big numbers, each with a value and a label")


@dataclass(frozen=True, kw_only=True)
class Table:
    type: Literal["table"]
    caption: str = doc("the table's title, printed above it")
    header: list[Cell] = doc("the column headings, one per column")
    rows: list[list[Cell]] = doc("the rows, each a list of as many cells as the header has")
    totals: list[Cell] | None = doc("a last row of totals, as many cells as the header has", None)
    note: str | None = doc("a line under the table, such as its source or its unit", None)


@dataclass(frozen=True, kw_only=True)
class Picture(Image):
    type: Literal["picture"]
    width: Literal["full", "half", "inset"] = doc(
        "full (the text's width), half (half of it, text beside it) or inset (a third, text beside it)", "full"
    )
    fit: Literal["cover", "contain"] | None = doc(
        "cover (cropped to fill its place, keeping focus) or contain (whole, never cropped: maps, diagrams); "
        "left out, cover for a photograph and contain for an SVG drawing",
        None,
    )


@dataclass(frozen=True, kw_only=True)
class Gallery:
    type: Literal["gallery"]
    pictures: list[Image] = doc("two to six pictures, each with src, alt and an optional caption and credit")
    caption: str | None = doc("a caption for the whole gallery", None)
    fit: Literal["cover", "contain"] = doc("cover (cropped to equal tiles) or contain (whole, never cropped)", "cover")


@dataclass(frozen=True, kw_only=True)
class Testimonial:
    type: Literal["testimonial"]
    quote: str = doc("what the person said, without quotation marks")
    name: str = doc("who said it")
    role: str = doc("who the person is, such as متطوعة في برنامج الإيواء")
    portrait: Image | None = doc("a picture of the person", None)


@dataclass(frozen=True, kw_only=True)
class Case:
    type: Literal["case"]
    title: str = doc("the case study's heading")
    body: Markdown = doc("the story (Markdown)")
    picture: Image | None = doc("a picture for the story", None)


@dataclass(frozen=True, kw_only=True)
class ChartBlock(model.Chart):
    """A chart among the blocks: every field of a chart of the ``charts:`` list, checked as those are."""

    type: Literal["chart"]


Block = Text | Figures | ChartBlock | Table | Picture | Gallery | Testimonial | Case

#: Each block's ``type`` and its class.
KINDS: dict[str, object] = {
    "text": Text,
    "figures": Figures,
    "chart": ChartBlock,
    "table": Table,
    "picture": Picture,
    "gallery": Gallery,
    "testimonial": Testimonial,
    "case": Case,
}
#: The field that ``- KIND: value`` fills when the value is not a map of keys.
SHORTHAND = {"text": "body", "figures": "items", "gallery": "pictures"}


def kind_of(block: object) -> str:
    """The block's kind, which names its partial in layouts/blocks/."""
    return block.type


def place(chapter_blocks: list[object], views: list[object], page_size: str) -> None:
    """Give each block's view its place beside a picture (``opens``,
    ``closes``), for a picture its ``fit`` and for a table the type size that fits it on the page
    (``size``, in points)."""
    from booklet.data import tables  # tables builds on the classes here

    for block, view, (opens, closes) in zip(chapter_blocks, views, floats(chapter_blocks), strict=True):
        view.opens, view.closes = opens, closes
        if isinstance(block, Picture):
            # A drawing is never cropped unless the writer asks for it.
            view.fit = block.fit or ("contain" if block.src.suffix.lower() == ".svg" else "cover")
        if isinstance(block, Table):
            # Validation refused the tables that fit at no size: the smallest is the floor.
            size = tables.type_size(vars(view), page_size) or tables.SIZES_PT[-1]
            view.size = f"{size:g}".replace(".", "-")


def floats(chapter_blocks: list[object]) -> list[tuple[bool, bool]]:
    """For each block, whether it opens and whether it closes a group set beside a picture.

    A half or inset picture stands beside the one block that follows it (the two are
    kept in one box, so that the block after them starts below both); a picture with
    nothing after it, or another such picture, stands alone.
    """
    marks = [[False, False] for _ in chapter_blocks]
    for index, block in enumerate(chapter_blocks):
        if isinstance(block, Picture) and block.width != "full":
            marks[index][0] = True
            following = chapter_blocks[index + 1] if index + 1 < len(chapter_blocks) else None
            beside = following is not None and not (isinstance(following, Picture) and following.width != "full")
            marks[index + 1 if beside else index][1] = True
    return [(opens, closes) for opens, closes in marks]


def written_forms(object_of: Callable[[type], dict], of: Callable[[object, str], dict]) -> list[dict]:
    """The JSON Schema of each block's short form, ``- KIND: ...``, beside ``- type: KIND`` (for the
    data's schema): ``object_of(cls)`` makes the schema of a class's fields, ``of(hint, name)`` of a type."""
    forms = []
    for kind, cls in KINDS.items():
        fields = object_of(cls)
        properties = {name: value for name, value in fields["properties"].items() if name != "type"}
        required = [name for name in fields.get("required", []) if name != "type"]
        under = (
            {**fields, "properties": properties, "required": required}
            if required
            else {key: value for key, value in {**fields, "properties": properties}.items() if key != "required"}
        )
        if kind in SHORTHAND:
            field = SHORTHAND[kind]
            under = {"anyOf": [of(model.hints(cls)[field], field), under]}
        forms.append({"type": "object", "properties": {kind: under}, "required": [kind], "additionalProperties": False})
    return forms
