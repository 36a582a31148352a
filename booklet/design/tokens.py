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

#: Where a var() starts: the function's name, not the end of a longer one.
_VAR = re.compile(r"(?<![\w-])var\(", re.IGNORECASE)


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


def resolve(css: str, tokens: Mapping[str, str]) -> str:
    """``css`` with every var(--token) replaced by the token's value.

    WeasyPrint draws inline SVG apart from the page: neither the page's custom
    properties nor currentColor reach it, so drawings get plain values. As in
    CSS, a token that is not declared (or names itself through others) takes
    the var()'s fallback, itself resolved, or nothing.
    """
    return _substitute(css, tokens, frozenset(), [])[0]


def chain(value: str, tokens: Mapping[str, str]) -> list[tuple[str, bool]]:
    """Each token the var() of ``value`` name, through their values and fallbacks: (name, whether it resolves)."""
    met: list[tuple[str, bool]] = []
    _substitute(value, tokens, frozenset(), met)
    return met


def _substitute(
    css: str, tokens: Mapping[str, str], within: frozenset[str], met: list[tuple[str, bool]]
) -> tuple[str, bool]:
    """resolve(), inside the tokens ``within`` (one met again is a cycle), noting each token in ``met``.

    Also whether every var() resolved: a token whose own var() does not is,
    as in CSS, not there, and its var() takes the fallback.
    """
    out, at, whole = [], 0, True
    while found := _VAR.search(css, at):
        end = _closing(css, found.end())
        if end is None:
            break  # not closed: left as it is written
        name, fallback = _arguments(css[found.end() : end])
        value, resolved = css[found.start() : end + 1], True
        if name.startswith("--"):
            resolved = name in tokens and name not in within
            if resolved:
                value, resolved = _substitute(tokens[name], tokens, within | {name}, met)
            met.append((name, resolved))
            if not resolved and fallback is not None:
                value, resolved = _substitute(fallback, tokens, within, met)
            elif not resolved:
                value = ""
        whole = whole and resolved
        out += [css[at : found.start()], value]
        at = end + 1
    out.append(css[at:])
    return "".join(out), whole


def _closing(css: str, start: int) -> int | None:
    """Where the parenthesis open before ``start`` closes, past nested ones, strings and comments."""
    depth, i = 1, start
    while i < len(css):
        char = css[i]
        if char in "\"'":
            i = _string_end(css, i)
        elif css.startswith("/*", i):
            i = css.find("*/", i + 2)
            if i < 0:
                return None
            i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _string_end(css: str, start: int) -> int:
    """Where the string that opens at ``start`` closes (or the text ends)."""
    i = start + 1
    while i < len(css) and css[i] != css[start]:
        i += 2 if css[i] == "\\" else 1
    return i


def _arguments(text: str) -> tuple[str, str | None]:
    """A var()'s token name and its fallback (None without a comma): split at the first comma outside brackets."""
    depth, i = 0, 0
    while i < len(text):
        char = text[i]
        if char in "\"'":
            i = _string_end(text, i)
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            return text[:i].strip(), text[i + 1 :].strip()
        i += 1
    return text.strip(), None
