"""The booklet's benchmark: how long builds take, how much memory they need, against the targets.

    .venv/bin/python bench/run.py              # what `make bench` runs
    .venv/bin/python bench/run.py --quick      # 2 runs a row (1 for slow rows): a smoke test, not a result
    .venv/bin/python bench/run.py --no-pagedjs

Every measurement is a whole process started afresh (interpreter start, imports
and exit included) unless the row says "in one process". Each row prints the
median of n runs and their spread. Nothing here is a test: the targets are
reported PASS or MISS, and the exit code is 0 whatever they say. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import ctypes.util
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = sys.executable
PAGEDJS_VERSION = "0.4.3"
PAGEDJS_CLI = BENCH / "node_modules" / ".bin" / "pagedjs-cli"
CHROMIUM = os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
RESULTS = ROOT / "build" / "bench-results.md"

# Targets (the brief in bench/README.md).
OVERHEAD_TARGET = 0.10
KASHIDA_TARGET = 0.15
NOOP_MAKE_TARGET = 0.3
WARM_EDIT_TARGET = 1.5
PEAK_MB_TARGET = 400
#: Growth counts as linear while the cost of one more page between 4x and 8x
#: is at most this many times its cost between 1x and 4x.
LINEAR_SLACK = 1.25


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    stdout: str
    stderr: str

    def json(self) -> dict:
        """The last line of stdout as JSON: what child.py prints, and all that `build --report json` prints."""
        return json.loads(self.stdout.strip().splitlines()[-1])

    def steps(self) -> dict[str, float]:
        """A build's own steps, in seconds, from its `--report json`."""
        return {step["step"]: step["seconds"] for step in self.json()["steps"]}

    def build_seconds(self) -> float:
        """The whole build as the command line timed it, from its `--report json` (the steps may overlap: the
        editions are laid out at once)."""
        return self.json()["total_seconds"]

    def pages(self, edition: str = "screen") -> int:
        """The pages of one edition a build wrote, from its `--report json` (0 if it wrote none)."""
        return next((file["pages"] for file in self.json()["files"] if file["edition"] == edition), 0)


def machine_busy() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat), or None where there is none."""
    try:
        fields = [int(field) for field in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu(children: bool = True) -> float:
    """CPU seconds of the bench, and of every process it started and reaped unless ``children`` is False."""
    usages = [resource.getrusage(resource.RUSAGE_SELF)]
    if children:
        usages.append(resource.getrusage(resource.RUSAGE_CHILDREN))
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


class Failed(Exception):
    pass


@dataclass
class Others:
    """CPU time the rest of the machine took while the bench's own runs were timed."""

    cpu: float = 0.0
    capacity: float = 0.0  # wall time of those runs times the CPUs

    def add(self, busy: float | None, wall: float, mine: float) -> None:
        if busy is not None:
            self.cpu += max(0.0, busy - mine)
            self.capacity += wall * (os.cpu_count() or 1)

    def share(self) -> float | None:
        return self.cpu / self.capacity if self.capacity else None


OTHERS = Others()


def timed(
    cmd: list[str], cwd: Path = ROOT, env: dict | None = None, timeout: float = 900, watch_others: bool = True
) -> Run:
    """Run ``cmd`` to the end: its wall time, CPU time and peak RSS (its own and its reaped children's).

    With ``watch_others``, what the rest of the machine was busy with
    meanwhile goes into OTHERS. Not for Paged.js: Chromium's processes leave
    their parent, so their time cannot be told from another program's.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy_before, self_before = machine_busy(), own_cpu(children=False)
        start = time.perf_counter()
        process = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
        )
        killer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        killer.start()
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - start
        busy_after, self_after = machine_busy(), own_cpu(children=False)
        if watch_others:
            mine = usage.ru_utime + usage.ru_stime + self_after - self_before
            OTHERS.add(None if busy_before is None or busy_after is None else busy_after - busy_before, wall, mine)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        run = Run(
            wall,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,  # KiB on Linux
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )
    if process.returncode != 0:
        tail = "\n".join((run.stdout + run.stderr).strip().splitlines()[-15:])
        raise Failed(f"{' '.join(map(str, cmd))} exited with {process.returncode}:\n{tail}")
    return run


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def add(self, run: Run) -> Run:
        self.runs.append(run)
        return run

    @property
    def n(self) -> int:
        return len(self.runs)

    def median(self, key: str = "wall") -> float:
        return statistics.median(getattr(r, key) for r in self.runs)

    def spread(self, key: str = "wall", digits: int = 2) -> str:
        values = [getattr(r, key) for r in self.runs]
        return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


def largest_example() -> Path | None:
    """The example under examples/ with the most data (the annual report), or None."""
    found = sorted((ROOT / "examples").glob("*/booklet.yaml"), key=lambda p: p.stat().st_size)
    return found[-1].parent if found else None


def build_cmd(data: Path, out: Path, edition: str = "all") -> list[str]:
    """The command line's build, telling its steps and files as JSON (Run.steps, Run.pages)."""
    options = ["--data", str(data), "--out", str(out), "--edition", edition, "--report", "json"]
    return [PY, "-m", "booklet", "build", *options]


