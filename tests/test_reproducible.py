"""Same sources, same bytes: builds at different times, in different folders, are identical.

The second build runs with the clock moved on (libfaketime, which `make test` installs),
another hash seed, another time zone and a warm cache; every file of the two sites is
compared byte for byte (HTML, the Pagefind search index, sitemap.xml and the gzip header of
sitemap.xml.gz, downloads). SOURCE_DATE_EPOCH is the build's "today": with it a commit
still builds, identically, years later.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gzip
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import Project, copy_real_project

FAKETIME = shutil.which("faketime")
needs_faketime = pytest.mark.skipif(FAKETIME is None, reason="no faketime (make test installs it)")
pytestmark = pytest.mark.slow
Done = subprocess.CompletedProcess[str]


def build(project: Project, *, seed: str, clock: str | None = None, **env: str) -> Done:
    """A strict build; `clock` is a faketime offset such as '+40d'."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"]
    if clock is not None:
        assert FAKETIME is not None
        command = [FAKETIME, "-f", clock, *command]
    full_env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    full_env.update(NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED=seed, **env)
    return subprocess.run(
        command, cwd=project.root, capture_output=True, text=True, env=full_env, timeout=900
    )


def built(project: Project, **kwargs: str) -> dict[str, bytes]:
    result = build(project, **kwargs)
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_identical(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    if differing:
        name = differing[0]
        try:
            a, b = first[name].decode().splitlines(), second[name].decode().splitlines()
            shown = "\n".join(list(difflib.unified_diff(a, b, lineterm="", n=1))[:20])
        except UnicodeDecodeError:
            shown = f"{first[name][:40]!r}\n{second[name][:40]!r}"
        pytest.fail(f"{len(differing)} file(s) differ: {differing[:10]}\nfirst, {name}:\n{shown}")


def project_in(folder: Path) -> Project:
    folder.mkdir(parents=True)
    return copy_real_project(folder)


def test_builds_at_other_times_and_places_are_byte_identical(tmp_path: Path) -> None:
    first = project_in(tmp_path / "one")
    second = project_in(tmp_path / "elsewhere" / "two")
    cold = built(first, seed="1")
    assert_identical(cold, built(first, seed="2"))  # the same folder again, with a warm cache
    if FAKETIME is None:
        time.sleep(1.1)  # at least another second on the clock
    later = {"clock": "+40d"} if FAKETIME else {}
    assert_identical(cold, built(second, seed="3", TZ="Pacific/Kiritimati", **later))
    assert {"sitemap.xml", "sitemap.xml.gz", "pagefind/pagefind-entry.json", "data/claims.json"} <= set(cold)


@needs_faketime
def test_source_date_epoch_rebuilds_a_commit_years_later(tmp_path: Path) -> None:
    epoch = str(int(time.time()))
    then = built(project_in(tmp_path / "then"), seed="1", SOURCE_DATE_EPOCH=epoch)
    later = project_in(tmp_path / "later")
    assert_identical(then, built(later, seed="2", clock="+1830d", SOURCE_DATE_EPOCH=epoch))
    # the epoch is what made it pass: five years on, by the clock, every review is stale
    result = build(later, seed="2", clock="+1830d")
    assert result.returncode != 0
    assert "more than 24 months ago [review-stale]" in result.stderr


def test_sitemap_dates_are_the_pages_review_dates(real_site: Project) -> None:
    site = real_site.root / "site"
    sitemap = (site / "sitemap.xml").read_bytes()
    entries = re.findall(rb"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap)
    assert len(entries) >= 9
    for loc, lastmod in entries:
        path = loc.decode().removeprefix("https://example.org/pt-back-pain/")
        page = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
        # the newest check the footer names ("between <oldest> and <newest>", or the one date)
        assert page.select(".ev-reviewed time")[-1]["datetime"] == lastmod.decode(), path
    newest = max(dt.date.fromisoformat(lastmod.decode()) for _, lastmod in entries)
    packed = (site / "sitemap.xml.gz").read_bytes()
    midnight = dt.datetime.combine(newest, dt.time(), dt.UTC)
    assert int.from_bytes(packed[4:8], "little") == int(midnight.timestamp())  # gzip MTIME
    assert gzip.decompress(packed) == sitemap
