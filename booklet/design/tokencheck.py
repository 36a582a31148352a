"""The design tokens a designer can get wrong: one Python draws with is missing or unusable, or one WeasyPrint refuses.

Python draws a few things apart from the page (icons, QR codes, the charts'
marks) with values it reads from the tokens of ``booklet.css`` (contract.TOKENS):
a token removed there is named, with what takes its value, and one Python
measures with set to something other than a number is named where it is
declared, instead of failing deep in the build. A token's var() are resolved
as the page resolves them: one that resolves to nothing is named at the
token, a colour taken from a token set to nonsense at that token. And a
token set to nonsense (``--accent: notacolour``) makes WeasyPrint ignore
every declaration that uses it, each reported at that declaration's line;
the designer wrote the mistake once, at the token, so it is reported there.
"""

from __future__ import annotations

import re
from dataclasses import replace

import tinycss2
import tinycss2.color5

from booklet.design import contract, tokens
from booklet.errors import Place, Problem

#: What each kind of token gives the things drawn with it.
_GIVES = {"colour": "colour", "length": "size", "number": "size"}
#: The values Python can use, by kind of token: a plain number, or a length it converts to points.
_USABLE = {
    "number": re.compile(r"\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*"),
    "length": re.compile(r"\s*[0-9.]+\s*(?:pt|mm|cm|px|em|rem|in)\s*"),
}
_ADVICE = {
    "number": "give it a plain number, in the units of the drawing (a chart's drawing is 100 units wide)",
    "length": "give it a length in pt, mm, cm, px, in or em",
    "colour": "give it a colour (device-cmyk() in print.css)",
}

#: WeasyPrint's message for a declaration it ignores, once its position is taken out.
_IGNORED = re.compile(r"ignored `(?P<property>[\w-]+): (?P<value>.*)`, ")


def missing(design: dict[str, str], layouts_shown: str) -> list[Problem]:
    """A problem for each token Python reads (contract.TOKENS) that no stylesheet declares on :root."""
    return [
        Problem(
            Place(f"{layouts_shown}/{contract.STYLESHEET}"),
            f"the design token {name} is not declared on :root; declare it in the Variables part "
            f"({token.what} take its {_GIVES[token.kind]}), e.g. {name}: {token.example}",
        )
        for name, token in contract.TOKENS.items()
        if name not in design
    ]


def unusable(stylesheets: list[tuple[str, dict[str, tuple[int, int, str]]]], design: dict[str, str]) -> list[Problem]:
    """A problem, where the mistake is written, for each token Python reads whose value it cannot use.

    ``stylesheets`` are (the name shown, its declarations()) in cascade order;
    ``design`` the tokens they make together, by which var() is resolved,
    fallbacks and all. A var() that resolves to nothing is named at the
    token; a colour taken through var() from a token set to nonsense, at
    that token, where the designer wrote it.
    """
    written = {name: (shown, *place) for shown, declared in stylesheets for name, place in declared.items()}
    problems = []
    for shown, declared in stylesheets:
        for name, (line, column, value) in declared.items():
            token = _token(name)
            if token is None or _usable(token.kind, tokens.resolve(value, design)):
                continue
            advice = f"{_ADVICE[token.kind]}, e.g. {name}: {token.example}"
            met = tokens.chain(value, design)
            taken = [n for n, resolved in met if resolved and "var(" not in design[n].lower()]
            leaf = taken[-1] if token.kind == "colour" and taken else None
            if unresolved := list(dict.fromkeys(f"var({n})" for n, resolved in met if not resolved)):
                why = f"{', '.join(unresolved)} resolves to nothing (no token of that name is declared on :root)"
                problems.append(Problem(Place(shown, line, column), f"{_draws(name, value, token)}: {why}; {advice}"))
            elif leaf and leaf in written:
                if _token(leaf) is None:  # a token Python reads is named by its own declaration
                    at, leaf_line, leaf_column, leaf_value = written[leaf]
                    problems.append(
                        Problem(
                            Place(at, leaf_line, leaf_column),
                            f"the design token {leaf} is {leaf_value!r}, which `{name}: {value}` and the rules like "
                            "it cannot use: give it a value of the kind it had (a colour such as #0a1f5c for a "
                            "colour token)",
                        )
                    )
            else:
                problems.append(Problem(Place(shown, line, column), f"{_draws(name, value, token)}: {advice}"))
    return problems


def _token(name: str) -> contract.Token | None:
    """The token Python reads by ``name``: one of contract.TOKENS, or a colour of the palette."""
    if name.startswith(contract.PALETTE_PREFIX):
        colour = name.removeprefix(contract.PALETTE_PREFIX)
        return contract.Token(name, f"the icons and chart marks of a section coloured {colour}", "#00756f")
    return contract.TOKENS.get(name)