def fresh(tmp: Path, name: str) -> Path:
    """A new, empty folder: every build starts from a clean out dir."""
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=tmp))


def pagedjs_html(merged: Path, target: Path) -> Path:
    """booklet.html with the layouts' CSS where a browser printing it applies it.

    The merged HTML links booklet.css with media="screen" (WeasyPrint is given
    the stylesheets itself); Paged.js prints with print media, so the copy
    links booklet.css and screen.css for all media, as the pipeline's screen
    edition applies them. The page size stays the inline @page rule.
    """
    html = merged.read_text(encoding="utf-8")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)" media="screen">', html)
    if not links:
        raise Failed(f"{merged}: no <link media=screen> to the layouts' CSS found")
    booklet_css = links[0]
    screen_css = booklet_css.rsplit("/", 1)[0] + "/screen.css"
    html = html.replace(
        f'<link rel="stylesheet" href="{booklet_css}" media="screen">',
        f'<link rel="stylesheet" href="{booklet_css}">\n  <link rel="stylesheet" href="{screen_css}">',
    )
    target.write_text(html, encoding="utf-8")
    return target


def pagedjs_cmd(html: Path, pdf: Path) -> list[str]:
    # pagedjs-cli passes --browserArgs, comma-separated, to Chromium. As root
    # Chromium refuses to start without --no-sandbox ("Running as root without
    # --no-sandbox is not supported"); the rest keep it off this machine's
    # closed network.
    args = ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"]
    args += ["--disable-sync", "--disable-quic"]
    if os.geteuid() == 0:
        args.insert(0, "--no-sandbox")
    return [str(PAGEDJS_CLI), str(html), "-o", str(pdf), "--browserArgs=" + ",".join(args)]


def pagedjs_ready(log: Callable[[str], None]) -> str | None:
    """None if Paged.js can run; else why its rows are skipped. Installs pagedjs-cli into bench/ if needed."""
    if not shutil.which("node") or not shutil.which("npm"):
        return "Node.js is not installed"
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed ({CHROMIUM}; Debian: apt-get install chromium)"
    if not PAGEDJS_CLI.exists():
        log(f"installing pagedjs-cli {PAGEDJS_VERSION} into bench/node_modules (Chromium not downloaded)")
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        command = ["npm", "ci" if (BENCH / "package-lock.json").exists() else "install", "--no-audit", "--no-fund"]
        result = subprocess.run(command, cwd=BENCH, env=env, capture_output=True, text=True)
        if result.returncode != 0 or not PAGEDJS_CLI.exists():
            return f"npm could not install pagedjs-cli: {result.stderr.strip().splitlines()[-1:]}"
    return None


def text_chars(pdf: Path) -> int | None:
    """Characters of text in ``pdf`` (spaces left out), to see that two PDFs carry the same text."""
    if not shutil.which("pdftotext"):
        return None
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    return len(re.sub(r"\s", "", result.stdout)) if result.returncode == 0 else None


