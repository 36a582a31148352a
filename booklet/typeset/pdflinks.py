"""Links in the screen edition's structure tree: one Link element per link, and what a screen reader says for it.

WeasyPrint 70 gives each box inside a link its own annotation, so a contents
entry had four, three of them on ``Span`` or nested ``Link`` elements. Here
every link becomes one ``Link`` element holding its annotations (a nested
one's annotation, drawn inside the link's own, is dropped), and each link's
``/Contents`` says where it goes: «الشراكات، صفحة ٨», the entry's title and the
page in the digits its own text uses, or the text and the address.
"""

from __future__ import annotations

import re

import pikepdf

from booklet.typeset.pdftree import ParentTree, is_element, kids, walk

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_DIGITS_WORD = re.compile(r"^[0-9٠-٩۰-۹]+$")


def _rect(annotation: pikepdf.Dictionary) -> list[float]:
    return [float(v) for v in annotation.Rect]


def _inside(inner: list[float], outer: list[float], slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _outermost_link(element: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    found, node = None, element
    while is_element(node):
        if node.S == "/Link":
            found = node
        node = node.get("/P")
    return found


def links(pdf: pikepdf.Pdf, parents: ParentTree, arabic: bool) -> None:
    """One Link element per link, holding its annotations; nested links become spans."""
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    destinations = _destinations(pdf)
    for page in pdf.pages:
        annotations = [a for a in page.obj.get("/Annots") or [] if a.get("/Subtype") == "/Link"]
        groups: dict[tuple, list] = {}
        for annotation in annotations:
            element = parents.entries.get(int(annotation.get("/StructParent", -1)))
            if not is_element(element):
                continue
            link = _outermost_link(element)
            if link is None:  # a link on a box WeasyPrint did not tag as one
                element.S = pikepdf.Name.Link
                link = element
            groups.setdefault(link.objgen, [link, []])[1].append((annotation, element))
        dropped = set()
        for link, members in groups.values():
            own = [a for a, e in members if e.objgen == link.objgen]
            text = next((str(a.get("/Contents")) for a in own if "/Contents" in a), "")
            for annotation, element in members:
                if element.objgen != link.objgen:
                    _drop_objr(element, annotation)
                    if any(_inside(_rect(annotation), _rect(o)) for o in own):
                        dropped.add(annotation.objgen)
                        del parents.entries[int(annotation.StructParent)]
                        continue
                    link.K = pikepdf.Array([*kids(link), _objr(pdf, annotation, page)])
                    parents.entries[int(annotation.StructParent)] = link
                    own.append(annotation)
                annotation.Contents = pikepdf.String(_contents(annotation, text, destinations, pages, arabic))
            for nested in walk(link):
                if nested.S == "/Link":
                    nested.S = pikepdf.Name.Span
        if dropped:
            page.obj.Annots = pikepdf.Array([a for a in page.obj.Annots if a.objgen not in dropped])


def _objr(pdf: pikepdf.Pdf, annotation: pikepdf.Dictionary, page: pikepdf.Page) -> pikepdf.Dictionary:
    return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation, Pg=page.obj))


def _drop_objr(element: pikepdf.Dictionary, annotation: pikepdf.Dictionary) -> None:
    def is_its(kid: object) -> bool:
        return (
            isinstance(kid, pikepdf.Dictionary)
            and kid.get("/Type") == "/OBJR"
            and kid.get("/Obj") is not None
            and kid.Obj.objgen == annotation.objgen
        )

    element.K = pikepdf.Array([k for k in kids(element) if not is_its(k)])


def _destinations(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    return {str(k): v for k, v in pikepdf.NameTree(names.Dests).items()}


def _contents(
    annotation: pikepdf.Dictionary, text: str, destinations: dict, pages: dict[tuple, int], arabic: bool
) -> str:
    """What a screen reader says for a link: the entry's title and its page, or the text and the address."""
    words = text.split()
    while words and _DIGITS_WORD.match(words[0]):
        words.pop(0)
    while words and _DIGITS_WORD.match(words[-1]):
        words.pop()
    name = " ".join(words)
    target = annotation.get("/Dest")
    if target is not None:
        destination = destinations.get(str(target).removeprefix("/"))
        page = None
        if isinstance(destination, pikepdf.Array) and len(destination):
            page = pages.get(destination[0].objgen) if isinstance(destination[0], pikepdf.Dictionary) else None
        if page is None:
            return name or str(target)
        # The page number in the digits the link's own text uses, else the document's.
        western = re.search("[0-9]", text) and not re.search("[٠-٩]", text)
        shown = str(page) if western or not arabic else str(page).translate(_ARABIC_INDIC)
        return f"{name}، صفحة {shown}" if name else f"صفحة {shown}"
    action = annotation.get("/A")
    uri = str(action.get("/URI", "")) if isinstance(action, pikepdf.Dictionary) else ""
    return f"{name}: {uri}" if name and uri and name != uri else name or uri
