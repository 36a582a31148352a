"""The design tokens of layouts/booklet.css, for what WeasyPrint draws apart from the page."""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2

_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)")


def design_tokens(layouts: Path) -> dict[str, str]:
    """The custom properties declared on :root in booklet.css, by name (``--brand``)."""
    rules, _encoding = tinycss2.parse_stylesheet_bytes(
        (layouts / "booklet.css").read_bytes(), skip_comments=True, skip_whitespace=True
    )
    tokens = {}
    for rule in rules:
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration" and declaration.name.startswith("--"):
                    tokens[declaration.name] = tinycss2.serialize(declaration.value).strip()
    return tokens


def resolve(css: str, tokens: dict[str, str]) -> str:
    """``css`` with every var(--token) replaced by the token's value.

    WeasyPrint draws inline SVG apart from the page: neither the page's custom
    properties nor currentColor reach it, so drawings get plain values.
    """

    def value(match: re.Match[str], depth: int = 0) -> str:
        found = tokens.get(match[1], match[2] or "")
        return _VAR.sub(lambda m: value(m, depth + 1), found) if depth < 8 else found

    return _VAR.sub(value, css)
