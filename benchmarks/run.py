"""Our build against the plain-MkDocs floor and mkdocs-bibtex, at 100, 1,000 and 10,000 claims.

    python benchmarks/run.py            # the full run (long: the 10,000-claim site has ~20,000 pages)
    python benchmarks/run.py --quick    # a smoke run of the harness on a tiny site
    python benchmarks/run.py --shapes realistic --sizes 1000,10000   # chosen shapes and sizes
    python benchmarks/run.py --shapes cards --sizes 1000,10000       # the card-heavy shape

The three shapes of generate.py are run: "friendly" (one reference per claim, ten claims a
page), "realistic" (shapes.py: topics of 100-1,000 claims, a few sources cited by
10-30% of claims) and "cards" (cards.py: the real site with its claims cloned, each
clone's card right after its original's on the four topic pages). After its rounds, each
case's site is measured (sizes.py: HTML bytes per claim, the largest page apart from the
list pages, each kind of list page and its paged pages, the largest page of any kind,
the search index) and a reader's visit is replayed in headless Chromium (download.py:
home page plus one search; rows.py, run on its own, times All claims).

For each case it generates a project (generate.py), its floor (floor.py) and its
mkdocs-bibtex variant (bibtex_variant.py), then runs rounds; each round runs every
variant once, in this order, so that load from other processes falls on all of them:

    floor, ours cold (no .cache), ours warm, one-claim edit + rebuild, check (cache),
    check cold (no cache), mkdocs-bibtex

Every build is `mkdocs build --strict -q` into an emptied site folder (deleting the old
site is not timed). Times are wall-clock medians; memory is the child's peak RSS
(`os.wait4`). Ratios are medians over the floor's median from the same run. The table
is printed and written, with the machine, to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import importlib.util
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml
from bibtex_variant import make_variant
from download import Download
from floor import make_floor
from generate import REPO, SHAPES, Spec, claim_yaml, generate
from output import issue25_verdicts, measure_output, med, realistic_verdicts, say, size_table
from preview import measure as measure_preview
from sizes import SiteSize

PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
VARIANTS = ["floor", "cold", "warm", "edit", "check", "check cold", "mkdocs-bibtex"]
LABELS = {
    "floor": "floor: bare MkDocs + Material",
    "cold": "ours, cold (no cache)",
    "warm": "ours, warm (cache present)",
    "edit": "ours, one claim edited + rebuild",
    "check": "`evidence check` (cache present)",
    "check cold": "`evidence check` (no cache)",
    "mkdocs-bibtex": "mkdocs-bibtex 4.4.0",
}
HAVE_BIBTEX = importlib.util.find_spec("mkdocs_bibtex") is not None
PACKAGES = [
    "mkdocs",
    "mkdocs-material",
    "mkdocs-macros-plugin",
    "pybtex",
    "pydantic",
    "PyYAML",
    "mkdocs-bibtex",
]


@dataclass
class Case:
    name: str
    claims: int
    bib: int | None
    rounds: int
    results: dict[str, list[tuple[float, int, float]]] = field(default_factory=dict)
    pages: int = 0
    notes: list[str] = field(default_factory=list)
    shape: str = "friendly"
    size: SiteSize | None = None
    floor_size: SiteSize | None = None  # the same pages built by bare MkDocs + Material
    download: Download | None = None
    preview: list[float] = field(default_factory=list)  # edit to page under `make serve` (preview.py)


def case(claims: int, shape: str, rounds: int, bib: int | None = None) -> Case:
    name = (
        f"{claims:,} claims"
        + (f", {bib:,}-entry .bib" if bib else "")
        + (f", {shape}" * (shape != "friendly"))
    )
    return Case(name, claims, bib, rounds, shape=shape)


def full_cases(rounds_10k: int, shapes: list[str], sizes: list[int] | None = None) -> list[Case]:
    """The issue's cases; `sizes` replaces the sizes (each shape at each size, no large .bib)."""
    if sizes:
        return [case(n, shape, rounds_10k if n >= 10000 else 3) for shape in shapes for n in sizes]
    cases = []
    if "friendly" in shapes:
        cases += [
            case(100, "friendly", 3),
            case(1000, "friendly", 3),
            case(1000, "friendly", 3, bib=20000),
            case(10000, "friendly", rounds_10k),
        ]
    if "realistic" in shapes:
        cases += [case(1000, "realistic", 3), case(10000, "realistic", rounds_10k)]
    if "cards" in shapes:
        cases += [case(1000, "cards", 3), case(10000, "cards", rounds_10k)]
    return cases


