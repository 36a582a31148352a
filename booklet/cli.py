"""The command line: the only place that prints or exits."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from booklet.editions import EDITIONS
from booklet.errors import BookletError, Place, Problem, display_path
from booklet.pipeline import Built, build, check
from booklet.preflight import preflight
from booklet.project import ROOT, Project
from booklet.tools import schema
from booklet.tools.impose import IMPOSED, SHEETS, impose_booklet
from booklet.tools.preview import DEFAULT_PORT, HOST, Preview
from booklet.tools.proof import CONTACT_SHEET, proof_booklet
from booklet.tools.schema import SCHEMA_FILE
from booklet.tools.spreads import DIRECTIONS


def _folder(command: argparse.ArgumentParser, flag: str, default: Path, help: str) -> None:  # noqa: A002 - argparse's word
    command.add_argument(flag, type=Path, default=default, metavar="DIR", help=help)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m booklet",
        description="Typeset the Arabic booklet in data/ into print and screen PDFs.",
        epilog=(
            "check reads the data (booklet.yaml) and preflight reads the built PDFs: check while writing, "
            "build to see it typeset, preflight before sending the PDFs out."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser(
        "build",
        help="typeset data/ into the print and screen PDFs and the merged HTML (make)",
        description="Validate the data, render booklet.html and typeset one PDF per edition.",
    )
    build_cmd.add_argument(
        "--edition",
        choices=[*EDITIONS, "all"],
        default="all",
        help="which edition to typeset: "
        + ", ".join(f"{e.name} ({e.summary})" if e.summary else e.name for e in EDITIONS.values())
        + " or all (default)",
    )
    _folder(build_cmd, "--data", ROOT / "data", "folder holding booklet.yaml and its pictures (default: data/)")
    _folder(
        build_cmd, "--out", ROOT / "build", "folder to write booklet.html and booklet-EDITION.pdf to (default: build/)"
    )
    build_cmd.add_argument(
        "--timeout",
        type=float,
        default=300,
        metavar="SECONDS",
        help="stop a build that runs longer than this (default: 300); the previous files stay as they were",
    )
    build_cmd.add_argument(
        "--report",
        choices=["text", "json"],
        default="text",
        help="what to print on stdout: lines for a person (default), or one JSON object for a program "
        "(each step's seconds, the total, each file written with its edition and pages); problems stay on stderr",
    )

    schema_cmd = commands.add_parser(
        "schema",
        help=f"write the data's JSON Schema to {SCHEMA_FILE}, after adding a field, an icon or a colour",
        description=(
            "Write the JSON Schema of booklet.yaml, made from the model, for editors that complete keys and flag "
            "mistakes while typing (the first line of data/booklet.yaml names it). Run it after adding a field, "
            "an icon or a colour."
        ),
    )
    del schema_cmd  # no options

    check_cmd = commands.add_parser(
        "check",
        help="check the data (booklet.yaml) for mistakes without typesetting: seconds, while writing (make check)",
        description=(
            "Report every problem in the data, one line each, as file:line:column: message. Nothing is typeset "
            "and nothing is written; to check the built PDFs, use preflight."
        ),
    )
    _folder(check_cmd, "--data", ROOT / "data", "folder holding booklet.yaml (default: data/)")

    impose_cmd = commands.add_parser(
        "impose",
        help=f"impose the screen edition two pages a side into {IMPOSED}, to print and staple in the office",
        description=(
            "Put the pages of booklet-screen.pdf (built first if missing), trimmed, two to a side of a landscape "
            "sheet, in the order that folds into a saddle-stitched booklet: print it double-sided, flipping on "
            "the short edge, fold the stack in half and staple on the fold. Blank pages before the back cover "
            "make up a multiple of four."
        ),
    )
    _folder(
        impose_cmd,
        "--out",
        ROOT / "build",
        f"folder holding booklet-screen.pdf, and where {IMPOSED} goes (default: build/)",
    )
    impose_cmd.add_argument(
        "--sheet",
        choices=list(SHEETS),
        default="A4",
        help="paper to print on, landscape: A4 (default) for A5 pages, A3 for A4 pages",
    )
    impose_cmd.add_argument(
        "--direction",
        choices=list(DIRECTIONS),
        default="rtl",
        help="rtl (default): bound on the right, opening leftward, as an Arabic book; ltr: bound on the left",
    )
    _folder(
        impose_cmd,
        "--data",
        ROOT / "data",
        "folder holding booklet.yaml, read only to build a missing booklet-screen.pdf (default: data/)",
    )
    preview_cmd = commands.add_parser(
        "preview",
        help=f"show the booklet at http://{HOST}:{DEFAULT_PORT}/, rebuilt on every change, while you work on it",
        description=(
            "Serve the screen edition as a book (the cover alone, then spreads right to left) on the loopback, "
            "watch data/, layouts/ and fonts/, and rebuild on every change: the open page follows by itself. "
            "A build that fails shows its problems above the last good pages. Ctrl-C stops."
        ),
    )
    preview_cmd.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"port on {HOST} (default: {DEFAULT_PORT}; 0: any free port)",
    )
    _folder(preview_cmd, "--data", ROOT / "data", "folder holding booklet.yaml (default: data/)")
    _folder(
        preview_cmd,
        "--out",
        ROOT / "build" / "preview",
        "folder for the preview's own build, apart from the real one (default: build/preview/)",
    )
    preview_cmd.add_argument(
        "--timeout",
        type=float,
        default=300,
        metavar="SECONDS",
        help="stop a rebuild that runs longer than this (default: 300); the last good pages stay shown",
    )

    proof_cmd = commands.add_parser(
        "proof",
        help="write a PNG of every spread and a contact sheet into build/proof/, for a reviewer without a PDF",
        description=(
            "Render the pages of booklet-screen.pdf (built first if missing) as the bound book opens: one PNG "
            f"per spread, right to left, the cover alone (spread-01.png), and {CONTACT_SHEET} with every page."
        ),
    )
    _folder(
        proof_cmd,
        "--data",
        ROOT / "data",
        "folder holding booklet.yaml, read only to build a missing booklet-screen.pdf (default: data/)",
    )
    _folder(
        proof_cmd,
        "--out",
        ROOT / "build",
        "folder holding booklet-screen.pdf; the sheets go to its proof/ (default: build/)",
    )

    preflight_cmd = commands.add_parser(
        "preflight",
        help="read the built PDFs back before sending them out: fonts, pictures, pages, links (make preflight)",
        description=(
            "Read booklet-print.pdf and booklet-screen.pdf back and say, check by check, whether each is right "
            "for where it goes (the press, screens). Exit code 1 when there is an error; warnings alone are 0. "
            "To check the data alone, without typesetting, use check."
        ),
    )
    _folder(preflight_cmd, "--out", ROOT / "build", "folder holding booklet.html and the PDFs (default: build/)")
    _folder(
        preflight_cmd,
        "--data",
        ROOT / "data",
        "folder the PDFs were built from, to tell whether they are older than it (default: data/)",
    )
    return parser


def _preview(project: Project, args: argparse.Namespace) -> int:
    try:
        preview = Preview(project, args.out, args.port, say=lambda line: print(line, flush=True), timeout=args.timeout)
    except OSError as error:
        print(f"cannot serve on {HOST}:{args.port}: {error.strerror or error}; try another --port", file=sys.stderr)
        return 1
    folders = ", ".join(f"{display_path(folder)}/" for folder in preview.folders)
    print(f"previewing {display_path(project.data_file)} at {preview.url} (Ctrl-C stops)")
    print(f"watching {folders}", flush=True)
    with preview:
        try:
            preview.wait()
        except KeyboardInterrupt:
            print()  # the terminal's ^C ends no line
    return 0


def _proof(project: Project, args: argparse.Namespace) -> int:
    start = time.perf_counter()
    proof = proof_booklet(project, args.out, _print_step)
    for item in proof.built:
        print(f"wrote {display_path(item.path)} ({item.pages} pages)")
    print(
        f"wrote {display_path(proof.folder)}/: {len(proof.spreads)} spreads (spread-01.png to "
        f"{proof.spreads[-1].name}) and {CONTACT_SHEET} ({proof.pages} pages)"
    )
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


def _impose(project: Project, args: argparse.Namespace) -> int:
    start = time.perf_counter()
    imposed = impose_booklet(project, args.out, args.sheet, args.direction, _print_step)
    for item in imposed.built:
        print(f"wrote {display_path(item.path)} ({item.pages} pages)")
        if item.share_image:
            print(f"wrote {display_path(item.share_image)} (the cover, for sharing)")
    bound = "right" if imposed.direction == "rtl" else "left"
    blanks = f" and {imposed.blanks} blank{'s' if imposed.blanks != 1 else ''}" if imposed.blanks else ""
    print(
        f"wrote {display_path(imposed.path)} ({imposed.sides} sides: {imposed.pages} pages{blanks} "
        f"on {imposed.sheets} {imposed.sheet} sheets, bound on the {bound})"
    )
    print("  print double-sided, flipping on the short edge; fold the stack in half and staple on the fold")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


def _preflight(project: Project, args: argparse.Namespace) -> int:
    report = preflight(args.out, project)
    table = [("edition", "check", "status", "detail")] + [(r.edition, r.check, r.status, r.detail) for r in report.rows]
    widths = [max(len(row[column]) for row in table) for column in range(3)]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3])
    errors, warnings = len(report.errors), len(report.warnings)
    counted = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    if errors:
        print(f"{counted}: fix the errors before sending anything")
    elif warnings:
        print(f"{counted}: the files can be sent once someone has read the warnings")
    else:
        print(f"{counted}: ready to send")
    return 1 if errors else 0


def _print_step(step: str, seconds: float) -> None:
    print(f"  {step:<20} {seconds * 1000:7.0f} ms", flush=True)


class _JsonReport:
    """``build --report json``: the steps as the pipeline reports them, then one JSON object for a program."""

    def __init__(self) -> None:
        self.steps: list[dict[str, object]] = []

    def __call__(self, step: str, seconds: float) -> None:
        self.steps.append({"step": step, "seconds": seconds})

    def print(self, built: list[Built], seconds: float) -> None:
        files = [
            {"edition": item.edition, "path": str(item.path.resolve()), "pages": item.pages}
            | ({"share_image": str(item.share_image.resolve())} if item.share_image else {})
            for item in built
        ]
        print(json.dumps({"steps": self.steps, "total_seconds": seconds, "files": files}, ensure_ascii=False))


class _NoteHandler(logging.Handler):
    """Print each distinct note once, to whatever sys.stderr is at that moment."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.seen:
            self.seen.add(message)
            print(f"note: {message}", file=sys.stderr)


