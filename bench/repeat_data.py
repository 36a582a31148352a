"""Make a bigger booklet from the sample: the same data with its content repeated N times.

    python bench/repeat_data.py 4 /tmp/data-4x          # from data/
    python bench/repeat_data.py 8 /tmp/data-8x --data other/

The cover, the contents, the colophon and the back cover stay single (the
validator allows one cover, contents and back cover); every other section
(foreword, highlights, chapters, partners, photo pages) is repeated, the copies
going just before the closing colophon and back cover. The first copy is the
sample as it is, so 1x is the sample itself. Pictures and any other file in the
data folder are copied beside the YAML. The result is checked with the
booklet's own validator before the script says it is done.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SINGLE = {"cover", "contents", "colophon", "back-cover"}
#: Sections that close the booklet: the copies go before them.
CLOSING = {"colophon", "back-cover"}


class _Dumper(yaml.SafeDumper):
    """Multi-line text (Markdown bodies) as literal blocks, as a person writes it."""

    def ignore_aliases(self, data: object) -> bool:
        return True  # the booklet refuses anchors and aliases: write every copy out


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def repeated(data: dict, times: int) -> dict:
    """``data`` with its repeatable sections ``times`` times over."""
    if times < 1:
        raise ValueError("times must be 1 or more")
    sections = data["sections"]
    closing = len(sections)
    while closing > 0 and sections[closing - 1].get("kind") in CLOSING:
        closing -= 1
    repeatable = [s for s in sections if s.get("kind") not in SINGLE]
    copies = [copy.deepcopy(s) for _ in range(times - 1) for s in repeatable]
    return {**data, "sections": sections[:closing] + copies + sections[closing:]}


def write(times: int, target: Path, data_dir: Path = ROOT / "data") -> Path:
    """Write the repeated data into ``target`` (booklet.yaml and the data's other files)."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for item in data_dir.iterdir():  # pictures and anything else the YAML may name
        if item.name == "booklet.yaml":
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target / item.name)
    source = yaml.safe_load((data_dir / "booklet.yaml").read_text(encoding="utf-8"))
    text = yaml.dump(repeated(source, times), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    (target / "booklet.yaml").write_text(
        f"# The sample booklet's content {times} times over (bench/repeat_data.py).\n{text}"
    )
    return target / "booklet.yaml"


def check(target: Path) -> None:
    """Raise SystemExit with the validator's messages if the data is not valid."""
    sys.path.insert(0, str(ROOT))
    from booklet.errors import BookletError
    from booklet.pipeline import check
    from booklet.project import Project

    try:
        check(Project(target))
    except BookletError as error:
        raise SystemExit("\n".join(str(p) for p in error.problems)) from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("times", type=int, help="how many times the content appears (1 = the sample)")
    parser.add_argument("target", type=Path, help="folder to write booklet.yaml into")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the booklet to repeat (default: data/)")
    args = parser.parse_args()
    written = write(args.times, args.target, args.data)
    check(args.target)
    sections = len(yaml.safe_load(written.read_text(encoding="utf-8"))["sections"])
    print(f"wrote {written} ({sections} sections, valid)")


if __name__ == "__main__":
    main()
