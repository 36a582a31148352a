"""The processes bench/run.py times: each prints one line of JSON on stdout.

child.py bare HTML OUT.pdf CSS...   plain WeasyPrint, no booklet code (the screen edition's options)
child.py warm DATA OUT [EDITION] [fresh]
                                    build, change a title in DATA/booklet.yaml, build again in this
                                    process (reusing the typesetter if the pipeline can, unless "fresh")
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path


def _screen_options() -> dict:
    """What the pipeline gives WeasyPrint for the edition read on screens (booklet/editions.py).

    booklet/editions.py is loaded on its own, not as part of the package,
    whose __init__ imports WeasyPrint: `bare` times that import itself.
    """
    path = Path(__file__).resolve().parent.parent / "booklet" / "editions.py"
    spec = importlib.util.spec_from_file_location("_booklet_editions", path)
    assert spec is not None and spec.loader is not None
    editions = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = editions  # dataclasses look their module up while the classes are made
    spec.loader.exec_module(editions)
    return editions.for_screens().weasyprint_options


SCREEN_OPTIONS = _screen_options()


def bare(html: str, out: str, *stylesheets: str) -> dict:
    start = time.perf_counter()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    imported = time.perf_counter()
    # Without a FontConfiguration the @font-face rules of booklet.css are
    # ignored and Pango draws with system fonts: not the same job.
    font_config = FontConfiguration()
    sheets = [CSS(filename=name, font_config=font_config) for name in stylesheets]
    document = HTML(filename=html).render(stylesheets=sheets, font_config=font_config, **SCREEN_OPTIONS)
    laid_out = time.perf_counter()
    document.write_pdf(out, **SCREEN_OPTIONS)
    done = time.perf_counter()
    return {
        "import_s": imported - start,
        "layout_s": laid_out - imported,
        "write_s": done - laid_out,
        "work_s": done - imported,
        "pages": len(document.pages),
    }


def _retitle(data_file: Path, suffix: str, source: str | None = None) -> str:
    """Change the first chapter's title in the YAML text (or in ``source``), as an editor would."""
    lines = (source or data_file.read_text(encoding="utf-8")).splitlines(keepends=True)
    in_chapter = False
    for i, line in enumerate(lines):
        if line.lstrip("- ").startswith("kind:"):
            in_chapter = line.split("kind:", 1)[1].strip() == "chapter"
        elif in_chapter and line.strip().startswith("title:") and line.startswith(("  title:", "    title:")):
            key, value = line.rstrip("\n").split(":", 1)
            lines[i] = f"{key}: {value.strip()} {suffix}\n"
            data_file.write_text("".join(lines), encoding="utf-8")
            return value.strip() + " " + suffix
    raise SystemExit(f"no chapter title in {data_file}")


def warm(data: str, out: str, edition: str = "all", reuse: str = "reuse") -> dict:
    """Two builds in one process, the second after a text edit; the second is the preview's case.

    The typesetter (fonts, parsed stylesheets) is carried from one build to
    the next, as the preview does, unless ``reuse`` is "fresh".
    """
    start = time.perf_counter()
    from booklet import pipeline
    from booklet.editions import EDITIONS
    from booklet.project import Project

    imported = time.perf_counter()
    project = Project(Path(data))
    editions = list(EDITIONS) if edition == "all" else [edition]
    if reuse == "fresh":
        extra: dict = {}
        mode = "build() twice in one process, a new typesetter each time (for comparison)"
    else:
        extra = {"typesetter": pipeline.new_typesetter(project, Path(out))}
        mode = "build(typesetter=pipeline.new_typesetter(...)) reused across builds"
    first = time.perf_counter()
    pipeline.build(project, Path(out), editions, **extra)
    second = time.perf_counter()
    title = _retitle(project.data_file, "(مراجعة)")
    edited = time.perf_counter()
    built = pipeline.build(project, Path(out), editions, **extra)
    done = time.perf_counter()
    html = (Path(out) / "booklet.html").read_text(encoding="utf-8")
    if title not in html:
        raise SystemExit("the edited title is not in the rebuilt booklet.html")
    return {
        "import_s": imported - start,
        "first_s": second - first,
        "second_s": done - edited,
        "pages": built[-1].pages,
        "mode": mode,
    }


def preview(data: str, out: str, edits: str = "5") -> dict:
    """The preview end to end (`python -m booklet preview`): a title saved, then the new pages served.

    Listens to the preview's own event stream; each edit is timed from the
    moment the file is written to the state that shows the rebuilt pages.
    """
    import socket
    import subprocess
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "booklet", "preview", "--data", data, "--port", str(port), "--out", out]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                stream = urllib.request.urlopen(f"http://127.0.0.1:{port}/events", timeout=120)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the preview did not start: {server.stderr.read().decode()[-500:]}") from None
                time.sleep(0.05)

        def states():  # noqa: ANN202 - a generator of the preview's states
            lines: list[str] = []
            while line := stream.readline():
                text = line.decode("utf-8").rstrip("\n")
                if text.startswith("data: "):
                    lines.append(text[6:])
                elif not text and lines:
                    yield json.loads("\n".join(lines))
                    lines = []
            raise SystemExit("the preview closed its event stream")

        shown = states()
        state = next(s for s in shown if not s["building"] and s["build"] >= 1)
        if state["good"] != state["build"]:
            raise SystemExit(f"the preview's first build failed: {state['problems'][:3]}")
        data_file = Path(data) / "booklet.yaml"
        source = data_file.read_text(encoding="utf-8")
        seen, builds = [], []
        for edit in range(int(edits)):
            before = state["build"]
            time.sleep(0.3)  # a person does not save twice in the same instant
            start = time.perf_counter()
            _retitle(data_file, f"(مراجعة {edit + 1})", source)
            state = next(s for s in shown if not s["building"] and s["build"] > before)
            seen.append(time.perf_counter() - start)
            builds.append(state["seconds"])
            if state["good"] != state["build"]:
                raise SystemExit(f"the preview's rebuild failed: {state['problems'][:3]}")
        return {"seen_s": seen, "build_s": builds, "pages": len(state["pages"])}
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    print(json.dumps({"bare": bare, "warm": warm, "preview": preview}[command](*arguments)))
