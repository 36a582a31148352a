"""A tagged edition's structure tree as PDF/UA-1 wants it, from what WeasyPrint 70 writes.

WeasyPrint 70 tags the pages (weasyprint/pdf/tags.py) but gets four things
wrong for a booklet, and the booklet puts them right in two steps:

1. While WeasyPrint builds the tree, booklet/typeset/pdftags.py carries over
   what the HTML says and WeasyPrint ignores (decoration, ``lang``, a link's
   text): ``install()`` puts it in place.
2. After WeasyPrint has written the file, a pikepdf pass (``finish``) mends the
   tree: decoration and the margin boxes (running heads, page numbers, which
   WeasyPrint builds but hangs nowhere) become artifacts in the content
   streams and leave the tree; every link is one ``Link`` element holding its
   annotation, its ``/Contents`` saying where it goes (booklet/typeset/pdflinks.py);
   text of spaces alone becomes an artifact, and empty elements go; Latin
   text gets ``/Lang en`` (its element's, or a marked-content ``/Span``
   around it inside an Arabic element: a ``<span lang="en">`` in the HTML
   would change the layout, see booklet/data/direction.py); a table split
   over pages is one ``Table`` (``_join_tables``). A pass over the finished
   file is simpler and safer than patching WeasyPrint's drawing: the content
   streams are parsed and written by qpdf, and the whole tree is in view at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pikepdf

from booklet.typeset import pdftext, pdftree
from booklet.typeset.pdflinks import links
from booklet.typeset.pdftags import PART, install
from booklet.typeset.pdftree import ParentTree, Tree, detach_all, is_element, mcids, prune

__all__ = ["finish", "install"]

#: Elements whose content is not text: a blank one is still something.
_NOT_TEXT = {"/Figure", "/Formula", "/Form", "/Artifact"}
_RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"}
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def finish(pdf: pikepdf.Pdf) -> None:
    """Mend the tree of a tagged PDF written by WeasyPrint (with install() in place)."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return
    parents = ParentTree(pdf, root)
    rtl = str(pdf.Root.get("/Lang", "")).split("-")[0].lower() in _RIGHT_TO_LEFT
    tree = Tree(root)
    decoration = [e for e in tree.elements if tree.kinds[e.objgen] == "/Artifact"]
    artifacts: dict[tuple, dict[int, str]] = {}  # page -> MCID -> kind of artifact
    for element in decoration:
        for page, mcid in mcids(element):
            artifacts.setdefault(page, {})[mcid] = "decoration"
    for page, mcid in _join_tables(tree):
        artifacts.setdefault(page, {})[mcid] = "Pagination"
    blank: list[tuple[pikepdf.Dictionary, int]] = []
    maps: dict = {}
    parsed: dict[tuple, list] = {}
    runs: dict[tuple, dict[int, list[tuple[int, str]]]] = {}
    starts: dict[tuple, dict[int, int]] = {}  # page -> MCID -> index of its BDC
    direct: dict[tuple, set[int]] = {}  # page -> text operators right inside their MCID's own sequence
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        mapped = parents.entries.get(int(key)) if key is not None else None
        if not isinstance(mapped, pikepdf.Array):
            continue
        at = page.obj.objgen
        parsed[at] = pikepdf.parse_content_stream(page)
        starts[at], direct[at] = {}, set()
        runs[at] = pdftext.text_runs(page, maps, parsed[at], starts=starts[at], direct=direct[at])
        texts = {mcid: "".join(text for _index, text in found) for mcid, found in runs[at].items()}
        for mcid, element in enumerate(mapped):
            kind = tree.kind(element)
            if kind is None:
                if is_element(element):
                    # WeasyPrint builds the margin boxes' elements but links them
                    # to nothing: their content is the running head and page number.
                    artifacts.setdefault(at, {}).setdefault(mcid, "Pagination")
            elif kind not in _NOT_TEXT and not texts.get(mcid, "").strip():
                # A text box of spaces (between two spans): nothing to read.
                artifacts.setdefault(at, {}).setdefault(mcid, "Layout")
                blank.append((element, mcid))
    for page in pdf.pages:
        items = parsed.get(page.obj.objgen)
        if items is None:
            continue
        key = int(page.obj.StructParents)
        original = items
        if found := artifacts.get(page.obj.objgen):
            items = _as_artifacts(items, found, starts[page.obj.objgen])
            mapped = parents.entries[key]
            parents.entries[key] = pikepdf.Array([None if i in found else e for i, e in enumerate(mapped)])
        where = _MarkedPage(pdf, page, starts[page.obj.objgen], direct[page.obj.objgen], rtl)
        items = _languages(where, items, runs[page.obj.objgen], parents.entries[key])
        if items is not original:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(items))
    detach_all(decoration)
    for element, mcid in blank:
        element.K = pikepdf.Array([k for k in pdftree.kids(element) if not (isinstance(k, int) and int(k) == mcid)])
    links(pdf, parents, str(pdf.Root.get("/Lang", "")).startswith("ar"))
    prune(root)
    parents.write()


