"""The start-up check: layouts/ provides every file, template, token, class and id of contract.py.

Run by the build and by ``booklet check`` before anything is rendered, so that
a designer's mistake is one line each, all at once, naming the file of
layouts/ and what to do, never a traceback from deep in the build.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from pathlib import Path

import jinja2
import jinja2.nodes
import tinycss2
from jinja2.loaders import split_template_path

from booklet import readfile
from booklet.design import contract, layouts_sandbox, tokencheck, tokens
from booklet.editions import EDITIONS
from booklet.errors import BookletError, Place, Problem

#: What Jinja reads as a template in the template folders (an SVG partial is drawn through it too).
_TEMPLATE_SUFFIXES = frozenset({".html", ".svg"})
#: Where a designer finds the contract explained.
_SEE = 'see docs/designing.md, "What Python expects of layouts/"'


def check(layouts: Path) -> None:
    """Raise BookletError with every problem of ``layouts`` against the contract; nothing when it keeps it."""
    if problems := problems_of(layouts):
        raise BookletError(problems)


def problems_of(layouts: Path) -> list[Problem]:
    """Every way ``layouts`` falls short of the contract, one problem each.

    The preview checks before every rebuild: the answer is kept for as long
    as no file it read changed.
    """
    layouts = Path(layouts)
    if not layouts.is_dir():
        return [Problem(Place(f"{layouts.name}/"), f"no such folder; the design of the booklet lives there ({_SEE})")]
    return list(_problems(layouts.absolute(), _state(layouts)))


def _state(layouts: Path) -> tuple:
    """What the answer depends on: each file it reads, as it stands (a link and where it leads)."""
    names = [*contract.STYLESHEETS, *contract.TEMPLATES, contract.ICONS]
    for folder in contract.TEMPLATE_FOLDERS:
        if (layouts / folder).is_dir():
            names += sorted(p.relative_to(layouts).as_posix() for p in (layouts / folder).rglob("*"))
    state = []
    for name in names:
        for stat in (os.lstat, os.stat):
            try:
                found = stat(layouts / name)
                state.append((name, found.st_mtime_ns, found.st_size, found.st_mode, found.st_ino))
            except OSError:
                state.append((name,))
    return tuple(state)


@functools.lru_cache(maxsize=4)
def _problems(layouts: Path, _files: tuple) -> tuple[Problem, ...]:
    """problems_of() for ``layouts`` whose files stand as ``_files`` (_state()) says."""
    shown = layouts.name
    problems: list[Problem] = []
    sheets: dict[str, list] = {}
    for name, what in contract.STYLESHEETS.items():
        text = _read(layouts, name, problems, f"no such stylesheet; it holds {what}: put it back ({_SEE})")
        if text is not None:
            sheets[name] = list(tokens.rules_of(text))
    for name, what in contract.TEMPLATES.items():
        if not os.path.lexists(layouts / name):
            problems.append(
                Problem(
                    Place(f"{shown}/{name}"),
                    f"no such template; it lays out {what}: put it back, or start a new one from a copy of "
                    f"another in its folder ({_SEE})",
                )
            )
    if not (layouts / contract.ICONS).is_dir():
        problems.append(
            Problem(
                Place(f"{shown}/{contract.ICONS}/"), f"no such folder; the figures' icons are read from it ({_SEE})"
            )
        )
    problems += _templates(layouts, shown)
    if contract.STYLESHEET in sheets:
        problems += _tokens(sheets, shown)
        problems += _used_not_declared(layouts, sheets, shown)
        problems += _imports(sheets[contract.STYLESHEET], f"{shown}/{contract.STYLESHEET}")
        problems += _fonts(sheets[contract.STYLESHEET], f"{shown}/{contract.STYLESHEET}")
    problems += _kashida(sheets, shown)
    problems += _styled(sheets, shown)
    problems += _written(layouts, shown)
    return tuple(problems)


def _read(layouts: Path, name: str, problems: list[Problem], missing: str) -> str | None:
    """The text of layouts/``name``, or None with its problem added: missing, or refused as every read is."""
    path = layouts / name
    if not os.path.lexists(path):
        problems.append(Problem(Place(f"{layouts.name}/{name}"), missing))
        return None
    try:
        return readfile.read_bytes(path, layouts).decode("utf-8-sig", errors="replace")  # as tokens.py reads it
    except readfile.Refused as refused:
        problems += readfile.problem(path, refused, layouts.parent).problems
        return None


def _templates(layouts: Path, shown: str) -> list[Problem]:
    """Each template's syntax, and the templates it includes, imports or extends by name."""
    env = jinja2.Environment()  # only parsed, never rendered: render.py's sandbox renders
    names = [contract.BASE_TEMPLATE] if os.path.lexists(layouts / contract.BASE_TEMPLATE) else []
    for folder in contract.TEMPLATE_FOLDERS:
        if (layouts / folder).is_dir():
            found = (layouts / folder).rglob("*")
            names += sorted(p.relative_to(layouts).as_posix() for p in found if p.suffix in _TEMPLATE_SUFFIXES)
    problems: list[Problem] = []
    for name in names:
        path = layouts / name
        try:
            source = readfile.read_text(path, layouts, layouts_sandbox.MAX_TEMPLATE_BYTES)
        except readfile.Refused as refused:
            problems += readfile.problem(path, refused, layouts.parent).problems
            continue
        try:
            tree = env.parse(source, name)
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem(Place(f"{shown}/{name}", error.lineno, 1), f"template syntax: {error.message}"))
            continue
        for node in tree.find_all((jinja2.nodes.Include, jinja2.nodes.Import, jinja2.nodes.FromImport)):
            ignored = getattr(node, "ignore_missing", False)
            target = node.template
            named = isinstance(target, jinja2.nodes.Const) and isinstance(target.value, str) and not ignored
            if named and not _present(layouts, target.value):
                problems.append(
                    Problem(Place(f"{shown}/{name}", node.lineno, 1), f"no template {target.value!r} in layouts/")
                )
    return problems


