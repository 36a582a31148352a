"""What the HTML says about an element and WeasyPrint 70's tag builder leaves out, carried into the tree.

While WeasyPrint builds the screen edition's structure tree
(weasyprint/pdf/tags.py), a wrapper around its ``_build_box_tree`` carries
over what the HTML says and WeasyPrint ignores: an element with
``aria-hidden="true"`` (or ``role="presentation"``) is decoration, marked
``/S /Artifact`` for the pass over the finished file (booklet/typeset/pdfstructure.py)
to take out of the tree; ``lang`` becomes the element's ``/Lang`` (WeasyPrint
writes only the document's); a link's visible text goes into its annotation's
``/Contents`` (WeasyPrint writes the bare target, ``section-2``). Only the
wrapper sees the HTML elements: no markup can say these things to WeasyPrint
70, whose tags depend on the element's name alone.

A table WeasyPrint splits over pages is built once per page, each piece a
``Table`` of its own (with the header row repeated): the pieces of one HTML
table, and of each of its row groups, share a ``/BookletPart`` number, for
the pass to join them into one element and take the number out again. A
table on one page gets none.
"""

from __future__ import annotations

from collections.abc import Iterator

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import tags

_ORIGINAL = tags._build_box_tree  # noqa: SLF001 - wrapped, see the module's docstring
_HIDDEN_ROLES = {"presentation", "none"}
#: The elements a split table is built of on each page it runs onto.
_TABLE_PARTS = {"/Table", "/THead", "/TBody", "/TFoot"}
#: The key shared by the pieces of one split table (or row group), taken out by the pass.
PART = "BookletPart"


def _element(box):  # noqa: ANN001, ANN202 - a WeasyPrint box and its HTML element
    if isinstance(box, AbsolutePlaceholder):
        box = box._box  # noqa: SLF001
    return getattr(box, "element", None)


def _decorative(element) -> bool:  # noqa: ANN001
    return element.get("aria-hidden") == "true" or (element.get("role") or "").strip() in _HIDDEN_ROLES


def _inherited_lang(pdf, parent) -> str:  # noqa: ANN001 - pydyf objects
    """The language ``parent`` speaks: its own /Lang or the nearest above, else the document's."""
    node = parent
    while isinstance(node, dict):
        if "Lang" in node:
            return str(node["Lang"].string if isinstance(node["Lang"], pydyf.String) else node["Lang"])
        reference = node.get("P")
        node = pdf.objects[int(reference.split()[0])] if isinstance(reference, bytes) else None
    lang = pdf.catalog.get("Lang")
    return str(lang.string if isinstance(lang, pydyf.String) else lang or "")


def _box_text(box) -> str:  # noqa: ANN001
    """The text of a box, a space between the text of each box (a link's number, title and page)."""
    if isinstance(box, boxes.TextBox):
        return box.text
    return " ".join(_box_text(child) for child in getattr(box, "children", ()))


def _continued(pdf, element, made) -> None:  # noqa: ANN001 - pydyf objects and an HTML element
    """``made`` and the element first made for the same HTML ``element``, numbered alike if it is not the first."""
    seen = pdf.__dict__.setdefault("booklet_table_parts", {})
    _element, first, number = seen.setdefault(id(element), (element, made, len(seen)))
    if first is not made:
        first[PART] = made[PART] = number


def _build_box_tree(box, parent, pdf, page_number, nums, annotations, marked) -> Iterator:  # noqa: ANN001, PLR0913
    """WeasyPrint's own, then what the HTML element says about the element it made."""
    for made in _ORIGINAL(box, parent, pdf, page_number, nums, annotations, marked):
        element = _element(box)
        if element is not None and isinstance(element.tag, str):
            if _decorative(element):
                made["S"] = "/Artifact"
            lang = (element.get("lang") or "").strip()
            if lang and _inherited_lang(pdf, parent) != lang:
                made["Lang"] = pydyf.String(lang)
            if made["S"] in _TABLE_PARTS:
                _continued(pdf, element, made)
        annotation = getattr(box, "link_annotation", None)
        if made["S"] == "/Link" and annotation is not None:
            annotation["Contents"] = pydyf.String(" ".join(_box_text(box).replace("\u200e", "").split()))
        yield made


def install() -> None:
    """Put the wrapper in place (once): WeasyPrint's recursion calls it by the module's name."""
    tags._build_box_tree = _build_box_tree  # noqa: SLF001
