"""An incremental serve build's search index is made in a thread and swapped in whole; the
next build stops it before writing (search_index.Indexer, issue 15 point 6)."""

from __future__ import annotations

from pathlib import Path

from evidence.pages.search_index import BUNDLE, Indexer, build_index

PAGE = '<html lang="en"><body><article class="md-content__inner"><h1>{}</h1><p>{}</p></article></body></html>'


def _site(tmp_path: Path, words: str) -> Path:
    site = tmp_path / "site"
    (site / "claims").mkdir(parents=True, exist_ok=True)
    (site / "claims" / "index.html").write_text(PAGE.format("A claim", words), encoding="utf-8")
    return site


def _bundle(site: Path) -> dict[str, bytes]:
    top = site / BUNDLE
    return {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}


def test_a_background_index_equals_one_made_in_place_and_leaves_no_folder_behind(tmp_path: Path) -> None:
    site = _site(tmp_path, "walking helped")
    build_index(site)
    (site / "claims" / "index.html").write_text(PAGE.format("A claim", "swimming helped"), encoding="utf-8")
    indexer = Indexer()
    errors: list[str] = []
    indexer.start(site, errors.append)
    indexer.join()
    background = _bundle(site)
    build_index(site)  # in place, over the same pages
    assert errors == [] and background == _bundle(site)
    assert sorted(p.name for p in site.iterdir()) == ["claims", BUNDLE]


def test_a_cancelled_index_keeps_the_bundle_in_place(tmp_path: Path) -> None:
    site = _site(tmp_path, "walking helped")
    build_index(site)
    before = _bundle(site)
    (site / "claims" / "index.html").write_text(PAGE.format("A claim", "swimming helped"), encoding="utf-8")
    indexer = Indexer()
    errors: list[str] = []
    indexer.start(site, errors.append)
    indexer.cancel()
    assert errors == []
    assert sorted(p.name for p in site.iterdir()) == ["claims", BUNDLE]
    after = _bundle(site)
    assert after == before or after == _bundle_made_now(tmp_path / "other", "swimming helped")


def _bundle_made_now(tmp_path: Path, words: str) -> dict[str, bytes]:
    site = _site(tmp_path, words)
    build_index(site)
    return _bundle(site)