def _present(layouts: Path, template: str) -> bool:
    """Whether the loader would find ``template``: a file of layouts/, named without '..'."""
    try:
        pieces = split_template_path(template)
    except jinja2.TemplateNotFound:
        return False
    return os.path.lexists(layouts.joinpath(*pieces))


def _tokens(sheets: dict[str, list], shown: str) -> list[Problem]:
    """The tokens Python reads: declared for every edition, and each of a value Python can use."""
    declared = {name: tokencheck.root_declarations(rules) for name, rules in sheets.items()}
    problems: list[Problem] = []
    for edition in EDITIONS.values():
        design: dict[str, str] = {}  # the tokens as this edition's page sees them
        for name in (contract.STYLESHEET, edition.stylesheet):
            design.update({token: value for token, (_line, _column, value) in declared.get(name, {}).items()})
        problems += tokencheck.missing(design, shown)
        stylesheets = [
            (f"{shown}/{name}", declared.get(name, {})) for name in (contract.STYLESHEET, edition.stylesheet)
        ]
        problems += tokencheck.unusable(stylesheets, design)
        if contract.MARKS_STYLESHEET in sheets:
            problems += _undeclared(sheets[contract.MARKS_STYLESHEET], design, f"{shown}/{contract.MARKS_STYLESHEET}")
    return problems


def _imports(rules: list, shown: str) -> list[Problem]:
    """booklet.css imports charts.css, before its other rules (an @import after them is ignored)."""
    for rule in rules:
        if rule.type != "at-rule" or rule.lower_at_keyword not in ("import", "charset", "layer"):
            break
        if rule.lower_at_keyword == "import" and _imported(rule.prelude) == contract.CHARTS_STYLESHEET:
            return []
    return [
        Problem(
            Place(shown),
            f"does not import {contract.CHARTS_STYLESHEET}, which holds "
            f"{contract.STYLESHEETS[contract.CHARTS_STYLESHEET].split(' (')[0]}: put back "
            f"@import url({contract.CHARTS_STYLESHEET}); before every other rule ({_SEE})",
        )
    ]


def _imported(prelude: list) -> str | None:
    """The file an @import names, as written (./ taken off)."""
    for token in prelude:
        if token.type in ("url", "string"):
            return token.value.removeprefix("./")
        if token.type == "function" and token.lower_name == "url":
            strings = [t.value for t in token.arguments if t.type == "string"]
            return strings[0].removeprefix("./") if strings else None
    return None


def _kashida(sheets: dict[str, list], shown: str) -> list[Problem]:
    """Each --kashida that is neither on nor off: the layout would take it as off, and say nothing."""
    problems = []
    for name, rules in sheets.items():
        pending = list(rules)
        while pending:
            rule = pending.pop(0)
            if rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword != "font-face":
                pending[:0] = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            if rule.type != "qualified-rule":
                continue
            for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if item.type != "declaration" or item.name != contract.KASHIDA:
                    continue
                value = tinycss2.serialize(item.value).strip()
                if value.lower() not in ("on", "off"):
                    problems.append(
                        Problem(
                            Place(f"{shown}/{name}", item.source_line, item.source_column),
                            f"{contract.KASHIDA} is {value!r}; write on or off",
                        )
                    )
    return problems


