"""Editions: released with mike from tags, side by side, each saying which it is and when.

The `released` fixture (conftest) tags two editions of a mini project in a temporary git
repository and releases each with `python -m evidence release`; the tests read the
gh-pages branch back. The other tests here use small tagged repositories without mike.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import claim_data, mini_project
from releases import (
    EDITIONS,
    GIT_ENV,
    Releases,
    commit_and_tag,
    evidence,
    first_edition_claims,
    git,
    plant_second_edition,
    tagged_project,
)

from evidence.editions import release
from evidence.editions.deleted import deleted_claims

pytestmark = pytest.mark.xdist_group("releases")


def test_versions_json_lists_both_editions_with_latest_on_the_second(released: Releases) -> None:
    versions = json.loads((released.site / "versions.json").read_text())
    assert versions == [
        {"version": "v1.1", "title": "v1.1 (2026-02-10)", "aliases": ["latest"]},
        {"version": "v1.0", "title": "v1.0 (2026-01-20)", "aliases": []},
    ]
    assert (released.site / "latest").is_symlink()
    assert os.readlink(released.site / "latest") == "v1.1"


def test_site_root_redirects_to_the_default_alias(released: Releases) -> None:
    root = released.soup("index.html")
    assert root.select_one("a")["href"] == "latest/"
    assert 'window.location.replace(\n      "latest/"' in released.html("index.html")


def test_release_runs_exactly_the_documented_mike_commands(released: Releases) -> None:
    first = next(iter(EDITIONS))
    skipped = "mike set-default latest: skipped, latest is already the default version"
    for tag, date in EDITIONS.items():
        assert released.logs[tag].stdout.splitlines() == [
            f"mike deploy --update-aliases --title '{tag} ({date})' {tag} latest",
            # a second release: latest is already the default (mike would print git's "nothing changed")
            "mike set-default latest" if tag == first else skipped,
            f"copy {tag}/404.html to the root of gh-pages",  # issue 23: mike leaves none there
        ]
        assert "nothing changed" not in released.logs[tag].stderr


def test_both_editions_are_served_side_by_side(released: Releases) -> None:
    for tag in EDITIONS:
        pages = {p.relative_to(released.site / tag).as_posix() for p in released.pages(tag)}
        assert {"index.html", "changes/index.html", "claims/index.html", "burden/index.html"} <= pages
    # the first edition was not rebuilt by the second release: it still has its own numbers
    old = released.soup("v1.0/claims/example-claim/index.html").select_one(".ev-stat__number")
    new = released.soup("v1.1/claims/example-claim/index.html").select_one(".ev-stat__number")
    assert (old.get_text(), new.get_text()) == ("37 percent", "40 percent")


def test_every_claim_url_of_the_first_edition_exists_in_the_second(released: Releases) -> None:
    def claim_urls(tag: str) -> set[str]:
        base = released.site / tag / "claims"
        return {p.parent.name for p in base.glob("*/index.html")}

    first, second = claim_urls("v1.0"), claim_urls("v1.1")
    assert first == {"example-claim", "claim-b", "claim-kept"}
    assert first <= second
    assert second - first == {"claim-c"}


def test_every_page_shows_its_edition_and_release_date(released: Releases) -> None:
    for tag, date in EDITIONS.items():
        pages = released.pages(tag)
        assert len(pages) > 10
        for path in pages:
            if path.parent.name == "404":
                continue
            line = released.soup(path.relative_to(released.site).as_posix()).select_one(".ev-edition-line")
            assert line is not None, path
            assert line["data-edition"] == tag, path
            assert line.select_one("strong").get_text() == tag
            assert line.select_one("time")["datetime"] == date, path


def test_material_version_selector_reads_mikes_versions_json(released: Releases) -> None:
    page = released.soup("v1.1/burden/index.html")
    config = json.loads(page.select_one("script#__config").get_text())
    assert config["version"] == {"provider": "mike", "default": "latest", "alias": True}
    # Material fetches versions.json from the folder above the edition: the branch root
    assert config["base"] == ".."
    assert (released.site / "versions.json").is_file()


def test_the_branch_root_has_the_latest_editions_404_page(released: Releases) -> None:
    """issue 23: a host serves the root's 404.html for any missing address; mike writes none."""
    assert released.html("404.html") == released.html("v1.1/404.html")
    page = released.soup("404.html")
    stylesheets = [link["href"] for link in page.select('link[rel="stylesheet"]')]
    assert stylesheets and all(href.startswith("/") or "://" in href for href in stylesheets)
    log = git(released.project.root, "log", "-1", "--format=%s", "gh-pages")
    assert log.strip() == "The site's 404 page at the root, from v1.1"


