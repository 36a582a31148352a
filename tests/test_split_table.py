"""A table that runs over pages is one Table in the screen edition's structure, its header tagged once."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
from conftest import build_into, edit, western, write

from booklet.typeset import pdftext, pdftree

ROWS = 40
HEADER = ["المنطقة", "المدارس", "الطلاب"]


def _source() -> str:
    rows = "".join(f'            - [منطقة {i}, "{i}", "{i * 100}"]\n' for i in range(1, ROWS + 1))
    block = (
        "    blocks:\n"
        "      - table:\n"
        "          caption: المدارس والطلاب حسب المنطقة\n"
        f"          header: [{', '.join(HEADER)}]\n"
        "          rows:\n"
        f"{rows}"
        '          totals: [المجموع, "40", "18,400"]\n'
    )
    title = "    title: بناء القدرات\n"
    return edit(title, title + block)


def _text(element: pikepdf.Dictionary, pages: dict, texts: dict) -> str:
    return "".join(texts[pages[page]].get(mcid, "") for page, mcid in pdftree.mcids(element))


def _tagged_texts(pdf: pikepdf.Pdf) -> dict[int, dict[int, str]]:
    """Each page's text by MCID."""
    found, maps = {}, {}
    for number, page in enumerate(pdf.pages):
        runs = pdftext.text_runs(page, maps, pikepdf.parse_content_stream(page))
        found[number] = {mcid: "".join(text for _index, text in run) for mcid, run in runs.items()}
    return found


def test_a_split_table_is_one_table_with_its_header_once(data: Path, tmp_path: Path) -> None:
    write(data, _source())
    screen = build_into(data, tmp_path / "out", ["screen"]).pdfs["screen"]
    with pikepdf.open(screen) as pdf:
        root = pdf.Root.StructTreeRoot
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        texts = _tagged_texts(pdf)
        elements = list(pdftree.walk(root))
        assert not [e for e in elements if "/BookletPart" in e]  # the pass takes its numbers out
        tables = [e for e in elements if e.S == "/Table"]
        assert len(tables) == 1
        (table,) = tables
        parts = [k for k in pdftree.kids(table) if pdftree.is_element(k)]
        assert [str(k.S) for k in parts] == ["/Caption", "/THead", "/TBody", "/TBody"]
        rows = [r for r in pdftree.kids(parts[2]) if pdftree.is_element(r)]
        # Every row under the first row group, in order, whichever page it is on.
        cells = [[_text(cell, pages, texts) for cell in pdftree.kids(row)] for row in rows]
        assert [western(row[1]) for row in cells] == [str(i) for i in range(1, ROWS + 1)]
        assert all(row.P.objgen == parts[2].objgen for row in rows)
        on = {pages[row.Pg.objgen] for row in rows}
        assert len(on) > 1  # the table does run over a page
        # The header cells, once; each cell names them by an /ID the tree has.
        ids = {str(cell.ID) for cell in pdftree.walk(parts[1]) if cell.S == "/TH"}
        assert len(ids) == len(HEADER)
        row_ids = {str(c.ID) for c in elements if c.S == "/TH" and "/ID" in c}
        for cell in pdftree.walk(table):
            if cell.S == "/TD":
                assert {str(name) for name in cell.A.Headers} & ids
                assert {str(name) for name in cell.A.Headers} <= row_ids
        # The header WeasyPrint repeats on a later page is content of no element:
        # each page's MCIDs the parent tree maps are exactly those the tree holds.
        tagged: dict[int, set[int]] = {}
        for element in elements:
            for page, mcid in pdftree.mcids(element):
                if page != (0, 0):
                    tagged.setdefault(pages[page], set()).add(mcid)
        nums = root.ParentTree.Nums
        entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        header = {_text(cell, pages, texts) for cell in pdftree.walk(parts[1]) if cell.S == "/TH"}
        assert len(header) == len(HEADER)
        for number, page in enumerate(pdf.pages):
            mapped = entries[int(page.StructParents)]
            held = {mcid for mcid, element in enumerate(mapped) if pdftree.is_element(element)}
            assert held == tagged.get(number, set())
            for mcid in held:
                assert pdftree.is_element(mapped[mcid])
            words = {texts[number][mcid].strip() for mcid in held if mcid in texts[number]}
            if number in on and number > min(on):  # a page the table runs onto
                assert not words & header, number
                assert b"/Pagination" in page.Contents.read_bytes()  # the repeated header
    struct = subprocess.run(["pdfinfo", "-struct-text", str(screen)], capture_output=True, text=True, check=True)
    lines = [line.strip() for line in struct.stdout.splitlines()]
    assert sum(line.startswith("Table") for line in lines) == 1
    assert sum(line == "THead" for line in lines) == 1
    assert sum(line == "TR" for line in lines) == 1 + ROWS + 1  # header, rows, totals