def _undeclared(rules: list, design: dict[str, str], shown: str) -> list[Problem]:
    """Each var() of a stylesheet Python resolves itself whose token is not declared: it would resolve to nothing."""
    problems = []
    for rule in rules:
        if rule.type != "qualified-rule":
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type != "declaration":
                continue
            for function in _functions(item.value):
                arguments = [a for a in function.arguments if a.type not in ("whitespace", "comment")]
                named = arguments[0].value if arguments and arguments[0].type == "ident" else None
                undeclared = named and named not in design and named not in contract.TOKENS  # those: missing()
                if function.lower_name == "var" and undeclared and len(arguments) == 1:
                    problems.append(
                        Problem(
                            Place(shown, function.source_line, function.source_column),
                            f"var({named}) names a design token no stylesheet declares on :root; declare it in "
                            f"the Variables part of booklet.css, or use another (the charts' drawings get the "
                            f"tokens' values from Python, and nothing for a token that is not there)",
                        )
                    )
    return problems


_CUSTOM_PROPERTY = re.compile(r"(--[A-Za-z0-9_-]+)\s*:")


def _used_not_declared(layouts: Path, sheets: dict[str, list], shown: str) -> list[Problem]:
    """Each token a stylesheet uses with var() and no fallback that nothing declares, once, where it is first used.

    A token removed from booklet.css leaves every rule that uses it without
    its value: WeasyPrint drops those declarations one by one, at the merged
    page's lines, or silently. The designer hears it once, at the
    stylesheet's own line. Each edition's page has booklet.css, the sheets
    it imports and the edition's own stylesheet; a token is declared by a
    rule of one of them, by a template's style attribute, or by Python (the
    section colour). chart-marks.css, whose tokens Python resolves, has its
    own check (_undeclared).
    """
    inline = {contract.SECTION_COLOUR}
    for folder in contract.TEMPLATE_FOLDERS:
        for path in sorted((layouts / folder).rglob("*")) if (layouts / folder).is_dir() else []:
            if path.suffix in _TEMPLATE_SUFFIXES and path.is_file():
                with contextlib.suppress(readfile.Refused, OSError):
                    inline |= set(_CUSTOM_PROPERTY.findall(readfile.read_text(path, layouts)))
    others = {edition.stylesheet for edition in EDITIONS.values()}
    first: dict[str, tuple[str, int, int]] = {}
    uses: dict[str, set[tuple[str, int, int]]] = {}
    missing_in: dict[str, list[str]] = {}
    for edition in EDITIONS.values():
        page = {
            n: r
            for n, r in sheets.items()
            if n != contract.MARKS_STYLESHEET and (n not in others or n == edition.stylesheet)
        }
        declared = inline.union(*(_declared(rules) for rules in page.values()))
        for name, rules in page.items():
            for function in _functions_of(rules):
                arguments = [a for a in function.arguments if a.type not in ("whitespace", "comment")]
                token = arguments[0].value if arguments and arguments[0].type == "ident" else None
                named = token and token not in declared and token not in contract.TOKENS  # those: missing()
                if function.lower_name == "var" and len(arguments) == 1 and named:
                    place = (name, function.source_line, function.source_column)
                    first.setdefault(token, place)
                    uses.setdefault(token, set()).add(place)
                    if edition.name not in missing_in.setdefault(token, []):
                        missing_in[token].append(edition.name)
    problems = []
    for token, (name, line, column) in first.items():
        count = len(uses[token]) - 1
        more = f" (and {count} other place{'s' if count > 1 else ''})" if count else ""
        editions = missing_in[token]
        where = "" if len(editions) == len(EDITIONS) else f" for the {' and '.join(editions)} edition"
        problems.append(
            Problem(
                Place(f"{shown}/{name}", line, column),
                f"var({token}) uses a design token nothing declares{where}{more}: declare {token} on :root in "
                f"the Variables part of {contract.STYLESHEET}, or use another token",
            )
        )
    return problems


def _declared(rules: list) -> set[str]:
    """The custom properties a stylesheet's rules declare, in any rule (and inside @media, @page...)."""
    found = set()
    for rule in rules:
        if rule.type not in ("qualified-rule", "at-rule") or rule.content is None:
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration" and item.name.startswith("--"):
                found.add(item.name)
            elif item.type in ("qualified-rule", "at-rule"):
                found |= _declared([item])
    return found


