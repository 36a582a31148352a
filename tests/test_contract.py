"""What Python expects of layouts/: a layouts folder that breaks the contract is one line a problem, never a traceback.

Each case is a small project on disk (copies of layouts/ and fonts/, the
smallest booklet), one contracted file, template, token or class taken away,
built and checked through the command line.
"""

from __future__ import annotations

import re
import shutil
import typing
from pathlib import Path

import pytest
from conftest import FILE, MINIMAL, ROOT, edit
from hostile_kit import counted, make_project

import booklet
from booklet.data import model
from booklet.design import context, contract, contractcheck, render

SEE = 'see docs/designing.md, "What Python expects of layouts/"'


def _stylesheet(name: str, what: str) -> str:
    return f"layouts/{name}: no such stylesheet; it holds {what}: put it back ({SEE})"


def _template(name: str, what: str) -> str:
    return (
        f"layouts/{name}: no such template; it lays out {what}: put it back, or start a new one from a copy of "
        f"another in its folder ({SEE})"
    )


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    source = path.read_text(encoding="utf-8")
    assert old in source, old
    path.write_text(source.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def test_the_projects_layouts_keep_the_contract() -> None:
    assert contractcheck.problems_of(ROOT / "layouts") == []


@pytest.mark.parametrize(
    ("removed", "expected"),
    [
        ("charts.css", _stylesheet("charts.css", contract.STYLESHEETS["charts.css"])),
        ("print.css", _stylesheet("print.css", "what differs in the print edition")),
        ("screen.css", _stylesheet("screen.css", "what differs in the screen edition")),
        ("booklet.css", _stylesheet("booklet.css", "the booklet's look and its design tokens")),
        ("chart-marks.css", _stylesheet("chart-marks.css", contract.STYLESHEETS["chart-marks.css"])),
        ("base.html", _template("base.html", "the skeleton every section is merged into")),
        ("sections/chapter.html", _template("sections/chapter.html", "every section of kind chapter")),
        # A kind the booklet does not use is still the layouts' to provide.
        ("blocks/table.html", _template("blocks/table.html", "every table block of a chapter")),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_contracted_file_deleted_is_one_line(project: Path, cli, removed: str, expected: str, command: str) -> None:
    (project / "layouts" / removed).unlink()
    code, out, err = cli(command, "--data", "data", *(["--out", "out"] if command == "build" else []))
    assert (code, err) == (1, [expected, counted(1, command == "build")])
    assert not (project / "out").exists()


def test_a_partial_deleted_is_named_where_each_template_includes_it(project: Path, cli) -> None:
    (project / "layouts/partials/chapter-head.html").unlink()
    code, _out, err = cli("check", "--data", "data")
    including = sorted(
        p.relative_to(project).as_posix()
        for p in (project / "layouts").rglob("*.html")
        if "partials/chapter-head.html" in p.read_text(encoding="utf-8")
    )
    assert len(including) > 1
    assert (code, err) == (
        1,
        [
            f"{name}:{_line(project / name, 'partials/chapter-head.html')}:1: "
            "no template 'partials/chapter-head.html' in layouts/"
            for name in including
        ]
        + [counted(len(including), False)],
    )


def test_every_problem_at_once(project: Path, cli) -> None:
    layouts = project / "layouts"
    (layouts / "charts.css").unlink()
    (layouts / "sections/photo.html").unlink()
    _replace(layouts / "booklet.css", "  --qr-ink: #000000;", "")
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert code == 1
    assert err == [
        "layouts/booklet.css: the design token --qr-ink is not declared on :root; declare it in the Variables part "
        "(the QR codes of section links take its colour), e.g. --qr-ink: #000000",
        _stylesheet("charts.css", contract.STYLESHEETS["charts.css"]),
        _template("sections/photo.html", "every section of kind photo"),
        counted(3, True),
    ]


@pytest.mark.parametrize(
    ("token", "what"),
    [
        ("--chart-dot-radius", "the dots of a dots chart (each in a square of 4 units) take its size"),
        (
            "--icon-stroke",
            "the lines of the icons (their width, as the icons' own 24-unit drawings count) take its size",
        ),
        ("--size-hero", "the values of the highlights page's cards take its size"),
        ("--chart-3", "the marks of a chart's category 3 take its colour"),
    ],
)
def test_a_token_python_reads_removed_is_named(project: Path, cli, token: str, what: str) -> None:
    css = project / "layouts/booklet.css"
    css.write_text(re.sub(rf"\n\s*{token}:[^\n]*", "", css.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    code, _out, err = cli("check", "--data", "data")
    example = contract.TOKENS[token].example
    assert (code, err) == (
        1,
        [
            f"layouts/booklet.css: the design token {token} is not declared on :root; declare it in the Variables "
            f"part ({what}), e.g. {token}: {example}",
            counted(1, False),
        ],
    )


@pytest.mark.parametrize(
    ("declaration", "nonsense", "advice"),
    [
        (
            "--chart-plot-height: 32;",
            "--chart-plot-height: tall;",
            "give it a plain number, in the units of the drawing (a chart's drawing is 100 units wide), "
            "e.g. --chart-plot-height: 32",
        ),
        # var() is resolved first: a length is not a number of drawing units.
        (
            "--icon-stroke: 1.5;",
            "--icon-stroke: var(--unit);",
            "give it a plain number, in the units of the drawing (a chart's drawing is 100 units wide), "
            "e.g. --icon-stroke: 1.5",
        ),
        # A colour only Python draws with: WeasyPrint would never say.
        (
            "--qr-ink: #000000;",
            "--qr-ink: notacolour;",
            "give it a colour (device-cmyk() in print.css), e.g. --qr-ink: #000000",
        ),
        (
            "--size-figure: 30pt;",
            "--size-figure: large;",
            "give it a length in pt, mm, cm, px, in or em, e.g. --size-figure: 30pt",
        ),
    ],
)
def test_a_token_python_reads_set_to_nonsense_is_named_where_written(
    project: Path, cli, declaration: str, nonsense: str, advice: str
) -> None:
    css = project / "layouts/booklet.css"
    _replace(css, declaration, nonsense)
    line = _line(css, nonsense)
    column = css.read_text(encoding="utf-8").splitlines()[line - 1].index("--") + 1
    name, value = nonsense.rstrip(";").split(": ")
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert code == 1
    assert err[0].startswith(f"layouts/booklet.css:{line}:{column}: the design token {name} is {value!r}, which ")
    assert err[0].endswith(advice)
    assert err[1:] == [counted(1, True)]


def test_a_token_the_marks_stylesheet_uses_that_is_not_declared_is_named(project: Path, cli) -> None:
    css = project / "layouts/chart-marks.css"
    _replace(css, ".grid { stroke: var(--rule);", ".grid { stroke: var(--rules);")
    line = _line(css, "var(--rules)")
    column = css.read_text(encoding="utf-8").splitlines()[line - 1].index("var(") + 1
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (
        1,
        [
            f"layouts/chart-marks.css:{line}:{column}: var(--rules) names a design token no stylesheet declares on "
            ":root; declare it in the Variables part of booklet.css, or use another (the charts' drawings get the "
            "tokens' values from Python, and nothing for a token that is not there)",
            counted(1, False),
        ],
    )


def test_a_class_python_writes_renamed_in_the_stylesheet_is_named(project: Path, cli) -> None:
    _replace(project / "layouts/charts.css", ".chart__bar", ".chart-bar", count=-1)
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (
        1,
        [
            "layouts/charts.css: no rule styles the class 'chart__bar', which Python writes; give it back its rule "
            f"(.chart__bar {{ ... }}) or keep its old name beside the new one ({SEE})",
            counted(1, False),
        ],
    )


def test_a_class_python_looks_for_taken_off_a_template_is_named(project: Path, cli) -> None:
    _replace(project / "layouts/sections/photo.html", 'class="photo-page"', 'class="full-photo"')
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (
        1,
        [
            'layouts/sections/photo.html: no element has class="photo-page"; the layout finds where a section '
            f"starts, or a page designed as one, by it: put the class back ({SEE})",
            counted(1, False),
        ],
    )


def test_a_section_template_without_the_section_id_is_named(project: Path, cli) -> None:
    _replace(project / "layouts/sections/colophon.html", ' id="{{ section.id }}"', "")
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (
        1,
        [
            'layouts/sections/colophon.html: no element has id="{{ section.id }}"; the contents\' links and the '
            "PDF's bookmarks lead to the section by it: put it back on the section's outermost element",
            counted(1, False),
        ],
    )


def test_a_face_svg_pictures_are_set_in_renamed_is_named(project: Path, cli) -> None:
    _replace(project / "layouts/booklet.css", '"Booklet Sans"', '"Booklet Latin"', count=-1)
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (
        1,
        [
            "layouts/booklet.css: no @font-face declares the family 'Booklet Sans', which the text of SVG pictures "
            f"is set in: declare it in the Fonts part ({SEE})",
            counted(1, False),
        ],
    )


def test_a_syntax_error_in_a_template_the_booklet_does_not_use_is_found_by_check(project: Path, cli) -> None:
    _replace(project / "layouts/blocks/gallery.html", "{%- endfor %}", "{%- endfo %}")
    code, _out, err = cli("check", "--data", "data")
    assert code == 1
    assert err[0].startswith("layouts/blocks/gallery.html:")
    assert ": template syntax: Encountered unknown tag 'endfo'." in err[0]
    assert err[1:] == [counted(1, False)]


def test_a_syntax_error_in_an_svg_partial_is_found_by_check(project: Path, cli) -> None:
    """An SVG partial is drawn through Jinja as the HTML ones are: check finds its mistakes before a build."""
    path = project / "layouts/partials/star.svg"
    path.write_text("{% if %}" + path.read_text(encoding="utf-8"), encoding="utf-8")
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (
        1,
        [
            "layouts/partials/star.svg:1:1: template syntax: Expected an expression, got 'end of statement block'",
            counted(1, False),
        ],
    )


def test_an_icon_the_data_uses_deleted_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    source = edit(
        "    title: بناء القدرات\n",
        "    title: بناء القدرات\n    figures:\n      - value: 12\n        label: أطفال\n        icon: droplet\n",
        MINIMAL,
    )
    project = make_project(tmp_path, monkeypatch, source)
    (project / "layouts/icons/droplet.svg").unlink()
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert code == 1
    assert err[0].startswith(f"{FILE}:")
    assert "icon: no icon 'droplet' in layouts/icons/; did you mean 'droplets'?" in err[0]
    assert err[1:] == [counted(1, True)]


# The contract and what Python writes


def _sample_html(layouts: Path = ROOT / "layouts", data: Path = ROOT / "data") -> str:
    validated = booklet.check(booklet.Project(data))
    values = context.make_context(validated.booklet, [], layouts, {}, "screen.css")
    return render.render(render.environment(layouts), values, "layouts")


def test_every_class_python_writes_in_a_chart_is_in_the_contract() -> None:
    html = "".join(_sample_html(data=data) for data in [ROOT / "data", *sorted((ROOT / "examples").iterdir())])
    charts = re.findall(r'<div class="chart chart--.*?</figure>', html, re.DOTALL)
    assert {re.search(r"chart--(\w+)", c)[1] for c in charts} == set(
        typing.get_args(typing.get_type_hints(model.Chart)["kind"])
    )
    written = {name for chart in charts for value in re.findall(r'class="([^"]*)"', chart) for name in value.split()}
    modifiers = re.compile(
        "|".join(re.escape(m).replace("KIND", r"[a-z]+").replace("N", r"[0-9]+") for m in contract.CHART_MODIFIERS)
    )
    known = {*contract.CHART_CLASSES, *contract.MARK_CLASSES, contract.ICON_CLASS}
    assert {name for name in written if name not in known and not modifiers.fullmatch(name)} == set()


def test_chart_and_icon_sizes_come_from_the_tokens(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts")
    css = tmp_path / "layouts/booklet.css"
    for token, value in [("--chart-dot-radius", "1.9"), ("--icon-stroke", "1.25")]:
        css.write_text(re.sub(rf"{token}: [0-9.]+;", f"{token}: {value};", css.read_text()), encoding="utf-8")
    before, after = _sample_html(), _sample_html(tmp_path / "layouts")
    assert 'r="1.45"' in before and 'r="1.45"' not in after and 'r="1.9"' in after
    assert 'stroke-width="1.5"' in before and 'stroke-width="1.5"' not in after and 'stroke-width="1.25"' in after


def test_the_designers_guide_lists_the_contract() -> None:
    guide = (ROOT / "docs/designing.md").read_text(encoding="utf-8")
    part = guide.split("## What Python expects of layouts/", 1)[1].split("\n## ", 1)[0]
    names = [
        *contract.STYLESHEETS,
        *(name.split("/")[-1].removesuffix(".html") for name in contract.TEMPLATES),
        *(name for name in contract.TOKENS if not re.fullmatch(r"--chart-[2-7]", name)),
        contract.PALETTE_PREFIX,
        contract.SECTION_COLOUR,
        contract.KASHIDA,
        contract.FONT_FAMILY_PREFIX,
        *contract.TEXT_FAMILIES,
        contract.SECTION_ID_VARIABLE,
        *contract.PAGE_STARTS,
        contract.PAGE_STARTS["chapter__head"],
        contract.PHOTO_TEMPLATE,
        contract.PHOTO,
        *contract.CHART_CLASSES,
        *contract.CHART_MODIFIERS,
        *(name for name in contract.MARK_CLASSES if not re.fullmatch(r"[cs][2-7]", name)),
        contract.ICON_CLASS,
        contract.QR_CLASS,
        contract.LINK_ADDRESS,
        contract.LINK_ADDRESS_SHORT,
        contract.PHONE,
        contract.ICONS,
    ]

    # Whole names: "chart" inside "chart-figure" or "icon" inside "--icon" does not list them.
    def listed(name: str) -> bool:
        end = "" if name.endswith("-") else r"(?![\w-])"
        return re.search(rf"(?<![\w-]){re.escape(name)}{end}", part) is not None

    assert [name for name in names if not listed(name)] == []


def test_the_data_writes_the_phone_class_of_the_contract() -> None:
    from booklet.data import direction

    assert f'class="{contract.PHONE}"' in direction.isolate("<body><p>اتصل على +41 22 717 9111</p></body>")


@pytest.mark.parametrize("name", ["base.html", "charts.css", "sections/cover.html"])
def test_a_contracted_file_that_is_a_folder_is_one_line(project: Path, cli, name: str) -> None:
    (project / "layouts" / name).unlink()
    (project / "layouts" / name).mkdir()
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (
        1,
        [f"layouts/{name}: is not a regular file (a device, a pipe or a folder); put a file here", counted(1, False)],
    )


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_kashida_switch_neither_on_nor_off_is_named_where_written(project: Path, cli, command: str) -> None:
    css = project / "layouts/print.css"
    _replace(css, "--kashida: on;", "--kashida: maybe;")
    line = _line(css, "--kashida: maybe")
    column = css.read_text(encoding="utf-8").splitlines()[line - 1].index("--kashida") + 1
    code, _out, err = cli(command, "--data", "data", *(["--out", "out"] if command == "build" else []))
    assert (code, err) == (
        1,
        [f"layouts/print.css:{line}:{column}: --kashida is 'maybe'; write on or off", counted(1, command == "build")],
    )
    assert not (project / "out").exists()


def test_a_kashida_switch_written_in_capitals_is_kept(project: Path, cli) -> None:
    _replace(project / "layouts/print.css", "--kashida: on;", "--kashida: ON;")
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (0, [])


@pytest.mark.parametrize("imported", ["", "@import url(chart.css);", "/* @import url(charts.css); */"])
def test_booklet_css_that_does_not_import_charts_css_is_one_line(project: Path, cli, imported: str) -> None:
    _replace(project / "layouts/booklet.css", "@import url(charts.css);", imported)
    code, _out, err = cli("build", "--data", "data", "--out", "out")
    assert (code, err) == (
        1,
        [
            "layouts/booklet.css: does not import charts.css, which holds the styles of the charts' words, numbers "
            f"and bars: put back @import url(charts.css); before every other rule ({SEE})",
            counted(1, True),
        ],
    )


@pytest.mark.parametrize("imported", ['@import "charts.css";', "@import url('./charts.css') screen;"])
def test_booklet_css_may_import_charts_css_as_css_allows(project: Path, cli, imported: str) -> None:
    _replace(project / "layouts/booklet.css", "@import url(charts.css);", imported)
    code, _out, err = cli("check", "--data", "data")
    assert (code, err) == (0, [])
