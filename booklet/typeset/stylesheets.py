"""The layouts' stylesheets, read and checked before WeasyPrint parses them.

What WeasyPrint would accept silently or report without a file: a url() that
points outside the project (refused at its line), a selector naming svg
(which reaches no drawing), and which stylesheets hold the tokens a problem
may be blamed on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urljoin

import tinycss2

from booklet import readfile
from booklet.editions import EDITIONS, Edition
from booklet.errors import Place, Problem, display_path
from booklet.typeset.diagnostics import short
from booklet.typeset.fetcher import ProjectFetcher

#: At-rules whose block holds rules (their selectors are checked too).
_GROUPING_RULES = {"media", "supports", "layer", "container"}


def parse(data: bytes) -> list:
    """The rules of a stylesheet's bytes, as tinycss2 reads them."""
    rules, _encoding = tinycss2.parse_stylesheet_bytes(data, skip_comments=True, skip_whitespace=True)
    return rules


def _tokens(nodes: Iterable) -> Iterator:
    """Every component value of a parsed stylesheet, nested blocks included."""
    for node in nodes:
        yield node
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                yield from _tokens(children)


def check_selectors(rules: list, shown: str, problems: list[Problem]) -> None:
    """A problem for every selector naming the element svg: no drawing is one when WeasyPrint lays it out.

    Drawings reach WeasyPrint as images of themselves (booklet/typeset/drawings.py),
    so a rule for ``svg`` would be silently dead; a class selects a drawing.
    """
    pending = list(rules)
    while pending:
        rule = pending.pop(0)
        if isinstance(rule, tinycss2.ast.AtRule) and rule.lower_at_keyword in _GROUPING_RULES and rule.content:
            pending[:0] = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            continue
        if not isinstance(rule, tinycss2.ast.QualifiedRule):
            continue
        prelude = rule.prelude
        for i, token in enumerate(prelude):
            after = prelude[i + 1] if i + 1 < len(prelude) else None
            before = prelude[i - 1] if i else None
            named = isinstance(token, tinycss2.ast.IdentToken) and token.lower_value == "svg"
            qualified = isinstance(before, tinycss2.ast.LiteralToken) and before.value in (".", ":", "|")
            prefix = isinstance(after, tinycss2.ast.LiteralToken) and after.value == "|"
            if named and not qualified and not prefix:
                selector = " ".join(tinycss2.serialize(prelude).split())
                problems.append(
                    Problem(
                        Place(shown, token.source_line, token.source_column),
                        f"the selector {selector!r} names svg, which reaches no drawing: drawings are laid out "
                        "as images (docs/designing.md); select a drawing by its class",
                    )
                )


def check_urls(path: Path, rules: list, shown: str, fetcher: ProjectFetcher, problems: list[Problem]) -> frozenset[str]:
    """Refuse every url() of a stylesheet that points outside the project, at its line; the URLs refused.

    WeasyPrint fetches background images only while laying out pages, when
    nothing says which stylesheet asked; checking here names the file.
    """
    base = path.resolve().as_uri()
    refused: set[str] = set()
    for token in _tokens(rules):
        if isinstance(token, tinycss2.ast.URLToken):
            url = token.value
        elif isinstance(token, tinycss2.ast.FunctionBlock) and token.lower_name == "url":
            strings = [t for t in token.arguments if isinstance(t, tinycss2.ast.StringToken)]
            if not strings:
                continue
            url = strings[0].value
        else:
            continue
        try:
            fetcher.check(urljoin(base, url))
        except PermissionError as error:
            refused.add(urljoin(base, url))
            problems.append(
                Problem(Place(shown, token.source_line, token.source_column), f"cannot read {short(url)}: {error}")
            )
    return frozenset(refused)


def token_texts(layouts: Path, root: Path, edition: Edition) -> list[tuple[str, str]]:
    """The stylesheets whose tokens lay out ``edition``, as (shown name, text).

    Those booklet.css imports are among them, the other editions' are not,
    and the edition's own, whose tokens win, comes last.
    """
    others = {e.stylesheet for e in EDITIONS.values()}
    sheets = [p for p in sorted(layouts.glob("*.css")) if p.name not in others]
    texts = []
    for path in [*sheets, layouts / edition.stylesheet]:
        with contextlib.suppress(readfile.Refused, OSError, UnicodeDecodeError):
            texts.append((display_path(path, root), readfile.read_bytes(path, layouts).decode("utf-8-sig")))
    return texts
