"""The build, step by step: load, validate, make the context, render, typeset, write."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import multiprocessing.connection
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from booklet import lock, output
from booklet.data import contents, source, validate
from booklet.data.validate import Validated
from booklet.design import context, contract, contractcheck, icons, palette, render
from booklet.editions import EDITIONS, Edition, for_screens, press_edition
from booklet.errors import BookletError, display_path
from booklet.project import DATA_FILE, SHARE_IMAGE, Project, pdf_path, picture_cache
from booklet.typeset import flow, fontcheck, fonts, images, manifest, share
from booklet.typeset.typesetter import Typesetter

#: Called after each step of a build with the step's name and the seconds it took.
TimingCallback = Callable[[str, float], None]


def quiet(step: str, seconds: float) -> None:
    """The default timing callback: say nothing (the command line prints instead)."""


@contextmanager
def _step(report: TimingCallback, name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report(name, time.perf_counter() - start)


def check(project: Project, report: TimingCallback = quiet) -> Validated:
    """Load and validate the data; raise BookletError listing every problem."""
    # The file's own name, not where a link leads: that may be outside the project.
    shown = f"{display_path(project.data)}/{DATA_FILE}"
    contractcheck.check(project.layouts)  # layouts/ first: what the data is checked against comes from there
    with _step(report, "loading"):
        root = source.load(project.data_file, shown)
    with _step(report, "validating"):
        validated = validate.validate(root, shown, project.data, lambda texts: _text_problems(project, texts))
    return validated


def _text_problems(project: Project, texts: list) -> list:
    """The problems of the data's texts that need the fonts and the layouts: reported with the
    data's other problems, all at once. Fonts first: a link out of fonts/ is refused before
    anything reads it."""
    if missing := fontcheck.missing(project.fonts):
        return missing
    font_files = fonts.font_files(project.fonts)
    problems = fontcheck.outside(project.fonts, font_files)
    if not problems:
        problems = fonts.uncovered(texts, project.fonts) + icons.unknown(texts, project.layouts)
        problems += palette.unknown(texts, project.layouts) + contents.scattered_parts(texts)
    if not problems:
        problems = fontcheck.damaged(font_files, [text.value for text in texts])
    return problems


@dataclass(frozen=True)
class Placement:
    """Where a picture stands in an edition's pages, and its effective resolution there."""

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
    #: The cover rendered for sharing (with the edition that makes one).
    share_image: Path | None = None


def screen_pdf(project: Project, out_dir: Path, report: TimingCallback = quiet) -> tuple[Path, list[Built]]:
    """The PDF of the edition for screens in ``out_dir``, built first if it is missing, and what that build made.

    The tools that start from the pages (impose, proof) take that edition
    (editions.for_screens()): the same pages as the press's, trimmed, in a lighter file.
    """
    edition = for_screens()
    source = pdf_path(out_dir, edition)
    return source, ([] if source.exists() else build(project, out_dir, [edition.name], report))


def new_typesetter(project: Project, out_dir: Path) -> Typesetter:
    """The typesetter build() uses for ``project`` into ``out_dir``: keep it to pass to later builds.

    It may read the project's folders and the pictures prepared under ``out_dir``.
    """
    extra_roots = (picture_cache(out_dir),)
    return Typesetter(project.root, project.layouts, project.data, project.fonts, extra_roots=extra_roots)


def build(
    project: Project,
    out_dir: Path,
    editions: list[str] = list(EDITIONS),  # noqa: B006 - never mutated
    report: TimingCallback = quiet,
    typesetter: Typesetter | None = None,
    finish: bool = True,
) -> list[Built]:
    """Build ``editions`` into ``out_dir``: booklet.html and one PDF per edition.

    ``typesetter`` (from new_typesetter() for the same project and ``out_dir``)
    is reused instead of a new one, fonts and parsed stylesheets included: the
    preview passes the same one to every rebuild. With ``finish`` False no
    edition is linearized and none is rendered as a share image: the preview
    needs the pages, not the file's finishing.
    """
    # WeasyPrint makes millions of small objects that live as long as the
    # layout: Python's cyclic collector keeps walking them, more often the
    # bigger the booklet (the benchmark saw layout slow from 40 to 49 ms a
    # page between 1x and 8x). Switched back on at the end, its first
    # collection walks every object the build made (0.4 s at 8x): the command
    # line, which exits without collecting, runs with it off throughout
    # (__main__.py), and the preview collects once its pages are out.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # One build at a time into one folder (lock.py): the data is checked
        # first, so a build with a mistake in it says so without waiting.
        validated = check(project, report)
        with lock.held(Path(out_dir)):
            return _build(project, out_dir, editions, report, typesetter, finish, validated)
    finally:
        if collecting:
            gc.enable()


