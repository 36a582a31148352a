"""The preflight on real PDFs: the sample passes, and each check fails when its condition is broken.

Broken inputs are made cheaply: a copy of the sample's PDF changed with
pikepdf, or, for what only a layout can break (a picture, a page that
overflows), one build of a changed copy of data/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, Built, build_into, edit, write
from PIL import Image

import booklet
from booklet import EDITIONS, BookletError, Project
from booklet.cli import main
from booklet.editions import Edition, Preflight
from booklet.preflight import Findings, preflight
from booklet.tools.impose import blanks_needed
from booklet.typeset import manifest

PROJECT = Project(ROOT / "data")
CHECKS = ["file", "fonts", "images", "pages", "layout", "links", "metadata", "standards", "charts"]
#: What each edition's file carries beyond what it shows (booklet/preflight/pdfchecks.py).
CARRIES = {"print": ["text", "dates", "press"], "screen": ["text", "dates", "tagging"]}

Change = Callable[[pikepdf.Pdf], None]


def problems(report: Findings, check: str) -> list[tuple[str, str]]:
    """(status, detail) of each row of ``check`` that is not ok."""
    return [(row.status, row.detail) for row in report.rows if row.check == check and row.status != "ok"]


def broken(sample: Built, out: Path, edition: str, *changes: Change, linearize: bool | None = None) -> Findings:
    """The preflight of a copy of the sample's ``edition`` with ``changes`` made to it.

    The copy's manifest is the sample's, stamped with the changed file's sha256: the changes stand for a build
    that laid the same sections out and wrote this file.
    """
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(sample.out / "booklet.html", out)
    with pikepdf.open(sample.pdfs[edition]) as pdf:
        for change in changes:
            change(pdf)
        pdf.save(out / f"booklet-{edition}.pdf", linearize=edition == "screen" if linearize is None else linearize)
    restamp(sample.out / manifest.NAME, out, edition)
    return preflight(out, PROJECT, [edition])


def restamp(source: Path, out: Path, edition: str) -> None:
    """``source`` (a manifest) copied into ``out``, its entry for ``edition`` stamped with the PDF there."""
    written = json.loads(source.read_text(encoding="utf-8"))
    written["editions"][edition]["sha256"] = manifest.sha256(out / f"booklet-{edition}.pdf")
    (out / manifest.NAME).write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")


# Changes to a PDF, each breaking one condition.


def add_content(page: int, data: bytes) -> Change:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.pages[page - 1].contents_add(pdf.make_stream(data))

    return change


def first_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return next(iter(pdf.pages[0].Resources.Font.values()))


def unembed_a_font(pdf: pikepdf.Pdf) -> None:
    del first_font(pdf).DescendantFonts[0].FontDescriptor["/FontFile2"]


def rename_a_font(pdf: pikepdf.Pdf) -> None:
    first_font(pdf).BaseFont = pikepdf.Name("/ABCDEF+DejaVu-Sans")


def draw_a_notdef(pdf: pikepdf.Pdf) -> None:
    """Make the first glyph of page 5's first TJ glyph 0, as a font without the character would."""
    page = pdf.pages[4]
    instructions = pikepdf.parse_content_stream(page)
    index = next(i for i, item in enumerate(instructions) if str(item.operator) == "TJ")
    strings = instructions[index].operands[0]
    first = next(i for i, item in enumerate(strings) if isinstance(item, pikepdf.String))
    strings[first] = pikepdf.String(b"\0\0" + bytes(strings[first])[2:])
    instructions[index] = pikepdf.ContentStreamInstruction([strings], pikepdf.Operator("TJ"))
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def drop_destination(name: str) -> Change:
    def change(pdf: pikepdf.Pdf) -> None:
        del pikepdf.NameTree(pdf.Root.Names.Dests)[name]

    return change


def move_destination(name: str, page: int) -> Change:
    def change(pdf: pikepdf.Pdf) -> None:
        pikepdf.NameTree(pdf.Root.Names.Dests)[name][0] = pdf.pages[page - 1].obj

    return change


def drop_xmp(pattern: bytes) -> Change:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Metadata = pdf.make_stream(re.sub(pattern, b"", pdf.Root.Metadata.read_bytes()))

    return change


