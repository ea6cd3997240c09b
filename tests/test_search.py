"""Site search is a Pagefind index of the built site: small, reproducible, and only of what
readers search for (the browser half is tests/browser/test_search.py)."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import Project

from evidence.pages.search_index import BUNDLE, build_index

pytestmark = pytest.mark.slow


def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page's record, by URL (fragments are gzipped JSON after a marker)."""
    found = {}
    for path in sorted((site / BUNDLE / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        record = json.loads(data)
        found[record["url"]] = record
    return found


def bundle(site: Path) -> dict[Path, bytes]:
    return {p.relative_to(site / BUNDLE): p.read_bytes() for p in (site / BUNDLE).rglob("*") if p.is_file()}


def test_the_site_has_pagefind_and_not_materials_index(real_site: Project) -> None:
    site = real_site.root / "site"
    assert not (site / "search" / "search_index.json").exists()
    assert (site / BUNDLE / "pagefind-entry.json").is_file()
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    box = home.select_one("[data-ev-search]")
    assert box is not None and box.get("role") == "search"
    assert home.select_one('script[src$="pagefind/pagefind-ui.js"]') is not None


def test_the_index_is_the_same_bytes_every_time(real_site: Project, tmp_path: Path) -> None:
    site = real_site.root / "site"
    again = tmp_path / "site"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns(BUNDLE))
    build_index(again)
    first, second = bundle(site), bundle(again)
    assert first.keys() == second.keys() and len(first) > 10
    assert [name for name in first if first[name] != second[name]] == []


def test_only_what_readers_search_for_is_indexed(real_site: Project) -> None:
    records = fragments(real_site.root / "site")
    claim = records["/claims/opioids-one-in-three-americans/"]
    text = claim["content"]
    # the claim's title as content/claims/burden/opioids-one-in-three-americans.yml words it now
    title = "SpineNation says one American in three is prescribed opioids"
    assert claim["meta"]["title"].startswith(title)
    assert "opioids" in text
    # boilerplate and lists of other claims are left out
    for left_out in ("About this page", "Cite this page", "Other claims from the same sources", "History"):
        assert left_out not in text, left_out
    # a topic page's cards are not indexed: the claim's own page is its one result
    burden = records["/burden/"]["content"]
    assert title not in burden
    # the list pages index their prose, not every claim again
    assert title not in records["/claims/"]["content"]
    # a source page indexes its reference (a title may say "opioid"), not the claims citing it
    assert not [url for url, r in records.items() if url.startswith("/sources/") and title in r["content"]]