def quick_cases(shapes: list[str], sizes: list[int] | None = None) -> list[Case]:
    """Small enough to run on a busy machine: a smoke test of the harness, not a measurement."""
    if sizes:
        return [case(n, shape, 1) for shape in shapes for n in sizes]
    cases = [case(30, "friendly", 2), case(30, "friendly", 2, bib=300)] if "friendly" in shapes else []
    cases += [case(150, "realistic", 1)] if "realistic" in shapes else []
    return cases + ([case(250, "cards", 1)] if "cards" in shapes else [])


# -- running one command ------------------------------------------------------------
def timed(cmd: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user + system) of one child process."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} in {cwd} failed:\n{err.read().decode()[-3000:]}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def build_cmd() -> list[str]:
    # no -q: it silences warnings before --strict counts them, so a warning would pass
    return [PY, "-m", "mkdocs", "build", "--strict", "-d", "site"]


def fresh_site(project: Path) -> None:
    shutil.rmtree(project / "site", ignore_errors=True)


def drop_cache(project: Path) -> None:
    shutil.rmtree(project / ".cache", ignore_errors=True)


def edited_claim(project: Path) -> Path:
    """The claim the edit round changes: the first file (claim-00000 in the generated
    shapes: on a topic page, the home page, the table; in the cards shape a real claim)."""
    return min((project / "content" / "claims").rglob("*.yml"))


def edit_claim(project: Path, round_no: int) -> str:
    """Change one claim's statement."""
    path = edited_claim(project)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    marker = f"Edited in benchmark round {round_no} at {time.time_ns()}."
    data["statement"] = marker
    path.write_text(claim_yaml(data), encoding="utf-8")
    return marker


# -- one case -------------------------------------------------------------------------
def prepare(case: Case, work: Path) -> tuple[Path, Path, Path]:
    base = work / case.name.replace(",", "").replace(" ", "-").replace(".", "")
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    project = generate(base / "ours", Spec(case.claims, bib_size=case.bib, shape=case.shape))
    floor = make_floor(project, base / "floor")
    bibtex = make_variant(floor, project, base / "bibtex")
    case.pages = json.loads((floor / "floor.json").read_text())["pages"]
    return project, floor, bibtex


