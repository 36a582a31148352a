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

_STEP = re.compile(r"^  (\S.*?)\s+(\d+) ms$", re.MULTILINE)
_PAGES = re.compile(r"booklet-(\w+)\.pdf \((\d+) pages\)")


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    stdout: str
    stderr: str

    def steps(self) -> dict[str, float]:
        """The build's own step lines ("  typesetting print   347 ms"), in seconds."""
        return {name: int(ms) / 1000 for name, ms in _STEP.findall(self.stdout)}

    def pages(self, edition: str = "screen") -> int:
        return dict((e, int(n)) for e, n in _PAGES.findall(self.stdout)).get(edition, 0)

    def json(self) -> dict:
        return json.loads(self.stdout.strip().splitlines()[-1])


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


def build_cmd(data: Path, out: Path, edition: str = "all") -> list[str]:
    return [PY, "-m", "booklet", "build", "--data", str(data), "--out", str(out), "--edition", edition]


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


def main() -> int:  # noqa: C901, PLR0912, PLR0915 - one straight script, row by row
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
    args = parser.parse_args()
    runs, slow = (2, 1) if args.quick else (args.runs, args.slow_runs)

    started = time.perf_counter()
    priority = "normal priority"
    if args.nice:
        try:
            priority = f"niceness {os.nice(args.nice)}"
        except PermissionError:
            priority = f"normal priority (nice {args.nice} not allowed)"

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="bench-", dir=args.keep))
    else:
        tmp = Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    load_before = os.getloadavg()
    try:
        skip_pagedjs = "--no-pagedjs was given" if args.no_pagedjs else pagedjs_ready(log)
        if skip_pagedjs:
            log(f"Paged.js rows skipped: {skip_pagedjs}")

        # The data: the sample, and its content 4 and 8 times over.
        sizes = {1: tmp / "data-1x", 4: tmp / "data-4x", 8: tmp / "data-8x"}
        for times, folder in sizes.items():
            subprocess.run(
                [PY, str(BENCH / "repeat_data.py"), str(times), str(folder)], check=True, capture_output=True
            )
        log("data made and validated: 1x, 4x, 8x")

        # One build nobody times: disk caches warm, as they are for anyone who builds twice.
        timed(build_cmd(sizes[1], fresh(tmp, "warmup")))

        cold: dict[int, Series] = {t: Series() for t in sizes}
        pagedjs: dict[int, Series] = {t: Series() for t in sizes}
        pagedjs_fidelity: dict[int, tuple] = {}
        merged: dict[int, Path] = {}
        screen_pdf: dict[int, Path] = {}
        screen_only, bare = Series(), Series()
        # Kashida's cost: the same cold build from a copy of the booklet whose print.css switches it off.
        no_kashida_root, no_kashida = tmp / "no-kashida", Series()
        for name in ("booklet", "layouts", "fonts"):
            shutil.copytree(ROOT / name, no_kashida_root / name)
        with (no_kashida_root / "layouts" / "print.css").open("a", encoding="utf-8") as css:
            css.write("\n.prose p { --kashida: off; }\n")

        def cold_build(times: int) -> None:
            out = fresh(tmp, f"cold-{times}x")
            cold[times].add(timed(build_cmd(sizes[times], out)))
            if times not in merged:
                merged[times] = shutil.copy(out / "booklet.html", tmp / f"booklet-{times}x.html")
                screen_pdf[times] = shutil.copy(out / "booklet-screen.pdf", tmp / f"screen-{times}x.pdf")
            else:
                shutil.rmtree(out)

        def pagedjs_build(times: int) -> None:
            html = pagedjs_html(merged[times], tmp / f"pagedjs-{times}x.html")
            pdf = tmp / f"pagedjs-{times}x.pdf"
            env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
            pagedjs[times].add(timed(pagedjs_cmd(html, pdf), cwd=tmp, env=env, watch_others=False))
            if times not in pagedjs_fidelity:
                ours, theirs = text_chars(screen_pdf[times]), text_chars(pdf)
                share = theirs / ours if ours and theirs is not None else None
                pagedjs_fidelity[times] = (pdf_pages(pdf), share)

        # Rows 1 and 2, interleaved so that a busy moment hits every kind alike.
        for i in range(runs):
            cold_build(1)
            out = fresh(tmp, "no-kashida")
            no_kashida.add(timed(build_cmd(sizes[1], out), cwd=no_kashida_root))  # -m imports the copy's booklet
            shutil.rmtree(out)
            out = fresh(tmp, "screen")
            screen_only.add(timed(build_cmd(sizes[1], out, "screen")))
            shutil.rmtree(out)
            bare.add(
                timed(
                    [
                        PY,
                        str(BENCH / "child.py"),
                        "bare",
                        str(merged[1]),
                        str(tmp / "bare.pdf"),
                        str(ROOT / "layouts" / "booklet.css"),
                        str(ROOT / "layouts" / "screen.css"),
                    ]
                )
            )
            if not skip_pagedjs and i < slow:
                pagedjs_build(1)
            log(
                f"1x run {i + 1}/{runs}: both {cold[1].runs[-1].wall:.2f} s, screen {screen_only.runs[-1].wall:.2f} s, "
                f"bare {bare.runs[-1].wall:.2f} s"
            )

        # Row 3: the bigger booklets.
        for times in (4, 8):
            for i in range(slow):
                cold_build(times)
                if not skip_pagedjs:
                    pagedjs_build(times)
                log(
                    f"{times}x run {i + 1}/{slow}: both {cold[times].runs[-1].wall:.2f} s"
                    + (f", Paged.js {pagedjs[times].runs[-1].wall:.2f} s" if not skip_pagedjs else "")
                )

        # Row 4: make with nothing changed (after one make that builds).
        make_out = fresh(tmp, "make")
        timed(["make", "--no-print-directory", f"OUT={make_out}"])
        noop = Series()
        rebuilt = 0
        for _ in range(max(runs, 5)):
            run = noop.add(timed(["make", "--no-print-directory", f"OUT={make_out}"]))
            if "booklet build" in run.stdout:
                rebuilt += 1  # a source changed under us (someone editing?): not a no-op
        log(f"make with nothing changed: {noop.median():.3f} s")

        # Row 5: a text edit seen by a warm process.
        warm, warm_screen, warm_fresh = Series(), Series(), Series()
        for series, extra, count in (
            (warm, ["all"], runs),
            (warm_screen, ["screen"], slow),
            (warm_fresh, ["all", "fresh"], slow),
        ):
            for _ in range(count):
                data = Path(shutil.copytree(sizes[1], fresh(tmp, "warm-data") / "data"))
                run = series.add(
                    timed([PY, str(BENCH / "child.py"), "warm", str(data), str(fresh(tmp, "warm")), *extra])
                )
                run.wall = run.json()["second_s"]  # the row is the second build, inside the process
        warm_mode = warm.runs[0].json()["mode"]
        log(f"warm rebuild after an edit: {warm.median():.2f} s ({warm_mode})")

        # Row 5, end to end: the live preview (`python -m booklet preview`).
        seen = Series()
        data = Path(shutil.copytree(sizes[1], fresh(tmp, "preview-data") / "data"))
        result = timed([PY, str(BENCH / "child.py"), "preview", str(data), str(fresh(tmp, "preview")), str(runs)])
        answer = result.json()
        for edit_seen in answer["seen_s"]:
            seen.add(Run(edit_seen, 0, 0, "", ""))
        preview_note = f"its own build+draw {statistics.median(answer['build_s']):.2f} s; {answer['pages']} pages"
        log(f"preview, save to new pages: {seen.median():.2f} s")
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

    # ---- the table ----
    rows: list[tuple] = []

    def row(
        number: str, what: str, series: Series | None, value: str, spread: str, extra: str, target: str, ok: bool | None
    ) -> None:
        rows.append((number, what, str(series.n) if series else "", value, spread, extra, target, verdict(ok)))

    pages = {t: cold[t].runs[0].pages() for t in sizes}
    pj = {t: pagedjs[t].median() if pagedjs[t].n else None for t in sizes}

    def vs_pagedjs(times: int) -> tuple[str, bool | None]:
        if pj[times] is None:
            return f"< Paged.js {times}x (skipped: {skip_pagedjs})", None
        return f"< Paged.js {times}x ({pj[times]:.2f} s)", cold[times].median() < pj[times]

    target, ok = vs_pagedjs(1)
    row(
        "1",
        f"cold build, both editions, 1x ({pages[1]} pages)",
        cold[1],
        f"{cold[1].median():.2f} s",
        cold[1].spread(),
        f"{cold[1].median() / pages[1] * 1000:.0f} ms/page, cpu {cold[1].median('cpu'):.2f} s, "
        f"{cold[1].median('peak_mb'):.0f} MB",
        target,
        ok,
    )

    kashida_cost = cold[1].median() / no_kashida.median() - 1
    row(
        "1",
        "kashida's cost: cold build, both editions, 1x, against print.css with --kashida: off",
        no_kashida,
        f"{kashida_cost:+.0%}",
        no_kashida.spread(),
        f"{no_kashida.median():.2f} s without; cpu {cold[1].median('cpu') / no_kashida.median('cpu') - 1:+.0%}",
        f"≤ {KASHIDA_TARGET:.0%}",
        kashida_cost <= KASHIDA_TARGET,
    )

    overhead = (screen_only.median() - bare.median()) / bare.median()
    bare_json = [r.json() for r in bare.runs]
    bare_work = statistics.median(j["work_s"] for j in bare_json)
    bare_import = statistics.median(j["import_s"] for j in bare_json)
    row(
        "2",
        "bare WeasyPrint, screen, 1x (own process)",
        bare,
        f"{bare.median():.2f} s",
        bare.spread(),
        f"{bare_json[0]['pages']} pages; import {bare_import:.2f} s, render+write {bare_work:.2f} s",
        "",
        None,
    )
    row(
        "2",
        "pipeline, screen edition only, 1x",
        screen_only,
        f"{screen_only.median():.2f} s",
        screen_only.spread(),
        f"cpu {screen_only.median('cpu'):.2f} s, {screen_only.median('peak_mb'):.0f} MB",
        "",
        None,
    )
    row(
        "2",
        "pipeline overhead: (pipeline − bare) / bare",
        None,
        f"{overhead:+.0%}",
        "",
        "whole processes",
        f"< {OVERHEAD_TARGET:.0%}",
        overhead < OVERHEAD_TARGET,
    )
    # The same inside the process: the build's steps against WeasyPrint's render + write (imports and exit left out).
    inside = statistics.median(sum(r.steps().values()) for r in screen_only.runs)
    step = {k: statistics.median(r.steps().get(k, 0) for r in screen_only.runs) for k in screen_only.runs[0].steps()}
    row(
        "2",
        "same, inside the process: build steps vs render+write",
        None,
        f"{(inside - bare_work) / bare_work:+.0%}",
        "",
        f"{inside:.2f} vs {bare_work:.2f} s; layout {step.get('typesetting screen', 0):.2f} vs "
        f"{statistics.median(j['layout_s'] for j in bare_json):.2f}, write {step.get('writing screen', 0):.2f} vs "
        f"{statistics.median(j['write_s'] for j in bare_json):.2f}",
        "(info)",
        None,
    )

    for times in (4, 8):
        target, ok = vs_pagedjs(times)
        row(
            "3",
            f"cold build, both editions, {times}x ({pages[times]} pages)",
            cold[times],
            f"{cold[times].median():.2f} s",
            cold[times].spread(),
            f"{cold[times].median() / pages[times] * 1000:.0f} ms/page, {cold[times].median('peak_mb'):.0f} MB",
            target,
            ok,
        )
    for times in sizes:
        if pagedjs[times].n:
            pj_pages, share = pagedjs_fidelity[times]
            fidelity = f"{pj_pages} pages vs {pages[times]}" + (f", {share:.0%} of the text" if share else "")
            row(
                "3",
                f"Paged.js {PAGEDJS_VERSION}, one edition, {times}x",
                pagedjs[times],
                f"{pj[times]:.2f} s",
                pagedjs[times].spread(),
                fidelity,
                "(the peer)",
                None,
            )
        elif times == 1:
            row("3", "Paged.js rows", None, "skipped", "", skip_pagedjs, "", None)

    def slopes(key: str) -> tuple[float, float]:
        low = (cold[4].median(key) - cold[1].median(key)) / (pages[4] - pages[1])
        high = (cold[8].median(key) - cold[4].median(key)) / (pages[8] - pages[4])
        return low, high

    low, high = slopes("wall")
    row(
        "3",
        "time growth: s per extra page, 1→4x then 4→8x",
        None,
        f"{low * 1000:.0f} → {high * 1000:.0f} ms",
        "",
        f"ratio {high / low:.2f}",
        f"ratio ≤ {LINEAR_SLACK}",
        high / low <= LINEAR_SLACK,
    )
    low, high = slopes("peak_mb")
    row(
        "3",
        "memory growth: MB per extra page, 1→4x then 4→8x",
        None,
        f"{low:.2f} → {high:.2f} MB",
        "",
        f"ratio {high / low:.2f}; " + " / ".join(f"{cold[t].median('peak_mb'):.0f}" for t in sizes) + " MB",
        f"ratio ≤ {LINEAR_SLACK}",
        high / low <= LINEAR_SLACK,
    )
    peak8 = cold[8].median("peak_mb")
    row(
        "3",
        "peak memory, both editions, 8x",
        cold[8],
        f"{peak8:.0f} MB",
        cold[8].spread("peak_mb", 0),
        "ru_maxrss",
        f"< {PEAK_MB_TARGET} MB",
        peak8 < PEAK_MB_TARGET,
    )

    note = f"rebuilt {rebuilt} of {noop.n}: a source changed during the bench" if rebuilt else "says nothing to be done"
    row(
        "4",
        "`make` with nothing changed",
        noop,
        f"{noop.median():.3f} s",
        noop.spread(),
        note,
        f"< {NOOP_MAKE_TARGET} s",
        noop.median() < NOOP_MAKE_TARGET and not rebuilt,
    )

    row(
        "5",
        "the preview: title saved → rebuilt pages served (n edits, one process)",
        seen,
        f"{seen.median():.2f} s",
        seen.spread(),
        preview_note,
        f"< {WARM_EDIT_TARGET} s",
        seen.median() < WARM_EDIT_TARGET,
    )
    first = statistics.median(r.json()["first_s"] for r in warm.runs)
    row(
        "5",
        "warm process: build() again after a title edit, both editions",
        warm,
        f"{warm.median():.2f} s",
        warm.spread(),
        f"first build {first:.2f} s",
        f"< {WARM_EDIT_TARGET} s",
        warm.median() < WARM_EDIT_TARGET,
    )
    row(
        "5",
        "warm process: same, screen edition only (the preview's build)",
        warm_screen,
        f"{warm_screen.median():.2f} s",
        warm_screen.spread(),
        "",
        f"< {WARM_EDIT_TARGET} s",
        warm_screen.median() < WARM_EDIT_TARGET,
    )
    row(
        "5",
        "warm process: both editions, new typesetter each build",
        warm_fresh,
        f"{warm_fresh.median():.2f} s",
        warm_fresh.spread(),
        "what reusing it saves",
        "",
        None,
    )

    header = ("#", "measurement", "n", "median", "min–max", "details", "target", "result")
    table = [header, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in table]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")

    # The build's own steps, from its step lines: where the time goes.
    columns = {**{f"{t}x" if t > 1 else "1x (row 1)": cold[t] for t in sizes}, "1x screen only (row 2)": screen_only}
    names = list(dict.fromkeys(name for c in columns.values() for r in c.runs for name in r.steps()))
    step_lines = ["| step (median ms) | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for name in names:
        values = [statistics.median(r.steps().get(name, 0) for r in c.runs) * 1000 for c in columns.values()]
        step_lines.append(f"| {name} | " + " | ".join(f"{v:.0f}" for v in values) + " |")
    for label, key in (
        ("sum of the steps", "steps"),
        ("start, imports, exit (wall − steps)", "outside"),
        ("wall", "wall"),
    ):
        values = []
        for c in columns.values():
            inner = [sum(r.steps().values()) for r in c.runs]
            walls = [r.wall for r in c.runs]
            outer = [w - i for w, i in zip(walls, inner, strict=True)]
            values.append(statistics.median({"steps": inner, "outside": outer, "wall": walls}[key]) * 1000)
        step_lines.append(f"| {label} | " + " | ".join(f"{v:.0f}" for v in values) + " |")

    # What the machine was busy with that was not the bench (nor what it
    # started): the load average cannot say, as the bench itself loads it.
    other_share = OTHERS.share()
    others = "unknown (no /proc/stat)"
    if other_share is not None:
        others = f"{OTHERS.cpu:.1f} CPU s, {other_share:.0%} of the machine (Paged.js runs not counted)"
    harfbuzz = "yes" if ctypes.util.find_library("harfbuzz-subset") else "no (fontTools fallback)"
    import weasyprint  # noqa: PLC0415 - only for its version, after the timings

    context = [
        f"booklet bench, {datetime.datetime.now().isoformat(timespec='seconds')}: {platform.node()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
        f"HarfBuzz subset: {harfbuzz}",
        f"load average before {load_before[0]:.2f}; other processes during the timed runs: {others}; "
        f"runs: {runs} a row, {slow} for slow rows, at {priority}; "
        f"rows 1-3: whole processes (`python -m booklet build`, fresh out dir); row 5 inside one process "
        f"({warm_mode})",
    ]
    if load_before[0] > 0.7 or (other_share or 0) > 0.05:
        context.append(
            "warning: other work was running on this machine (above); wall times are inflated "
            "and noisy, the spread says how much"
        )
    report = "\n".join([*context, "", *lines, "", *step_lines, ""])
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(f"(also in {RESULTS.relative_to(ROOT)}; took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