def _build(
    project: Project,
    out_dir: Path,
    editions: list[str],
    report: TimingCallback,
    typesetter: Typesetter | None,
    finish: bool,
    validated: Validated,
) -> list[Built]:
    out_dir = Path(out_dir).absolute()  # file URLs of prepared pictures need an absolute path
    cache = picture_cache(out_dir)
    typesetter = typesetter or new_typesetter(project, out_dir)
    with _step(report, "preparing pictures"):
        press_for = press_edition(editions)
        press = typesetter.press_profile(press_for) if press_for else None
        prepared = images.prepare(validated.pictures, cache, validated.booklet.settings.page_size, press)
    job = _Job(project, validated, prepared, out_dir, typesetter, render.environment(project.layouts), finish)
    # Every file goes to a temporary beside it and all are moved into place
    # together at the end: a failure in any edition leaves the previous build,
    # HTML and PDFs, as it was.
    built = []
    chosen = [EDITIONS[name] for name in editions]
    with output.files() as pending:
        targets = [pending.file(pdf_path(out_dir, edition)) for edition in chosen]
        # One cover for sharing, made by the first edition that makes one.
        sharing = next((edition for edition in chosen if edition.share_image), None) if finish else None
        share_image = out_dir / SHARE_IMAGE if sharing else None
        share_file = pending.file(share_image) if share_image else None
        jobs = [(e, target, share_file if e is sharing else None) for e, target in zip(chosen, targets, strict=True)]
        results = _run(job, jobs)
        problems = [problem for result in results for problem in result.problems]
        for result in results:
            for step, seconds in result.steps:
                report(step, seconds)
        if problems:
            raise BookletError(problems)
        with pending.writing(out_dir / "booklet.html") as temporary:
            temporary.write_text(results[-1].html, encoding="utf-8")
        laid_out = {e.name: (t, *r.laid_out) for e, t, r in zip(chosen, targets, results, strict=True)}
        manifest.write(pending, out_dir, laid_out)
        for edition, result in zip(chosen, results, strict=True):
            shared = share_image if edition is sharing else None
            built.append(Built(edition.name, pdf_path(out_dir, edition), result.pages, result.placements, shared))
    return built


@dataclass
class _Job:
    """What every edition is made from; the same for all of them."""

    project: Project
    validated: Validated
    prepared: dict
    out_dir: Path
    typesetter: Typesetter
    env: jinja2.Environment
    finish: bool


@dataclass
class _Result:
    """What making one edition gave, plain enough to come back from another process."""

    html: str = ""
    pages: int = 0
    placements: list[Placement] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)
    problems: list = field(default_factory=list)
    #: The page count and the sections with their pages, for the manifest.
    laid_out: tuple = ()


