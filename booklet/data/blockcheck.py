"""Validate a chapter's blocks: which kind each is, and the rules of tables and galleries."""

from __future__ import annotations

import dataclasses
import difflib

import yaml

from booklet.data import blocks, model, numbers, tables, validate

_KINDS = ", ".join(blocks.KINDS)
_QUOTES = set("«»\"“”„'‘’")
#: Chapter fields that have a block of their own: with blocks, they go in the list.
_AS_BLOCKS = {"body": "- text: ...", "figures": "- figures: ...", "charts": "- chart: ...", "image": "- picture: ..."}


def block(reader: validate.ModelReader, node: yaml.Node, where: str) -> object:
    """One entry of ``blocks:``, written ``- type: KIND`` with its fields, or ``- KIND: ...``."""
    if not isinstance(node, yaml.MappingNode):
        reader.problem(
            node,
            where,
            f"expected a block: a map starting with 'type' (one of {_KINDS}), or one key naming the kind "
            f"such as '- text: ...', found {validate.describe(node)}",
        )
        return validate.INVALID
    keys = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    if "type" in keys:
        key_node, kind_node = keys["type"]
        kind = _kind(reader, kind_node, f"{where}.type")
        if kind is None:
            return validate.INVALID
        if kind == "chart":
            fields = [(k, v) for k, v in node.value if k is not key_node]
            return _chart(reader.value(_mapping(node, fields), model.Chart, where))
        if too_large(reader, blocks.KINDS[kind], node, where):
            return validate.INVALID
        return reader.record(node, blocks.KINDS[kind], where, preset={"type": kind})
    if len(node.value) == 1:
        key_node, value_node = node.value[0]
        kind = _kind(reader, key_node, where, as_key=True)
        if kind is None:
            return validate.INVALID
        inner = f"{where}.{kind}"
        cls = blocks.KINDS[kind]
        if isinstance(value_node, yaml.MappingNode) or kind not in blocks.SHORTHAND:
            if kind == "chart":
                return _chart(reader.value(value_node, model.Chart, inner))
            if not isinstance(value_node, yaml.MappingNode):
                reader.problem(
                    value_node,
                    inner,
                    f"expected its fields ({', '.join(_fields(cls))}) indented under '{kind}:', "
                    f"found {validate.describe(value_node)}",
                )
                return validate.INVALID
            if too_large(reader, cls, value_node, inner):
                return validate.INVALID
            return reader.record(value_node, cls, inner, preset={"type": kind})
        # - text: "...", - figures: [...], - gallery: [...]: the value is the block's main field.
        field = blocks.SHORTHAND[kind]
        value = reader.value(value_node, model.hints(cls)[field], inner)
        values = {"type": kind, field: value}
        if value is validate.INVALID or not check_record(reader, cls, {field: value_node}, inner, values, True):
            return validate.INVALID
        return cls(**values)
    named = [k for k in keys if k in blocks.KINDS]
    if named:
        reader.problem(
            keys[named[0]][0],
            f"{where}.{named[0]}",
            f"a block has one key naming its kind; write 'type: {named[0]}' with the other keys beside it, "
            f"or indent them under '{named[0]}:'",
        )
    else:
        reader.problem(node, f"{where}.type", f"missing; every block starts with a type, one of {_KINDS}")
    return validate.INVALID


def _fields(cls: type) -> list[str]:
    """The keys a block of ``cls`` is written with (its type aside)."""
    return [f.name for f in dataclasses.fields(cls) if f.name != "type"]


def _chart(chart: object) -> object:
    """A chart checked as those of ``charts:`` are, as a block."""
    if chart is validate.INVALID:
        return chart
    fields = {f.name: getattr(chart, f.name) for f in dataclasses.fields(chart)}
    return blocks.ChartBlock(type="chart", **fields)


def _kind(reader: validate.ModelReader, node: yaml.Node, where: str, as_key: bool = False) -> str | None:
    text = node.value if isinstance(node, yaml.ScalarNode) else None
    if text in blocks.KINDS:
        return text
    close = difflib.get_close_matches(str(text), list(blocks.KINDS), n=1) if text else []
    hint = f"; did you mean {close[0]!r}?" if close else ""
    shown = repr(text) if text is not None else validate.describe(node)
    what = "unknown block" if as_key else "unknown block type"
    reader.problem(node, where if not as_key else f"{where}.{text}", f"{what} {shown}{hint} (types: {_KINDS})")
    return None


def _mapping(like: yaml.Node, pairs: list) -> yaml.MappingNode:
    """A map node of ``pairs`` standing where ``like`` stands, so its problems point there."""
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, like.start_mark, like.end_mark)


def cell(reader: validate.ModelReader, node: yaml.Node, where: str) -> object:
    """A table cell: any text or number; an empty cell (``""`` or ``~``) stays empty."""
    if not isinstance(node, yaml.ScalarNode):
        reader.problem(node, where, f"expected text or a number for a cell, found {validate.describe(node)}")
        return validate.INVALID
    if validate.is_null(node) or not node.value.strip():
        return ""
    value = reader.value_of(node, str, where)
    return value