def _draws(name: str, value: str, token: contract.Token) -> str:
    return f"the design token {name} is {value!r}, which Python draws {token.what} with"


def _usable(kind: str, value: str) -> bool:
    if kind == "colour":
        return tinycss2.color5.parse_color(value) is not None
    return _USABLE[kind].fullmatch(value) is not None


def root_declarations(rules: list) -> dict[str, tuple[int, int, str]]:
    """The tokens declared on :root by the parsed ``rules`` of a stylesheet: name -> (line, column, value)."""
    found = {}
    for rule in rules:
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if item.type == "declaration" and item.name.startswith("--"):
                    found[item.name] = (item.source_line, item.source_column, tinycss2.serialize(item.value).strip())
    return found


def blamed(problems: list[Problem], stylesheets: list[tuple[str, str]]) -> list[Problem]:
    """``problems`` with each declaration WeasyPrint ignored because of a token moved to that token.

    ``stylesheets`` are the files laid out with, as (the name shown, the text),
    in cascade order: a token declared in both is the later one's. The token
    is found through the var() of the declaration, and of the custom
    properties it names, wherever they are set (``--chart-1`` in a rule,
    ``--section-colour`` by a coloured section). WeasyPrint gives the
    declaration's position without its file: one that is not a token's
    mistake is placed in the stylesheet it is in, never in the HTML.
    """
    texts = {shown: css.splitlines() for shown, css in stylesheets}
    root: dict[str, tuple[str, int, int, str]] = {}
    anywhere: dict[str, list[str]] = {}
    for shown, css in stylesheets:
        rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        for name, (line, column, value) in root_declarations(rules).items():
            root[name] = (shown, line, column, value)
        for name, value in _custom_properties(rules):
            anywhere.setdefault(name, []).append(value)
    # A coloured section sets --section-colour to one of the palette (palette.custom_property).
    anywhere.setdefault(contract.SECTION_COLOUR, []).extend(
        f"var({name})" for name in root if name.startswith(contract.PALETTE_PREFIX)
    )
    kept: list[Problem] = []
    reported: set[str] = set()
    for problem in problems:
        match = _IGNORED.search(problem.message)
        token, found, message = None, None, problem.message
        if match and problem.place.line:
            for shown, lines in texts.items():
                written = _written(lines, problem.place.line, problem.place.column, match["property"])
                if written is None:
                    continue
                if found is None:
                    found, message = shown, message + _undeclared(written, {**root, **anywhere})
                token = _source(written, root, anywhere, match["value"])
                if token:
                    break
        if token is None:
            kept.append(problem if found is None else Problem(replace(problem.place, path=found), message))
        elif token not in reported:
            reported.add(token)
            shown, line, column, value = root[token]
            kept.append(
                Problem(
                    Place(shown, line, column),
                    f"the design token {token} is {value!r}, which `{match['property']}` and the rules like it "
                    "cannot use: give it a value of the kind it had (a colour such as #0a1f5c for a colour token)",
                )
            )
    return kept


def _written(lines: list[str], line: int, column: int, prop: str) -> str | None:
    """The declaration of ``prop`` whose value is at ``line``:``column`` of ``lines``, if one is there."""
    if line > len(lines):
        return None
    # WeasyPrint's position is the value's; the declaration starts before it on its line.
    # A shorthand (border) is reported as the longhands it stands for (border-left...).
    text, parts = lines[line - 1], prop.split("-")
    names = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
    start = max(text.rfind(f"{name}:", 0, max(column, 1)) for name in names)
    return None if start < 0 else text[start:].split(";")[0]


def _source(
    written: str, root: dict[str, tuple[str, int, int, str]], anywhere: dict[str, list[str]], ignored: str
) -> str | None:
    """The :root token, reached through the var() of ``written``, whose own value WeasyPrint ``ignored``."""
    pending, seen = [name for name, _ in tokens.chain(written, {})], set()
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        value = root[name][3] if name in root else ""
        if value and "var(" not in value.lower() and value in ignored:
            return name
        for other in ([value] if value else []) + anywhere.get(name, []):
            pending += [n for n, _ in tokens.chain(other, {})]
    return None


def _undeclared(written: str, declared: dict) -> str:
    """What to add to a message about ``written`` whose var() names a custom property declared nowhere."""
    named = dict.fromkeys(f"var({n})" for n, _ in tokens.chain(written, {}) if n not in declared)
    return f": {', '.join(named)} names no custom property declared" if named else ""


def _custom_properties(rules: list) -> list[tuple[str, str]]:
    """Every custom property the rules set, inside @media and the like too: (name, value)."""
    found = []
    for rule in rules:
        if rule.type == "qualified-rule":
            for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if item.type == "declaration" and item.name.startswith("--"):
                    found.append((item.name, tinycss2.serialize(item.value).strip()))
        elif rule.type == "at-rule" and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            found += _custom_properties(inner)
    return found
