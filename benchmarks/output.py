"""What run.py reports beyond build times: each case's output size, a reader's visit, issue 15's targets.

Kept apart from run.py (which runs the builds) so that each module stays small.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from download import measure as measure_download
from sizes import kib
from sizes import measure as measure_site

if TYPE_CHECKING:
    from run import Case


def say(log: list[str], line: str) -> None:
    print(line, flush=True)
    log.append(line)


# -- report -----------------------------------------------------------------------------
def med(values: list[tuple[float, int, float]], index: int) -> float:
    return statistics.median(v[index] for v in values)


def measure_output(case: Case, project: Path, floor: Path, log: list[str], query: str | None) -> None:
    """The site the last rounds built: its sizes (and the floor's, for scale), and one reader's
    visit (unless `query` is None)."""
    case.size = size = measure_site(project / "site", case.claims)
    if (floor / "site").is_dir():
        case.floor_size = measure_site(floor / "site", case.claims)
    say(
        log,
        f"  site: {kib(size.html_bytes)} of HTML in {size.html_pages} pages ({kib(size.per_claim)} per "
        f"claim); largest page {size.largest[0]} {kib(size.largest[1])} (of any kind, list pages "
        f"too: {size.largest_any[0]} {kib(size.largest_any[1])}); search index {kib(size.search_index)}",
    )
    if query is None:
        return
    try:
        case.download = measure_download(project / "site", query)
    except Exception as problem:
        case.notes.append(f"home page + one search not measured: {problem}")
        say(log, f"  download: not measured ({problem})")
        return
    got = case.download
    say(
        log,
        f"  home page + search {query!r}: {kib(got.total_bytes)} ({kib(got.gzip_bytes)} gzipped) in "
        f"{len(got.served)} responses, {got.results} results",
    )


def size_table(cases: list[Case]) -> str:
    """Per case: HTML per claim, the largest ordinary page, each kind of list page (and their
    pages: sizes.LIST_PAGES), the largest of any kind, search, a visit."""
    lines = [
        "| case | HTML per claim | floor's HTML per claim | largest page (not a list page) "
        "| largest list pages | largest page of any kind | search index | home page + one search (gzipped) |",
        "| --- | ---: | ---: | --- | --- | --- | ---: | ---: |",
    ]
    for c in cases:
        if c.size is None:
            continue
        s, d = c.size, c.download
        lists = "; ".join(f"{kind}: `{path}` {kib(n)}" for kind, (path, n) in sorted(s.lists.items()))
        visit = f"{kib(d.total_bytes)} ({kib(d.gzip_bytes)})" if d else "not measured"
        floor = kib(c.floor_size.per_claim) if c.floor_size else "not measured"
        lines.append(
            f"| {c.name} | {kib(s.per_claim)} | {floor} | `{s.largest[0]}` {kib(s.largest[1])} | {lists} | "
            f"`{s.largest_any[0]}` {kib(s.largest_any[1])} | {kib(s.search_index)} | {visit} |"
        )
    return "\n".join(lines)


def realistic_verdicts(cases: list[Case], line: Callable[[bool, str], None]) -> None:
    """Issue 15's targets, for the realistic shape (and issue 25's: no page over 1 MiB)."""
    mib = 1024 * 1024
    by_claims = {c.claims: c for c in cases if c.shape == "realistic" and c.bib is None}
    for n, c in sorted(by_claims.items()):
        if n < 1000:
            continue
        for index, unit in ((0, "wall"), (2, "CPU")):
            r = med(c.results["warm"], index) / med(c.results["floor"], index)
            line(r <= 1.3, f"warm build ≤ 1.3× floor at {c.name} ({unit}): {r:.3f}×")
        if c.size:
            line(
                c.size.per_claim <= 40 * 1024, f"HTML ≤ 40 KB per claim at {c.name}: {kib(c.size.per_claim)}"
            )
            page, size = c.size.largest
            line(
                size <= 500 * 1024,
                f"no page but the list pages over 500 KB at {c.name}: `{page}` {kib(size)}",
            )
            if n >= 10000:  # issue 25, item 5: list pages too, in pages of list_page_size
                page, size = c.size.largest_any
                line(size <= mib, f"no page over 1 MiB at {c.name}: `{page}` {kib(size)}")
        if c.download and n >= 10000:
            got = c.download.total_bytes
            line(got <= 2 * mib, f"home page + one search ≤ 2 MB at {c.name}: {kib(got)}")
    small, big = by_claims.get(1000), by_claims.get(10000)
    if small and big:
        grew = med(big.results["warm"], 0) / med(small.results["warm"], 0)
        line(grew <= 12, f"warm build from 1,000 to 10,000 realistic claims grows at most 12×: {grew:.2f}×")


def issue25_verdicts(cases: list[Case], line: Callable[[bool, str], None]) -> None:
    """Issue 25 (item 4), on every shape: peak memory of a warm build ≤ 2× the floor's, and for
    the cards shape (whose warm time no other verdict checks) warm ≤ 1.3× the floor."""
    for c in cases:
        if c.claims < 1000 or c.bib is not None:
            continue
        if c.shape == "cards":
            for index, unit in ((0, "wall"), (2, "CPU")):
                r = med(c.results["warm"], index) / med(c.results["floor"], index)
                line(r <= 1.3, f"warm build ≤ 1.3× floor at {c.name} ({unit}): {r:.3f}×")
        mem = med(c.results["warm"], 1) / med(c.results["floor"], 1)
        line(mem <= 2, f"peak memory ≤ 2× floor's at {c.name} (warm build): {mem:.3f}×")