def drop_first_alt(pdf: pikepdf.Pdf) -> None:
    """Take the text alternative off the first figure in reading order (the dots chart on page 6)."""
    queue = [pdf.Root.StructTreeRoot]
    while queue:
        node = queue.pop(0)
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.get("/S") == "/Figure" and "/Alt" in node:
            del node["/Alt"]
            return
        kids = node.get("/K")
        queue += list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def drop(key: str, where: Callable[[pikepdf.Pdf], pikepdf.Object] = lambda pdf: pdf.Root) -> Change:
    def change(pdf: pikepdf.Pdf) -> None:
        del where(pdf)[key]

    return change


# The sample.


@pytest.fixture(scope="module")
def sample_report(sample: Built) -> Findings:
    return preflight(sample.out, PROJECT)


def test_the_sample_is_ready_to_send(sample_report: Findings) -> None:
    assert not sample_report.errors
    assert [(r.edition, r.check) for r in sample_report.rows] == [(e, c) for e in EDITIONS for c in CHECKS + CARRIES[e]]
    # "file" warns only when a source changed after the session's build.
    assert all(r.status == "ok" for r in sample_report.rows if r.check != "file")
    details = {(r.edition, r.check): r.detail for r in sample_report.rows}
    assert details["print", "pages"].startswith("16 pages, a multiple of four")
    assert "PDF/X-4" in details["print", "standards"] and "no RGB colour" in details["print", "standards"]
    assert "the contents' 7 page numbers are the chapters' pages" in details["screen", "links"]


def test_a_pdf_older_than_its_data_is_a_warning(sample: Built, data_copy: Path) -> None:
    (data_copy / "booklet.yaml").touch()  # changed after the session's build
    report = preflight(sample.out, Project(data_copy), ["screen"])
    ((status, detail),) = problems(report, "file")
    assert status == "warning"
    assert "booklet-screen.pdf is older than " in detail and "booklet.yaml" in detail
    assert detail.endswith("run make to rebuild before sending")


@pytest.mark.parametrize(("pages", "blanks"), [(16, 0), (13, 3), (14, 2), (15, 1), (4, 0), (1, 3)])
def test_blanks_needed_for_a_multiple_of_four(pages: int, blanks: int) -> None:
    assert blanks_needed(pages) == blanks


# Fonts.


@pytest.mark.parametrize(
    ("edition", "change", "expected"),
    [
        ("print", unembed_a_font, "page 1: the font Booklet-Sans is not embedded"),
        ("print", rename_a_font, "page 1: the font DejaVu-Sans (NotoSans-Regular) is not one of fonts/"),
        ("screen", draw_a_notdef, "page 5: 1 character in Booklet-Kufi-Bold drawn as an empty box"),
    ],
    ids=["not embedded", "not from fonts/", "notdef glyph"],
)
def test_fonts(sample: Built, tmp_path: Path, edition: str, change: Change, expected: str) -> None:
    report = broken(sample, tmp_path, edition, change)
    ((status, detail),) = problems(report, "fonts")
    assert status == "error"
    assert expected in detail


# What only a layout breaks: a picture below 300 ppi in RGB, a cover whose
# tagline is far too long, a highlights page with too many figures.


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> Findings:
    data = Path(shutil.copytree(ROOT / "data", tmp_path_factory.mktemp("flawed") / "data"))
    (data / "images").mkdir()
    Image.linear_gradient("L").resize((400, 300)).convert("RGB").save(data / "images/small.png")
    source = data / "booklet.yaml"
    text = source.read_text(encoding="utf-8")
    tagline = "    tagline: برامج البعثة وإنجازاتها خلال فترة تقارب السنتين منذ سبتمبر ٢٠٢٠"
    figure = "      - value: 2\n        label: اتفاقيتا شراكة مع شركاء منفذين\n        icon: heart-handshake\n"
    groups = "    groups:\n      - title: الجهات المستفيدة من التدريب"
    assert tagline in text and figure in text and groups in text
    text = text.replace(tagline, tagline + " وإنجازاتها" * 150)
    text = text.replace(figure, figure * 5)
    text = text.replace(groups, "    image:\n      src: images/small.png\n      alt: تدرج\n" + groups)
    source.write_text(text, encoding="utf-8")
    built = build_into(data, data.parent / "out", ["print"])
    # The build separates every colour picture into the press's CMYK: an RGB picture comes from a
    # file changed afterwards. The small picture is put back in RGB, as such a file would have it.
    with pikepdf.open(built.pdfs["print"], allow_overwriting_input=True) as pdf:
        for image in [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]:
            if (int(image.Width), int(image.Height)) == (400, 300):
                image.write(pikepdf.PdfImage(image).as_pil_image().convert("RGB").tobytes())
                image.ColorSpace = pikepdf.Name.DeviceRGB
                if "/Decode" in image:
                    del image.Decode
        pdf.save(built.pdfs["print"])
    restamp(built.out / manifest.NAME, built.out, "print")
    return preflight(built.out, Project(data), ["print"])


