"""The design tokens a designer can get wrong: one Python draws with is missing or unusable, or one WeasyPrint refuses.

Python draws a few things apart from the page (icons, QR codes, the charts'
marks) with values it reads from the tokens of ``booklet.css`` (contract.TOKENS):
a token removed there is named, with what takes its value, and one Python
measures with set to something other than a number is named where it is
declared, instead of failing deep in the build. And a token set to nonsense
(``--accent: notacolour``) makes WeasyPrint ignore every declaration that
uses it, each reported at that declaration's line; the designer wrote the
mistake once, at the token, so it is reported there.
"""

from __future__ import annotations

import re

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
_IGNORED = re.compile(r"ignored `(?P<property>[\w-]+): (?P<value>.*)`, invalid value")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")


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
    """A problem, where it is declared, for each token Python reads whose value it cannot use.

    ``stylesheets`` are (the name shown, its declarations()) in cascade order;
    ``design`` the tokens they make together, by which var() is resolved. A
    colour given as var() is left to blamed(): the token it names is the
    page's too, and WeasyPrint reports the rules that cannot use it.
    """
    problems = []
    for shown, declared in stylesheets:
        for name, (line, column, value) in declared.items():
            token = contract.TOKENS.get(name)
            if token is None or (token.kind == "colour" and "var(" in value):
                continue
            if not _usable(token.kind, tokens.resolve(value, design)):
                problems.append(
                    Problem(
                        Place(shown, line, column),
                        f"the design token {name} is {value!r}, which Python draws {token.what} with: "
                        f"{_ADVICE[token.kind]}, e.g. {name}: {token.example}",
                    )
                )
    return problems


def _usable(kind: str, value: str) -> bool:
    if kind == "colour":
        return tinycss2.color5.parse_color(value) is not None
    return _USABLE[kind].fullmatch(value) is not None


def declarations(css: str) -> dict[str, tuple[int, int, str]]:
    """The tokens declared on :root of the stylesheet ``css``: name -> (line, column, value)."""
    return root_declarations(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


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
    in cascade order: a token declared in both is the later one's. A problem
    whose line is not a declaration using a token is kept as it is.
    """
    texts = {shown: css.splitlines() for shown, css in stylesheets}
    tokens: dict[str, tuple[str, int, int, str]] = {}
    for shown, css in stylesheets:
        for name, (line, column, value) in declarations(css).items():
            tokens[name] = (shown, line, column, value)
    kept: list[Problem] = []
    reported: set[str] = set()
    for problem in problems:
        match = _IGNORED.search(problem.message)
        token = None
        if match and problem.place.line:
            for lines in texts.values():
                if problem.place.line > len(lines):
                    continue
                # WeasyPrint's position is the value's; the declaration starts before it on its line.
                # A shorthand (border) is reported as the longhands it stands for (border-left...).
                line, parts = lines[problem.place.line - 1], match["property"].split("-")
                names = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
                start = max(line.rfind(f"{name}:", 0, max(problem.place.column, 1)) for name in names)
                if start < 0:
                    continue
                written = line[start:]
                for name in _VAR.findall(written.split(";")[0]):
                    if name in tokens and tokens[name][3] and tokens[name][3] in match["value"]:
                        token = name
                        break
                if token:
                    break
        if token is None:
            kept.append(problem)
        elif token not in reported:
            reported.add(token)
            shown, line, column, value = tokens[token]
            kept.append(
                Problem(
                    Place(shown, line, column),
                    f"the design token {token} is {value!r}, which `{match['property']}` and the rules like it "
                    "cannot use: give it a value of the kind it had (a colour such as #0a1f5c for a colour token)",
                )
            )
    return kept
