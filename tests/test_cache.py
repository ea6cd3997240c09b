"""The build cache (.cache/evidence/) never serves stale output.

Each test builds a mini project, changes one thing, rebuilds with the cache present and
compares with the build before the change and with a build from scratch (no cache).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
from pathlib import Path
from pickle import load as load_pickle

import pytest
from helpers import BIB, REPO, Project, claim_data, mini_project

from evidence.cache.store import CACHE_DIR, CLAIM_SHARDS, Cache
from evidence.load.corpus import Settings, load_corpus

NEW_STATEMENT = "A freshly edited statement about lumbar pain, seen nowhere else."
NEW_TITLE = "A freshly renamed survey of back pain"  # sentence case, as the style prints titles
#: Files that index or export every claim: they change with any claim.
INDEXES = ("pagefind/", "data/", "sitemap.xml")


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def build(project: Project, into: str) -> dict[str, bytes]:
    """A strict build, kept in `into` so that the next build starts from an empty site/."""
    result = project.build()
    assert result.returncode == 0, result.stderr
    shutil.move(project.root / "site", project.root / into)
    return snapshot(project.root / into)


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def project_with_two_claims(root: Path) -> Project:
    claims = [
        claim_data("example-claim", "burden"),
        claim_data(
            "other-claim",
            "benefits",
            title="An unrelated claim",
            statement="Exercise helps some people.",
            source="article-a",
            reported_in=None,
            statistic=None,
        ),
    ]
    return mini_project(root, claims=claims)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return project_with_two_claims(tmp_path)


@pytest.mark.slow
def test_warm_build_is_identical_to_cold_and_the_cache_is_outside_site(project: Project) -> None:
    cold = build(project, "cold")
    cache = project.root / CACHE_DIR
    assert any(cache.rglob("*.pickle")), "the first build fills the cache"
    assert not any("cache" in name for name in cold), "nothing of the cache is published"
    warm = build(project, "warm")
    assert warm == cold


@pytest.mark.slow
def test_editing_a_claim_changes_exactly_the_pages_that_show_it(project: Project) -> None:
    before = build(project, "before")
    project.write_claim(claim_data("example-claim", "burden", statement=NEW_STATEMENT))
    after = build(project, "after")  # with the cache of the first build
    shutil.rmtree(project.root / CACHE_DIR)
    truth = build(project, "truth")  # no cache at all
    assert after == truth, "the cached build differs from a build from scratch"

    diff = changed(before, after)
    showing = {name for name, data in after.items() if NEW_STATEMENT.encode() in data}
    assert {"burden/index.html", "claims/example-claim/index.html"} <= showing
    assert showing <= diff
    unexpected = {n for n in diff - showing if not n.startswith(INDEXES)}
    assert not unexpected, f"pages changed that do not show the claim: {sorted(unexpected)}"
    assert "claims/other-claim/index.html" not in diff
    assert "benefits/index.html" not in diff


@pytest.mark.slow
def test_editing_a_reference_field_changes_exactly_the_pages_that_cite_it(project: Project) -> None:
    before = build(project, "before")
    project.write("references.bib", BIB.replace("An Example Article About Back Pain", NEW_TITLE))
    after = build(project, "after")
    shutil.rmtree(project.root / CACHE_DIR)
    truth = build(project, "truth")
    assert after == truth, "the cached build differs from a build from scratch"

    diff = changed(before, after)
    showing = {name for name, data in after.items() if NEW_TITLE.encode() in data}
    # article-a is cited by both claims: their pages, its source page, the reference list
    assert {
        "burden/index.html",
        "benefits/index.html",
        "claims/example-claim/index.html",
        "claims/other-claim/index.html",
        "references/index.html",
        "sources/article-a/index.html",
    } <= showing
    assert showing <= diff
    unexpected = {n for n in diff - showing if not n.startswith(INDEXES)}
    assert not unexpected, f"pages changed that do not show the reference: {sorted(unexpected)}"
    assert not any(b"An Example Article About Back Pain" in data for data in after.values())


@pytest.mark.slow
def test_a_damaged_or_deleted_cache_is_rebuilt(project: Project) -> None:
    first = build(project, "first")
    for pickle in (project.root / CACHE_DIR).rglob("*.pickle"):
        pickle.write_bytes(b"not a pickle")
    assert build(project, "damaged") == first
    shutil.rmtree(project.root / ".cache")
    assert build(project, "deleted") == first


def test_check_with_a_cache_reports_an_error_introduced_after_it(project: Project) -> None:
    assert project.check().returncode == 0
    assert any((project.root / CACHE_DIR).rglob("claims-*.pickle"))
    project.write_claim(claim_data("example-claim", "burden", source="no-such-key"))
    result = project.check()
    assert result.returncode == 1
    assert "source 'no-such-key' is not a key in references.bib" in result.stdout


def test_the_cache_folder_is_ignored_by_git() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", f"{CACHE_DIR}/0123/claims.pickle"], cwd=REPO, capture_output=True
    )
    assert ignored.returncode == 0, ".cache/ must be in .gitignore"


def test_editing_one_claim_rewrites_one_file_of_the_claim_cache(tmp_path: Path) -> None:
    """Claims are kept in CLAIM_SHARDS files by path: an edit rewrites one, not 9 MB of them."""
    claims = [claim_data(f"claim-{n:02d}", "burden") for n in range(40)]
    project = mini_project(tmp_path, claims=claims)
    load_corpus(tmp_path, cache=Cache(tmp_path))
    shards = sorted((tmp_path / CACHE_DIR).glob("*/claims-*.pickle"))
    assert 1 < len(shards) <= CLAIM_SHARDS

    def inodes() -> dict[str, int]:
        return {p.name: p.stat().st_ino for p in (tmp_path / CACHE_DIR).glob("*/claims-*.pickle")}

    before = inodes()
    project.write_claim(claim_data("claim-07", "burden", source="no-such-key"))
    corpus, problems = load_corpus(tmp_path, cache=Cache(tmp_path))
    assert len({name for name in before if inodes().get(name) != before[name]}) == 1
    assert problems == load_corpus(tmp_path)[1]
    assert corpus.claims == load_corpus(tmp_path)[0].claims

    before = inodes()
    gone = project.root / "content/claims/burden/claim-11.yml"
    gone.unlink()
    load_corpus(tmp_path, cache=Cache(tmp_path))
    rewritten = [name for name in before if inodes().get(name) != before[name]]
    assert len(rewritten) == 1
    with next((tmp_path / CACHE_DIR).glob(f"*/{rewritten[0]}")).open("rb") as handle:
        assert "content/claims/burden/claim-11.yml" not in load_pickle(handle)


def touch_cache_files(root: Path) -> None:
    """Move every cache file's mtime on: what a process remembers of a file is stamped with its
    mtime, so the next load reads the files again, as a new process would."""
    for path in (root / CACHE_DIR).rglob("*.pickle"):
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_only_a_cache_made_to_freeze_freezes(tmp_path: Path) -> None:
    """gc.freeze is for the command line; the build's cache (a long `mkdocs serve`) never freezes."""
    mini_project(tmp_path)
    first, _ = load_corpus(tmp_path, cache=Cache(tmp_path))
    touch_cache_files(tmp_path)
    frozen = gc.get_freeze_count()
    again, _ = load_corpus(tmp_path, cache=Cache(tmp_path))
    assert gc.get_freeze_count() == frozen
    assert again.claims == first.claims
    touch_cache_files(tmp_path)
    try:
        assert load_corpus(tmp_path, cache=Cache(tmp_path, freeze=True))[0].claims == first.claims
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()


