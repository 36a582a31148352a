"""The design tokens of layouts/booklet.css, for what WeasyPrint draws apart from the page."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import tinycss2

from booklet import readfile
from booklet.design import contract

_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)")


def design_tokens(layouts: Path, edition_stylesheet: str) -> dict[str, str]:
    """The custom properties declared on :root, by name (``--brand``).

    booklet.css declares them; the edition's stylesheet (print.css gives CMYK
    values) overrides them, as in the page's own cascade.
    """
    tokens: dict[str, str] = {}
    for name in (contract.STYLESHEET, edition_stylesheet):
        if (layouts / name).is_file():
            # Checked as every file of layouts/: a link out is refused when
            # the stylesheet itself is read (typeset.py), not read here.
            with contextlib.suppress(readfile.Refused):
                tokens.update(_root_declarations(readfile.read_bytes(layouts / name, layouts)))
    return tokens


@functools.lru_cache(maxsize=16)
def rules_of(css: str) -> tuple:
    """A stylesheet's top-level rules, parsed once a process for the same text.

    booklet.css is read by the start-up check (contractcheck.py) and for each
    edition's tokens; parsing it is most of their cost, and the editions,
    forked after the check, share what the parent parsed.
    """
    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _root_declarations(css: bytes) -> Mapping[str, str]:
    rules = rules_of(css.decode("utf-8-sig", errors="replace"))
    tokens = {}
    for rule in rules:
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration" and declaration.name.startswith("--"):
                    tokens[declaration.name] = tinycss2.serialize(declaration.value).strip()
    return MappingProxyType(tokens)


def resolve(css: str, tokens: dict[str, str]) -> str:
    """``css`` with every var(--token) replaced by the token's value.

    WeasyPrint draws inline SVG apart from the page: neither the page's custom
    properties nor currentColor reach it, so drawings get plain values.
    """

    def value(match: re.Match[str], depth: int = 0) -> str:
        found = tokens.get(match[1], match[2] or "")
        return _VAR.sub(lambda m: value(m, depth + 1), found) if depth < 8 else found

    return _VAR.sub(value, css)
