"""A finished PDF's structure tree as pikepdf gives it: its elements, their kids, the parent tree.

Every question asked of a pikepdf object crosses into qpdf (and the first
one reads the object from the file), and a booklet of a hundred pages has
some ten thousand elements: these helpers ask each element as little as they
can, and walk the tree without recursion.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pikepdf

_STRUCT_ELEM = pikepdf.Name.StructElem
#: The object number and generation of a direct object: not one object's own.
DIRECT = (0, 0)


def kids(node: pikepdf.Object) -> list:
    """The /K of ``node`` as a list: MCIDs (ints), marked-content and object references, elements."""
    found = node.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def is_element(node: object) -> bool:
    return isinstance(node, pikepdf.Dictionary) and node.get("/Type", _STRUCT_ELEM) == "/StructElem" and ("/S" in node)


def walk(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under ``node``, each once, parents before children (in /K's order).

    An indirect element is known by its object number: one listed twice (or in
    a loop) is given once. A direct element is written out where it stands and
    has no number of its own (``DIRECT``): each is given, none is taken for
    another.
    """
    seen: set[tuple[int, int]] = set()
    pending = kids(node)[::-1]
    while pending:
        kid = pending.pop()
        # An MCID or a null is no element: not asked of qpdf at all.
        if not isinstance(kid, pikepdf.Object) or not is_element(kid):
            continue
        key = kid.objgen
        if key != DIRECT:
            if key in seen:
                continue
            seen.add(key)
        yield kid
        pending += kids(kid)[::-1]


class Tree:
    """The elements reachable from the root when the pass starts, with the kind (/S) of each, by object."""

    def __init__(self, root: pikepdf.Dictionary) -> None:
        self.elements = list(walk(root))
        self.kinds = {element.objgen: str(element.S) for element in self.elements}

    def kind(self, node: object) -> str | None:
        """The /S of ``node`` if it is one of the tree's elements, else None (not an element, or out of the tree)."""
        if not isinstance(node, pikepdf.Object):
            return None
        key = node.objgen
        if key == DIRECT:  # several direct objects share the key: ask the object itself
            return str(node.S) if key in self.kinds and is_element(node) else None
        return self.kinds.get(key)


def mcids(node: pikepdf.Dictionary, page: pikepdf.Object | None = None) -> Iterator[tuple[tuple, int]]:
    """(page objgen, MCID) of every piece of content under ``node``."""
    page = node.get("/Pg", page)
    for kid in kids(node):
        if isinstance(kid, int):
            yield page.objgen, int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield kid.get("/Pg", page).objgen, int(kid.MCID)
        elif is_element(kid):
            yield from mcids(kid, page)


def _without(found: list, gone: set[tuple[int, int]]) -> list:
    """``found`` (a /K's kids) without the elements whose objgen is in ``gone``."""
    return [k for k in found if not (isinstance(k, pikepdf.Object) and k.objgen in gone and is_element(k))]


def detach(element: pikepdf.Dictionary) -> None:
    """``element`` out of its parent's /K (the parent its /P names)."""
    parent = element.get("/P")
    if isinstance(parent, pikepdf.Dictionary):
        parent.K = pikepdf.Array(_without(kids(parent), {element.objgen}))


def detach_all(elements: Iterable[pikepdf.Dictionary]) -> None:
    """Each of ``elements`` out of its parent's /K, each parent's /K written once.

    The same as detach() on each in turn: a parent holding hundreds of kids
    (the document's) is read and written once, not once per kid it loses.
    """
    parents: dict[tuple[int, int], tuple[pikepdf.Dictionary, set]] = {}
    for element in elements:
        parent = element.get("/P")
        if not isinstance(parent, pikepdf.Dictionary):
            continue
        if parent.objgen == DIRECT:
            detach(element)
            continue
        parents.setdefault(parent.objgen, (parent, set()))[1].add(element.objgen)
    for parent, gone in parents.values():
        parent.K = pikepdf.Array(_without(kids(parent), gone))


def prune(root: pikepdf.Dictionary) -> None:
    """Remove structure elements with nothing in them, deepest first.

    Each element's kids are read once, as the walk finds them, and kept up to
    date as their elements are detached: a parent is empty when its last kid
    has gone, without asking qpdf again.
    """
    elements: list[pikepdf.Dictionary] = []
    found: dict[tuple[int, int], list] = {}  # an element's kids, by its objgen (direct elements left out)
    seen: set[tuple[int, int]] = set()
    pending = kids(root)[::-1]
    while pending:
        kid = pending.pop()
        if not isinstance(kid, pikepdf.Object) or not is_element(kid):
            continue
        key = kid.objgen
        if key != DIRECT:  # as in walk(): a direct element is no other's
            if key in seen:
                continue
            seen.add(key)
        elements.append(kid)
        its = kids(kid)
        if key != DIRECT:
            found[key] = its
        pending += its[::-1]
    for element in reversed(elements):
        key = element.objgen
        if (found[key] if key in found else kids(element)) or element.S == "/Document":
            continue
        parent = element.get("/P")
        if not isinstance(parent, pikepdf.Dictionary):
            continue
        owner = parent.objgen
        left = _without(found[owner] if owner in found else kids(parent), {key})
        if owner in found:
            found[owner] = left
        parent.K = pikepdf.Array(left)


class ParentTree:
    """The /ParentTree number tree as a dict (WeasyPrint writes it flat, in /Nums)."""

    def __init__(self, pdf: pikepdf.Pdf, root: pikepdf.Dictionary) -> None:
        self.pdf, self.root = pdf, root
        nums = root.ParentTree.get("/Nums") or pikepdf.Array()
        self.entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}

    def write(self) -> None:
        nums: list = []
        for key in sorted(self.entries):
            nums += (key, self.entries[key])
        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
        self.root.ParentTreeNextKey = max(self.entries, default=-1) + 1