def test_a_picture_below_300_ppi_in_rgb_is_a_warning_for_the_press(flawed: Findings) -> None:
    (low, rgb) = problems(flawed, "images")
    assert low[0] == rgb[0] == "warning"
    assert "a picture of 400 x 300 px at 115 x 86 mm is 88 ppi; the press needs 300 ppi" in low[1]
    assert re.match(r"page \d+: ", low[1])
    assert "a picture of 400 x 300 px is in RGB; the press converts it to CMYK" in rgb[1]


def test_a_one_page_section_that_runs_onto_a_second_page(flawed: Findings) -> None:
    assert (
        "error",
        "the highlights page spans 2 pages (5-6): shorten its text in the data so that it fits on one page",
    ) in problems(flawed, "pages")


def test_a_cover_whose_text_does_not_fit(flawed: Findings) -> None:
    # The cover's text is placed absolutely in a page-high box: WeasyPrint
    # adds no page for what does not fit, it cuts it off or draws it over
    # what follows.
    found = problems(flawed, "pages")
    cut = [detail for status, detail in found if status == "error" and detail.startswith("the cover does not fit")]
    assert len(cut) == 1 and "letters are not on it" in cut[0]
    assert any(status == "error" and detail.startswith("page 1 (the cover): ") for status, detail in found)


def test_a_page_count_that_is_not_a_multiple_of_four(sample: Built, tmp_path: Path) -> None:
    report = broken(sample, tmp_path, "print", lambda pdf: pdf.pages.__delitem__(2))
    ((status, detail),) = problems(report, "pages")
    assert status == "warning"
    assert detail.startswith("15 pages: a saddle-stitched booklet needs a multiple of four; add 1 blank page")


def test_the_back_cover_must_be_the_last_page(sample: Built, tmp_path: Path) -> None:
    report = broken(sample, tmp_path, "screen", lambda pdf: pdf.add_blank_page())
    assert problems(report, "pages") == [("error", "the back cover is on page 16 of 17: it must be the last page")]


# Links.


def test_a_link_to_a_missing_destination(sample: Built, tmp_path: Path) -> None:
    report = broken(sample, tmp_path, "screen", drop_destination("section-5"))
    ((status, detail),) = problems(report, "links")
    assert status == "error"
    assert detail.startswith("page 4: a link to section-5 goes nowhere")


def test_a_contents_number_that_is_not_the_chapters_page(sample: Built, tmp_path: Path) -> None:
    report = broken(sample, tmp_path, "screen", move_destination("section-5", 7))
    ((status, detail),) = problems(report, "links")
    assert status == "error"
    assert detail.startswith("page 4: the contents give page ٦ for «بناء القدرات», which starts on page 7")


def test_contents_entries_without_links_are_a_warning(sample: Built, tmp_path: Path) -> None:
    """The page numbers are read inside each entry's link: a contents page whose entries are no links (a
    designer's contents.html) leaves them unchecked, and the manifest's count of listed sections says so."""
    listed = sum(s.listed for s in manifest.read(sample.out / manifest.NAME)["screen"].sections)

    def unlinked_contents(pdf: pikepdf.Pdf) -> None:
        del pdf.pages[3].obj["/Annots"]  # the contents, page 4

    report = broken(sample, tmp_path, "screen", unlinked_contents)
    assert listed > 0
    assert problems(report, "links") == [
        (
            "warning",
            f"page 4: the contents link 0 of the {listed} sections they list, so the page numbers of the others "
            "are not checked: each entry of layouts/sections/contents.html must be a link to its section "
            '(href="#{{ chapter.id }}")',
        )
    ]


# Metadata.


