"""The build's manifest: what it laid out, written beside the PDFs for the preflight to read back.

``booklet-manifest.json`` says, for each edition written, which file it
describes (its name and sha256: a PDF changed or built since is known as
such) and each section as the data names it: its id in the HTML, its kind,
its title, whether the design makes it fill exactly one page, and the pages
it starts and ends on in that edition. One-page sections also carry their
text, which their one page must show; each section says whether the contents
list it and carries its charts' titles and descriptions (the data's), so the
preflight knows what to look for whatever markup layouts/ wraps them in.
``margins`` gives each page's margins at its top and its foot, in mm from
the trim, as @page laid them out: where the body ends. ``format`` numbers
the layout of the file::

    {"format": 2,
     "editions": {"print": {"pdf": "booklet-print.pdf", "sha256": "...", "pages": 16, "margins": [[20, 22], ...],
                            "sections": [{"id": "section-1", "kind": "cover", "title": null,
                                          "one_page": true, "first": 1, "last": 1, "text": "...",
                                          "listed": false, "charts": []}, ...]},
                  "screen": {...}}}

A section's ``last`` page is the page before the next section starts (the
last page of the file for the last section): blank pages that a break adds
before the next section count in. The build writes the manifest with the
PDFs, all moved into place together; a build of one edition keeps what the
manifest said of the others.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path

from booklet import output
from booklet.data import contents, model
from booklet.design import contract
from booklet.editions import EDITIONS

NAME = "booklet-manifest.json"
FORMAT = 2
#: CSS pixels (1/96 in) to millimetres.
_MM_PER_PX = 25.4 / 96

#: The kinds of section that must fit one page: a design fact, named in the contract with layouts/.
ONE_PAGE = contract.ONE_PAGE_KINDS

#: Elements without content or an end tag.
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


@dataclass(frozen=True)
class PlacedSection:
    id: str
    kind: str
    title: str | None
    one_page: bool
    first: int
    last: int
    #: The section's text, for a one-page section: what its page must show (None for the others).
    text: str | None = None
    #: Whether the contents list the section (booklet/data/contents.py).
    listed: bool = False
    #: The section's charts as the data gives them, each its title and its description (alt), in the data's order.
    charts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LaidOut:
    """What one edition's PDF holds, as the build laid it out."""

    pdf: str
    sha256: str
    pages: int
    sections: tuple[PlacedSection, ...]
    #: Each page's margins at the top and the foot, in mm from the trim: where its body (the page box's
    #: content) ends, the running head and the page number standing outside it.
    margins: tuple[tuple[float, float], ...] = ()


class Unreadable(Exception):
    """The manifest is there but is not one this build writes."""


def laid_out(document, html: str, ids: Sequence[str], sections: Sequence) -> tuple:  # noqa: ANN001
    """The page count of WeasyPrint's laid-out ``document``, its sections (``sections`` of the data, ``ids``
    as the context gave them), each with the page it starts on (the page holding its anchor), and each page's
    margins (``LaidOut.margins``)."""
    firsts: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            firsts.setdefault(anchor, number)
    texts = _texts(html, {i for i, s in zip(ids, sections, strict=True) if s.kind in ONE_PAGE})
    starts = [firsts.get(i, 0) for i in ids]
    count = len(document.pages)
    found = []
    for index, (anchor, section) in enumerate(zip(ids, sections, strict=True)):
        following = [start for start in starts[index + 1 :] if start]
        last = max(starts[index], following[0] - 1) if following else count
        title = getattr(section, "title", None)
        one_page = section.kind in ONE_PAGE
        listed = isinstance(section, contents.HEADED)
        charts = tuple((chart.title, chart.alt) for chart in _charts(section))
        found.append(
            PlacedSection(anchor, section.kind, title, one_page, starts[index], last, texts.get(anchor), listed, charts)
        )
    return count, tuple(found), tuple(_margins(page) for page in document.pages)


