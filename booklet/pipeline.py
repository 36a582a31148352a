"""The build, step by step: load, validate, make the context, render, typeset, write."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import context, fonts, icons, images, output, render, share, source, validate
from .errors import BookletError, display_path
from .typeset import EDITIONS, Typesetter
from .validate import Validated

#: The project's own folders: the package sits beside layouts/ and fonts/.
ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = "booklet.yaml"

Report = Callable[[str, float], None]


def _quiet(step: str, seconds: float) -> None:
    """The default report: say nothing (the command line prints instead)."""


@dataclass
class Project:
    """Where the sources are: data/ (the content), layouts/ and fonts/ (the design)."""

    data: Path
    root: Path = ROOT
    layouts: Path = field(init=False)
    fonts: Path = field(init=False)

    def __post_init__(self) -> None:
        self.data = Path(self.data)
        self.layouts = self.root / "layouts"
        self.fonts = self.root / "fonts"

    @property
    def data_file(self) -> Path:
        return self.data / DATA_FILE


@contextmanager
def _step(report: Report, name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report(name, time.perf_counter() - start)


def check(project: Project, report: Report = _quiet) -> Validated:
    """Load and validate the data; raise BookletError listing every problem."""
    shown = display_path(project.data_file)
    with _step(report, "loading"):
        root = source.load(project.data_file, shown)
    with _step(report, "validating"):
        validated = validate.validate(root, shown, project.data)
        problems = fonts.uncovered(validated.texts, project.fonts) + icons.unknown(validated.texts, project.layouts)
        if problems:
            raise BookletError(problems)
    return validated


@dataclass(frozen=True)
class Placement:
    """Where a picture stands in the print edition, and its effective resolution there."""

    picture: str
    page: int
    width_mm: float
    height_mm: float
    ppi: float


@dataclass(frozen=True)
class Built:
    edition: str
    path: Path
    pages: int
    placements: list[Placement] = field(default_factory=list)
    #: The cover rendered for sharing (with the screen edition).
    share_image: Path | None = None


def new_typesetter(project: Project, out_dir: Path) -> Typesetter:
    """The typesetter build() uses for ``project`` into ``out_dir``: keep it to pass to later builds.

    It may read the project's folders and the pictures prepared under ``out_dir``.
    """
    cache = Path(out_dir) / "cache" / "images"
    return Typesetter(project.root, project.layouts, project.data, project.fonts, extra_roots=(cache,))


def build(
    project: Project,
    out_dir: Path,
    editions: list[str] = list(EDITIONS),  # noqa: B006 - never mutated
    report: Report = _quiet,
    typesetter: Typesetter | None = None,
    finish: bool = True,
) -> list[Built]:
    """Build ``editions`` into ``out_dir``: booklet.html and one PDF per edition.

    ``typesetter`` (from new_typesetter() for the same project and ``out_dir``)
    is reused instead of a new one, fonts and parsed stylesheets included: the
    preview passes the same one to every rebuild. With ``finish`` False the
    screen edition is neither linearized nor rendered as a share image: the
    preview needs the pages, not the file's finishing.
    """
    validated = check(project, report)
    out_dir = Path(out_dir).absolute()  # file URLs of prepared pictures need an absolute path
    html_file = out_dir / "booklet.html"
    cache = out_dir / "cache" / "images"
    typesetter = typesetter or new_typesetter(project, out_dir)
    with _step(report, "preparing pictures"):
        press = typesetter.press_profile(EDITIONS["print"]) if "print" in editions else None
        prepared = images.prepare(validated.pictures, cache, validated.booklet.settings.page_size, press)
    env = render.environment(project.layouts)
    links = [(project.layouts / "booklet.css").as_uri()]
    # Lay out every edition before writing any, so a problem in one edition
    # leaves all of the previous files in place.
    documents, html = [], ""
    for name in editions:
        files = {src: p.print_file if name == "print" else p.screen_file for src, p in prepared.items()}
        urls = {src: file.as_uri() for src, file in files.items()}
        with _step(report, f"rendering HTML {name}"):
            values = context.make_context(validated.booklet, links, project.layouts, urls, EDITIONS[name].stylesheet)
            html = render.render(env, values, display_path(project.layouts))
        with _step(report, f"typesetting {name}"):
            document = typesetter.layout(html, html_file.resolve().as_uri(), EDITIONS[name])
        shown = {url: display_path(src, project.data) for src, url in urls.items()}
        placements = [Placement(shown[u], *rest) for u, *rest in images.placements(document, shown)]
        documents.append((name, document, placements, hashlib.sha256(html.encode()).hexdigest()))
    # Every file goes to a temporary beside it and all are moved into place
    # together at the end: a failure while writing leaves the previous build,
    # HTML and PDFs, as it was.
    built = []
    with output.files() as pending:
        with pending.writing(html_file) as temporary:
            temporary.write_text(html, encoding="utf-8")
        for name, document, placements, identity in documents:
            target = out_dir / f"booklet-{name}.pdf"
            with _step(report, f"writing {name}"), pending.writing(target) as temporary:
                typesetter.write(document, temporary, EDITIONS[name], identity, linearize=finish)
            share_image = None
            if name == "screen" and finish:
                share_image = out_dir / "booklet-cover.png"
                with _step(report, "share image"), pending.writing(share_image) as picture:
                    share.cover_png(temporary, picture)
            built.append(Built(name, target, len(document.pages), placements, share_image))
    return built