@pytest.mark.slow
def test_a_build_without_mike_has_no_version_selector(tmp_path: Path) -> None:
    """issue 23: outside mike there is no versions.json, and every page asked for it (a 404)."""
    project = tagged_project(tmp_path)
    done = project.build()
    assert done.returncode == 0, done.stderr
    page = BeautifulSoup(project.html("index.html"), "html.parser")
    config = json.loads(page.select_one("script#__config").get_text())
    assert config.get("version") is None  # Material writes null: no selector, no fetch


def test_first_edition_says_which_it_is_after_the_second_is_released(released: Releases) -> None:
    line = released.soup("v1.0/index.html").select_one(".ev-edition-line")
    assert " ".join(line.get_text().split()).startswith("Edition v1.0, released 2026-01-20")


# -- without mike: the release procedure's checks and the deleted-claim rule ------------------


def test_release_refuses_an_untagged_or_dirty_checkout(tmp_path: Path) -> None:
    project = tagged_project(tmp_path)
    project.write("docs/index.md", "# Home\n\nEdited after tagging.\n")
    dirty = evidence(tmp_path, "release")
    assert dirty.returncode == 1
    assert dirty.stderr.startswith(
        "python -m evidence release: error: the working tree differs from v1.0 (docs/index.md)"
    )
    git(tmp_path, "commit", "-q", "-am", "after the release")
    untagged = evidence(tmp_path, "release")
    assert untagged.returncode == 1
    assert "HEAD has no release tag; tag it first: git tag -a vX.Y -m 'Edition vX.Y'" in untagged.stderr
    not_head = evidence(tmp_path, "release", "--tag", "v1.0")
    assert "tag v1.0 is not the checked-out commit; run `git checkout v1.0` first" in not_head.stderr


def test_release_dry_run_prints_the_mike_commands(tmp_path: Path) -> None:
    tagged_project(tmp_path)
    result = evidence(tmp_path, "release", "--dry-run", "--push")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "mike deploy --update-aliases --title 'v1.0 (2026-01-20)' --push v1.0 latest",
        "mike set-default --push latest",
        "copy v1.0/404.html to the root of gh-pages",  # issue 23
        "git push origin gh-pages",
    ]
    assert not git(tmp_path, "branch", "--list", "gh-pages")


@pytest.mark.slow
def test_deleting_a_released_claim_fails_check_and_build(tmp_path: Path) -> None:
    project = tagged_project(tmp_path)
    (tmp_path / "content/claims/burden/claim-b.yml").unlink()
    expected = (
        "content/claims/burden/claim-b.yml:1:1: error: "
        "claim 'claim-b' was published in v1.0 and its file is gone [claim-deleted]"
    )
    check = evidence(tmp_path, "check")
    assert check.returncode == 1
    assert expected in check.stdout
    assert "restore it (`git checkout v1.0 -- content/claims/burden/claim-b.yml`)" in check.stdout
    build = project.build(env=GIT_ENV)
    assert build.returncode != 0
    assert expected in build.stderr


def test_retiring_a_released_claim_instead_is_clean(tmp_path: Path) -> None:
    project = tagged_project(tmp_path)
    retired = {"reason": "Out of date.", "date": "2026-01-25", "superseded_by": "claim-kept"}
    project.write_claim(claim_data("claim-b", title="Claim to be retired", status="retired", retired=retired))
    # moving a claim to another topic keeps its id (and URL): not a deletion either
    (tmp_path / "content/claims/benefits/claim-kept.yml").rename(
        tmp_path / "content/claims/burden/claim-kept.yml"
    )
    moved = claim_data("claim-kept", topic="burden", title="Claim that stays as it is")
    project.write_claim(moved)
    check = evidence(tmp_path, "check")
    assert "claim-deleted" not in check.stdout
    assert check.returncode == 0, check.stdout


