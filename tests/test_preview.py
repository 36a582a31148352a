"""The live preview in a real browser: spreads right to left, rebuilds on a change, problems shown and cleared."""

from __future__ import annotations

import io
import re
import shutil
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from booklet import Project
from booklet.cli import main
from booklet.tools.preview import Preview, State

CHROMIUM = Path("/usr/bin/chromium")
#: Running as root (CI, containers) Chromium needs --no-sandbox; the rest keeps it off the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A build takes a second or two; a loaded CI machine may take several times that.
WAIT_MS = 60_000
OUTPUT = ROOT / "tests" / "output"

browser_test = pytest.mark.browser


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy of data/, layouts/ and fonts/ that the tests edit while the preview watches it."""
    root = tmp_path_factory.mktemp("preview")
    for folder in ("data", "layouts", "fonts"):
        shutil.copytree(ROOT / folder, root / folder)
    return Project(root / "data", root=root)


@pytest.fixture(scope="module")
def said() -> list[str]:
    """The lines the preview says, one per build (the command line prints them)."""
    return []


@pytest.fixture(scope="module")
def preview(project: Project, said: list[str]) -> Iterator[Preview]:
    """The preview of the copy, served on a free port."""
    with Preview(project, project.root / "build", port=0, say=said.append) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: `apt-get install chromium` (.ci/run installs it), "
            "or leave out the browser tests with -m 'not browser'",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, preview: Preview) -> Iterator[Page]:
    """A fresh tab (its own storage: zoom and mode at their defaults) on the preview, its first build shown.

    Screenshots go to tests/output/, for a person to look at.
    """
    OUTPUT.mkdir(exist_ok=True)
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    tab.goto(preview.url)
    tab.wait_for_function("() => Number(document.body.dataset.good) >= 1", timeout=WAIT_MS)
    _wait_for_pictures(tab)
    yield tab
    tab.close()


def _wait_for_pictures(tab: Page) -> None:
    tab.wait_for_function(
        "() => [...document.querySelectorAll('img[data-page]')].every(i => i.complete && i.naturalWidth > 0)",
        timeout=WAIT_MS,
    )


def _box(tab: Page, selector: str) -> dict[str, float]:
    box = tab.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


def _src(tab: Page, number: int) -> str:
    return tab.locator(f'img[data-page="{number}"]').get_attribute("src") or ""


def _wait_for_new_picture(tab: Page, number: int, old: str) -> None:
    """Until page ``number`` shows a picture other than ``old``, loaded."""
    tab.wait_for_function(
        """([number, old]) => {
            const img = document.querySelector(`img[data-page="${number}"]`);
            return img && img.getAttribute("src") !== old && img.complete && img.naturalWidth > 0;
        }""",
        arg=[number, old],
        timeout=WAIT_MS,
    )


def _edit(path: Path, pattern: str, replacement: str) -> re.Match[str]:
    """Replace the first match of ``pattern`` (a multi-line regular expression): the sample keeps changing."""
    text = path.read_text(encoding="utf-8")
    match = re.search(pattern, text, re.MULTILINE)
    assert match, f"nothing in {path.name} matches {pattern!r}"
    path.write_text(text[: match.start()] + match.expand(replacement) + text[match.end() :], encoding="utf-8")
    return match


@browser_test
def test_spreads_read_right_to_left(page: Page) -> None:
    pages = page.locator("img[data-page]").count()
    assert pages >= 8
    cover, first_right, first_left = (_box(page, f'img[data-page="{n}"]') for n in (1, 2, 3))
    # The cover stands alone, a left-hand page: in the left column, above the first spread.
    assert page.locator(".spread").first.locator("img").count() == 1
    assert cover["x"] == pytest.approx(first_left["x"], abs=1)
    assert cover["y"] + cover["height"] < first_right["y"]
    for even in range(2, pages, 2):
        right, left = _box(page, f'img[data-page="{even}"]'), _box(page, f'img[data-page="{even + 1}"]')
        # Even on the right, odd on the left, side by side at the fold.
        assert right["x"] > left["x"], f"page {even} is not on the right of page {even + 1}"
        assert left["x"] + left["width"] == pytest.approx(right["x"], abs=1)
        assert right["y"] == pytest.approx(left["y"], abs=1)
    # Each page's number under it.
    for number in (1, 2, 3, pages):
        picture = _box(page, f'img[data-page="{number}"]')
        caption = page.locator(f'figure[data-page="{number}"] figcaption')
        assert caption.inner_text() == str(number)
        below = caption.bounding_box()
        assert below is not None and below["y"] >= picture["y"] + picture["height"]
        assert below["x"] < picture["x"] + picture["width"] / 2 < below["x"] + below["width"]
    page.screenshot(path=OUTPUT / "preview.png")

    # Zoom: larger pages, the same arrangement.
    width = first_right["width"]
    page.click("#zoom-in")
    assert _box(page, 'img[data-page="2"]')["width"] == pytest.approx(width * 85 / 75, abs=1)
    # Single pages: one under the other, in reading order.
    page.check("#single")
    two, three = _box(page, 'img[data-page="2"]'), _box(page, 'img[data-page="3"]')
    assert three["y"] > two["y"] + two["height"]
    assert three["x"] == pytest.approx(two["x"], abs=1)


@browser_test
def test_edits_show_by_themselves_and_problems_come_and_go(
    page: Page, preview: Preview, project: Project, said: list[str]
) -> None:
    data = project.data_file
    fonts = preview.typesetter.font_config
    cover = _src(page, 1)
    good = int(page.evaluate("document.body.dataset.good"))

    # The document's title, on the cover (the sections' titles are indented further).
    _edit(data, r"^(  title: .+)$", r"\1 في قطر")
    _wait_for_new_picture(page, 1, cover)
    assert int(page.evaluate("document.body.dataset.good")) > good
    assert page.locator("#problems").is_hidden()
    assert re.fullmatch(r"rebuilt in \d+\.\d s \(\d+ pages\)", said[-1])

    shown = _src(page, 1)
    good_text = data.read_text(encoding="utf-8")
    digits = _edit(data, r"^(  digits: )\S+", r"\1hindi")
    line = good_text[: digits.start()].count("\n") + 1
    column = len(digits[1]) + 1
    problems = page.locator("#problems")
    problems.wait_for(state="visible", timeout=WAIT_MS)
    listed = page.locator("#problem-list li").all_inner_texts()
    assert len(listed) == 1
    assert re.search(rf"booklet\.yaml:{line}:{column}: settings\.digits: .*arabic-indic", listed[0]), listed
    assert "showing the pages of build" in page.locator("#problems-title").inner_text()
    page.screenshot(path=OUTPUT / "preview-problem.png")
    # The last good pages stay.
    assert _src(page, 1) == shown
    assert page.locator("img[data-page]").count() >= 8
    assert re.fullmatch(r"1 problem in \d+\.\d s, showing the last good pages", said[-1])

    data.write_text(good_text, encoding="utf-8")
    problems.wait_for(state="hidden", timeout=WAIT_MS)
    assert re.fullmatch(r"rebuilt in \d+\.\d s \(\d+ pages\)", said[-1])
    # One font configuration for every build of the session.
    assert preview.typesetter.font_config is fonts


@browser_test
def test_a_design_token_shows_up(page: Page, preview: Preview, project: Project, said: list[str]) -> None:
    fonts = preview.typesetter.font_config
    before = _src(page, 2)
    start = time.perf_counter()
    _edit(project.layouts / "booklet.css", r"--brand:[^;]+;", "--brand: #c0392b;")
    _wait_for_new_picture(page, 2, before)
    elapsed = time.perf_counter() - start
    print(f"\nCSS token saved to refreshed page: {elapsed:.2f} s ({said[-1]})")
    # The new brand colour is in the picture now shown (page 2's heading is in the brand colour).
    picture = Image.open(io.BytesIO(page.request.get(preview.url + _src(page, 2).lstrip("/")).body())).convert("RGB")
    reds = sum(count for count, (r, g, b) in picture.getcolors(1 << 20) if r > 150 and g < 90 and b < 80)
    assert reds > 500, "no text in the new brand colour on page 2"
    # New stylesheets, the same fonts.
    assert preview.typesetter.font_config is fonts


def _build_after(preview: Preview, builds: int) -> State:
    """The state once a build after the first ``builds`` ones has finished."""
    state = preview.state()
    deadline = time.monotonic() + WAIT_MS / 1000
    while state.builds <= builds or state.building:
        assert time.monotonic() < deadline, "no build came"
        state = preview.next_state(state.version, 1) or state
    return state


def test_a_stylesheet_problem_stays_until_it_is_fixed(preview: Preview, project: Project) -> None:
    """A parsed stylesheet is kept between builds: one with a problem must not be kept, or the problem would vanish."""
    css = project.layouts / "booklet.css"
    line = css.read_text(encoding="utf-8").count("\n") + 1
    builds = preview.state().builds
    with css.open("a", encoding="utf-8") as file:
        file.write(".figure { colr: red; }\n")
    state = _build_after(preview, builds)
    problems = [str(p) for p in state.problems]
    assert len(problems) == 1 and f"booklet.css:{line}:" in problems[0] and "colr" in problems[0], problems
    with project.data_file.open("a", encoding="utf-8") as file:
        file.write("# any change rebuilds\n")
    state = _build_after(preview, state.builds)
    assert [str(p) for p in state.problems] == problems
    _edit(css, r"^\.figure \{ colr: red; \}\n", "")
    state = _build_after(preview, state.builds)
    assert not state.problems and state.good == state.builds


def test_the_preview_answers_only_to_its_own_address(preview: Preview) -> None:
    request = urllib.request.Request(preview.url + "state", headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    refused.value.close()
    assert refused.value.code == 421
    with urllib.request.urlopen(preview.url + "state", timeout=10) as answer:
        assert answer.headers["Content-Type"] == "application/json"


@pytest.mark.usefixtures("notes_logger")
def test_a_port_in_use_is_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["preview", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"cannot serve on 127.0.0.1:{port}: ")
    assert "--port" in err
