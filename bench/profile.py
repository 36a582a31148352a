"""Where a build spends its time: WeasyPrint's stages against the pipeline's own work.

    .venv/bin/python bench/profile.py            # the sample, both editions
    .venv/bin/python bench/profile.py --times 8  # the sample's content 8 times over
    .venv/bin/python bench/profile.py --edition screen

Samples one `python -m booklet build` with py-spy (installed on first use into
bench/.tools, never into the project's requirements) and sorts every sample:
imports, WeasyPrint by stage, the pipeline's own code by function (its
innermost booklet/ frame, libraries it calls included), and samples with no
Python frame at all (interpreter start and exit). Sampling slows the build a
little: read the shares, and take the absolute times from bench/run.py.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TOOLS = BENCH / ".tools"
PY_SPY = TOOLS / "bin" / "py-spy"
PY_SPY_VERSION = "0.4.3"
RATE = 200

#: WeasyPrint's stages, by a function on the stack; the deepest one found wins.
STAGES = [
    ("HTML.__init__", "WeasyPrint: parse HTML"),
    ("CSS.__init__", "WeasyPrint: parse CSS"),
    ("get_all_computed_styles", "WeasyPrint: match selectors, cascade"),
    ("build_formatting_structure", "WeasyPrint: build boxes"),
    ("layout_document", "WeasyPrint: lay out pages"),
    ("generate_pdf", "WeasyPrint: PDF structure (links, tags, images)"),
    ("Page.paint", "WeasyPrint: draw pages"),
    ("build_fonts_dictionary", "WeasyPrint: embed and subset fonts"),
    ("PDF.write", "WeasyPrint: serialize and compress (pydyf)"),
]
_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^:()]*)(?::\d+)?\)$")


def ensure_py_spy() -> Path:
    if not PY_SPY.exists():
        print(f"installing py-spy {PY_SPY_VERSION} into {TOOLS.relative_to(ROOT)}/", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(TOOLS), f"py-spy=={PY_SPY_VERSION}"],
            check=True,
        )
    return PY_SPY


def parse(frame: str) -> tuple[str, str]:
    match = _FRAME.match(frame)
    return (match["function"], match["file"]) if match else (frame, "")


def classify(frames: list[str]) -> str:
    if not frames or frames == [""]:
        return "no Python frame: interpreter start, exit (freeing the documents)"
    parsed = [parse(f) for f in frames]
    if any("importlib" in file for _fn, file in parsed):
        return "imports"
    for function, file in reversed(parsed):
        if file.startswith("booklet/"):
            return f"pipeline: {file.removeprefix('booklet/')} {function}"
        if file.startswith("weasyprint/"):
            stage = "WeasyPrint: other"
            for function_on_stack, _file in parsed:  # from the outside in: the deepest marker wins
                stage = next((name for marker, name in STAGES if function_on_stack == marker), stage)
            return stage
    return "other (runpy, cli, standard library)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=1, help="the sample's content this many times over")
    parser.add_argument("--edition", default="all", help="print, screen or all (default)")
    parser.add_argument("--top", type=int, default=15, help="how many functions to list")
    args = parser.parse_args()
    py_spy = ensure_py_spy()
    with tempfile.TemporaryDirectory(prefix="booklet-profile-") as tmp:
        data = Path(tmp) / "data"
        subprocess.run([sys.executable, str(BENCH / "repeat_data.py"), str(args.times), str(data)], check=True)
        stacks = Path(tmp) / "stacks.txt"
        build = [sys.executable, "-m", "booklet", "build", "--data", str(data), "--out", f"{tmp}/out"]
        subprocess.run(
            [str(py_spy), "record", "-r", str(RATE), "-f", "raw", "-o", str(stacks), "--", *build]
            + ["--edition", args.edition],
            check=True,
            cwd=ROOT,
        )
        categories: collections.Counter[str] = collections.Counter()
        leaves: collections.Counter[str] = collections.Counter()
        for line in stacks.read_text(encoding="utf-8").splitlines():
            stack, _, count = line.rpartition(" ")
            frames = stack.split(";") if stack else []
            categories[classify(frames)] += int(count)
            leaf = parse(frames[-1]) if frames else ("(no Python frame)", "")
            leaves[f"{leaf[0]} ({leaf[1]})"] += int(count)
    total = sum(categories.values())
    print(f"\n{total} samples at {RATE} Hz = {total / RATE:.2f} s sampled, {args.times}x, edition {args.edition}\n")
    print("| where | ms | share |\n|---|---:|---:|")
    groups: collections.Counter[str] = collections.Counter()
    for name, count in categories.items():
        groups[name.split(":")[0]] += count
    for name, count in categories.most_common():
        if name.startswith("pipeline:") and count * 1000 / RATE < 10:
            continue
        print(f"| {name} | {count * 1000 / RATE:.0f} | {count / total:.1%} |")
    small = sum(c for n, c in categories.items() if n.startswith("pipeline:") and c * 1000 / RATE < 10)
    if small:
        print(f"| pipeline: the rest (each < 10 ms) | {small * 1000 / RATE:.0f} | {small / total:.1%} |")
    print("\n| group | ms | share |\n|---|---:|---:|")
    for name, count in groups.most_common():
        print(f"| {name} | {count * 1000 / RATE:.0f} | {count / total:.1%} |")
    print(f"\ntop {args.top} functions by own time:\n")
    for name, count in leaves.most_common(args.top):
        print(f"{count * 1000 / RATE:7.0f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