def snapshot(work: Path) -> Path:
    """A copy of the engine that every run imports (PYTHONPATH), so that edits made to the
    working tree during a long run neither change what is measured nor empty the cache."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(REPO / "evidence", code / "evidence", ignore=shutil.ignore_patterns("__pycache__"))
    ENV["PYTHONPATH"] = os.environ["PYTHONPATH"] = str(code)  # floor.py's capture build too
    sys.path.insert(0, str(code))  # --profile builds in this process
    return code


def run_case(
    case: Case,
    work: Path,
    log: list[str],
    query: str | None = "opioid",
    preview: bool = True,
    with_bibtex: bool = True,
) -> None:
    project, floor, bibtex = prepare(case, work)
    say(log, f"\n## {case.name}: {case.pages} pages, {case.rounds} round(s)")
    variants = [v for v in VARIANTS if v != "mkdocs-bibtex" or (HAVE_BIBTEX and with_bibtex)]
    if not HAVE_BIBTEX:
        case.notes.append("mkdocs-bibtex is not installed (`pip install -e .[bench]`): its build was skipped")
    elif not with_bibtex:
        case.notes.append("mkdocs-bibtex was not run (`--no-bibtex`)")
    for variant in variants:
        case.results[variant] = []
    for round_no in range(1, case.rounds + 1):
        for variant in variants:
            if variant == "floor":
                fresh_site(floor)
                result = timed(build_cmd(), floor)
            elif variant == "cold":
                fresh_site(project)
                drop_cache(project)
                result = timed(build_cmd(), project)
            elif variant == "warm":
                fresh_site(project)
                result = timed(build_cmd(), project)
            elif variant == "edit":
                marker = edit_claim(project, round_no)
                fresh_site(project)
                result = timed(build_cmd(), project)
                page = (project / "site" / "claims" / edited_claim(project).stem / "index.html").read_text(
                    encoding="utf-8"
                )
                if marker not in page:
                    raise RuntimeError("the edited claim is not in the rebuilt site: stale cache")
            elif variant == "check":
                result = timed([PY, "-m", "evidence", "check"], project)
            elif variant == "check cold":
                drop_cache(project)
                result = timed([PY, "-m", "evidence", "check"], project)
            else:
                fresh_site(bibtex)
                result = timed(build_cmd(), bibtex)
            case.results[variant].append(result)
            say(
                log,
                f"  round {round_no} {variant:>13}: {result[0]:8.2f} s wall {result[2]:8.2f} s CPU "
                f"{result[1] / 1024:7.0f} MiB",
            )
    measure_output(case, project, floor, log, query)
    if preview and case.claims == 1000:  # on a copy: the server writes its own cache
        copy = project.with_name("preview")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site", ".cache"))
        case.preview = measure_preview(copy)
        say(log, "  preview, edit to page: " + ", ".join(f"{t:.2f} s" for t in case.preview))


def table(cases: list[Case]) -> str:
    lines = [
        "| case | what | runs | wall (median) | × floor | CPU (median) | × floor | peak memory | × floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in cases:
        floor_t, floor_m, floor_c = (med(case.results["floor"], i) for i in range(3))
        for variant in VARIANTS:
            runs = case.results.get(variant)
            if not runs:
                continue
            t, m, cpu = (med(runs, i) for i in range(3))
            lines.append(
                f"| {case.name} ({case.pages} pages) | {LABELS[variant]} | {len(runs)} | {t:.2f} s | "
                f"{t / floor_t:.2f}× | {cpu:.2f} s | {cpu / floor_c:.2f}× | {m / 1024:.0f} MiB | "
                f"{m / floor_m:.2f}× |"
            )
        if case.preview:
            lines.append(
                f"| {case.name} ({case.pages} pages) | preview: one claim edited under `make serve`, "
                f"edit to page | {len(case.preview)} | {statistics.median(case.preview):.2f} s | | | | | |"
            )
    return "\n".join(lines)


def verdicts(cases: list[Case], startup: float) -> list[str]:
    """Each target of the issue, met or missed, with the measured number (never rounded up)."""
    out = []
    every = cases
    realistic = [c for c in cases if c.shape == "realistic"]
    cases = [c for c in cases if c.shape == "friendly"]
    by_claims = {(c.claims, c.bib): c for c in cases}

    def ratio(case: Case, variant: str, index: int = 0) -> float:
        return med(case.results[variant], index) / med(case.results["floor"], index)

    def both(case: Case, variant: str, limit: float, text: str) -> None:
        wall, cpu = ratio(case, variant, 0), ratio(case, variant, 2)
        line(wall <= limit, f"{text}: wall {wall:.3f}×")
        line(cpu <= limit, f"{text}: CPU {cpu:.3f}×")

    def line(ok: bool, text: str) -> None:
        out.append(f"- {'met' if ok else '**missed**'}: {text}")

    for case in cases:
        if case.bib is None and case.claims >= 1000:
            both(case, "warm", 1.15, f"warm build ≤ 1.15× floor at {case.name}")
            both(case, "cold", 1.5, f"cold build ≤ 1.5× floor at {case.name}")
        if case.bib is not None:
            both(case, "warm", 1.3, f"warm build ≤ 1.3× floor with the {case.bib:,}-entry .bib")
        mem = ratio(case, "warm", 1)
        line(mem <= 1.3, f"peak memory ≤ 1.3× floor's at {case.name} (warm build): {mem:.3f}×")
    big = by_claims.get((10000, None))
    if big:
        check, check_cpu = med(big.results["check"], 0), med(big.results["check"], 2)
        line(
            check - startup <= 1.0,
            f"`evidence check` of 10,000 claims ≤ 1 s plus interpreter start: {check:.2f} s wall, "
            f"{check_cpu:.2f} s CPU ({check - startup:.2f} s wall over a bare interpreter start of "
            f"{startup:.2f} s); without a cache {med(big.results['check cold'], 0):.2f} s wall",
        )
    small = by_claims.get((1000, None))
    if big and small:
        for index, unit in ((0, "wall"), (2, "CPU")):

            def grew(variant: str, index: int = index) -> float:
                return med(big.results[variant], index) / med(small.results[variant], index)

            line(
                grew("warm") <= 12,
                f"build time from 1,000 to 10,000 claims grows at most 12× ({unit}): warm build grew "
                f"{grew('warm'):.2f}× (cold {grew('cold'):.2f}×, floor {grew('floor'):.2f}×)",
            )
    realistic_verdicts(realistic, line)
    issue25_verdicts(every, line)
    return out


def machine() -> list[str]:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in ln
        ),
        platform.processor() or "unknown",
    )
    mem = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/meminfo").read_text().splitlines()
            if ln.startswith("MemTotal")
        ),
        "unknown",
    )
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [
        f"- cores: {os.cpu_count()} (`nproc`); CPU: {cpu}; memory: {mem}",
        f"- {platform.platform()}; Python {platform.python_version()}",
        "- " + ", ".join(versions),
    ]


def interpreter_start() -> float:
    """Median wall time of a bare `python -c pass`."""
    return statistics.median(timed([PY, "-c", "pass"], Path.cwd())[0] for _ in range(5))


def profile_warm(project: Path, limit: int = 18) -> str:
    """Where a warm build's time goes (cProfile, in-process): by package, then our functions."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cwd = Path.cwd()
    os.chdir(project)
    try:
        fresh_site(project)
        profiler = cProfile.Profile()
        profiler.enable()
        build(load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site")))
        profiler.disable()
    finally:
        os.chdir(cwd)
    stats = pstats.Stats(profiler)
    by_package: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        parts = Path(filename).parts
        if "site-packages" in parts:
            name = parts[parts.index("site-packages") + 1]
        elif "evidence" in parts or "macros" in parts:
            name = "evidence (ours) + macros"
        elif filename.startswith("<"):
            name = "builtins (C: str, re, html.parser…)"
        else:
            name = "python stdlib"
        by_package[name] = by_package.get(name, 0.0) + tottime
    total = sum(by_package.values())
    rows = [f"{seconds:8.2f} s {seconds / total:6.1%}  {name}" for name, seconds in by_package.items()]
    rows.sort(reverse=True)
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(r"evidence/|macros/", limit)
    ours = "\n".join(buffer.getvalue().splitlines()[-(limit + 3) :])
    return (
        "Time by package (own time, cProfile):\n"
        + "\n".join(rows[:14])
        + "\n\nOur functions (cumulative):\n"
        + ours
    )


def write_report(
    cases: list[Case],
    startup: float,
    args: argparse.Namespace,
    log: list[str],
    started: str,
    load: tuple[list[float], list[float]],
    profiles: dict[str, str],
) -> str:
    command = "python benchmarks/run.py" + (" --quick" if args.quick else f" --rounds-10k {args.rounds_10k}")
    command += f" --shapes {','.join(args.shapes)}" + (f" --sizes {args.sizes}" if args.sizes else "")
    command += " --no-bibtex" * args.no_bibtex
    dirty = subprocess.run(
        # BENCHMARKS.md itself is rewritten after every case: not a change to what is measured
        ["git", "status", "--porcelain", "--", ".", ":!BENCHMARKS.md"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    parts = [
        "# Benchmarks",
        "",
        "Generated by `benchmarks/run.py`; see its docstring and benchmarks/README.md for the method.",
        "",
        "Reproduce (after `pip install -e .[dev,bench]`):",
        "",
        f"    {command}",
        "",
        f"Run started {started}" + (" with uncommitted changes in the working tree" if dirty else "") + ".",
        "",
        "## Machine",
        "",
        *machine(),
        f"- load average at start {load[0][0]:.2f} / {load[0][1]:.2f} / {load[0][2]:.2f}, at end "
        f"{load[1][0]:.2f} / {load[1][1]:.2f} / {load[1][2]:.2f} "
        "(other work on the machine makes times noisy; "
        "ratios come from interleaved runs in the same rounds)",
        f"- bare interpreter start (`python -c pass`, median of 5): {startup:.3f} s",
        "",
        "## Results",
        "",
        table(cases),
        "",
        "## Output size",
        "",
        size_table(cases),
        "",
        "## Targets",
        "",
        *verdicts(cases, startup),
        "",
    ]
    for case in cases:
        if case.notes:
            parts += [f"Notes on {case.name}:", "", *[f"- {n}" for n in case.notes], ""]
    for name, text in profiles.items():
        parts += [f"## Profile: warm build, {name}", "", "```", text, "```", ""]
    notes = Path(__file__).with_name("PROFILE.md")
    if notes.is_file():  # where the time goes, from the last profiling session
        parts += [notes.read_text(encoding="utf-8").replace("# ", "## ", 1), ""]
    parts += ["## Raw log", "", "```", *log, "```", ""]
    return "\n".join(parts)


def shapes_arg(text: str) -> list[str]:
    shapes = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown or not shapes:
        raise argparse.ArgumentTypeError(f"shapes are {', '.join(SHAPES)}, comma-separated")
    return shapes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a small smoke run of the harness")
    parser.add_argument("--rounds-10k", type=int, default=2, help="rounds at 10,000 claims (default 2)")
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument("--rounds", type=int, help="rounds for every case (default: 3, 1 at 10,000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/evidence-bench"), help="scratch folder")
    parser.add_argument("--out", type=Path, help="report file (default: BENCHMARKS.md; --quick: stdout only)")
    parser.add_argument("--profile", action="store_true", help="add a profile of each case's warm build")
    parser.add_argument(
        "--shapes", type=shapes_arg, default=list(SHAPES), help="friendly,realistic,cards (default: all)"
    )
    parser.add_argument("--sizes", help="claims per case, e.g. 1000,10000 (default: the issue's cases)")
    parser.add_argument("--query", default="opioid", help="what the reader searches for (download.py)")
    parser.add_argument(
        "--no-bibtex", action="store_true", help="skip the mkdocs-bibtex build (slow at 10,000 claims)"
    )
    parser.add_argument("--no-download", action="store_true", help="skip the browser measurement")
    parser.add_argument("--no-preview", action="store_true", help="skip the `make serve` edit-to-page time")
    args = parser.parse_args(argv)

    sizes = [int(n.replace("_", "")) for n in args.sizes.split(",")] if args.sizes else None
    cases = quick_cases(args.shapes, sizes) if args.quick else full_cases(args.rounds_10k, args.shapes, sizes)
    if args.only:
        cases = [c for c in cases if args.only in c.name]
    for case in cases if args.rounds else []:
        case.rounds = args.rounds
    # the commit whose engine snapshot() copies now, not the one checked out when the report is written
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    started += f" (UTC) on commit {head.stdout.strip() or '?'}"
    load_start = list(os.getloadavg())
    log: list[str] = []
    snapshot(args.work)
    startup = interpreter_start()
    out = args.out or (None if args.quick else REPO / "BENCHMARKS.md")
    done: list[Case] = []
    for case in cases:
        query = None if args.no_download else args.query
        run_case(case, args.work, log, query, not args.no_preview, not args.no_bibtex)
        done.append(case)
        if out is not None and len(done) < len(cases):  # partial results survive an interrupted run
            load = (load_start, list(os.getloadavg()))
            partial = write_report(done, startup, args, log, started, load, {})
            out.write_text(partial.replace("# Benchmarks\n", "# Benchmarks (partial: run in progress)\n", 1))
    profiles = {}
    if args.profile:
        for case in cases:
            base = args.work / case.name.replace(",", "").replace(" ", "-").replace(".", "")
            profiles[case.name] = profile_warm(base / "ours")
    report = write_report(cases, startup, args, log, started, (load_start, list(os.getloadavg())), profiles)
    print("\n" + table(cases) + "\n\n" + size_table(cases) + "\n\n" + "\n".join(verdicts(cases, startup)))
    if out is not None:
        out.write_text(report, encoding="utf-8")
        print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
