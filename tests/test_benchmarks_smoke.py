"""benchmarks/: generate.py makes deterministic projects (both shapes) that our site code and the
floor build; sizes.py, download.py and rows.py measure a built site."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from download import CHROMIUM
from download import measure as measure_download
from floor import make_floor
from generate import Spec, configure_evidence, generate
from rows import measure as measure_rows
from shapes import topic_sizes
from sizes import measure as measure_site

SPEC = Spec(claims=12, refs=8, bib_size=20, seed=3, reviewed_by=dt.date.today().replace(day=1))


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def mkdocs_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    one, two = generate(tmp_path / "one", SPEC), generate(tmp_path / "two", SPEC)
    assert files(one) == files(two)
    other = generate(tmp_path / "other", Spec(**{**SPEC.__dict__, "seed": 4}))
    assert files(other)["references.bib"] != files(one)["references.bib"]


@pytest.mark.slow
def test_generated_project_builds_with_the_site_code_and_its_floor_too(tmp_path: Path) -> None:
    project = generate(tmp_path / "ours", SPEC)
    bib = (project / "references.bib").read_text(encoding="utf-8")
    assert bib.count("\n@") + 1 == 20 and r"{\"" in bib  # 20 entries, with LaTeX accents
    assert len(list((project / "content" / "claims").rglob("*.yml"))) == 12
    assert (project / "macros" / "__init__.py").read_bytes() == (REPO / "macros" / "__init__.py").read_bytes()

    result = mkdocs_build(project)  # 12 uncited entries: allowed by `unused_references: ignore`
    assert result.returncode == 0, result.stderr
    card = (project / "site" / "topic-0000" / "index.html").read_text(encoding="utf-8")
    assert 'id="claim-claim-00000"' in card and 'class="ev-cite"' in card

    floor = make_floor(project, tmp_path / "floor")
    config = (floor / "mkdocs.yml").read_text(encoding="utf-8")
    assert "evidence" not in config.split("plugins:", 1)[1].split("\n\n", 1)[0]
    result = mkdocs_build(floor)
    assert result.returncode == 0, result.stderr
    ours = sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*.html"))
    theirs = sorted(p.relative_to(floor / "site") for p in (floor / "site").rglob("*.html"))
    assert ours == theirs, "the floor has the same pages"


REALISTIC = Spec(claims=150, seed=3, reviewed_by=dt.date.today().replace(day=1), shape="realistic")


def source_shares(project: Path) -> list[float]:
    """Share of claims citing each reference (as source or reported in), read from the YAML files."""
    paths = (project / "content" / "claims").rglob("*.yml")
    claims = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths]
    counts: dict[str, int] = {}
    for data in claims:
        for key in {data["source"], data.get("reported_in", data["source"])}:
            counts[key] = counts.get(key, 0) + 1
    return sorted((n / len(claims) for n in counts.values()), reverse=True)


@pytest.mark.slow
def test_realistic_shape_is_heavy_tailed_deterministic_and_builds(tmp_path: Path) -> None:
    one, two = generate(tmp_path / "one", REALISTIC), generate(tmp_path / "two", REALISTIC)
    assert files(one) == files(two)
    friendly = generate(tmp_path / "friendly", Spec(**{**REALISTIC.__dict__, "shape": "friendly"}))
    assert files(friendly)["references.bib"] != files(one)["references.bib"]
    shares = source_shares(one)
    assert len(shares) == 15, "claims / 10 references, every one cited"
    assert all(0.10 <= s <= 0.30 for s in shares[:3]), shares  # a few big sources
    assert shares[-1] < 0.02, shares  # and a long tail
    facts = json.loads((one / "benchmark.json").read_text())
    assert facts["shape"] == "realistic" and facts["top_source_shares"][:3] == [
        round(s, 4) for s in shares[:3]
    ]
    topics = [p.name for p in (one / "content" / "claims").iterdir()]
    assert topics == ["topic-0000"], "150 claims fill one topic (topics hold 100-1,000)"
    big = topic_sizes(random.Random(1), 10000)
    assert sum(big) == 10000 and all(100 <= n <= 1000 for n in big), big

    result = mkdocs_build(one)
    assert result.returncode == 0, result.stderr
    size = measure_site(one / "site", REALISTIC.claims)
    assert size.largest[0] == "topic-0000/index.html", "the one topic page lists all 150 cards"
    assert size.lists["a source's own page"][0].startswith("sources/ref0000")
    bundle = [p for p in (one / "site" / "pagefind").rglob("*") if p.is_file()]
    assert size.search_index == sum(p.stat().st_size for p in bundle) > 0
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: the download measurement is not tested here")
    # a thread of its own: a browser test on the same xdist worker may leave Playwright's
    # asyncio loop running in this one, where the sync API refuses to start
    with ThreadPoolExecutor(max_workers=1) as pool:
        visit = pool.submit(measure_download, one / "site", "opioid").result()
    served = dict((path, n) for path, n, _ in visit.served)
    chunks = [path for path in served if path.startswith("/pagefind/index/")]
    assert chunks and all(served[c] == (one / "site" / c.lstrip("/")).stat().st_size for c in chunks)
    assert served["/"] == (one / "site" / "index.html").stat().st_size
    assert visit.results > 0 and visit.total_bytes > sum(served[c] for c in chunks)


@pytest.mark.slow
def test_rows_times_a_paged_all_claims_table_until_every_claim_filters(tmp_path: Path) -> None:
    project = generate(tmp_path / "paged", REALISTIC)
    config = project / "mkdocs.yml"
    config.write_text(configure_evidence(config.read_text(encoding="utf-8"), {"list_page_size": "40"}))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert len(list((project / "site" / "claims" / "rows").glob("*.json"))) == 3  # 150 claims: 40 + 3 files
    # sizes.py reports the paged list pages apart, and the largest page of any kind
    size = measure_site(project / "site", REALISTIC.claims)
    assert size.lists["All claims' other pages"][0].startswith("claims/page/")
    assert size.lists["a source's other pages"][0].startswith("sources/ref0000")
    assert "/page/" not in size.lists["a source's own page"][0]
    every = [size.largest[1], *(n for _, n in size.lists.values())]
    assert size.largest_any[1] == max(every) and (project / "site" / size.largest_any[0]).is_file()
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: the rows measurement is not tested here")
    first = yaml.safe_load(next((project / "content" / "claims").rglob("*.yml")).read_text(encoding="utf-8"))
    word = max(first["title"].split(), key=len).strip(".,;:").lower()
    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread of its own, as above
        (visit,) = pool.submit(measure_rows, project / "site", 1, word).result()
    assert visit.claims == 150, "the count names every claim once the row files are in"
    assert 0 < visit.first_rows <= visit.usable <= visit.filtered
    assert visit.count_after_filter.startswith("Showing ") and visit.count_after_filter.endswith(
        " of 150 claims"
    )
