"""Validate the YAML node tree into the typed model, collecting every problem."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from booklet.data import amounts, blockcheck, bounds, links, model
from booklet.data import blocks as content_blocks
from booklet.data.amounts import Amount
from booklet.data.chartrules import check_chart
from booklet.data.model import KEY_ALIASES, SECTION_KINDS, Booklet, Markdown
from booklet.data.placed import PlacedPicture, PlacedText
from booklet.data.source import place_of
from booklet.errors import BookletError, Problem

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".svg", ".webp", ".gif"}
LOGO_SUFFIXES = {".svg", ".png"}
#: A web address a QR code can carry: http(s), no spaces, at most MAX_LINK characters.
_LINK = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*\Z", re.IGNORECASE)
MAX_LINK = 300
_INT = re.compile(r"[+-]?[0-9][0-9_]{0,14}\Z")  # 15 digits: more is a typing slip

#: Limits that keep a mistake (or hostile data) from making WeasyPrint run away.
MAX_TEXT = 20_000  # characters in one text field
MAX_ITEMS = 500  # entries in one list
#: Characters that silently change the direction of the text around them
#: (embeddings, overrides, isolates): the layouts set directions, and these in
#: the data can reorder a line so that it reads differently than it is written.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Control characters no font draws and no layout needs: C0 and C1 controls
#: (but tab and line feed), line and paragraph separators, annotation marks.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufff9-\ufffb]")
#: Format characters that draw nothing: a text made only of them is empty.
_INVISIBLE = re.compile("[\u200b-\u200f\u061c\u2060\ufeff\u00ad\\s]")
#: What image.focus may say: CSS object-position keywords and percentages.
_FOCUS = re.compile(r"(?:(?:left|center|right|top|bottom|[0-9]{1,3}%)\s*){1,2}\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
INVALID = object()
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass
class Validated:
    booklet: Booklet
    texts: list[PlacedText] = field(default_factory=list)
    pictures: list[PlacedPicture] = field(default_factory=list)


def validate(
    root: yaml.Node, shown_as: str, data_dir: Path, more: Callable[[list[PlacedText]], list[Problem]] = lambda texts: []
) -> Validated:
    """Turn the node tree into a Booklet, or raise BookletError with every problem.

    ``more`` finds problems in the texts read (characters no font draws, unknown
    icons): they are reported with the others, even where a field was wrong.
    """
    reader = ModelReader(shown_as, data_dir)
    reader.page_size = blockcheck.page_size_of(root)  # tables are measured against it
    booklet = reader.value(root, Booklet, "")
    reader.check_sections(root)
    problems = reader.problems + more(reader.texts)
    if problems:
        raise BookletError(problems)
    return Validated(booklet, reader.texts, reader.pictures)


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a map of keys"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.value == "" and _plain(node):
        return "nothing"
    return f"{node.value!r}"


def _expected(hint: type) -> str:
    origin = typing.get_origin(hint)
    if hint is int:
        return "a whole number"
    if hint is Amount:
        return "a number such as 172, 27.8 or 45%"
    if hint is bool:
        return "true or false"
    if hint in (str, Markdown):
        return "text"
    if hint is dt.date:
        return "a date as YYYY-MM-DD"
    if hint is Path:
        return "a file path"
    if origin is list:
        return "a list"
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(v) for v in typing.get_args(hint))
    return "a map of keys"


class ModelReader:
    """Reads the YAML node tree into the model's dataclasses, gathering every problem, text and picture."""

    def __init__(self, shown_as: str, data_dir: Path) -> None:
        self.shown_as = shown_as
        self.data_dir = data_dir
        self.problems: list[Problem] = []
        self.texts: list[PlacedText] = []
        self.pictures: list[PlacedPicture] = []

    def problem(self, node: yaml.Node, where: str, message: str) -> None:
        prefix = f"{where}: " if where else ""
        self.problems.append(Problem(place_of(node, self.shown_as), prefix + message))

    def value(self, node: yaml.Node, hint: object, where: str) -> object:
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(hint) if a is not type(None)]
            if hint is model.Section:
                return self.section(node, where)
            if hint is content_blocks.Block:
                return blockcheck.block(self, node, where)
            if hint is content_blocks.Cell:
                return blockcheck.cell(self, node, where)
            if is_null(node):
                return None  # an optional field left empty
            if len(options) > 1:  # a plain value or a map of keys (a partner's name, or its name and logo)
                mapped = isinstance(node, yaml.MappingNode)
                chosen = [o for o in options if dataclasses.is_dataclass(o) == mapped]
                return self.value_of(node, (chosen or options)[0], where)
            return self.value_of(node, options[0], where)
        return self.value_of(node, hint, where)

    def value_of(self, node: yaml.Node, hint: object, where: str) -> object:
        origin = typing.get_origin(hint)
        if dataclasses.is_dataclass(hint):
            if is_null(node) and all(_optional(f) for f in dataclasses.fields(hint)):
                return hint()  # an empty settings: every field keeps its default
            return self.record(node, hint, where)
        if origin is list:
            if not isinstance(node, yaml.SequenceNode):
                self.problem(node, where, f"expected a list (lines starting with '- '), found {describe(node)}")
                return INVALID
            (item,) = typing.get_args(hint)
            if len(node.value) > MAX_ITEMS:
                self.problem(node, where, f"has {len(node.value)} entries; a list holds at most {MAX_ITEMS}")
                return INVALID
            items = [self.value(child, item, f"{where}[{i + 1}]") for i, child in enumerate(node.value)]
            return [i for i in items if i is not INVALID]
        if hint is Amount and isinstance(node, (yaml.ScalarNode, yaml.MappingNode)):
            return self.amount(node, where)
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, where, f"expected {_expected(hint)}, found {describe(node)}")
            return INVALID
        text = node.value
        if hint in (str, Markdown):
            value = text.strip()
            if not _INVISIBLE.sub("", value):
                remove = "the item" if where.endswith("]") else "the key"
                self.problem(node, where, f"is empty; write the text, or remove {remove}")
                return INVALID
            if len(value) > MAX_TEXT:
                self.problem(node, where, f"is {len(value):,} characters long; a text holds at most {MAX_TEXT:,}")
                return INVALID
            if control := _CONTROLS.search(value):
                self.problem(node, where, f"holds the invisible control character U+{ord(control[0]):04X}; delete it")
                return INVALID
            if control := _DIRECTION_CONTROLS.search(value):
                self.problem(
                    node,
                    where,
                    f"holds the invisible direction control U+{ord(control[0]):04X}; delete it "
                    "(the layout sets the direction of every text)",
                )
                return INVALID
            if hint is Markdown:
                for message in links.refused(value):
                    self.problem(node, where, message)
            self.texts.append(PlacedText(place_of(node, self.shown_as), where, value))
            return hint(value)
        if hint is int:
            # Arabic-Indic digits (١٧٢) are digits too: authors may type either.
            digits = text.strip().translate(_DIGITS)
            if not _INT.match(digits):
                self.problem(node, where, f"expected a whole number such as 172, found {describe(node)}")
                return INVALID
            return int(digits.replace("_", ""))
        if hint is bool:
            if text not in ("true", "false"):
                self.problem(node, where, f"expected true or false, found {describe(node)}")
                return INVALID
            return text == "true"
        if hint is dt.date:
            try:
                if not _DATE.match(text):
                    raise ValueError
                return dt.date.fromisoformat(text)
            except ValueError:
                self.problem(node, where, f"expected a date as YYYY-MM-DD, such as 2022-10-06, found {describe(node)}")
                return INVALID
        if origin is typing.Literal:
            allowed = typing.get_args(hint)
            if text not in allowed:
                lowered = {a.lower(): a for a in allowed}
                close = (
                    [lowered[text.lower()]]
                    if text.lower() in lowered
                    else difflib.get_close_matches(text, allowed, n=1)
                )
                hint_text = f"; did you mean {close[0]!r}?" if close else ""
                choices = ", ".join(repr(a) for a in allowed)
                self.problem(node, where, f"expected one of {choices}, found {describe(node)}{hint_text}")
                return INVALID
            return text
        if hint is Path:
            return self.image_path(node, where)
        raise TypeError(f"unsupported field type {hint!r}")  # pragma: no cover - a bug in model.py

    def record(self, node: yaml.Node, cls: type, where: str, preset: dict[str, object] | None = None) -> object:
        fields = {f.name: f for f in dataclasses.fields(cls)}
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, where, f"expected a map of keys ({', '.join(fields)}), found {describe(node)}")
            return INVALID
        hints = model.hints(cls)
        given: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            key_where = f"{where}.{key}" if where else str(key)
            if key is None:
                self.problem(key_node, where, "a key must be a plain word")
                continue
            if key not in fields and KEY_ALIASES.get(key) in fields:
                key = KEY_ALIASES[key]  # colour or color: either spelling
                key_where = f"{where}.{key}" if where else key
            if key in given:
                first = given[key][0].start_mark.line + 1
                self.problem(key_node, key_where, f"duplicate key (first given at line {first}); keep only one")
                continue
            given[key] = (key_node, value_node)
            if key not in fields:
                close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
                suggestion = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(fields)
                self.problem(key_node, key_where, f"unknown key; {suggestion}")
        values: dict[str, object] = dict(preset or {})
        ok = True
        for name, f in fields.items():
            if name in values:
                continue
            field_where = f"{where}.{name}" if where else name
            if name not in given:
                if not _optional(f):
                    self.problem(
                        node, field_where, f"missing; expected {f.metadata.get('doc', _expected(hints[name]))}"
                    )
                    ok = False
                continue
            value = self.value(given[name][1], hints[name], field_where)
            if value is INVALID:
                ok = False
            else:
                values[name] = value
        # The record's own rules are checked even when a field is wrong, so that
        # every problem is reported at once; each rule skips what it cannot see.
        if not self.check_record(cls, node, where, values) or not ok:
            return INVALID
        return cls(**values)

    def amount(self, node: yaml.ScalarNode | yaml.MappingNode, where: str) -> object:
        """A value written as 172, 27.8, 45% or 1,250,000, or as a map such as {amount: 1250000, currency: QAR}."""
        try:
            if isinstance(node, yaml.ScalarNode):
                return amounts.parse(node.value)
            if where.endswith((".number", ".percent", ".amount")):  # a map in a map: never, however deep
                self.problem(node, where, f"expected a number such as 94, found {describe(node)}")
                return INVALID
            before = len(self.problems)
            written = self.record(node, amounts.Written, where)
            if written is INVALID or len(self.problems) > before:  # an unknown key, say: reported
                return INVALID
            return amounts.from_written(written)
        except amounts.AmountError as error:
            keyed = error.key and isinstance(node, yaml.MappingNode)
            at = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)} if keyed else {}
            self.problem(at.get(error.key, node), f"{where}.{error.key}" if at else where, str(error))
            return INVALID

    def section(self, node: yaml.Node, where: str) -> object:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, where, f"expected a map of keys starting with 'kind', found {describe(node)}")
            return INVALID
        kinds = ", ".join(SECTION_KINDS)
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == "kind":
                if is_null(value_node) or not isinstance(value_node, yaml.ScalarNode):
                    self.problem(value_node, f"{where}.kind", f"expected one of {kinds}, found {describe(value_node)}")
                    return INVALID
                kind = value_node.value
                cls = SECTION_KINDS.get(kind)
                if cls is None:
                    close = difflib.get_close_matches(str(kind), list(SECTION_KINDS), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    self.problem(
                        value_node,
                        f"{where}.kind",
                        f"unknown section kind {describe(value_node)}{hint} (kinds: {kinds})",
                    )
                    if close:  # the rest of the section, as the kind it most likely is: every problem at once
                        self.record(node, SECTION_KINDS[close[0]], where, preset={"kind": close[0]})
                    return INVALID
                return self.record(node, cls, where, preset={"kind": kind})
        self.problem(node, f"{where}.kind", f"missing; every section starts with a kind, one of {kinds}")
        return INVALID

    def image_path(self, node: yaml.ScalarNode, where: str) -> object:
        text = node.value.strip()
        pure = PurePosixPath(text)
        if not text:
            self.problem(node, where, "is empty; name a picture file inside data/")
            return INVALID
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text) or pure.is_absolute() or ".." in pure.parts or "\\" in text:
            self.problem(
                node, where, f"{text!r} is not a path inside data/; write a relative path such as images/cover.jpg"
            )
            return INVALID
        path = self.data_dir / pure
        try:
            resolved = path.resolve(strict=True)
        except (FileNotFoundError, NotADirectoryError, RuntimeError):
            self.problem(node, where, f"no such file {text!r} in {self.data_dir.name}/")
            return INVALID
        except OSError as error:  # a name longer than the file system allows, say
            self.problem(node, where, f"{text!r} cannot be opened: {error.strerror}; rename the file")
            return INVALID
        if not resolved.is_relative_to(self.data_dir.resolve()):
            self.problem(node, where, f"{text!r} leads outside data/ (through a link); copy the picture into data/")
            return INVALID
        if not resolved.is_file():
            self.problem(node, where, f"{text!r} is not a file; name a picture file")
            return INVALID
        if resolved.suffix.lower() not in IMAGE_SUFFIXES:
            self.problem(node, where, f"{text!r} is not a picture; use one of {', '.join(sorted(IMAGE_SUFFIXES))}")
            return INVALID
        self.pictures.append(PlacedPicture(place_of(node, self.shown_as), where, resolved))
        return resolved

    def check_record(self, cls: type, node: yaml.MappingNode, where: str, values: dict[str, object]) -> bool:
        """Rules within one record that its fields' types cannot say; False if one is broken."""
        given = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        if cls is model.Image and not _FOCUS.match(str(values.get("focus", "center"))):
            self.problem(
                given["focus"],
                f"{where}.focus",
                f"{values['focus']!r} is not a focus; write one or two of left, center, right, top, bottom "
                "or a percentage, such as 'center top' or '50% 20%'",
            )
            return False
        if "logo" in values and values["logo"] is not None and values["logo"].suffix.lower() not in LOGO_SUFFIXES:
            self.problem(
                given["logo"],
                f"{where}.logo" if where else "logo",
                f"{given['logo'].value!r} is not an SVG or PNG file; export the logo as SVG (best) or PNG",
            )
            return False
        if values.get("link") is not None:
            link = str(values["link"])
            key = next(k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value in ("link", "url"))
            if not _LINK.match(link) or len(link) > MAX_LINK:
                too_long = f" ({len(link)} characters; a QR code holds {MAX_LINK})" if len(link) > MAX_LINK else ""
                self.problem(
                    given[key],
                    f"{where}.link",
                    f"{link!r} is not a web address{too_long}; write it whole, such as https://www.iom.int/ar",
                )
                return False
        if cls in (model.Figure, model.ChartItem) and (bad := bounds.value_problem(values.get("value") or 0)):
            self.problem(given["value"], f"{where}.value", bad)
            return False
        if cls is model.Chart:
            if not check_chart(node, where, values, self.problem):
                return False
            listed, items = values["items"], given["items"]
            # Charts of one value an item: what the values themselves must be (amounts.py).
            single = all(item.value is not None for item in listed)
            if single and (problem := amounts.chart_problem(str(values["kind"]), listed)):
                index, message = problem
                item = {k.value: v for k, v in items.value[index].value if isinstance(k, yaml.ScalarNode)}
                self.problem(item["value"], f"{where}.items[{index + 1}].value", message)
                return False
        return blockcheck.check_record(self, cls, given, where, values)

    def check_sections(self, root: yaml.Node) -> None:
        """Rules across sections, read from the nodes so they hold whatever else is wrong:
        at most one cover, contents and back-cover; the cover first, the back-cover last."""
        if not isinstance(root, yaml.MappingNode):
            return
        node = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "sections"), None)
        if not isinstance(node, yaml.SequenceNode):
            return
        if not node.value:
            self.problem(node, "sections", "is empty; list the booklet's pages, starting with a cover")
            return
        kinds = [_kind_of(item) for item in node.value]
        for kind in ("cover", "contents", "back-cover"):
            for index in [i for i, k in enumerate(kinds) if k == kind][1:]:
                self.problem(node.value[index], f"sections[{index + 1}]", f"a second {kind}; a booklet has one")
        if "cover" in kinds and kinds[0] != "cover":
            index = kinds.index("cover")
            self.problem(node.value[index], f"sections[{index + 1}]", "the cover must be the first section; move it up")
        if "back-cover" in kinds and kinds[-1] != "back-cover":
            index = len(kinds) - 1 - kinds[::-1].index("back-cover")
            self.problem(
                node.value[index], f"sections[{index + 1}]", "the back-cover must be the last section; move it down"
            )


def _kind_of(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "kind" and isinstance(value, yaml.ScalarNode):
                return value.value
    return None


def _optional(f: dataclasses.Field) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and _plain(node) and node.value in ("", "~", "null", "Null", "NULL")


def _plain(node: yaml.ScalarNode) -> bool:
    """An unquoted scalar: PyYAML marks it None, libyaml's composer ''."""
    return node.style in (None, "")