@pytest.fixture(scope="module")
def without_metadata(sample: Built, tmp_path_factory: pytest.TempPathFactory) -> Findings:
    info = lambda pdf: pdf.trailer.Info  # noqa: E731 - a one-line accessor
    changes = [drop("/ViewerPreferences"), drop("/Title", info), drop("/Lang")]
    return broken(sample, tmp_path_factory.mktemp("metadata"), "screen", *changes)


@pytest.mark.parametrize(
    "expected",
    [
        "no title in the PDF's properties",
        "no language (/Lang)",
        "viewers will show spreads left to right (no /ViewerPreferences /Direction /R2L)",
        "viewers will show the file name instead of the title (no /DisplayDocTitle)",
    ],
)
def test_metadata(without_metadata: Findings, expected: str) -> None:
    assert len(problems(without_metadata, "metadata")) == 4
    assert [s for s, detail in problems(without_metadata, "metadata") if detail.startswith(expected)] == ["error"]


def test_a_damaged_file_fails_qpdfs_check(sample: Built, tmp_path: Path) -> None:
    report = broken(sample, tmp_path, "print", add_content(1, b"BT (a string never closed"))
    ((status, detail),) = problems(report, "metadata")
    assert status == "error"
    assert detail.startswith("qpdf's check finds damage: ") and "EOF while reading token" in detail


# Standards.


@pytest.fixture(scope="module")
def not_pdf_x(sample: Built, tmp_path_factory: pytest.TempPathFactory) -> Findings:
    changes = [
        drop("/OutputIntents"),
        drop_xmp(rb"<pdfxid:GTS_PDFXVersion>.*?</pdfxid:GTS_PDFXVersion>"),
        drop("/Trapped", lambda pdf: pdf.trailer.Info),
        drop("/TrimBox", lambda pdf: pdf.pages[2].obj),
        add_content(5, b"1 0 0 rg 0 0 10 10 re f"),
    ]
    return broken(sample, tmp_path_factory.mktemp("print"), "print", *changes)


@pytest.mark.parametrize(
    "expected",
    [
        "no PDF/X output intent",
        "the XMP metadata does not claim PDF/X-4 (pdfxid:GTS_PDFXVersion is missing)",
        "no /Trapped key",
        "no TrimBox on page 3",
        "RGB colour painted on page 5",
    ],
)
def test_the_print_edition_is_pdf_x4(not_pdf_x: Findings, expected: str) -> None:
    assert len(problems(not_pdf_x, "standards")) == 5
    assert [s for s, detail in problems(not_pdf_x, "standards") if detail.startswith(expected)] == ["error"]


@pytest.fixture(scope="module")
def not_pdf_ua(sample: Built, tmp_path_factory: pytest.TempPathFactory) -> Findings:
    def heavy(pdf: pikepdf.Pdf) -> None:
        # Random bytes do not compress: the file comes to 3.2 MB, whatever the sample weighs itself.
        ballast = int(3.2 * 1024 * 1024) - sample.pdfs["screen"].stat().st_size
        pdf.Root["/Ballast"] = pdf.make_stream(os.urandom(ballast))

    changes = [drop("/MarkInfo"), drop_first_alt, drop_xmp(rb' pdfuaid:part="1"'), heavy]
    return broken(sample, tmp_path_factory.mktemp("screen"), "screen", *changes, linearize=False)


@pytest.mark.parametrize(
    "expected",
    [
        "not marked as tagged",
        "1 figure on page 6 without a text alternative (/Alt)",
        "the XMP metadata does not claim PDF/UA-1 (pdfuaid:part is missing)",
        "not linearized",
        "3.2 MB: over 3.0 MB, too heavy for messaging apps",
    ],
)
def test_the_screen_edition_is_pdf_ua_and_light(not_pdf_ua: Findings, expected: str) -> None:
    assert len(problems(not_pdf_ua, "standards")) == 5
    assert [s for s, detail in problems(not_pdf_ua, "standards") if detail.startswith(expected)] == ["error"]


# The command line.


