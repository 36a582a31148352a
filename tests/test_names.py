"""Names that say one thing: no class or constant name is defined in two modules of booklet/.

Two ``Report``s or two ``SCREEN_PPI``s with different meanings make a reader
guess which one a line means, and an import of the wrong one still runs. The
test reads every module's source (nothing is imported) and lists the names
defined at its top level:

- every class, private ones too: a class's name shows in annotations, in
  tracebacks and in other modules' type hints (``blockcheck`` takes the
  validator's reader as an argument);
- every public constant: an upper-case name, or a capitalised alias such as
  ``Block = Text | Figures | ...``.

A module's private constants (``_MM``, ``_DIGITS``) are left out: only their
own module reads them, so the module says what they mean.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "booklet"

#: Names defined in more than one module on purpose, each because it means the same thing everywhere.
ALLOWED = {
    # The package's logger, logging.getLogger("booklet"), under the name every module gives it.
    "NOTES": "the package's logger",
    # The share of a chapter page's height below which it is nearly empty: the flow step lays out
    # against it and the preflight's layout check reports against it; they must agree.
}


def _defined(tree: ast.Module) -> set[str]:
    """The classes and public constants defined at the top level of a module (inside if/try too)."""
    names = set()
    body = list(tree.body)
    while body:
        node = body.pop()
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            # A name, or names unpacked from a tuple; not an attribute set on another module (Image.MAX_...).
            for target in targets:
                for name in target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]:
                    if isinstance(name, ast.Name) and name.id[:1].isupper():
                        names.add(name.id)
        elif isinstance(node, getattr(ast, "TypeAlias", ())):
            names.add(node.name.id)
        elif isinstance(node, (ast.If, ast.Try)):
            body += [*node.body, *node.orelse, *getattr(node, "finalbody", [])]
            body += [part for handler in getattr(node, "handlers", []) for part in handler.body]
    return names


def definitions() -> dict[str, list[str]]:
    """Each class or public constant name, with the modules (as dotted names) that define it."""
    found = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for name in _defined(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            found[name].append(module)
    return found


def test_the_reading_finds_what_it_should():
    """A check of the reader itself: what each kind of definition yields, and what it leaves out."""
    source = (
        "class Shown: pass\n"
        "class _Private: pass\n"
        "LIMIT = 3\n"
        "Alias = int | str\n"
        "Typed: int = 4\n"
        "_MM = 72 / 25.4\n"
        "WIDE, TALL = 2, 3\n"
        "Image.MAX_IMAGE_PIXELS = 9\n"
        "lower = 1\n"
        "def Function(): pass\n"
        "try:\n    import x\nexcept ImportError:\n    FALLBACK = None\n"
    )
    assert _defined(ast.parse(source)) == {"Shown", "_Private", "LIMIT", "Alias", "Typed", "FALLBACK", "WIDE", "TALL"}


def test_the_package_is_read():
    found = definitions()
    # A few names every reading of booklet/ must meet, in the modules that hold them.
    assert found["Booklet"] == ["booklet.data.model"]
    assert found["TimingCallback"] == ["booklet.pipeline"]
    assert "booklet.lock" in found["NOTES"]


def test_no_name_is_defined_in_two_modules_with_two_meanings():
    twice = {name: modules for name, modules in definitions().items() if len(modules) > 1}
    unexplained = {name: modules for name, modules in twice.items() if name not in ALLOWED}
    assert unexplained == {}, (
        "each of these names is defined in more than one module; if they mean different things, rename one "
        "so that each says what it is; if they truly mean the same, define it once or add it to ALLOWED with why"
    )


def test_the_allowed_list_holds_only_real_duplicates():
    """An entry whose duplicate is gone (renamed, or defined once) leaves the list: it must not hide a new one."""
    twice = {name for name, modules in definitions().items() if len(modules) > 1}
    assert sorted(set(ALLOWED) - twice) == []