def _join_tables(tree: Tree) -> list[tuple[tuple, int]]:
    """Each table split over pages one ``Table``; the (page, MCID) of each header row repeated on a later page.

    WeasyPrint builds a ``Table`` for each page a table runs onto, its header
    row repeated on each (booklet/typeset/pdftags.py numbers the pieces). The
    rows of a later piece join the first piece's row group they continue (or
    the first piece, a row group of their own); the repeated header leaves the
    tree, its content a pagination artifact, and the cells that named its
    header cells (``/Headers``) name the first piece's instead.
    """
    key = pikepdf.Name("/" + PART)
    firsts: dict[int, pikepdf.Dictionary] = {}
    repeated: list[tuple[tuple, int]] = []
    for element in tree.elements:
        number = element.get(key)
        if number is None:
            continue
        del element[key]
        first = firsts.setdefault(int(number), element)
        if first is element or tree.kinds[element.objgen] != "/Table":
            continue
        headers = _header_ids(first)
        renamed: dict[str, pikepdf.String] = {}
        for kid in pdftree.kids(element):
            if not is_element(kid):
                continue
            if kid.S == "/THead":
                repeated += mcids(kid)
                # The same row of the same header, cell for cell.
                renamed.update(zip(map(str, _header_ids(kid)), headers, strict=False))
                continue
            group = firsts.get(int(kid[key])) if key in kid else None
            moved = pdftree.kids(kid) if group is not None else [kid]
            group = group if group is not None else first
            for row in moved:
                if is_element(row):
                    row.P = group
            group.K = pikepdf.Array([*pdftree.kids(group), *moved])
            _rename_headers(moved, renamed)
        pdftree.detach(element)
    return repeated


def _header_ids(table: pikepdf.Dictionary) -> list[pikepdf.String]:
    """The /ID of each header cell in ``table``'s header rows (or the header rows themselves), in order."""
    heads = [table] if table.S == "/THead" else [k for k in pdftree.kids(table) if is_element(k) and k.S == "/THead"]
    return [cell.ID for head in heads for cell in pdftree.walk(head) if cell.S == "/TH" and "/ID" in cell]


def _rename_headers(moved: list, renamed: dict[str, pikepdf.String]) -> None:
    """The cells in ``moved`` naming the header cells renamed (their /ID) by their new names."""
    if not renamed:
        return
    for row in moved:
        if not is_element(row):
            continue
        for cell in pdftree.walk(row):
            attributes = cell.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                names = [renamed.get(str(name), name) for name in attributes.Headers]
                attributes.Headers = pikepdf.Array(names)