def too_large(reader: validate.ModelReader, cls: object, node: yaml.MappingNode, where: str) -> bool:
    """A table past the bounds, said before its cells are read one by one."""
    if cls is not blocks.Table:
        return False
    given = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    rows = given.get("rows")
    if isinstance(rows, yaml.SequenceNode) and len(rows.value) > blocks.MAX_ROWS:
        reader.problem(
            rows,
            f"{where}.rows",
            f"has {len(rows.value):,} rows; a table holds at most {blocks.MAX_ROWS}: "
            "split it into several tables, or give the whole table as a download and print a summary",
        )
        return True
    return False


def check_record(
    reader: validate.ModelReader,
    cls: type,
    given: dict[str, yaml.Node],
    where: str,
    values: dict[str, object],
    shorthand: bool = False,
) -> bool:
    """Rules of blocks that their fields' types cannot say; False if one is broken.

    ``shorthand``: the block was written ``- KIND: value``, and ``where`` names that value.
    """
    node_of = given.get
    if cls is model.Chapter and values.get("blocks"):
        ok = True
        for name, written in _AS_BLOCKS.items():
            if values.get(name):
                reader.problem(
                    node_of(name),
                    f"{where}.{name}",
                    f"this chapter has blocks, so its {name} goes among them: write it as '{written}' in "
                    "blocks, where it should stand",
                )
                ok = False
        return ok
    if cls is model.Chapter and isinstance(node_of("blocks"), yaml.SequenceNode) and not node_of("blocks").value:
        reader.problem(node_of("blocks"), f"{where}.blocks", "is empty; list the chapter's blocks, or remove the key")
        return False
    if cls is blocks.Table:
        return _check_table(reader, given, where, values)
    if cls is blocks.Figures and not values["items"]:
        reader.problem(node_of("items"), where if shorthand else f"{where}.items", "is empty; list at least one figure")
        return False
    if cls is blocks.Testimonial and values["quote"][:1] in _QUOTES and values["quote"][-1:] in _QUOTES:
        reader.problem(
            node_of("quote"),
            f"{where}.quote",
            "is written between quotation marks; remove them: the layout sets the quote between « and »",
        )
        return False
    if cls is blocks.Gallery:
        low, high = blocks.GALLERY_SIZES
        count = len(values["pictures"])
        if not low <= count <= high:
            advice = "use a picture block for one" if count < low else "make two galleries"
            reader.problem(
                node_of("pictures"),
                where if shorthand else f"{where}.pictures",
                f"has {count} picture{'s' if count != 1 else ''}; a gallery shows {low} to {high}: {advice}",
            )
            return False
    return True


def page_size_of(root: yaml.Node) -> str:
    """The page size the data asks for (settings.page_size), read from the nodes: tables are
    checked against it before the settings themselves are validated; A5 if it is not one."""
    settings = _child(root, "settings")
    size = _child(settings, "page_size") if settings is not None else None
    return size.value if isinstance(size, yaml.ScalarNode) and size.value in tables.MEASURE_PT else "A5"


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _check_table(reader: validate.ModelReader, given: dict[str, yaml.Node], where: str, values: dict) -> bool:
    header, rows = values["header"], values["rows"]
    if not header:
        reader.problem(given["header"], f"{where}.header", "is empty; name each column, as in [البند, ٢٠٢٣]")
        return False
    if len(header) > blocks.MAX_COLUMNS:
        reader.problem(
            given["header"],
            f"{where}.header",
            f"has {len(header)} columns; a table holds at most {blocks.MAX_COLUMNS} on a page: "
            "split it into two tables",
        )
        return False
    if not rows:
        reader.problem(given["rows"], f"{where}.rows", "is empty; a table needs at least one row")
        return False
    ok = True
    width = len(header)
    # Counted on the nodes: a row whose cell was refused is short by it in ``values``.
    lines = [(f"rows[{i}]", node) for i, node in enumerate(given["rows"].value, start=1)]
    if isinstance(given.get("totals"), yaml.SequenceNode):
        lines.append(("totals", given["totals"]))
    for label, node in lines:
        count = len(node.value) if isinstance(node, yaml.SequenceNode) else width
        if count != width:
            reader.problem(
                node,
                f"{where}.{label}",
                f"has {count} cell{'s' if count != 1 else ''}, the header has {width}; "
                f'give every row {width} cells (write "" for an empty one)',
            )
            ok = False
    # Measured only when every cell was read: a refused cell leaves its row short here.
    whole = [*rows, *([values["totals"]] if values.get("totals") is not None else [])]
    if ok and all(len(row) == width for row in whole):
        ok = _fits(reader, given["header"], where, values)
    return ok


def _fits(reader: validate.ModelReader, header: yaml.Node, where: str, values: dict) -> bool:
    """A table must fit across the page at the smallest type size, its numbers unbroken."""
    view = tables.view(blocks.Table(**values), numbers.Numbering("western"))
    page = getattr(reader, "page_size", "A5")
    if tables.type_size(view, page) is not None:
        return True
    smallest = tables.SIZES_PT[-1]
    need = tables.width_em(view) * smallest * 25.4 / 72
    measure = tables.MEASURE_PT[page] * 25.4 / 72
    reader.problem(
        header,
        where,
        f"is too wide for an {page} page: its {len(view['head'])} columns need about {need:.0f} mm even in "
        f"{smallest:g} pt type, the text is {measure:.0f} mm wide; split it into two tables of fewer columns, "
        "or shorten its longest cells and headings",
    )
    return False