def _edition(job: _Job, edition: Edition, target: Path, share_file: Path | None) -> _Result:
    """Render, lay out and write ``edition`` into ``target`` (a temporary of the build).

    Its cover is rendered into ``share_file`` too, when one is given.
    """
    result = _Result()

    def timed(step: str, seconds: float) -> None:
        result.steps.append((step, seconds))

    project, name = job.project, edition.name
    files = {src: p.file_for(edition) for src, p in job.prepared.items()}
    urls = {src: file.as_uri() for src, file in files.items()}
    try:
        with _step(timed, f"rendering HTML {name}"):
            links = [(project.layouts / contract.STYLESHEET).as_uri()]
            values = context.make_context(job.validated.booklet, links, project.layouts, urls, edition.stylesheet)
            result.html = render.render(job.env, values, display_path(project.layouts))
        with _step(timed, f"typesetting {name}"):
            base_url = (job.out_dir / "booklet.html").as_uri()
            # Laid out again, with some pictures shorter, when that ends chapters a page earlier.
            pictures: dict = {}  # WeasyPrint's loaded pictures, shared by both layouts
            lay_out = lambda html: job.typesetter.layout(html, base_url, edition, pictures)  # noqa: E731
            document, result.html = flow.fitted(lay_out, result.html)
        shown = {url: display_path(src, project.data) for src, url in urls.items()}
        result.placements = [Placement(shown[u], *rest) for u, *rest in images.placements(document, shown)]
        result.pages = len(document.pages)
        ids = [view.id for view in values["sections"]]
        result.laid_out = manifest.laid_out(document, result.html, ids, job.validated.booklet.sections)
        identity = _identity(result.html, project.root, project.data, job.out_dir)
        with _step(timed, f"writing {name}"), output.as_problem(pdf_path(job.out_dir, edition)):
            job.typesetter.write(document, target, edition, identity, linearize=job.finish)
        if share_file is not None:
            with _step(timed, "share image"), output.as_problem(job.out_dir / SHARE_IMAGE):
                share.cover_png(target, share_file)
    except BookletError as error:
        result.problems = error.problems
    return result


def _identity(html: str, *folders: Path) -> str:
    """A digest of the merged HTML that does not depend on where the project and the build are on disk.

    The HTML names the stylesheet and the prepared pictures by absolute file
    URLs: the same sources in another checkout must give the same bytes.
    """
    # Both spellings of each folder: pictures are named by their resolved
    # path, the stylesheet by the project's (a symlink may stand between).
    urls = {form.as_uri() + "/" for folder in folders for form in (Path(folder).absolute(), Path(folder).resolve())}
    for url in sorted(urls, key=len, reverse=True):
        html = html.replace(url, "")
    return hashlib.sha256(html.encode()).hexdigest()


def _run(job: _Job, jobs: list[tuple[Edition, Path, Path | None]]) -> list[_Result]:
    """Make the editions, each (edition, target, share file or None).

    In parallel processes when there are several and this process may fork.
    """
    if len(jobs) < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        # One edition, or threads that a fork would not carry (the preview's
        # server): one after the other, here.
        return [_edition(job, *arguments) for arguments in jobs]
    # Forked children share the parent's loaded modules, fonts and parsed
    # stylesheets as they are: each edition costs its layout and nothing more,
    # and both layouts run at once on two cores.
    global _FORKED_JOB
    _FORKED_JOB = job
    fork = multiprocessing.get_context("fork")
    children, pipes = [], []
    try:
        for arguments in jobs:
            receiving, sending = fork.Pipe(duplex=False)
            child = fork.Process(target=_forked_edition, args=(sending, arguments), daemon=True)
            child.start()
            sending.close()
            children.append(child)
            pipes.append(receiving)
        results = [pipe.recv() for pipe in pipes]
    except BaseException:
        # Stopped (the time limit, Ctrl-C) or a child died: stop them all.
        for child in children:
            child.kill()
        raise
    finally:
        for child in children:
            child.join()
        for pipe in pipes:
            pipe.close()
        _FORKED_JOB = None
    for result in results:
        if isinstance(result, str):  # a child's unexpected error, as its traceback
            raise RuntimeError(f"an edition failed in its process:\n{result}")
    return results


_FORKED_JOB: _Job | None = None


def _forked_edition(
    sending: multiprocessing.connection.Connection, arguments: tuple[Edition, Path, Path | None]
) -> None:
    """In a forked child: make one edition and send back its result (or the traceback of a bug)."""
    assert _FORKED_JOB is not None, "set by _run before the fork"
    # Ctrl-C reaches every process of the terminal: the parent stops the
    # children itself (_run), and a child says nothing of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        result: _Result | str = _edition(_FORKED_JOB, *arguments)
    except Exception:  # noqa: BLE001 - a bug: its traceback goes to the parent, which raises it
        result = traceback.format_exc()
    sending.send(result)
    sending.close()
