"""The screen edition's structure tree as PDF/UA-1 wants it, from what WeasyPrint 70 writes.

WeasyPrint 70 tags the pages (weasyprint/pdf/tags.py) but gets four things
wrong for a booklet, and this module puts them right in two steps:

1. While WeasyPrint builds the tree, a wrapper around its
   ``_build_box_tree`` carries over what the HTML says and WeasyPrint
   ignores: an element with ``aria-hidden="true"`` (or ``role="presentation"``)
   is decoration, marked ``/S /Artifact`` for step 2; ``lang`` becomes the
   element's ``/Lang`` (WeasyPrint writes only the document's); a link's
   visible text goes into its annotation's ``/Contents`` (WeasyPrint writes the
   bare target, ``section-2``). Only the wrapper sees the HTML elements: no
   markup can say these things to WeasyPrint 70, whose tags depend on the
   element's name alone.
2. After WeasyPrint has written the file, a pikepdf pass (``finish``) mends the
   tree: decoration and the margin boxes (running heads, page numbers, which
   WeasyPrint builds but hangs nowhere) become artifacts in the content
   streams and leave the tree; every link is one ``Link`` element holding its
   annotation (WeasyPrint gives each box inside a link its own annotation, so
   a contents entry had four, three of them on ``Span`` or nested ``Link``
   elements); each link's ``/Contents`` says where it goes («الشراكات، صفحة ٨»);
   text of spaces alone becomes an artifact, and empty elements go; Latin
   text gets ``/Lang en`` (its element's, or a marked-content ``/Span``
   around it inside an Arabic element: a ``<span lang="en">`` in the HTML
   would change the layout, see booklet/data/direction.py). A pass over the finished
   file is simpler and safer than patching WeasyPrint's drawing: the content
   streams are parsed and written by qpdf, and the whole tree is in view at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import tags

from booklet.typeset import pdftext

_ORIGINAL = tags._build_box_tree  # noqa: SLF001 - wrapped, see the module's docstring
_HIDDEN_ROLES = {"presentation", "none"}
#: Elements whose content is not text: a blank one is still something.
_NOT_TEXT = {"/Figure", "/Formula", "/Form", "/Artifact"}
_RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"}
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_DIGITS_WORD = re.compile(r"^[0-9٠-٩۰-۹]+$")


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
        annotation = getattr(box, "link_annotation", None)
        if made["S"] == "/Link" and annotation is not None:
            annotation["Contents"] = pydyf.String(" ".join(_box_text(box).replace("\u200e", "").split()))
        yield made


def install() -> None:
    """Put the wrapper in place (once): WeasyPrint's recursion calls it by the module's name."""
    tags._build_box_tree = _build_box_tree  # noqa: SLF001


# Step 2: the finished file.


def _kids(node: pikepdf.Object) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(node: object) -> bool:
    return (
        isinstance(node, pikepdf.Dictionary)
        and node.get("/Type", pikepdf.Name.StructElem) == "/StructElem"
        and ("/S" in node)
    )


def _walk(node: pikepdf.Object, seen: set) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under ``node``, parents before children."""
    for kid in _kids(node):
        if _is_element(kid) and kid.objgen not in seen:
            seen.add(kid.objgen)
            yield kid
            yield from _walk(kid, seen)


def _mcids(node: pikepdf.Dictionary, page: pikepdf.Object | None = None) -> Iterator[tuple[tuple, int]]:
    """(page objgen, MCID) of every piece of content under ``node``."""
    page = node.get("/Pg", page)
    for kid in _kids(node):
        if isinstance(kid, int):
            yield page.objgen, int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield kid.get("/Pg", page).objgen, int(kid.MCID)
        elif _is_element(kid):
            yield from _mcids(kid, page)


class _ParentTree:
    """The /ParentTree number tree as a dict (WeasyPrint writes it flat, in /Nums)."""

    def __init__(self, pdf: pikepdf.Pdf, root: pikepdf.Dictionary) -> None:
        self.pdf, self.root = pdf, root
        nums = root.ParentTree.get("/Nums") or pikepdf.Array()
        self.entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}

    def write(self) -> None:
        nums = pikepdf.Array()
        for key in sorted(self.entries):
            nums.append(key)
            nums.append(self.entries[key])
        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
        self.root.ParentTreeNextKey = max(self.entries, default=-1) + 1