SHARED = "".join(
    f"@article{{shared-{i},\n  author = {{Doe, Jane and Roe, Rick}},\n  title = {{Shared entry {i}}},\n"
    f"  journal = {{J}},\n  year = {{2001}},\n  doi = {{10.1000/shared.{i}}},\n}}\n\n"
    for i in range(40)
)


def test_a_shared_bibliography_is_read_from_the_cache_only_where_cited(tmp_path: Path) -> None:
    """Uncited entries of a cached references.bib are never unpacked, yet every key is known."""
    project = mini_project(tmp_path, bib=BIB + SHARED)
    settings = Settings(unused_references="ignore")
    parsed, _ = load_corpus(project.root, settings, cache=Cache(project.root))
    cached, problems = load_corpus(project.root, settings, cache=Cache(project.root))
    assert not [p for p in problems if p.severity.value == "error"]
    refs = cached.library.references
    assert list(refs) == list(parsed.library.references), "every key, in file order"
    made = {ref.key for ref in refs.made()}  # type: ignore[attr-defined]
    cited = {key for lc in cached.loaded.values() for key in lc.claim.keys}
    assert made <= cited, f"unpacked without being cited: {sorted(made - cited)}"
    assert "shared-7" in refs and "shared-7" not in made
    entry = refs["shared-7"]  # read on demand, the same entry as parsed
    original = parsed.library["shared-7"]
    assert (entry.line, entry.link, entry.year, entry.fingerprint) == (
        original.line,
        original.link,
        original.year,
        original.fingerprint,
    )
    with pytest.raises(KeyError):
        refs["no-such-key"]


def test_a_library_file_replaced_or_deleted_during_a_build_is_not_read(tmp_path: Path) -> None:
    """The build keeps the file it opened: another build's file, or none, changes nothing it reads."""
    project = mini_project(tmp_path, bib=BIB + SHARED)
    settings = Settings(unused_references="ignore")
    load_corpus(project.root, settings, cache=Cache(project.root))
    corpus, _ = load_corpus(project.root, settings, cache=Cache(project.root))
    kept = next((project.root / CACHE_DIR).glob("*/library.entries"))
    replacement = kept.with_name("other.tmp")
    replacement.write_bytes(b"evidence-library 1\n" + b"\xff" * 4096)
    replacement.replace(kept)
    shutil.rmtree(project.root / CACHE_DIR)
    assert corpus.library["shared-31"].link == "https://doi.org/10.1000/shared.31"
