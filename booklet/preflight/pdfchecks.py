"""Preflight checks of what the PDFs carry beyond what they show.

- ``text`` (both editions): every font's ToUnicode map gives letters, not
  Arabic presentation forms, and maps each bracket glyph to the bracket it shows.
- ``dates`` (both): the creation date is there for the press and is not 1970
  (a booklet without a date takes SOURCE_DATE_EPOCH, 0 unless set).
- ``tagging`` (screen): the structure tree as a screen reader walks it: each
  link one Link element holding its annotation, with a /Contents worth
  hearing; every piece of text in the tree or an artifact; no empty
  elements; no figure whose alternative repeats the text beside it; Latin
  text in English; lists, tables and headings in order.
- ``press`` (print): room for crop marks outside the bleed, no annotations.
- ``printing`` (the imposed PDF, when there is one): the print dialog is told
  to print both sides, flipped on the short edge, at actual size.

Each function returns (check, status, detail) rows; the preflight makes them
rows of its report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from booklet.editions import Edition
from booklet.preflight.report import pages_list
from booklet.typeset import pdftext, pdftree, pressmarks

Rows = list[tuple[str, str, str]]
_LATIN = re.compile(r"[A-Za-z]{2,}")
_ANCHOR = re.compile(r"^[\w.:-]+$")
_PARENTS = {
    "/LI": {"/L"},
    "/LBody": {"/LI"},
    "/Lbl": {"/LI"},
    "/TR": {"/Table", "/THead", "/TBody", "/TFoot"},
    "/TD": {"/TR"},
    "/TH": {"/TR"},
}


#: What a damaged file raises when it is read where a sound one has an object of the right kind.
_DAMAGE = (pikepdf.PdfError, AttributeError, TypeError, ValueError, KeyError, IndexError)


def rows(pdf: pikepdf.Pdf, edition: Edition) -> Rows:
    """The checks of this module for one edition's file, in the order the report shows them.

    A file damaged where a check reads (an annotation's reference without its
    object, a map that is not a stream) gives that check an error row, not a
    traceback.
    """
    checks = [("text", text), ("dates", lambda pdf: dates(pdf, edition.press))]
    checks += [("press", press)] if edition.press else []
    checks += [("tagging", tagging)] if edition.tagged else []
    found: Rows = []
    for name, check in checks:
        try:
            found += check(pdf)
        except _DAMAGE as error:
            found.append((name, "error", f"cannot be read ({type(error).__name__}: {error}); rebuild with make"))
    return found


# Text.


def text(pdf: pikepdf.Pdf) -> Rows:
    forms: dict[str, set[str]] = {}
    mirrored: dict[str, int] = {}
    count = 0
    for font in pdftext.fonts(pdf):
        stream = font.get("/ToUnicode")
        if not isinstance(stream, pikepdf.Stream):
            continue
        count += 1
        name = re.sub(r"^/?[A-Z]{6}\+", "", str(font.get("/BaseFont", "/font")))
        mapping = pdftext.parse_cmap(stream.read_bytes())
        for value in mapping.values():
            for character in pdftext.PRESENTATION_FORMS.findall(value):
                forms.setdefault(name, set()).add(f"U+{ord(character):04X}")
        if any(value in "()[]{}" and value for value in mapping.values()):
            wrong = pdftext.mended(mapping, pdftext.glyph_shows(font))
            flipped = sum(1 for code, value in mapping.items() if wrong[code] != value and value in "()[]{}")
            if flipped:
                mirrored[name] = flipped
    rows: Rows = []
    for name, found in sorted(forms.items()):
        shown = ", ".join(sorted(found)[:5]) + (" and more" if len(found) > 5 else "")
        detail = (
            f"the font {name} reads back as Arabic presentation forms ({shown}): copying and searching give "
            "the wrong letters; rebuild with make"
        )
        rows.append(("text", "error", detail))
    for name, flipped in sorted(mirrored.items()):
        detail = (
            f"the font {name} maps {flipped} bracket glyph{'s' if flipped > 1 else ''} to the opposite bracket: "
            "«(IOM)» copies as «)IOM(»; rebuild with make"
        )
        rows.append(("text", "warning", detail))
    if not rows:
        rows.append(
            ("text", "ok", f"{count} fonts map their glyphs to letters: no presentation forms, brackets as drawn")
        )
    return rows


# Dates.


def dates(pdf: pikepdf.Pdf, press: bool) -> Rows:
    """The creation date: one the press requires (PDF/X), and not 1970."""
    info = pdf.trailer.get("/Info")
    created = str(info.get("/CreationDate", "")) if isinstance(info, pikepdf.Dictionary) else ""
    if not created:
        if press:
            return [("dates", "error", "no creation date: PDF/X requires one; rebuild with make")]
        return [("dates", "ok", "no creation date (the data gives none)")]
    day = re.sub(r"^D:", "", created)[:8]
    shown = f"{day[:4]}-{day[4:6]}-{day[6:8]}"
    if day.startswith("1970"):
        detail = (
            f"the creation date is {shown}: give the booklet its date (document.date in the data) "
            "or set SOURCE_DATE_EPOCH"
        )
        return [("dates", "warning", detail)]
    return [("dates", "ok", f"created {shown}")]


# The press.


def press(pdf: pikepdf.Pdf) -> Rows:
    rows: Rows = []
    annotated = [n for n, page in enumerate(pdf.pages, start=1) if page.obj.get("/Annots")]
    if annotated:
        count = sum(len(pdf.pages[n - 1].obj.Annots) for n in annotated)
        detail = f"{count} annotations on {pages_list(annotated)}: a printed page has none; rebuild with make"
        rows.append(("press", "error", detail))
    cramped = []
    room = pressmarks.room() - 0.5
    for number, page in enumerate(pdf.pages, start=1):
        media = [float(v) for v in page.obj.get("/MediaBox", [0, 0, 0, 0])]
        bleed = [float(v) for v in page.obj.get("/BleedBox", media)]
        if min(bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2], media[3] - bleed[3]) < room:
            cramped.append(number)
    if cramped:
        detail = (
            f"no room outside the bleed for crop marks on {pages_list(cramped)} (the MediaBox is not "
            f"{room / 72 * 25.4:.0f} mm larger than the BleedBox): the marks would sit on the bleed; rebuild with make"
        )
        rows.append(("press", "error", detail))
    if not rows:
        detail = f"crop marks outside the bleed on all {len(pdf.pages)} pages; no annotations"
        rows.append(("press", "ok", detail))
    return rows


# The imposed PDF.


def printing(path: Path) -> Rows:
    try:
        return _printing(path)
    except (*_DAMAGE, OSError) as error:
        return [("printing", "error", f"{path.name} cannot be read ({error}): run make impose")]


def _printing(path: Path) -> Rows:
    with pikepdf.open(path) as pdf:
        preferences = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
        rows: Rows = []
        if preferences.get("/Duplex") != "/DuplexFlipShortEdge":
            detail = "the print dialog is not told to print both sides flipped on the short edge: run make impose"
            rows.append(("printing", "error", detail))
        if preferences.get("/PrintScaling") != "/None":
            detail = "the print dialog may fit the pages to the paper (no /PrintScaling /None): run make impose"
            rows.append(("printing", "error", detail))
    return rows or [("printing", "ok", "both sides, flipped on the short edge, at actual size")]


# Tagging.


class _Tree:
    def __init__(self, pdf: pikepdf.Pdf, root: pikepdf.Dictionary) -> None:
        self.pdf = pdf
        self.roles = root.get("/RoleMap") or pikepdf.Dictionary()
        self.elements = list(pdftree.walk(root))
        self.known = {e.objgen for e in self.elements}
        nums = root.ParentTree.get("/Nums") if "/ParentTree" in root else None
        nums = nums or pikepdf.Array()
        self.parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
        self.numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        maps: dict = {}
        # Text inside a nested sequence that says its language is that language's.
        self.texts = {n: pdftext.marked_text(page, maps, unlabelled=True) for n, page in enumerate(pdf.pages, start=1)}

    def kind(self, element: pikepdf.Dictionary) -> str:
        kind = element.get("/S")
        return str(self.roles.get(kind, kind))

    def page(self, element: pikepdf.Dictionary) -> int | None:
        node = element
        while isinstance(node, pikepdf.Dictionary) and "/Pg" not in node and "/P" in node:
            node = node.P
        pg = node.get("/Pg") if isinstance(node, pikepdf.Dictionary) else None
        return self.numbers.get(pg.objgen) if isinstance(pg, pikepdf.Dictionary) else None

    def own_text(self, element: pikepdf.Dictionary) -> str:
        page = self.page(element)
        found = []
        for kid in pdftree.kids(element):
            if isinstance(kid, int) and page is not None:
                found.append(self.texts[page].get(int(kid), ""))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                number = self.numbers.get(kid.Pg.objgen) if "/Pg" in kid else page
                found.append(self.texts.get(number, {}).get(int(kid.MCID), ""))
        return "".join(found)

    def all_text(self, element: pikepdf.Dictionary) -> str:
        parts = [self.own_text(element)]
        parts += [self.all_text(k) for k in pdftree.kids(element) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        return " ".join(p for p in parts if p)

    def lang(self, element: pikepdf.Dictionary) -> str:
        node = element
        while isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if "/Lang" in node:
                return str(node.Lang)
            node = node.get("/P")
        return str(self.pdf.Root.get("/Lang", ""))


def tagging(pdf: pikepdf.Pdf) -> Rows:
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return []  # no tree at all: the standards check says so
    tree = _Tree(pdf, root)
    rows: Rows = []

    def problem(status: str, pages: list[int], what: str) -> None:
        rows.append(("tagging", status, f"{pages_list(pages)}: {what}" if pages else what))

    _check_links(tree, problem)
    _check_content(tree, problem)
    _check_elements(tree, problem)
    if not rows:
        links = sum(1 for e in tree.elements if tree.kind(e) == "/Link")
        english = sum(1 for e in tree.elements if str(e.get("/Lang", "")).startswith("en")) + sum(
            1
            for page in pdf.pages
            for operands, operator in pikepdf.parse_content_stream(page, "BDC")
            if isinstance(operands[1], pikepdf.Dictionary) and str(operands[1].get("/Lang", "")).startswith("en")
        )
        detail = (
            f"{len(tree.elements)} structure elements in reading order, {links} links each tagged once with its "
            f"annotation, running heads and decoration as artifacts, {english} Latin runs in English"
        )
        rows.append(("tagging", "ok", detail))
    return rows


def _check_links(tree: _Tree, problem) -> None:  # noqa: ANN001
    loose, bare, nested = [], [], []
    for number, page in enumerate(tree.pdf.pages, start=1):
        for annotation in page.obj.get("/Annots") or []:
            if annotation.get("/Subtype") != "/Link":
                continue
            parent = tree.parents.get(int(annotation.get("/StructParent", -1)))
            holds = isinstance(parent, pikepdf.Dictionary) and any(
                isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" and k.Obj.objgen == annotation.objgen
                for k in pdftree.kids(parent)
            )
            if not holds or parent.objgen not in tree.known or tree.kind(parent) != "/Link":
                loose.append(number)
            said = str(annotation.get("/Contents", "")).strip()
            target = annotation.get("/Dest")
            if not said or (target is not None and said == str(target).removeprefix("/")) or _ANCHOR.match(said):
                bare.append(number)
    for element in tree.elements:
        if tree.kind(element) == "/Link":
            node = element.get("/P")
            while isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if tree.kind(node) == "/Link":
                    nested.append(tree.page(element) or 0)
                    break
                node = node.get("/P")
    if loose:
        problem("error", loose, f"{len(loose)} link annotations not held by a Link element of the structure tree")
    if bare:
        what = f"{len(bare)} links whose /Contents says nothing a person would want to hear (a bare target name)"
        problem("error", bare, what)
    if nested:
        problem("error", nested, f"{len(nested)} Link elements inside other Link elements")


def _check_content(tree: _Tree, problem) -> None:  # noqa: ANN001
    """Every marked piece of content belongs to an element of the tree."""
    orphans = []
    for number, page in enumerate(tree.pdf.pages, start=1):
        key = page.obj.get("/StructParents")
        mapped = tree.parents.get(int(key)) if key is not None else None
        for mcid in tree.texts[number]:
            element = mapped[mcid] if isinstance(mapped, pikepdf.Array) and mcid < len(mapped) else None
            if not isinstance(element, pikepdf.Dictionary) or element.objgen not in tree.known:
                orphans.append(number)
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcid = int(operands[1].MCID)
                if mcid in tree.texts[number]:
                    continue  # counted above
                element = mapped[mcid] if isinstance(mapped, pikepdf.Array) and mcid < len(mapped) else None
                if not isinstance(element, pikepdf.Dictionary) or element.objgen not in tree.known:
                    orphans.append(number)
    if orphans:
        what = (
            f"{len(orphans)} pieces of content are neither in the structure tree nor artifacts "
            "(running heads and page numbers must be artifacts)"
        )
        problem("error", orphans, what)


#: Structure elements that group whole passages rather than a label and its icon.
_SECTIONING = {"/Document", "/Part", "/Art", "/Sect", "/Div"}


def _repeats(alt: str, around: str) -> bool:
    """Whether the words of ``alt`` are in ``around``: text read in drawing order, Arabic words reversed."""
    words = alt.split()
    seen = set(around.split())
    return sum(1 for w in words if w in seen or w[::-1] in seen) >= 0.8 * len(words)


def _check_elements(tree: _Tree, problem) -> None:  # noqa: ANN001
    empty, echoes, latin, misplaced, skipped = [], [], [], [], []
    alts: dict[str, set[int]] = {}
    level = 0
    for element in tree.elements:
        kind, page = tree.kind(element), tree.page(element) or 0
        if not pdftree.kids(element):
            empty.append(page)
        if kind == "/Figure":
            alt = " ".join(str(element.get("/Alt", "")).split())
            alts.setdefault(alt, set()).add(page)
            # An icon beside its label: the text of the figure's parent or
            # grandparent (a card, a list item) holds the alternative.
            node, around = element, ""
            for _ in range(2):
                node = node.get("/P")
                if not (isinstance(node, pikepdf.Dictionary) and "/S" in node):
                    break
                # A section is not "beside" its pictures: a chart's or a
                # photograph's description shares words with its chapter.
                if str(node.get("/S")) in _SECTIONING:
                    break
                around += " " + tree.all_text(node)
            if alt and len(alt) < 80 and _repeats(alt, around):
                echoes.append(page)
        own = tree.own_text(element)
        if _LATIN.search(own) and not tree.lang(element).lower().startswith("en"):
            latin.append(page)
        parent = element.get("/P")
        if kind in _PARENTS and isinstance(parent, pikepdf.Dictionary) and tree.kind(parent) not in _PARENTS[kind]:
            misplaced.append(page)
        if re.fullmatch(r"/H[1-6]", kind):
            if int(kind[2]) > level + 1:
                skipped.append(page)
            level = int(kind[2])
    if empty:
        problem("error", empty, f"{len(empty)} empty structure elements")
    if echoes:
        what = f"{len(echoes)} figures whose alternative repeats the text beside them: mark such icons as decoration"
        problem("error", echoes, what)
    if latin:
        what = f"{len(latin)} pieces of Latin text without /Lang en: screen readers read them with an Arabic voice"
        problem("error", latin, what)
    if misplaced:
        problem("error", misplaced, f"{len(misplaced)} list or table elements outside their list or table")
    if skipped:
        problem("warning", skipped, f"{len(skipped)} headings that skip a level")
    for alt, pages in alts.items():
        if alt and len(pages) > 1:
            what = (
                f"the figure «{alt}» is on {len(pages)} pages: a drawing repeated as ornament is decoration "
                '(aria-hidden="true" in the layouts makes it an artifact)'
            )
            problem("warning", sorted(pages), what)