def _margins(page) -> tuple[float, float]:  # noqa: ANN001
    """The top and foot of ``page``'s body from its trim, in mm: WeasyPrint's page box (its margins, borders and
    padding, in CSS pixels), as @page laid it out."""
    box = page._page_box  # WeasyPrint 70 keeps the laid-out page box there; its Page says nothing of margins
    top = box.margin_top + box.border_top_width + box.padding_top
    foot = box.margin_bottom + box.border_bottom_width + box.padding_bottom
    return round(top * _MM_PER_PX, 2), round(foot * _MM_PER_PX, 2)


def _charts(value: object) -> list[model.Chart]:
    """Every chart inside ``value`` (a section of the data, its blocks, their items), in the data's order."""
    if isinstance(value, model.Chart):
        return [value]
    if isinstance(value, (list, tuple)):
        return [chart for item in value for chart in _charts(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [chart for f in dataclasses.fields(value) for chart in _charts(getattr(value, f.name))]
    return []


def _texts(html: str, ids: set[str]) -> dict[str, str]:
    """The text of each element of ``html`` whose id is one of ``ids``, inline SVG drawings left out (their titles
    are never drawn). The HTML is the build's own, well formed: the standard library's tokenizer reads it in a
    tenth of the time an HTML5 tree would take."""
    reader = _TextReader(ids)
    reader.feed(html)
    reader.close()
    return {anchor: " ".join("".join(parts).split()) for anchor, parts in reader.found.items()}


class _TextReader(HTMLParser):
    def __init__(self, ids: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.ids = ids
        self.found: dict[str, list[str]] = {}
        #: The element being read: its id, its tag, and how deep the same tag is nested in it.
        self.inside: tuple[str, str] | None = None
        self.depth = 0
        self.svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if self.inside is None:
            anchor = dict(attrs).get("id")
            if anchor in self.ids:
                self.inside, self.depth = (anchor, tag), 1
                self.found[anchor] = []
            return
        self.depth += tag == self.inside[1]
        self.svg += tag == "svg"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <path/>, <img/>: nothing inside

    def handle_endtag(self, tag: str) -> None:
        if self.inside is None:
            return
        self.svg -= tag == "svg" and self.svg > 0
        if tag == self.inside[1]:
            self.depth -= 1
            if not self.depth:
                self.inside = None

    def handle_data(self, data: str) -> None:
        if self.inside is not None and not self.svg:
            self.found[self.inside[0]].append(data)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write(
    pending: output.Files, out_dir: Path, editions: dict[str, tuple[Path, int, tuple[PlacedSection, ...], tuple]]
) -> None:
    """Write the manifest into ``out_dir`` with the build's files: ``editions`` gives, for each edition built,
    the temporary its PDF was written to (``pending``'s), its page count, its sections and its pages' margins."""
    target = Path(out_dir) / NAME
    try:
        kept = read(target)
    except (OSError, Unreadable):
        kept = {}
    entries = {name: asdict(edition) for name, edition in kept.items() if name not in editions}
    for name, (temporary, pages, sections, margins) in editions.items():
        entries[name] = asdict(LaidOut(EDITIONS[name].pdf_name, sha256(temporary), pages, sections, margins))
    with pending.writing(target) as temporary:
        text = json.dumps({"format": FORMAT, "editions": entries}, ensure_ascii=False, indent=1)
        temporary.write_text(text + "\n", encoding="utf-8")


def read(path: Path) -> dict[str, LaidOut]:
    """Each edition the manifest at ``path`` describes. OSError when it cannot be read, Unreadable when it is
    not a manifest of this format."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise Unreadable(f"format {data.get('format')!r}, not {FORMAT}")
        return {
            name: LaidOut(
                str(entry["pdf"]),
                str(entry["sha256"]),
                int(entry["pages"]),
                tuple(_section(section) for section in entry["sections"]),
                tuple((float(top), float(foot)) for top, foot in entry["margins"]),
            )
            for name, entry in data["editions"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise Unreadable(str(error)) from None


def _section(entry: dict) -> PlacedSection:
    charts = tuple((str(title), str(alt)) for title, alt in entry.pop("charts", ()))
    return PlacedSection(**entry, charts=charts)