def _functions_of(rules: list) -> list:
    """Every function in the declarations of ``rules`` (nested rules too), but those of the tokens Python reads."""
    found = []
    for rule in rules:
        if rule.type not in ("qualified-rule", "at-rule") or rule.content is None:
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            # A token Python draws with (or a palette colour) is checked through its var() by tokencheck.
            python_reads = item.type == "declaration" and (
                item.name in contract.TOKENS or item.name.startswith(contract.PALETTE_PREFIX)
            )
            if item.type == "declaration" and not python_reads:
                found += _functions(item.value)
            elif item.type in ("qualified-rule", "at-rule"):
                found += _functions_of([item])
    return found


def _functions(tokens: list) -> list:
    """The functions among ``tokens``, those inside others too."""
    found = []
    for token in tokens:
        if token.type == "function":
            found += [token, *_functions(token.arguments)]
        elif token.type in ("() block", "[] block", "{} block"):
            found += _functions(token.content)
    return found


def _fonts(rules: list, shown: str) -> list[Problem]:
    """The faces the text of SVG pictures is set in are declared by an @font-face.

    (That every family starts with contract.FONT_FAMILY_PREFIX is the
    preflight's to check, in the PDF: the build itself does not rely on it.)
    """
    families = set()
    for rule in rules:
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or rule.content is None:
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration" and item.lower_name == "font-family":
                families.add(tinycss2.serialize(item.value).strip().strip("\"'"))
    return [
        Problem(
            Place(shown),
            f"no @font-face declares the family {family!r}, which the text of SVG pictures is set in: "
            f"declare it in the Fonts part ({_SEE})",
        )
        for family in contract.TEXT_FAMILIES
        if family not in families
    ]


_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")


def _selector_classes(rules: list) -> set[str]:
    """The classes the selectors of ``rules`` name, inside @media and the like too."""
    found: set[str] = set()
    for rule in rules:
        if rule.type == "qualified-rule":
            found.update(_CLASS.findall(tinycss2.serialize(rule.prelude)))
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword != "font-face":
            found |= _selector_classes(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
    return found


def _styled(sheets: dict[str, list], shown: str) -> list[Problem]:
    """A class Python writes that no rule of any stylesheet names: renamed in the CSS, left behind in Python."""
    styled: set[str] = set()
    for rules in sheets.values():
        styled |= _selector_classes(rules)
    return [
        Problem(
            Place(f"{shown}/{name}"),
            f"no rule styles the class {cls!r}, which Python writes; give it back its rule (.{cls} {{ ... }}) "
            f"or keep its old name beside the new one ({_SEE})",
        )
        for name, classes in contract.STYLED.items()
        if name in sheets
        for cls in classes
        if cls not in styled
    ]


def _has_class(source: str, cls: str) -> bool:
    return re.search(rf"""class=(["'])[^"']*(?<![\w-]){re.escape(cls)}(?![\w-])[^"']*\1""", source) is not None


def _written(layouts: Path, shown: str) -> list[Problem]:
    """The classes and ids the templates must write, where Python looks for them."""
    starts = "the layout finds where a section starts, or a page designed as one, by it"
    expected = [(name, cls, starts) for cls, name in contract.PAGE_STARTS.items()]
    expected.append(
        (
            contract.PHOTO_TEMPLATE,
            contract.PHOTO,
            "the layout makes a chapter's picture shorter, to end a page earlier, by it",
        )
    )
    expected += [(name, None, "") for name in contract.SECTION_TEMPLATES]  # None: the section's id
    problems = []
    for name, cls, why in sorted(expected, key=lambda wanted: wanted[0]):
        path = layouts / name
        if not path.is_file():
            continue  # reported as missing
        try:
            source = readfile.read_text(path, layouts, layouts_sandbox.MAX_TEMPLATE_BYTES)
        except readfile.Refused:
            continue  # reported by _templates
        if cls is None and contract.SECTION_ID_VARIABLE not in source:
            problems.append(
                Problem(
                    Place(f"{shown}/{name}"),
                    f'no element has id="{{{{ {contract.SECTION_ID_VARIABLE} }}}}"; the contents\' links and the '
                    "PDF's bookmarks lead to the section by it: put it back on the section's outermost element",
                )
            )
        elif cls is not None and not _has_class(source, cls):
            problems.append(
                Problem(Place(f"{shown}/{name}"), f'no element has class="{cls}"; {why}: put the class back ({_SEE})')
            )
    return problems