@pytest.fixture
def _at_root(monkeypatch: pytest.MonkeyPatch, notes_logger: None) -> None:
    """Run from the project's root, as make does (and put the "booklet" logger back afterwards)."""
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("_at_root")
def test_the_command_prints_an_aligned_table_and_a_summary(sample: Built, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preflight", "--out", str(sample.out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.match(r"edition +check +status +detail$", lines[0])
    column = lines[0].index("detail")
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines[1:-1])
    assert any(re.match(r"screen +standards +ok +PDF/UA-1", line) for line in lines)
    assert re.fullmatch(r"0 errors, \d+ warnings?: .*", lines[-1])


@pytest.mark.usefixtures("_at_root")
def test_the_command_names_a_missing_pdf_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preflight", "--out", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert re.match(
        rf"print +file +error +{re.escape(tmp_path.as_posix())}/booklet-print.pdf is missing: run make", lines[1]
    )
    assert lines[-1] == "2 errors, 0 warnings: fix the errors before sending anything"


# The build's manifest.


def test_the_build_writes_a_manifest_of_what_it_laid_out(sample: Built) -> None:
    written = manifest.read(sample.out / manifest.NAME)
    assert sorted(written) == sorted(EDITIONS)
    for name, edition in written.items():
        assert edition.pdf == f"booklet-{name}.pdf" and edition.sha256 == manifest.sha256(sample.pdfs[name])
        assert edition.pages == 16
        kinds = [(s.kind, s.one_page) for s in edition.sections]
        assert kinds[:4] == [("cover", True), ("foreword", False), ("contents", True), ("highlights", True)]
        assert kinds[-1] == ("back-cover", True)
        assert [s.id for s in edition.sections] == [f"section-{n}" for n in range(1, len(kinds) + 1)]
        contents = edition.sections[2]
        assert (contents.title, contents.first, contents.last) == ("المحتويات", 4, 4)
        # The sections follow one another: each ends on the page before the next starts, the last on the last.
        assert all(a.last == b.first - 1 for a, b in zip(edition.sections, edition.sections[1:], strict=False))
        assert edition.sections[-1].last == edition.pages
        assert "بناء القدرات" in contents.text and all(s.text is None for s in edition.sections if not s.one_page)


def test_a_build_of_one_edition_keeps_what_the_manifest_says_of_the_other(sample: Built, data_copy: Path) -> None:
    out = data_copy.parent / "out"
    shutil.copytree(sample.out, out, ignore=shutil.ignore_patterns("cache"))
    build_into(data_copy, out, ["screen"])
    written = manifest.read(out / manifest.NAME)
    assert written["print"] == manifest.read(sample.out / manifest.NAME)["print"]
    assert written["screen"].sha256 == manifest.sha256(out / "booklet-screen.pdf")


def test_a_manifest_from_another_build_is_reported(sample: Built, tmp_path: Path) -> None:
    shutil.copy(sample.out / "booklet.html", tmp_path)
    shutil.copy(sample.out / manifest.NAME, tmp_path)
    with pikepdf.open(sample.pdfs["screen"]) as pdf:
        pdf.docinfo["/Title"] = "another title"  # the file of another build
        pdf.save(tmp_path / "booklet-screen.pdf", linearize=True)
    report = preflight(tmp_path, PROJECT, ["screen"])
    folder = tmp_path.as_posix()
    detail = f"{folder}/{manifest.NAME} and {folder}/booklet-screen.pdf are from different builds: run make"
    assert problems(report, "pages") == [("error", detail)]
    (tmp_path / manifest.NAME).write_text('{"format": 1, "editions": {"screen": {"pdf": 1}}}', encoding="utf-8")
    ((status, detail),) = problems(preflight(tmp_path, PROJECT, ["screen"]), "pages")
    assert status == "error" and detail.startswith(f"{folder}/{manifest.NAME} cannot be read (")
    assert detail.endswith("): run make to build it again")
    (tmp_path / manifest.NAME).unlink()
    ((status, detail),) = problems(preflight(tmp_path, PROJECT, ["screen"]), "pages")
    assert status == "error" and detail.endswith(
        f"{manifest.NAME} is missing, so the sections cannot be found: run make to build it again"
    )


def test_a_missing_booklet_html_is_an_error_not_two_checks_left_out(sample: Built, tmp_path: Path) -> None:
    """The layout and chart checks read booklet.html: without it the report says so, never "ready to send"."""
    shutil.copy(sample.out / manifest.NAME, tmp_path)
    shutil.copy(sample.pdfs["screen"], tmp_path / "booklet-screen.pdf")
    report = preflight(tmp_path, PROJECT, ["screen"])
    assert problems(report, "layout") == [("error", "booklet.html is missing beside the PDF: run make to build it")]
    assert report.errors