def _show_notes() -> None:
    """Print the pipeline's notes (things worth knowing that are not problems)."""
    notes = logging.getLogger("booklet")
    notes.handlers = [_NoteHandler()]
    notes.setLevel(logging.INFO)
    notes.propagate = False


class _TooLong(BaseException):
    """The build ran out of time: a BaseException, so that no ``except Exception``
    inside WeasyPrint (around loading a drawing, say) swallows it."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop a runaway build (a layout that never ends) with a message, not a hang."""

    expired = []

    def expire(_signal: int, _frame: object) -> None:
        expired.append(True)
        raise _TooLong

    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, expire)
    # The alarm repeats: raised inside a finalizer, where Python can only
    # print it and carry on, the next one stops the build.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    except (_TooLong, BookletError) as error:
        if not expired:
            raise
        # Some code catches everything (WeasyPrint around a drawing), so the
        # time limit may come back as another problem: it is still the time.
        raise BookletError(
            [
                Problem(
                    Place("build"),
                    f"took longer than {seconds:g} s and was stopped; look for a text or a style "
                    "that makes the layout run away, or allow more time with --timeout",
                )
            ]
        ) from error
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: The exit code of a command stopped by Ctrl-C, as shells report SIGINT (128 + 2).
INTERRUPTED = 130
#: ... and by SIGTERM (kill, timeout, a cancelled job): 128 + 15.
TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM: the command stops as on Ctrl-C, every file as it was."""


def stop_on_sigterm() -> None:
    """Make SIGTERM stop the command as Ctrl-C does (the command line's process only)."""

    def terminate(_signal: int, _frame: object) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, terminate)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _show_notes()
    if args.command == "schema":
        print(f"wrote {display_path(schema.write(ROOT))}")
        return 0
    project = Project(args.data)
    try:
        if args.command == "impose":
            return _impose(project, args)
        if args.command == "preview":
            return _preview(project, args)
        if args.command == "proof":
            return _proof(project, args)
        if args.command == "preflight":
            return _preflight(project, args)
        if args.command == "check":
            check(project, _print_step)
            print(f"{display_path(project.data_file)}: no problems")
            return 0
        editions = list(EDITIONS) if args.edition == "all" else [args.edition]
        start = time.perf_counter()
        report = _JsonReport() if args.report == "json" else None
        with _time_limit(args.timeout):
            built = build(project, args.out, editions, report or _print_step)
    except KeyboardInterrupt as stopped:
        # Every file is written to a temporary and moved into place at the
        # end (output.py): stopped before that, nothing changed.
        how = "terminated" if isinstance(stopped, Terminated) else "Ctrl-C"
        print(
            f"\nstopped ({how}); {'nothing was written' if args.command == 'build' else 'nothing more was done'}",
            file=sys.stderr,
        )
        return TERMINATED if isinstance(stopped, Terminated) else INTERRUPTED
    except BookletError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        outcome = "" if args.command == "check" else "; nothing was written"
        print(f"{count} problem{'s' if count != 1 else ''}{outcome}", file=sys.stderr)
        return 1
    if report:
        report.print(built, time.perf_counter() - start)
        return 0
    for item in built:
        print(f"wrote {display_path(item.path)} ({item.pages} pages)")
        if item.share_image:
            print(f"wrote {display_path(item.share_image)} (the cover, for sharing)")
        if EDITIONS[item.edition].press:  # where the press needs enough pixels
            for placed in item.placements:
                print(
                    f"  picture {placed.picture} on page {placed.page}: {placed.ppi:.0f} ppi "
                    f"at {placed.width_mm:.0f} x {placed.height_mm:.0f} mm"
                )
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0