def test_deleted_claim_rule_works_for_a_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    mini_project(tmp_path / "site", claims=first_edition_claims())
    git(tmp_path, "init", "-q", "-b", "main")
    commit_and_tag(tmp_path, "v1.0")
    (tmp_path / "site/content/claims/benefits/claim-kept.yml").unlink()
    site = tmp_path / "site"
    problems = deleted_claims(site, release.detect(site), {"example-claim", "claim-b"})
    assert [(p.path, p.message) for p in problems] == [
        (
            "content/claims/benefits/claim-kept.yml",
            "claim 'claim-kept' was published in v1.0 and its file is gone",
        )
    ]


def test_deleted_claim_rule_needs_no_git(tmp_path: Path) -> None:
    assert deleted_claims(tmp_path, release.detect(tmp_path), set()) == []


# -- which edition a build is ---------------------------------------------------------------


def test_edition_without_git_is_an_unreleased_draft_with_no_history(tmp_path: Path) -> None:
    edition = release.detect(tmp_path, environ={})
    assert (edition.name, edition.date, edition.previous, edition.has_history) == (None, None, None, False)
    named = release.detect(tmp_path, environ={"MIKE_DOCS_VERSION": "v2.0"})
    assert named.name == "v2.0" and named.label == "v2.0"


def test_edition_from_mike_and_previous_release_from_git(tmp_path: Path) -> None:
    plant_second_edition(tagged_project(tmp_path))
    commit_and_tag(tmp_path, "v1.1")
    edition = release.detect(tmp_path, environ={"MIKE_DOCS_VERSION": "v1.1"})
    assert edition.name == "v1.1"
    assert edition.date == dt.date(2026, 2, 10)
    assert edition.previous is not None and edition.previous.tag == "v1.0"
    assert edition.previous.date == dt.date(2026, 1, 20)
    first = release.detect(tmp_path, environ={"EVIDENCE_EDITION": "v1.0", "MIKE_DOCS_VERSION": "v1.1"})
    assert (first.name, first.previous) == ("v1.0", None)
    draft = release.detect(tmp_path, environ={})
    assert draft.name is None and draft.previous.tag == "v1.1"


def test_release_tags_sort_as_versions() -> None:
    tags = ["v1.10", "v1.9", "v2", "v1.9.1", "v0.1"]
    assert sorted(tags, key=release.version_key) == ["v0.1", "v1.9", "v1.9.1", "v1.10", "v2"]
    assert not release.is_release_tag("1.0") and not release.is_release_tag("v1.x")


def test_every_edition_carries_materials_banner_for_earlier_editions(released: Releases) -> None:
    # Material's script unhides it on any edition the default alias does not point at
    for tag in EDITIONS:
        banner = released.soup(f"{tag}/burden/index.html").select_one('[data-md-component="outdated"]')
        assert banner is not None and banner.has_attr("hidden"), tag
        assert "You are reading an earlier edition of this site." in " ".join(banner.get_text().split())
        link = banner.select_one("a")
        # the latest home, until evidence.js has seen the same page there (browser test)
        assert (link["href"], link["data-ev-same"]) == ("../../latest/", "../../latest/burden/")


def test_the_banner_on_a_claim_page_links_to_the_same_claim_in_the_latest_edition(released: Releases) -> None:
    claim = next(p for p in released.pages("v1.0") if p.parent.parent.name == "claims")
    rel = claim.relative_to(released.site / "v1.0").parent.as_posix()
    link = released.soup(f"v1.0/{rel}/index.html").select_one('[data-md-component="outdated"] a')
    assert link["href"] == f"../../../latest/{rel}/"
    assert "Read this claim in the latest edition." in link.get_text()
