"""The package's imports run one way, in the order a booklet is made (README, "How the code is laid out").

Foundations (errors, files, editions, where things are) are below everything;
then data, design, typeset, the pipeline, the tools and the preflight side by
side, and the command line on top. A module may import its own stage or a
lower one, never a higher one nor a sibling stage.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "booklet"

FOUNDATIONS = {"errors", "libraries", "readfile", "output", "lock", "pdfinput", "editions", "project"}
#: Each stage and its height; stages of the same height may not import each other.
STAGES = {"foundations": 0, "data": 1, "design": 2, "typeset": 3, "pipeline": 4, "tools": 5, "preflight": 5, "cli": 6}


def stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or not ((PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file()):
        return "cli"  # the package itself, or a name of its public API: booklet/__init__.py gathers every stage
    if parts[1] in FOUNDATIONS:
        return "foundations"
    if parts[1] in ("cli", "__main__"):
        return "cli"
    return parts[1]


def imports(path: Path) -> list[tuple[int, str]]:
    """Each module of the package ``path`` imports, by line; a relative import resolved against ``path``'s package."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = list(parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([node.module] if node.module else [])])
            if not base.startswith("booklet"):
                continue
            names = [base] if base != "booklet" and node.module else [f"{base}.{a.name}" for a in node.names]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("booklet")]
    return found


def wrong_way(path: Path) -> list[str]:
    parts = path.relative_to(ROOT).with_suffix("").parts
    module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    if module == "booklet":  # the public API gathers from every stage
        return []
    mine = stage(module)
    found = []
    for line, name in imports(path):
        theirs = stage(name)
        higher = STAGES[theirs] > STAGES[mine]
        sibling = STAGES[theirs] == STAGES[mine] and theirs != mine
        if higher or sibling:
            found.append(f"{path.relative_to(ROOT)}:{line}: {mine} imports {name} ({theirs})")
    return found


def test_imports_run_one_way() -> None:
    found = [line for path in sorted(PACKAGE.rglob("*.py")) for line in wrong_way(path)]
    assert found == []


def test_the_rule_catches_an_import_against_the_stream(tmp_path: Path) -> None:
    """The check itself: a data module importing the typesetter is caught, one importing errors is not."""
    data = tmp_path / "booklet" / "data"
    data.mkdir(parents=True)
    module = data / "example.py"
    module.write_text(
        "from booklet.errors import Problem\nfrom booklet.typeset.typesetter import Typesetter\n"
        "from ..pipeline import build\nfrom . import model\nfrom booklet import Project\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert wrong_way(module) == [
            "booklet/data/example.py:2: data imports booklet.typeset.typesetter (typeset)",
            "booklet/data/example.py:3: data imports booklet.pipeline (pipeline)",
            "booklet/data/example.py:5: data imports booklet.Project (cli)",
        ]
    finally:
        ROOT = saved


def test_every_module_belongs_to_a_stage() -> None:
    """A new top-level module is either a foundation or a stage's package: never a stage of its own unnoticed."""
    tops = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert tops - FOUNDATIONS == {"pipeline", "cli"}
    assert packages == {s for s in STAGES if s not in ("foundations", "pipeline", "cli")}


#: A module longer than this holds more than one idea: cut it where the ideas part.
MAX_LINES = 450


def test_no_module_holds_more_than_one_idea_by_length() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