def pdf_pages(pdf: Path) -> int | None:
    if not shutil.which("pdfinfo"):
        return None
    result = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
    match = re.search(r"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    return int(match[1]) if match else None


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


# ---- the table's rows ----


@dataclass
class Row:
    """One row of the table: which target of bench/README.md it answers, what was measured and how it did."""

    number: str  # the row of bench/README.md's table
    what: str  # what is measured
    value: str  # the measured value (a median, a ratio)
    target: str = ""
    ok: bool | None = None  # PASS, MISS, or None: no target (n/a)
    series: Series | None = None  # the runs behind the value, if it is a median of runs
    spread: str = ""  # their fastest and slowest
    details: str = ""

    HEADER = ("#", "measurement", "n", "median", "min–max", "details", "target", "result")

    def cells(self) -> tuple[str, ...]:
        n = str(self.series.n) if self.series else ""
        return (self.number, self.what, n, self.value, self.spread, self.details, self.target, verdict(self.ok))


def timed_row(number: str, what: str, series: Series, value: str, **fields: object) -> Row:
    """A row whose value is the median of ``series``: its n and spread come with it."""
    return Row(number, what, value, series=series, spread=series.spread(), **fields)


def table(rows: list[Row]) -> list[str]:
    """The rows as a Markdown table, each column as wide as its widest cell."""
    cells = [Row.HEADER, *(row.cells() for row in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(Row.HEADER))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


# ---- the measurements, in the order they run ----


@dataclass
class Bench:
    """What every measurement needs: where to work, how many runs, whether Paged.js runs, where to log."""

    tmp: Path
    runs: int
    slow: int
    skip_pagedjs: str | None  # why the Paged.js rows are skipped, or None
    log: Callable[[str], None]
    sizes: dict[int, Path] = field(default_factory=dict)  # the data, 1x, 4x and 8x

    def pagedjs(self, html: Path, pdf: Path) -> Run:
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        return timed(pagedjs_cmd(html, pdf), cwd=self.tmp, env=env, watch_others=False)


def make_data(bench: Bench) -> None:
    """The sample's data 1, 4 and 8 times over (repeat_data.py), and one build nobody times (disks warm)."""
    bench.sizes = {1: bench.tmp / "data-1x", 4: bench.tmp / "data-4x", 8: bench.tmp / "data-8x"}
    for times, folder in bench.sizes.items():
        subprocess.run([PY, str(BENCH / "repeat_data.py"), str(times), str(folder)], check=True, capture_output=True)
    bench.log("data made and validated: 1x, 4x, 8x")
    # One build nobody times: disk caches warm, as they are for anyone who builds twice.
    timed(build_cmd(bench.sizes[1], fresh(bench.tmp, "warmup")))


@dataclass
class Cold:
    """Rows 1 to 3: cold builds of each size, beside the kashida-less copy, the screen edition, bare WeasyPrint
    and Paged.js."""

    builds: dict[int, Series]
    pagedjs: dict[int, Series]
    fidelity: dict[int, tuple[int | None, float | None]] = field(default_factory=dict)  # Paged.js pages, text share
    merged: dict[int, Path] = field(default_factory=dict)  # the first build's booklet.html of each size
    screen_pdf: dict[int, Path] = field(default_factory=dict)
    no_kashida: Series = field(default_factory=Series)
    screen_only: Series = field(default_factory=Series)
    bare: Series = field(default_factory=Series)

    def pages(self, times: int) -> int:
        return self.builds[times].runs[0].pages()

    def pagedjs_median(self, times: int) -> float | None:
        return self.pagedjs[times].median() if self.pagedjs[times].n else None


def _cold_build(bench: Bench, cold: Cold, times: int) -> None:
    out = fresh(bench.tmp, f"cold-{times}x")
    cold.builds[times].add(timed(build_cmd(bench.sizes[times], out)))
    if times not in cold.merged:
        cold.merged[times] = shutil.copy(out / "booklet.html", bench.tmp / f"booklet-{times}x.html")
        cold.screen_pdf[times] = shutil.copy(out / "booklet-screen.pdf", bench.tmp / f"screen-{times}x.pdf")
    else:
        shutil.rmtree(out)


def _pagedjs_build(bench: Bench, cold: Cold, times: int) -> None:
    html = pagedjs_html(cold.merged[times], bench.tmp / f"pagedjs-{times}x.html")
    pdf = bench.tmp / f"pagedjs-{times}x.pdf"
    cold.pagedjs[times].add(bench.pagedjs(html, pdf))
    if times not in cold.fidelity:
        ours, theirs = text_chars(cold.screen_pdf[times]), text_chars(pdf)
        share = theirs / ours if ours and theirs is not None else None
        cold.fidelity[times] = (pdf_pages(pdf), share)


def _timed_and_removed(bench: Bench, name: str, command: Callable[[Path], list[str]], cwd: Path = ROOT) -> Run:
    out = fresh(bench.tmp, name)
    run = timed(command(out), cwd=cwd)
    shutil.rmtree(out)
    return run


def measure_cold(bench: Bench) -> Cold:
    """Rows 1 and 2 interleaved, so that a busy moment hits every kind alike; then row 3's bigger booklets."""
    cold = Cold({t: Series() for t in bench.sizes}, {t: Series() for t in bench.sizes})
    one = bench.sizes[1]
    # Kashida's cost: the same cold build from a copy of the booklet whose print.css switches it off.
    no_kashida_root = bench.tmp / "no-kashida"
    for name in ("booklet", "layouts", "fonts"):
        shutil.copytree(ROOT / name, no_kashida_root / name)
    with (no_kashida_root / "layouts" / "print.css").open("a", encoding="utf-8") as css:
        css.write("\n.prose p { --kashida: off; }\n")
    for i in range(bench.runs):
        _cold_build(bench, cold, 1)
        # -m imports the copy's booklet
        cold.no_kashida.add(_timed_and_removed(bench, "no-kashida", lambda out: build_cmd(one, out), no_kashida_root))
        cold.screen_only.add(_timed_and_removed(bench, "screen", lambda out: build_cmd(one, out, "screen")))
        stylesheets = [str(ROOT / "layouts" / "booklet.css"), str(ROOT / "layouts" / "screen.css")]
        child = [PY, str(BENCH / "child.py"), "bare", str(cold.merged[1]), str(bench.tmp / "bare.pdf"), *stylesheets]
        cold.bare.add(timed(child))
        if not bench.skip_pagedjs and i < bench.slow:
            _pagedjs_build(bench, cold, 1)
        bench.log(
            f"1x run {i + 1}/{bench.runs}: both {cold.builds[1].runs[-1].wall:.2f} s, "
            f"screen {cold.screen_only.runs[-1].wall:.2f} s, bare {cold.bare.runs[-1].wall:.2f} s"
        )
    for times in (4, 8):
        for i in range(bench.slow):
            _cold_build(bench, cold, times)
            if not bench.skip_pagedjs:
                _pagedjs_build(bench, cold, times)
            bench.log(
                f"{times}x run {i + 1}/{bench.slow}: both {cold.builds[times].runs[-1].wall:.2f} s"
                + (f", Paged.js {cold.pagedjs[times].runs[-1].wall:.2f} s" if not bench.skip_pagedjs else "")
            )
    return cold


@dataclass
class Example:
    """Row 6: the largest example under examples/, cold, and Paged.js on its merged HTML."""

    folder: Path | None
    builds: Series = field(default_factory=Series)
    pagedjs: Series = field(default_factory=Series)


def measure_example(bench: Bench) -> Example:
    """Both editions cold, and Paged.js on the merged HTML (the first build's out dir is kept: the HTML names its
    prepared pictures)."""
    example = Example(largest_example())
    if example.folder is None:
        return example
    kept = None
    for i in range(bench.slow):
        out = fresh(bench.tmp, "example")
        example.builds.add(timed(build_cmd(example.folder, out)))
        if kept is None:
            kept = out
        else:
            shutil.rmtree(out)
        if not bench.skip_pagedjs:
            html = pagedjs_html(kept / "booklet.html", kept / "pagedjs.html")
            example.pagedjs.add(bench.pagedjs(html, bench.tmp / "pagedjs-example.pdf"))
        bench.log(
            f"{example.folder.name} run {i + 1}/{bench.slow}: both {example.builds.runs[-1].wall:.2f} s"
            + (f", Paged.js {example.pagedjs.runs[-1].wall:.2f} s" if example.pagedjs.n else "")
        )
    return example


def measure_noop_make(bench: Bench) -> tuple[Series, int]:
    """Row 4: `make` with nothing changed (after one make that builds); how many of those runs rebuilt."""
    make_out = fresh(bench.tmp, "make")
    timed(["make", "--no-print-directory", f"OUT={make_out}"])
    noop, rebuilt = Series(), 0
    for _ in range(max(bench.runs, 5)):
        run = noop.add(timed(["make", "--no-print-directory", f"OUT={make_out}"]))
        if "booklet build" in run.stdout:
            rebuilt += 1  # a source changed under us (someone editing?): not a no-op
    bench.log(f"make with nothing changed: {noop.median():.3f} s")
    return noop, rebuilt


@dataclass
class Warm:
    """Row 5: a text edit seen by a warm process (child.py warm) and by the live preview (child.py preview)."""

    both: Series = field(default_factory=Series)
    screen: Series = field(default_factory=Series)
    fresh: Series = field(default_factory=Series)  # a new typesetter each build
    mode: str = ""
    seen: Series = field(default_factory=Series)  # the preview: title saved to rebuilt pages served
    preview_note: str = ""


def measure_warm(bench: Bench) -> Warm:
    warm = Warm()
    for series, extra, count in (
        (warm.both, ["all"], bench.runs),
        (warm.screen, ["screen"], bench.slow),
        (warm.fresh, ["all", "fresh"], bench.slow),
    ):
        for _ in range(count):
            data = Path(shutil.copytree(bench.sizes[1], fresh(bench.tmp, "warm-data") / "data"))
            out = fresh(bench.tmp, "warm")
            run = series.add(timed([PY, str(BENCH / "child.py"), "warm", str(data), str(out), *extra]))
            run.wall = run.json()["second_s"]  # the row is the second build, inside the process
    warm.mode = warm.both.runs[0].json()["mode"]
    bench.log(f"warm rebuild after an edit: {warm.both.median():.2f} s ({warm.mode})")

    # End to end: the live preview (`python -m booklet preview`).
    data = Path(shutil.copytree(bench.sizes[1], fresh(bench.tmp, "preview-data") / "data"))
    out = fresh(bench.tmp, "preview")
    answer = timed([PY, str(BENCH / "child.py"), "preview", str(data), str(out), str(bench.runs)]).json()
    for edit_seen in answer["seen_s"]:
        warm.seen.add(Run(edit_seen, 0, 0, "", ""))
    warm.preview_note = f"its own build+draw {statistics.median(answer['build_s']):.2f} s; {answer['pages']} pages"
    bench.log(f"preview, save to new pages: {warm.seen.median():.2f} s")
    return warm


# ---- from measurements to rows ----


def rows_sample(cold: Cold, skip_pagedjs: str | None) -> list[Row]:
    """Row 1: the sample cold against Paged.js, and kashida's cost."""
    builds, pages = cold.builds[1], cold.pages(1)
    target, ok = _vs_pagedjs(cold, 1, skip_pagedjs)
    kashida_cost = builds.median() / cold.no_kashida.median() - 1
    cpu_cost = builds.median("cpu") / cold.no_kashida.median("cpu") - 1
    return [
        timed_row(
            "1",
            f"cold build, both editions, 1x ({pages} pages)",
            builds,
            f"{builds.median():.2f} s",
            details=f"{builds.median() / pages * 1000:.0f} ms/page, cpu {builds.median('cpu'):.2f} s, "
            f"{builds.median('peak_mb'):.0f} MB",
            target=target,
            ok=ok,
        ),
        timed_row(
            "1",
            "kashida's cost: cold build, both editions, 1x, against print.css with --kashida: off",
            cold.no_kashida,
            f"{kashida_cost:+.0%}",
            details=f"{cold.no_kashida.median():.2f} s without; cpu {cpu_cost:+.0%}",
            target=f"≤ {KASHIDA_TARGET:.0%}",
            ok=kashida_cost <= KASHIDA_TARGET,
        ),
    ]


def _vs_pagedjs(cold: Cold, times: int, skip_pagedjs: str | None) -> tuple[str, bool | None]:
    peer = cold.pagedjs_median(times)
    if peer is None:
        return f"< Paged.js {times}x (skipped: {skip_pagedjs})", None
    return f"< Paged.js {times}x ({peer:.2f} s)", cold.builds[times].median() < peer


def rows_overhead(cold: Cold) -> list[Row]:
    """Row 2: bare WeasyPrint against the pipeline's screen edition, as whole processes and inside them."""
    bare, screen_only = cold.bare, cold.screen_only
    overhead = (screen_only.median() - bare.median()) / bare.median()
    bare_json = [r.json() for r in bare.runs]
    bare_work = statistics.median(j["work_s"] for j in bare_json)
    bare_import = statistics.median(j["import_s"] for j in bare_json)
    # The build's steps against WeasyPrint's render + write (imports and exit left out).
    inside = statistics.median(sum(r.steps().values()) for r in screen_only.runs)
    step = {k: statistics.median(r.steps().get(k, 0) for r in screen_only.runs) for k in screen_only.runs[0].steps()}
    return [
        timed_row(
            "2",
            "bare WeasyPrint, screen, 1x (own process)",
            bare,
            f"{bare.median():.2f} s",
            details=f"{bare_json[0]['pages']} pages; import {bare_import:.2f} s, render+write {bare_work:.2f} s",
        ),
        timed_row(
            "2",
            "pipeline, screen edition only, 1x",
            screen_only,
            f"{screen_only.median():.2f} s",
            details=f"cpu {screen_only.median('cpu'):.2f} s, {screen_only.median('peak_mb'):.0f} MB",
        ),
        Row(
            "2",
            "pipeline overhead: (pipeline − bare) / bare",
            f"{overhead:+.0%}",
            details="whole processes",
            target=f"< {OVERHEAD_TARGET:.0%}",
            ok=overhead < OVERHEAD_TARGET,
        ),
        Row(
            "2",
            "same, inside the process: build steps vs render+write",
            f"{(inside - bare_work) / bare_work:+.0%}",
            details=f"{inside:.2f} vs {bare_work:.2f} s; layout {step.get('typesetting screen', 0):.2f} vs "
            f"{statistics.median(j['layout_s'] for j in bare_json):.2f}, "
            f"write {step.get('writing screen', 0):.2f} vs {statistics.median(j['write_s'] for j in bare_json):.2f}",
            target="(info)",
        ),
    ]


def rows_sizes(cold: Cold, skip_pagedjs: str | None) -> list[Row]:
    """Row 3: 4x and 8x against Paged.js, Paged.js itself, and how time and memory grow with the pages."""
    rows = []
    for times in (4, 8):
        builds = cold.builds[times]
        target, ok = _vs_pagedjs(cold, times, skip_pagedjs)
        rows.append(
            timed_row(
                "3",
                f"cold build, both editions, {times}x ({cold.pages(times)} pages)",
                builds,
                f"{builds.median():.2f} s",
                details=f"{builds.median() / cold.pages(times) * 1000:.0f} ms/page, {builds.median('peak_mb'):.0f} MB",
                target=target,
                ok=ok,
            )
        )
    for times, series in cold.pagedjs.items():
        if series.n:
            pj_pages, share = cold.fidelity[times]
            fidelity = f"{pj_pages} pages vs {cold.pages(times)}" + (f", {share:.0%} of the text" if share else "")
            rows.append(
                timed_row(
                    "3",
                    f"Paged.js {PAGEDJS_VERSION}, one edition, {times}x",
                    series,
                    f"{series.median():.2f} s",
                    details=fidelity,
                    target="(the peer)",
                )
            )
        elif times == 1:
            rows.append(Row("3", "Paged.js rows", "skipped", details=skip_pagedjs or ""))
    peaks = " / ".join(f"{series.median('peak_mb'):.0f}" for series in cold.builds.values())
    rows.append(
        _growth_row(cold, "wall", "time growth: s per extra page, 1→4x then 4→8x", lambda v: f"{v * 1000:.0f} ms")
    )
    rows.append(
        _growth_row(
            cold,
            "peak_mb",
            "memory growth: MB per extra page, 1→4x then 4→8x",
            lambda v: f"{v:.2f} MB",
            f"; {peaks} MB",
        )
    )
    peak8 = cold.builds[8].median("peak_mb")
    rows.append(
        Row(
            "3",
            "peak memory, both editions, 8x",
            f"{peak8:.0f} MB",
            series=cold.builds[8],
            spread=cold.builds[8].spread("peak_mb", 0),
            details="ru_maxrss",
            target=f"< {PEAK_MB_TARGET} MB",
            ok=peak8 < PEAK_MB_TARGET,
        )
    )
    return rows


def _growth_row(cold: Cold, key: str, label: str, shown: Callable[[float], str], more: str = "") -> Row:
    """A row saying whether ``key`` grows linearly with the pages: its slope from 4x to 8x against 1x to 4x.

    A first slope of zero or less (flat memory and noise) says nothing about the
    growth: the row misses rather than divide by it, or pass on a negative ratio.
    """
    low, high = _slopes(cold, key)
    ratio = high / low if low > 0 else None
    return Row(
        "3",
        label,
        f"{shown(low).split()[0]} → {shown(high)}",
        details=(f"ratio {ratio:.2f}" if ratio is not None else "first slope not positive") + more,
        target=f"ratio ≤ {LINEAR_SLACK}",
        ok=ratio is not None and ratio <= LINEAR_SLACK,
    )


def _slopes(cold: Cold, key: str) -> tuple[float, float]:
    """The cost of one more page (``key``: wall or peak_mb) from 1x to 4x, then from 4x to 8x."""
    b, pages = cold.builds, {t: cold.pages(t) for t in cold.builds}
    low = (b[4].median(key) - b[1].median(key)) / (pages[4] - pages[1])
    high = (b[8].median(key) - b[4].median(key)) / (pages[8] - pages[4])
    return low, high


def row_noop_make(noop: Series, rebuilt: int) -> Row:
    """Row 4."""
    note = f"rebuilt {rebuilt} of {noop.n}: a source changed during the bench" if rebuilt else "says nothing to be done"
    return timed_row(
        "4",
        "`make` with nothing changed",
        noop,
        f"{noop.median():.3f} s",
        details=note,
        target=f"< {NOOP_MAKE_TARGET} s",
        ok=noop.median() < NOOP_MAKE_TARGET and not rebuilt,
    )


def rows_warm(warm: Warm) -> list[Row]:
    """Row 5: the preview end to end, then the warm process's second build."""
    target = f"< {WARM_EDIT_TARGET} s"
    first = statistics.median(r.json()["first_s"] for r in warm.both.runs)

    def under_target(what: str, series: Series, details: str) -> Row:
        value = f"{series.median():.2f} s"
        return timed_row(
            "5", what, series, value, details=details, target=target, ok=series.median() < WARM_EDIT_TARGET
        )

    return [
        under_target(
            "the preview: title saved → rebuilt pages served (n edits, one process)", warm.seen, warm.preview_note
        ),
        under_target(
            "warm process: build() again after a title edit, both editions", warm.both, f"first build {first:.2f} s"
        ),
        under_target("warm process: same, screen edition only (the preview's build)", warm.screen, ""),
        timed_row(
            "5",
            "warm process: both editions, new typesetter each build",
            warm.fresh,
            f"{warm.fresh.median():.2f} s",
            details="what reusing it saves",
        ),
    ]


def rows_example(example: Example, skip_pagedjs: str | None) -> list[Row]:
    """Row 6 (none without an example)."""
    builds = example.builds
    if not builds.n or example.folder is None:
        return []
    if example.pagedjs.n:
        target, ok = f"< Paged.js ({example.pagedjs.median():.2f} s)", builds.median() < example.pagedjs.median()
    else:
        target, ok = f"< Paged.js (skipped: {skip_pagedjs})", None
    return [
        timed_row(
            "6",
            f"cold build, both editions, examples/{example.folder.name} ({builds.runs[0].pages()} pages)",
            builds,
            f"{builds.median():.2f} s",
            details=f"pictures prepared in each run; {builds.median('peak_mb'):.0f} MB",
            target=target,
            ok=ok,
        )
    ]


def step_table(cold: Cold) -> list[str]:
    """The build's own steps (from --report json), median ms: where the time goes."""
    sizes = cold.builds
    columns = {
        **{f"{t}x" if t > 1 else "1x (row 1)": sizes[t] for t in sizes},
        "1x screen only (row 2)": cold.screen_only,
    }
    names = list(dict.fromkeys(name for c in columns.values() for r in c.runs for name in r.steps()))
    lines = ["| step (median ms) | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for name in names:
        values = [statistics.median(r.steps().get(name, 0) for r in c.runs) * 1000 for c in columns.values()]
        lines.append(f"| {name} | " + " | ".join(f"{v:.0f}" for v in values) + " |")
    # The editions are laid out at once, so their steps overlap: what is not the build is the wall time less
    # the build's own total, not less the sum of its steps.
    for label, key in (
        ("sum of the steps", "steps"),
        ("the build (its own total)", "build"),
        ("start, imports, exit (wall − build)", "outside"),
        ("wall", "wall"),
    ):
        values = []
        for c in columns.values():
            inner = [r.build_seconds() for r in c.runs]
            walls = [r.wall for r in c.runs]
            outer = [w - i for w, i in zip(walls, inner, strict=True)]
            steps = [sum(r.steps().values()) for r in c.runs]
            values.append(
                statistics.median({"steps": steps, "build": inner, "outside": outer, "wall": walls}[key]) * 1000
            )
        lines.append(f"| {label} | " + " | ".join(f"{v:.0f}" for v in values) + " |")
    return lines


def context_lines(bench: Bench, load_before: float, priority: str, warm_mode: str) -> list[str]:
    """The machine, the versions, and what else was running: how far to trust the numbers."""
    # What the machine was busy with that was not the bench (nor what it
    # started): the load average cannot say, as the bench itself loads it.
    other_share = OTHERS.share()
    others = "unknown (no /proc/stat)"
    if other_share is not None:
        others = f"{OTHERS.cpu:.1f} CPU s, {other_share:.0%} of the machine (Paged.js runs not counted)"
    harfbuzz = "yes" if ctypes.util.find_library("harfbuzz-subset") else "no (fontTools fallback)"
    import weasyprint  # noqa: PLC0415 - only for its version, after the timings

    lines = [
        f"booklet bench, {datetime.datetime.now().isoformat(timespec='seconds')}: {platform.node()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
        f"HarfBuzz subset: {harfbuzz}",
        f"load average before {load_before:.2f}; other processes during the timed runs: {others}; "
        f"runs: {bench.runs} a row, {bench.slow} for slow rows, at {priority}; "
        f"rows 1-3: whole processes (`python -m booklet build`, fresh out dir); row 5 inside one process "
        f"({warm_mode})",
    ]
    if load_before > 0.7 or (other_share or 0) > 0.05:
        lines.append(
            "warning: other work was running on this machine (above); wall times are inflated "
            "and noisy, the spread says how much"
        )
    return lines


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time the booklet's builds against their targets.")
    parser.add_argument("--runs", type=int, default=5, help="runs of each quick row (default 5)")
    parser.add_argument("--slow-runs", type=int, default=5, help="runs of the slow rows: 4x, 8x, Paged.js (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 runs a row, 1 for slow rows: a smoke test")
    parser.add_argument("--no-pagedjs", action="store_true", help="skip the Paged.js rows")
    parser.add_argument("--keep", type=Path, help="keep the data, HTML and PDFs in this folder")
    parser.add_argument(
        "--nice",
        type=int,
        default=-10,
        help="niceness increment for the bench and what it runs (default -10 where allowed, e.g. as root: "
        "other work on a shared machine then distorts the timings less; 0 to leave it)",
    )
    return parser.parse_args()


def _priority(nice: int) -> str:
    if not nice:
        return "normal priority"
    try:
        return f"niceness {os.nice(nice)}"
    except PermissionError:
        return f"normal priority (nice {nice} not allowed)"


def main() -> int:
    args = _arguments()
    runs, slow = (2, 1) if args.quick else (args.runs, args.slow_runs)
    started = time.perf_counter()
    priority = _priority(args.nice)

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="bench-", dir=args.keep))
    else:
        tmp = Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    load_before = os.getloadavg()[0]
    try:
        skip_pagedjs = "--no-pagedjs was given" if args.no_pagedjs else pagedjs_ready(log)
        if skip_pagedjs:
            log(f"Paged.js rows skipped: {skip_pagedjs}")
        bench = Bench(tmp, runs, slow, skip_pagedjs, log)
        make_data(bench)
        cold = measure_cold(bench)
        example = measure_example(bench)
        noop, rebuilt = measure_noop_make(bench)
        warm = measure_warm(bench)
    except Failed as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print(
            f"bench: {' '.join(map(str, error.cmd))} failed:\n{(error.stderr or b'').decode()[-2000:]}", file=sys.stderr
        )
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    rows = [
        *rows_sample(cold, skip_pagedjs),
        *rows_overhead(cold),
        *rows_sizes(cold, skip_pagedjs),
        row_noop_make(noop, rebuilt),
        *rows_warm(warm),
        *rows_example(example, skip_pagedjs),
    ]
    context = context_lines(bench, load_before, priority, warm.mode)
    report = "\n".join([*context, "", *table(rows), "", *step_table(cold), ""])
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(f"(also in {RESULTS.relative_to(ROOT)}; took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