def _as_artifacts(items: list, found: dict[int, str], starts: dict[int, int]) -> list:
    """A page's content (parsed as ``items``, each MCID's BDC at ``starts``) with ``found``'s MCIDs as artifacts."""
    rewritten = list(items)
    for mcid, kind in found.items():
        if (index := starts.get(mcid)) is None:
            continue
        if kind == "decoration":
            rewritten[index] = ([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
        else:
            properties = pikepdf.Dictionary(Type=pikepdf.Name(f"/{kind}"))
            rewritten[index] = ([pikepdf.Name.Artifact, properties], pikepdf.Operator("BDC"))
    return rewritten


def _script(text: str) -> str | None:
    if _ARABIC.search(text):
        return "arabic"
    return "latin" if _LATIN.search(text) else None


@dataclass
class _MarkedPage:
    pdf: pikepdf.Pdf
    page: pikepdf.Page
    #: Each MCID's BDC, by its index in the page's content.
    starts: dict[int, int]
    #: Text operators right inside their MCID's own sequence (not in a nested one).
    direct: set[int]
    #: The document's language is written right to left: a line's runs are drawn in the reverse of reading order.
    rtl: bool


def _languages(where: _MarkedPage, items: list, runs: dict[int, list[tuple[int, str]]], mapped: pikepdf.Array) -> list:
    """Latin text in English: an element of its own with /Lang en, inside the Arabic one it was part of.

    WeasyPrint draws each run of one script and font with its own text
    operator, inside the marked content of its text box: a Latin word in an
    Arabic line is an operator of its own. Its sequence is split around it:
    the word gets a new MCID and a ``Span`` element with ``/Lang en`` in the
    text box's element, between the text before it and a new MCID for the
    text after it (an artifact if no text follows), in reading order. A sequence of Latin text
    alone gives its language to its element; Latin text in a nested sequence
    gets a marked-content ``/Span`` with ``/Lang`` (PDF 14.9.2.2) instead.
    ``runs``: each MCID's text operators, by their index in ``items``.
    """
    wrapped: set[int] = set()
    splits: dict[int, tuple] = {}  # item index -> (tag, the word's MCID, the rest's MCID or None)
    emptied: set[int] = set()  # the BDC of a sequence whose first text is Latin: nothing left before it
    for mcid, texts in runs.items():
        found = [(index, _script(text)) for index, text in texts]
        scripts = {script for _index, script in found if script}
        element = mapped[mcid] if mcid < len(mapped) else None
        if "latin" not in scripts or not is_element(element):
            continue
        kids = pdftree.kids(element)
        if scripts == {"latin"} and all(isinstance(k, int) for k in kids):
            if not _speaks(element, "en"):
                element.Lang = pikepdf.String("en")
            continue
        latin = [index for index, script in found if script == "latin"]
        at = next((i for i, k in enumerate(kids) if isinstance(k, int) and int(k) == mcid), None)
        if at is None or mcid not in where.starts or not all(index in where.direct for index in latin):
            wrapped.update(latin)
            continue
        (tag, *_properties), _operator = items[where.starts[mcid]]
        added: list = []
        for index in latin:
            word = where.pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem,
                    S=pikepdf.Name.Span,
                    Lang=pikepdf.String("en"),
                    P=element,
                    Pg=where.page.obj,
                    K=len(mapped),
                )
            )
            mapped.append(word)
            rest = None
            if index != found[-1][0]:
                rest = len(mapped)
                mapped.append(element)
            splits[index] = (tag, int(word.K), rest)
            added += [word] if rest is None else [word, rest]
        # The pieces in reading order: a right-to-left line is drawn from its
        # left end, the last words first.
        pieces = [kids[at], *added]
        if latin[0] == found[0][0]:
            emptied.add(where.starts[mcid])
            mapped[mcid] = None
            pieces = added
        element.K = pikepdf.Array([*kids[:at], *(reversed(pieces) if where.rtl else pieces), *kids[at + 1 :]])
    if not wrapped and not splits:
        return items
    result = []
    for index, item in enumerate(items):
        if index in emptied:
            result.append(([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
        elif index in splits:
            tag, word, rest = splits[index]
            result.append(([], pikepdf.Operator("EMC")))
            result.append(([pikepdf.Name.Span, pikepdf.Dictionary(MCID=word)], pikepdf.Operator("BDC")))
            result.append(item)
            result.append(([], pikepdf.Operator("EMC")))
            if rest is None:  # nothing to read follows: what is left of the sequence is an artifact
                result.append(([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
            else:
                result.append(([tag, pikepdf.Dictionary(MCID=rest)], pikepdf.Operator("BDC")))
        elif index in wrapped:
            result.append(([pikepdf.Name.Span, pikepdf.Dictionary(Lang=pikepdf.String("en"))], pikepdf.Operator("BDC")))
            result.append(item)
            result.append(([], pikepdf.Operator("EMC")))
        else:
            result.append(item)
    return result


def _speaks(element: pikepdf.Dictionary, lang: str) -> bool:
    node = element
    while is_element(node):
        if "/Lang" in node:
            return str(node.Lang).lower().startswith(lang)
        node = node.get("/P")
    return False
