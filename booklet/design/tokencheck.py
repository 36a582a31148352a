"""The design tokens a designer can get wrong: one Python draws with is missing, or one WeasyPrint refuses.

Python draws a few things apart from the page (icons, QR codes) in colours it
reads from the tokens of ``booklet.css``: a token removed there is named,
with what takes its value, instead of failing deep in the build. And a token
set to nonsense (``--accent: notacolour``) makes WeasyPrint ignore every
declaration that uses it, each reported at that declaration's line; the
designer wrote the mistake once, at the token, so it is reported there.
"""

from __future__ import annotations

import re

import tinycss2

from booklet.errors import Place, Problem

#: The tokens Python reads itself, and what takes their value.
REQUIRED = {
    "--icon": "the icons of the big-number cards",
    "--paper": "the paper behind the QR codes of section links",
    "--qr-ink": "the QR codes of section links",
}

#: WeasyPrint's message for a declaration it ignores, once its position is taken out.
_IGNORED = re.compile(r"ignored `(?P<property>[\w-]+): (?P<value>.*)`, invalid value")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")


def missing(design: dict[str, str], layouts_shown: str) -> list[Problem]:
    """A problem for each token of REQUIRED that no stylesheet declares on :root."""
    return [
        Problem(
            Place(f"{layouts_shown}/booklet.css"),
            f"the design token {name} is not declared on :root; declare it in the Variables part "
            f"({what} take its colour), e.g. {name}: var(--accent)",
        )
        for name, what in REQUIRED.items()
        if name not in design
    ]


def declarations(css: str) -> dict[str, tuple[int, int, str]]:
    """The tokens declared on :root of the stylesheet ``css``: name -> (line, column, value)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
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