def test_a_renamed_class_does_not_switch_the_one_page_check_off(sample: Built, tmp_path: Path) -> None:
    """The sections' kinds are the data's, from the manifest: booklet.html's classes play no part. With every
    class renamed, a cover that runs onto a second page is still found."""

    def cover_runs_on(pdf: pikepdf.Pdf) -> None:
        pdf.pages.insert(1, pdf.pages[0])  # the cover's page twice: the cover now spans pages 1-2

    broken(sample, tmp_path, "screen", cover_runs_on)
    html = (sample.out / "booklet.html").read_text(encoding="utf-8")
    (tmp_path / "booklet.html").write_text(html.replace('class="', 'class="renamed-'), encoding="utf-8")
    assert (
        "error",
        "the cover spans 2 pages (1-2): shorten its text in the data so that it fits on one page",
    ) in problems(preflight(tmp_path, PROJECT, ["screen"]), "pages")


def test_a_class_renamed_in_the_layouts_cannot_switch_the_photo_page_check_off(tmp_path: Path) -> None:
    """The photo page's class renamed in the layouts stops the build; renamed in booklet.html, it changes nothing.

    The class is part of the contract with layouts/ (the layout finds a page designed as one by it), so a
    designer who renames it hears so before anything is typeset; the preflight knows the photo page from
    the build's manifest, by its kind in the data, so no class in the merged HTML decides what it checks.
    """
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts")
    layouts = Path(shutil.copytree(ROOT / "layouts", tmp_path / "layouts"))
    data = tmp_path / "data"
    (data / "images").mkdir(parents=True)
    Image.linear_gradient("L").resize((1200, 1700)).convert("RGB").save(data / "images/dusk.jpg", quality=80)
    photo = "  - kind: photo\n    image:\n      src: images/dusk.jpg\n      alt: حقل عند الغروب\n"
    write(data, edit("  - kind: back-cover\n", photo + "  - kind: back-cover\n"))
    project = Project(data, root=tmp_path)
    booklet.build(project, tmp_path / "out", ["screen"])
    merged = tmp_path / "out" / "booklet.html"
    merged.write_text(merged.read_text(encoding="utf-8").replace("photo-page", "picture-page"), encoding="utf-8")
    (detail,) = [r.detail for r in preflight(tmp_path / "out", project, ["screen"]).rows if r.check == "pages"]
    assert detail.endswith("pages; one page each: cover, photo page, back cover; the back cover last")

    for name in ("sections/photo.html", "booklet.css"):
        path = layouts / name
        path.write_text(path.read_text(encoding="utf-8").replace("photo-page", "picture-page"), encoding="utf-8")
    with pytest.raises(BookletError) as refused:
        booklet.build(project, tmp_path / "out", ["screen"])
    assert [str(p) for p in refused.value.problems] == [
        'layouts/sections/photo.html: no element has class="photo-page"; the layout finds where a section starts, '
        "or a page designed as one, by it: put the class back "
        '(see docs/designing.md, "What Python expects of layouts/")'
    ]


def test_a_third_edition_is_preflighted_by_what_it_says_of_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edition neither for the press nor tagged: no PDF/X, no PDF/UA, no page multiple, its own resolution."""
    draft = Edition("draft", "screen.css", preflight=Preflight(min_ppi=100, ppi_use="drafts need"))
    monkeypatch.setitem(EDITIONS, "draft", draft)
    data = Path(shutil.copytree(ROOT / "data", tmp_path / "data"))
    booklet.build(Project(data), tmp_path / "out", ["draft"])
    report = preflight(tmp_path / "out", Project(data), ["draft"])
    assert not report.errors, report.errors
    assert [r.check for r in report.rows] == [*CHECKS, "text", "dates"]
    details = {r.check: r.detail for r in report.rows}
    assert re.fullmatch(
        r"16 pages; one page each: cover, contents page, highlights page, back cover; .*", details["pages"]
    )
    assert re.fullmatch(r"\d\.\d MB", details["standards"])
    assert manifest.read(tmp_path / "out" / manifest.NAME)["draft"].pdf == "booklet-draft.pdf"
