#!/usr/bin/env python3
"""Copy outline icons of the npm package @tabler/icons into layouts/icons/, made ready for WeasyPrint.

    npm pack @tabler/icons@3.51.0 && tar xzf tabler-icons-3.51.0.tgz
    python3 tools/copy-tabler-icons.py package/ droplet tent first-aid-kit

Each icon keeps its drawing unchanged; only the width, height and class
attributes and Tabler's invisible 24x24 bounding-box path are removed, so that
the layouts size it and WeasyPrint draws it. Add each icon to ASSETS.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LAYOUTS_ICONS = Path(__file__).resolve().parent.parent / "layouts" / "icons"
_DROPPED_ATTRIBUTES = re.compile(r'\s+(?:width|height|class)="[^"]*"')
_BOUNDING_BOX = re.compile(r'\s*<path stroke="none" d="M0 0h24v24H0z" fill="none"\s*/>')


def normalised(svg: str) -> str:
    head, _, rest = svg.partition(">")
    head = " ".join(_DROPPED_ATTRIBUTES.sub("", head).split())
    body = _BOUNDING_BOX.sub("", rest)
    lines = [re.sub(r"\s*/>$", "/>", line.strip()) for line in body.strip().splitlines() if line.strip()]
    return head + ">\n" + "\n".join(lines) + "\n"


def main(package: Path, names: list[str]) -> int:
    missing = [n for n in names if not (package / "icons" / "outline" / f"{n}.svg").is_file()]
    if missing:
        print("not in the package's outline icons: " + ", ".join(missing), file=sys.stderr)
        return 1
    for name in names:
        svg = (package / "icons" / "outline" / f"{name}.svg").read_text(encoding="utf-8")
        (LAYOUTS_ICONS / f"{name}.svg").write_text(normalised(svg), encoding="utf-8")
    print(f"copied {len(names)} icons into {LAYOUTS_ICONS}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))
