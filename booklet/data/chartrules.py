"""Rules of a chart that its fields' types cannot say: each kind's fields, series lengths, order, colours."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from booklet.data import bounds

#: A chart tells at most this many colours apart (the layouts give a colour token each: --chart-1...).
PALETTE = 8
#: The most dots a dots chart may draw: as many as a page of A5 holds with its title, key and legend.
MAX_DOTS = 450

#: Kinds whose items give one value per series (``values``) and whose chart names its ``series``.
SERIES_KINDS = {"stacked", "grouped"}
#: Kinds that may give series or a single value per item.
OPTIONAL_SERIES = {"line"}
#: Fields that only one kind reads.
DOTS_ONLY = ("unit", "units", "per_dot")

#: Called with each problem found: the node it is about, where in the data, and the message.
ProblemCallback = Callable[[yaml.Node, str, str], None]


def _keys(node: yaml.Node) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def check_chart(node: yaml.MappingNode, where: str, values: dict[str, object], problem: ProblemCallback) -> bool:
    """Every problem of one chart, reported at once through ``problem``; False if there was one."""
    given = _keys(node)
    kind = values.get("kind")
    items = values.get("items", [])
    items_node = given.get("items")
    item_nodes = items_node.value if isinstance(items_node, yaml.SequenceNode) else []
    problems: list[str] = []  # reported here, to say whether the chart holds

    def report(at: yaml.Node, at_where: str, message: str) -> None:
        problems.append(message)
        problem(at, at_where, message)

    if isinstance(items_node, yaml.SequenceNode) and not items_node.value:
        report(items_node, f"{where}.items", "is empty; a chart draws its items: list at least one")
        return False
    lost = [name for name in ("kind", "items", "series") if name in given and name not in values]
    if lost or kind is None or len(item_nodes) != len(items):
        return False  # a field or an item is already reported as wrong: the chart cannot be checked as a whole
    series = values.get("series", [])
    with_series = kind in SERIES_KINDS or (kind in OPTIONAL_SERIES and bool(series))
    if series and kind not in SERIES_KINDS | OPTIONAL_SERIES:
        report(
            given["series"],
            f"{where}.series",
            f"a {kind} chart has no series; remove series (stacked, grouped and line charts have them)",
        )
    if kind in SERIES_KINDS and not series:
        report(node, f"{where}.series", f"missing; a {kind} chart names its series, such as series: [2022, 2023]")
        return False
    for name in DOTS_ONLY:
        if name in given and kind != "dots":
            report(given[name], f"{where}.{name}", f"only a dots chart has {name}; remove it")
    if "shape" in given and kind != "proportion":
        report(given["shape"], f"{where}.shape", "only a proportion chart has a shape (bar or donut); remove it")
    colours = len(series) if with_series else 1 if kind == "line" else len(items)
    if kind in ("dots", "proportion", "stacked", "grouped", "line") and colours > PALETTE:
        counted = "series" if with_series else "items"
        at = given.get("series") if with_series else items_node
        report(
            at or node,
            f"{where}.{counted}",
            f"has {colours} {counted}; a chart tells at most {PALETTE} apart "
            "by colour: merge the smallest into one, such as «أخرى»",
        )
    for i, (item, item_node) in enumerate(zip(items, item_nodes, strict=True), start=1):
        keys, at = _keys(item_node), f"{where}.items[{i}]"
        if with_series:
            if item.value is not None:
                report(
                    keys["value"],
                    f"{at}.value",
                    f"this chart has series: write values: with one value per series ({len(series)}), in their order",
                )
            elif len(item.values) != len(series):
                names = ", ".join(series)
                report(
                    keys.get("values", item_node),
                    f"{at}.values",
                    f"has {len(item.values)} values, the chart has "
                    f"{len(series)} series ({names}): give one value per series, in their order",
                )
        else:
            if item.values:
                fix = "; or name the chart's series" if kind in OPTIONAL_SERIES else ""
                report(keys["values"], f"{at}.values", f"values are for charts with series: write value: N{fix}")
            elif item.value is None:
                report(item_node, f"{at}.value", "missing; expected a whole number such as 172")
        # A series' values keep the bounds of every value (bounds.py checks an item's value itself).
        for bad in dict.fromkeys(filter(None, map(bounds.value_problem, item.values))):
            report(keys.get("values", item_node), f"{at}.values", f"holds {bad.removeprefix('is ')}")
    if problems:
        return False
    if kind == "timeline":
        _in_order(items, item_nodes, where, report)
    if kind == "line" and len(items) < 2:
        report(items_node, f"{where}.items", "a line chart joins two points or more: list at least two years")
    if kind in ("dots", "proportion") and sum(item.value for item in items) <= 0:
        report(node, where, f"the items add up to 0; a {kind} chart shows parts of a total above 0")
    per_dot = values.get("per_dot")
    if kind == "dots" and per_dot is not None:
        if per_dot < 1:
            report(
                given["per_dot"], f"{where}.per_dot", "must be 1 or more; or leave it out to fit the chart to a page"
            )
        else:
            dots = sum(-(-item.value // per_dot) for item in items)
            if dots > MAX_DOTS:
                report(
                    given["per_dot"],
                    f"{where}.per_dot",
                    f"with {per_dot} units a dot the chart draws {dots:,} "
                    f"dots; a page holds {MAX_DOTS:,}: write a larger per_dot, or leave it out to have it chosen",
                )
    return not problems


def _in_order(items: list, nodes: list[yaml.Node], where: str, report: ProblemCallback) -> None:
    """A timeline lists its events from the earliest: each year at least the one before it."""
    for i in range(1, len(items)):
        before, year = items[i - 1].value, items[i].value
        if year < before:
            at = _keys(nodes[i]).get("value", nodes[i])
            report(
                at,
                f"{where}.items[{i + 1}].value",
                f"{year} comes after {before} (items[{i}]); a timeline "
                f"lists its events from the earliest: move this item above items[{i}]",
            )
