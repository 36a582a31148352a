"""The data's JSON Schema, made from the model, for editors that complete and check YAML as it is typed.

Each dataclass of booklet/data/model.py becomes an object of the schema, each field
a property with its help text as description: a field added to the model is in
the schema once ``python -m booklet schema`` (``make schema``) is run again.
The schema helps while typing; ``booklet check`` stays the judge, with its
messages by file, line and column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from pathlib import Path
from typing import Any

from booklet.data import amounts, blocks, model, validate
from booklet.data.amounts import Amount
from booklet.design import icons, palette

#: Where the schema is published, from the project's root; booklet.yaml files name it on their first line.
SCHEMA_FILE = Path("schema") / "booklet.schema.json"
_DIGITS = "[0-9٠-٩۰-۹]"


def generate(layouts: Path) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of booklet.yaml; icon and colour names are read from ``layouts``."""
    maker = _Maker(
        {"icon": {"enum": icons.available(layouts)}, "colour": {"enum": palette.names(layouts)}},
    )
    root = maker.object_of(model.Booklet)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://booklet.invalid/schema/booklet.schema.json",
        "title": "booklet.yaml",
        "description": "The data of an Arabic booklet: its settings, its document and its sections (see README.md).",
        **root,
        "$defs": dict(sorted(maker.defs.items())),
    }


def text(layouts: Path) -> str:
    """The schema as the committed file holds it."""
    return json.dumps(generate(layouts), ensure_ascii=False, indent=2) + "\n"


def write(root: Path) -> Path:
    """Write the schema of the project at ``root`` to its place; the path written."""
    target = root / SCHEMA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text(root / "layouts"), encoding="utf-8")
    temporary.replace(target)
    return target


def _kinds(args: tuple[Any, ...]) -> dict[str, type] | None:
    """For a union of records that each name their kind (the sections), each record by its kind."""
    if len(args) < 2 or not all(dataclasses.is_dataclass(a) for a in args):
        return None
    kinds = {}
    for cls in args:
        kind = model.hints(cls).get("kind")
        values = typing.get_args(kind) if typing.get_origin(kind) is typing.Literal else ()
        if len(values) != 1:
            return None
        kinds[values[0]] = cls
    return kinds


class _Maker:
    def __init__(self, by_name: dict[str, dict[str, Any]]) -> None:
        #: Constraints of fields by name whose values the layouts define (icons, colours).
        self.by_name = by_name
        self.defs: dict[str, dict[str, Any]] = {}

    def object_of(self, cls: type) -> dict[str, Any]:
        hints = model.hints(cls)
        properties: dict[str, Any] = {}
        required = []
        for f in dataclasses.fields(cls):
            schema = self.of(hints[f.name], f.name)
            if "doc" in f.metadata:
                schema = {"description": f.metadata["doc"], **schema}
            if f.default is not dataclasses.MISSING and isinstance(f.default, (str, bool, int)):
                schema["default"] = f.default
            properties[f.name] = schema
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                required.append(f.name)
        for alias, name in model.KEY_ALIASES.items():
            if name in properties and alias not in properties:
                properties[alias] = {**properties[name], "description": f"the same as {name}"}
        found: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            found["required"] = required
        return found

    def ref(self, cls: type) -> dict[str, Any]:
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # a placeholder while its fields are made
            self.defs[cls.__name__] = self.object_of(cls)
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def of(self, hint: Any, name: str) -> dict[str, Any]:
        origin = typing.get_origin(hint)
        if hint is blocks.Block:  # a chapter's block: `- type: KIND` with its fields, or `- KIND: ...`
            options = [self.of(a, name) for a in typing.get_args(hint)]
            return {"anyOf": options + blocks.written_forms(self.object_of, self.of)}
        if origin in (typing.Union, types.UnionType):
            args = typing.get_args(hint)
            if (kinds := _kinds(args)) is not None:
                return self.by_kind(kinds)
            options = [self.of(a, name) for a in args if a is not type(None)]
            if type(None) in args:
                options.append({"type": "null"})  # an optional field left empty
            return options[0] if len(options) == 1 else {"anyOf": options}
        if origin is list:
            (item,) = typing.get_args(hint)
            return {"type": "array", "items": self.of(item, name), "maxItems": validate.MAX_ITEMS}
        if origin is typing.Literal:
            values = list(typing.get_args(hint))
            return {"const": values[0]} if len(values) == 1 else {"enum": values}
        if dataclasses.is_dataclass(hint):
            reference = self.ref(hint)
            if all(f.default is not dataclasses.MISSING for f in dataclasses.fields(hint)):
                return {"anyOf": [reference, {"type": "null"}]}  # left empty: every field keeps its default
            return reference
        supertype = getattr(hint, "__supertype__", None)  # a NewType such as Markdown
        if supertype is not None:
            return self.of(supertype, name)
        return self.scalar(hint, name)

    def by_kind(self, kinds: dict[str, type]) -> dict[str, Any]:
        """A map whose ``kind`` picks its schema: an editor then reports the key that is wrong,
        not that the map matches none of the kinds."""
        return {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"enum": list(kinds)}},
            "allOf": [
                {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": self.ref(cls)}
                for kind, cls in kinds.items()
            ],
        }

    def scalar(self, hint: Any, name: str) -> dict[str, Any]:
        if hint is str:
            found: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": validate.MAX_TEXT}
            if name == "link":
                found = {"type": "string", "pattern": r"^https?://\S+\.\S+$", "maxLength": validate.MAX_LINK}
            found = {**found, **self.by_name.get(name, {})}
            if found.keys() == {"type", "minLength", "maxLength"}:
                # booklet check reads an unquoted true, 12 or 3.5 where text is
                # meant as the text typed (source.py); an editor reading YAML 1.2
                # sees a boolean or a number. Both must accept the same files.
                return {"anyOf": [found, {"type": ["boolean", "number"]}]}
            return found
        if hint is bool:
            return {"type": "boolean"}
        if hint is int:
            # Digits may be typed as ١٧٢ (a string in YAML) as well as 172.
            return {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": f"^[+-]?{_DIGITS}[0-9٠-٩۰-۹_]*$"}]}
        if hint is float:
            return {"type": "number"}
        if hint is Amount:
            return amounts.JSON_SCHEMA
        if hint is dt.date:
            return {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
        if hint is Path:
            suffixes = validate.LOGO_SUFFIXES if name == "logo" else validate.IMAGE_SUFFIXES
            # Either case: ECMA-262 regular expressions (the editors') have no inline flags.
            ends = "|".join(sorted("".join(f"[{c.lower()}{c.upper()}]" for c in s.lstrip(".")) for s in suffixes))
            # A relative path inside data/: no scheme, no leading slash, no '..'.
            return {"type": "string", "pattern": rf"^(?![A-Za-z][A-Za-z0-9+.-]*:|/|(.*/)?\.\.(/|$)).+\.({ends})$"}
        return {}  # a type the schema cannot state: booklet check judges it
