"""The live preview: rebuild the edition for screens on every change and show it in a browser, spread by spread."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import io
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import watchfiles

from booklet.editions import for_screens
from booklet.errors import BookletError, Place, Problem
from booklet.pipeline import build, new_typesetter
from booklet.project import Project, pdf_path
from booklet.tools import deadline, spreads, watchfolders
from booklet.typeset.typesetter import Typesetter

#: Loopback only: the preview shows unpublished work and has no login.
HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Pages are drawn at 1.5 times their size at 100 %: sharp when zoomed in a
#: little or on most high-density screens, and drawn in a fraction of a build.
PAGE_DPI = spreads.SCREEN_DPI * 1.5
#: One save is several events (an editor writes a temporary file, then renames
#: it): a build starts once the folders have been quiet this long...
QUIET_MS = 50
#: ...or this long after the first change, when changes keep coming.
GROUP_MS = 1000
#: An open event stream gets a comment this often, so that a closed tab frees its thread.
KEEPALIVE_S = 10
#: Templates and drawings (icons, partials, pictures a stylesheet names), which
#: every build reads anew; a change to any other file of layouts/ (a
#: stylesheet, the colour profile) has the stylesheets parsed again.
_READ_EVERY_BUILD = (".html", ".svg")

#: Where the page links to the PDF it shows (preview.html's PDF_URL).
PDF_URL = "/" + for_screens().pdf_name
PAGE = Path(__file__).with_name("preview.html").read_bytes().replace(b"PDF_URL", PDF_URL.encode())


def _silent(line: str) -> None:
    """The default: say nothing (the command line prints each line instead)."""


@dataclass(frozen=True)
class Page:
    """One page of the last good build: its picture, and its size in CSS pixels at 100 %."""

    number: int
    digest: str
    width: float
    height: float


@dataclass(frozen=True)
class State:
    """What the page shows; every change makes a new one with the next ``version``."""

    version: int = 0
    #: Builds finished, good or not.
    builds: int = 0
    building: bool = True
    #: The build the pages come from (0: no good build yet).
    good: int = 0
    seconds: float = 0.0
    pages: tuple[Page, ...] = ()
    problems: tuple[Problem, ...] = ()

    def as_json(self) -> str:
        layout = spreads.spreads(len(self.pages)) if self.pages else []
        return json.dumps(
            {
                "version": self.version,
                "build": self.builds,
                "building": self.building,
                "good": self.good,
                "seconds": round(self.seconds, 2),
                "pages": [
                    {"number": p.number, "src": f"/pages/{p.digest}.png", "width": p.width, "height": p.height}
                    for p in self.pages
                ],
                # The spreads come from the same function as the proof's, never from the browser's own direction.
                "spreads": [{"right": s.right, "left": s.left} for s in layout],
                "problems": [{"place": str(p.place), "message": p.message} for p in self.problems],
            },
            ensure_ascii=False,
        )


class Preview:
    """A web server on the loopback, a watcher and a builder, each in its own thread.

    The builder owns everything WeasyPrint and PDFium touch and is the only
    thread that builds: one typesetter (one font configuration) lives across
    rebuilds. The watcher only hands it the changed paths; the server's
    threads only read the latest ``State`` and the pictures it names.
    """

    def __init__(
        self,
        project: Project,
        out_dir: Path,
        port: int = DEFAULT_PORT,
        say: Callable[[str], None] = _silent,
        timeout: float = deadline.DEFAULT_SECONDS,
    ) -> None:
        self.project = project
        #: Each build's time limit, as the command line's build has (0: none).
        self.timeout = timeout
        self._watchdog = deadline.Watch()
        self.out_dir = Path(out_dir)
        self.say = say
        self._typesetter = new_typesetter(project, self.out_dir)
        self._state = State()
        self._pictures: dict[str, bytes] = {}
        #: The pictures of the build before, for a browser still fetching them.
        self._previous: dict[str, bytes] = {}
        #: Guards _state, _pictures and _pending; notified on a new state and on new changes.
        self._lock = threading.Condition()
        self._pending: set[Path] = set()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        # Bound here, so that a port in use fails before anything starts.
        self.server = _Server((HOST, port), self)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def typesetter(self) -> Typesetter:
        """The typesetter of the next build: a new one only when fonts/ change, the same fonts otherwise."""
        return self._typesetter

    @property
    def folders(self) -> list[Path]:
        return [self.project.data, self.project.layouts, self.project.fonts]

    def start(self) -> None:
        """Serve, watch and make the first build, each in a thread of its own."""
        for name, target in (
            ("preview-server", self.server.serve_forever),
            ("preview-watcher", self._watch),
            ("preview-builder", self._build_loop),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def wait(self) -> None:
        """Block until stop() (or Ctrl-C, which reaches the main thread here)."""
        self._stop.wait()

    def stop(self) -> None:
        """Stop serving and watching; a build under way finishes first."""
        self._stop.set()
        self._watchdog.interrupt(deadline.Stopped)  # a build under way stops now, its files untouched
        with self._lock:
            self._lock.notify_all()
        if self._threads:  # shutdown() waits for serve_forever(), which never ran otherwise
            self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=30)

    def __enter__(self) -> Preview:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # The server's side: read only.

    def state(self) -> State:
        with self._lock:
            return self._state

    def picture(self, digest: str) -> bytes | None:
        with self._lock:
            return self._pictures.get(digest) or self._previous.get(digest)

    def next_state(self, seen: int, timeout: float) -> State | None:
        """The state after version ``seen``, as soon as there is one; None on timeout or when stopping."""
        with self._lock:
            self._lock.wait_for(lambda: self._state.version != seen or self._stop.is_set(), timeout)
            if self._stop.is_set() or self._state.version == seen:
                return None
            return self._state

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # The watcher's side.

    def _watch(self) -> None:
        # The build's own output never triggers a build, even with --data pointing above it.
        ignore = watchfiles.DefaultFilter(ignore_paths=[str(self.out_dir.resolve())])
        seen = watchfolders.identities(self.folders)
        while not self._stop.is_set():
            # A folder deleted and made again (or replaced by another, as a
            # checkout does) is a new folder: the watch of the old one sees
            # nothing more. Watch again whenever a folder is not the one
            # watched; one replaced while no watch ran (closing a watch of a
            # deleted folder waits) is a change too.
            watched = watchfolders.identities(self.folders)
            if watched != seen:
                with self._lock:
                    self._pending |= set(self.folders)
                    self._lock.notify_all()
            seen = watched
            folders = [folder.resolve() for folder in self.folders if folder.is_dir()]
            if not folders:
                self._stop.wait(watchfolders.CHECK_MS / 1000)
                continue
            for changes in watchfiles.watch(
                *folders,
                watch_filter=ignore,
                step=QUIET_MS,
                debounce=GROUP_MS,
                stop_event=self._stop,
                raise_interrupt=False,
                rust_timeout=watchfolders.CHECK_MS,
                yield_on_timeout=True,
            ):
                seen = watchfolders.identities(self.folders)
                replaced = seen != watched
                if replaced:
                    changes = {*changes, *((None, str(folder)) for folder in self.folders)}
                if changes:
                    with self._lock:
                        self._pending |= {Path(path) for _change, path in changes}
                        self._lock.notify_all()
                if replaced:
                    break
            else:
                return  # stopped
            self._stop.wait(watchfolders.CHECK_MS / 1000)

    # The builder's side: the only thread that builds.

    def _build_loop(self) -> None:
        changes: set[Path] = set()
        while not self._stop.is_set():
            self._rebuild(changes)
            with self._lock:
                # Changes saved during a build wait in _pending: one build
                # follows for all of them.
                self._lock.wait_for(lambda: self._pending or self._stop.is_set())
                changes, self._pending = self._pending, set()

    def _rebuild(self, changes: set[Path]) -> None:
        self._publish(building=True)
        start = time.perf_counter()
        # The cyclic collector stays off until the pages are out: switched
        # back on at the end of build(), its first pass would walk every
        # object of the layout before the pages are drawn.
        gc.disable()
        try:
            self._build_and_publish(changes, start)
        finally:
            # The pages are out: free the layout's cycles now, while nobody
            # waits, and keep the collector on while the server idles.
            gc.enable()
            gc.collect()

    def _build_and_publish(self, changes: set[Path], start: float) -> None:
        """Build the edition for screens, draw its pages and publish them (or the problems)."""
        problems: list[Problem] = []
        drawn: list[tuple[Page, bytes]] = []
        try:
            with self._watchdog.running(self.timeout):
                self._refresh_typesetter(changes)
                editions = [for_screens().name]
                built = build(self.project, self.out_dir, editions, typesetter=self._typesetter, finish=False)
                with self._lock:
                    known = dict(self._pictures)
                drawn = _draw(built[0].path, known)
        except deadline.Stopped:
            return  # the preview is closing: nothing to show any more
        except deadline.Expired:
            problems = [Problem(Place("build"), deadline.message(self.timeout))]
        except BookletError as error:
            problems = error.problems
        except Exception as error:  # noqa: BLE001 - a crash in WeasyPrint must not end the preview
            problems = [Problem(Place("booklet"), f"the build crashed: {type(error).__name__}: {error}")]
        seconds = time.perf_counter() - start
        with self._lock:
            state = self._state
        builds = state.builds + 1
        if problems:
            state = dataclasses.replace(state, problems=tuple(problems))
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            shown = "showing the last good pages" if state.good else "no pages to show yet"
            self.say(f"{count} in {seconds:.1f} s, {shown}")
        else:
            state = dataclasses.replace(state, good=builds, pages=tuple(page for page, _ in drawn), problems=())
            self.say(f"{'built' if builds == 1 else 'rebuilt'} in {seconds:.1f} s ({len(drawn)} pages)")
        with self._lock:
            if not problems:
                self._previous = self._pictures
                self._pictures = {page.digest: data for page, data in drawn}
            self._set(dataclasses.replace(state, builds=builds, building=False, seconds=seconds))

    def _refresh_typesetter(self, changes: set[Path]) -> None:
        """Keep the typesetter, unless fonts/ or the stylesheets changed."""
        layouts, fonts = self.project.layouts.resolve(), self.project.fonts.resolve()
        changed = [path.resolve() for path in changes]
        restyled = [path for path in changed if path.is_relative_to(layouts) and path.suffix not in _READ_EVERY_BUILD]
        if any(path.is_relative_to(fonts) for path in changed):
            # A changed font file needs a new font configuration: the old one keeps its copy.
            self._typesetter = new_typesetter(self.project, self.out_dir)
        elif restyled:
            # New stylesheets, the same fonts: the font configuration already
            # has the faces their @font-face rules name.
            self._typesetter.restyle()

    def _publish(self, **changes: Any) -> None:
        with self._lock:
            self._set(dataclasses.replace(self._state, **changes))

    def _set(self, state: State) -> None:
        """Make ``state`` the one shown (holding the lock) and wake every open page."""
        self._state = dataclasses.replace(state, version=self._state.version + 1)
        self._lock.notify_all()


def _draw(pdf: Path, known: dict[str, bytes]) -> list[tuple[Page, bytes]]:
    """Every page of ``pdf`` as a PNG named by its content: an unchanged page keeps its name and its cached copy.

    The name comes from the pixels, and only a page not in ``known`` (the
    pictures already served, by name) is encoded: an edit redraws one page.
    """
    drawn = []
    scale = spreads.SCREEN_DPI / PAGE_DPI
    for number, picture in enumerate(spreads.rasterise(pdf, PAGE_DPI), start=1):
        pixels = hashlib.sha256(f"{picture.width}x{picture.height}".encode())
        pixels.update(picture.tobytes())
        digest = pixels.hexdigest()[:20]
        data = known.get(digest)
        if data is None:
            buffer = io.BytesIO()
            # Served on the loopback, from memory: speed matters more than size.
            picture.save(buffer, format="PNG", compress_level=1)
            data = buffer.getvalue()
        drawn.append((Page(number, digest, picture.width * scale, picture.height * scale), data))
    return drawn


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """A browser that drops a request (a reload, a closed tab) is no error; anything else is one line."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        self.preview.say(f"a request from the browser failed: {type(error).__name__}: {error}")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        preview = self.server.preview
        port = self.server.server_address[1]
        # Another site's page could reach the loopback through a name that
        # resolves to it (DNS rebinding): answer only to the preview's own names.
        if self.headers.get("Host", "") not in (f"{HOST}:{port}", f"localhost:{port}"):
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain", b"open the preview at its own address\n")
            return
        path = urlsplit(self.path).path
        if path == "/":
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", PAGE)
        elif path == "/state":
            self._send(HTTPStatus.OK, "application/json", preview.state().as_json().encode())
        elif path == "/events":
            self._events(preview)
        elif path.startswith("/pages/") and path.endswith(".png"):
            data = preview.picture(path.removeprefix("/pages/").removesuffix(".png"))
            if data is None:
                self._send(HTTPStatus.NOT_FOUND, "text/plain", b"no such page picture (any more)\n")
            else:
                # Named by content: the same name is always the same picture.
                self._send(HTTPStatus.OK, "image/png", data, cache="max-age=31536000, immutable")
        elif path == PDF_URL and (pdf := pdf_path(preview.out_dir, for_screens())).is_file():
            self._send(HTTPStatus.OK, "application/pdf", pdf.read_bytes())
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n")

    def _send(self, status: HTTPStatus, kind: str, body: bytes, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)

    def _events(self, preview: Preview) -> None:
        """Server-sent events: the state now, then each new one, until the page or the preview closes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state: State | None = preview.state()
        seen = -1
        try:
            while not preview.stopping:
                if state is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    self.wfile.write(f"event: state\ndata: {state.as_json()}\n\n".encode())
                    seen = state.version
                self.wfile.flush()
                state = preview.next_state(seen, KEEPALIVE_S)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        """Say nothing per request: the terminal shows one line per rebuild."""