def finish(pdf: pikepdf.Pdf) -> None:
    """Mend the tree of a tagged PDF written by WeasyPrint (with install() in place)."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return
    parents = _ParentTree(pdf, root)
    rtl = str(pdf.Root.get("/Lang", "")).split("-")[0].lower() in _RIGHT_TO_LEFT
    reachable = list(_walk(root, set()))
    known = {e.objgen for e in reachable}
    artifacts: dict[tuple, dict[int, str]] = {}  # page -> MCID -> kind of artifact
    for element in reachable:
        if element.S == "/Artifact":
            for page, mcid in _mcids(element):
                artifacts.setdefault(page, {})[mcid] = "decoration"
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
        parsed[page.obj.objgen] = pikepdf.parse_content_stream(page)
        starts[page.obj.objgen], direct[page.obj.objgen] = {}, set()
        runs[page.obj.objgen] = pdftext.text_runs(
            page, maps, parsed[page.obj.objgen], starts=starts[page.obj.objgen], direct=direct[page.obj.objgen]
        )
        texts = {mcid: "".join(text for _index, text in found) for mcid, found in runs[page.obj.objgen].items()}
        for mcid, element in enumerate(mapped):
            if not _is_element(element):
                continue
            if element.objgen not in known:
                # WeasyPrint builds the margin boxes' elements but links them
                # to nothing: their content is the running head and page number.
                artifacts.setdefault(page.obj.objgen, {}).setdefault(mcid, "Pagination")
            elif element.S not in _NOT_TEXT and not texts.get(mcid, "").strip():
                # A text box of spaces (between two spans): nothing to read.
                artifacts.setdefault(page.obj.objgen, {}).setdefault(mcid, "Layout")
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
    for element in reachable:
        if element.S == "/Artifact":
            _detach(element)
    for element, mcid in blank:
        element.K = pikepdf.Array([k for k in _kids(element) if not (isinstance(k, int) and int(k) == mcid)])
    _links(pdf, parents, str(pdf.Root.get("/Lang", "")).startswith("ar"))
    _prune(root)
    parents.write()


def _detach(element: pikepdf.Dictionary) -> None:
    parent = element.get("/P")
    if isinstance(parent, pikepdf.Dictionary):
        parent.K = pikepdf.Array([k for k in _kids(parent) if not (_is_element(k) and k.objgen == element.objgen)])


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
        if "latin" not in scripts or not _is_element(element):
            continue
        kids = _kids(element)
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
    while _is_element(node):
        if "/Lang" in node:
            return str(node.Lang).lower().startswith(lang)
        node = node.get("/P")
    return False


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
    while _is_element(node):
        if node.S == "/Link":
            found = node
        node = node.get("/P")
    return found


def _links(pdf: pikepdf.Pdf, parents: _ParentTree, arabic: bool) -> None:
    """One Link element per link, holding its annotations; nested links become spans."""
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    destinations = _destinations(pdf)
    for page in pdf.pages:
        annotations = [a for a in page.obj.get("/Annots") or [] if a.get("/Subtype") == "/Link"]
        groups: dict[tuple, list] = {}
        for annotation in annotations:
            element = parents.entries.get(int(annotation.get("/StructParent", -1)))
            if not _is_element(element):
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
                    link.K = pikepdf.Array([*_kids(link), _objr(pdf, annotation, page)])
                    parents.entries[int(annotation.StructParent)] = link
                    own.append(annotation)
                annotation.Contents = pikepdf.String(_contents(annotation, text, destinations, pages, arabic))
            for nested in _walk(link, set()):
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

    element.K = pikepdf.Array([k for k in _kids(element) if not is_its(k)])


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


def _prune(root: pikepdf.Dictionary) -> None:
    """Remove structure elements with nothing in them, deepest first."""
    for element in reversed(list(_walk(root, set()))):
        if not _kids(element) and element.S != "/Document":
            _detach(element)
