"""The "What changed" page: generated at build from the release tags, by the one diff engine.

Uses the two editions of the `released` fixture (planted: one statistic changed, one
claim added, one retired) and the `draft_site` built without git.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup, Tag
from helpers import Project
from releases import ADDED, CHANGED, RETIRED, RETIREMENT, Releases, evidence

from evidence.editions import history, release
from evidence.load.corpus import load_corpus

pytestmark = pytest.mark.xdist_group("releases")

SECTIONS = [
    "added",
    "retired",
    "changed",
    "removed",
    "references-added",
    "references-changed",
    "references-removed",
]


def edition_section(page: BeautifulSoup, tag: str) -> Tag:
    section = page.select_one(f'section.ev-edition[data-edition="{tag}"]')
    assert section is not None, tag
    return section


def listed(section: Tag) -> dict[str, list[str]]:
    """Each list of the section -> the claim ids or reference keys it names."""
    return {
        name: [li.get("data-claim") or li["data-key"] for li in section.select(f"ul.ev-changes--{name} > li")]
        for name in SECTIONS
    }


def test_second_edition_lists_exactly_the_planted_changes(released: Releases) -> None:
    page = released.soup("v1.1/changes/index.html")
    section = edition_section(page, "v1.1")
    assert "ev-edition--current" in section["class"]
    assert listed(section) == {
        "added": [ADDED],
        "retired": [RETIRED],
        "changed": [CHANGED],
        "removed": [],
        "references-added": [],
        "references-changed": [],
        "references-removed": [],
    }
    rows = section.select(f'li[data-claim="{CHANGED}"] tr[data-field]')
    assert [
        (r["data-field"], r.select_one("del").get_text(), r.select_one("ins").get_text()) for r in rows
    ] == [
        ("statistic.as_stated", "37 percent", "40 percent"),
        ("statistic.value", "37", "40"),
    ]
    retired = section.select_one(f'li[data-claim="{RETIRED}"]')
    assert RETIREMENT["reason"] in retired.get_text()
    assert retired.select_one("time")["datetime"] == RETIREMENT["date"]
    compared = " ".join(section.select_one(".ev-edition__compared").get_text().split())
    assert compared == "Compared with edition v1.0 (2026-01-20)."


def test_changed_claims_link_to_their_pages_and_other_editions(released: Releases) -> None:
    section = edition_section(released.soup("v1.1/changes/index.html"), "v1.1")
    links = {a.get_text(): a["href"] for a in section.select("ul.ev-changes a")}
    assert links["Claim added in the second edition"] == f"../claims/{ADDED}/"
    assert section.select_one(".ev-edition__compared a")["href"] == "../../v1.0/"
    for href in links.values():
        assert (released.site / "v1.1/changes" / href / "index.html").resolve().is_file(), href


def test_first_edition_says_there_is_nothing_to_compare(released: Releases) -> None:
    page = released.soup("v1.0/changes/index.html")
    sections = page.select("section.ev-edition")
    assert [s["data-edition"] for s in sections] == ["v1.0"]
    text = " ".join(sections[0].select_one(".ev-edition__first").get_text().split())
    assert text == (
        "This is the first edition: there is no earlier edition to compare it with. "
        "It published 3 claims resting on 2 references."
    )
    assert not sections[0].select("ul.ev-changes")


def test_second_edition_keeps_the_history_newest_first(released: Releases) -> None:
    page = released.soup("v1.1/changes/index.html")
    assert [s["data-edition"] for s in page.select("section.ev-edition")] == ["v1.1", "v1.0"]
    assert edition_section(page, "v1.0").select_one(".ev-edition__first") is not None
    retired = [li["data-claim"] for li in page.select("#retired-claims li")]
    assert retired == [RETIRED]


def test_page_and_evidence_diff_share_one_engine(released: Releases) -> None:
    result = evidence(released.project.root, "diff", "v1.0", "v1.1", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    section = edition_section(released.soup("v1.1/changes/index.html"), "v1.1")
    on_page = listed(section)
    assert [c["id"] for c in data["added"]] == on_page["added"]
    assert [c["id"] for c in data["retired"]] == on_page["retired"]
    assert [c["id"] for c in data["changed"]] == on_page["changed"]


def test_without_git_the_page_says_so(draft_site: Project) -> None:
    page = BeautifulSoup(draft_site.html("changes/index.html"), "html.parser")
    assert page.select_one(".ev-changes-page__note").select("p")[-1].get_text() == history.NO_GIT
    assert page.select("section.ev-edition") == []
    # ...but the retired claims are still listed, with their pages
    assert [a["href"] for a in page.select("#retired-claims a")] == ["../claims/old-claim/"]


def test_history_without_git_is_a_note_not_an_error(tmp_path) -> None:
    corpus, _ = load_corpus(tmp_path)
    found = history.build_history(corpus, release.detect(tmp_path, environ={}))
    assert (found.editions, found.note, found.current) == ((), history.NO_GIT, None)


def test_what_changed_is_in_the_navigation(released: Releases) -> None:
    nav = released.soup("v1.1/index.html").select(".md-nav__link")
    assert any(" ".join(a.get_text().split()) == "What changed" for a in nav)


def test_shallow_clone_without_tags_says_history_is_incomplete(tmp_path) -> None:
    corpus, _ = load_corpus(tmp_path)
    shallow = release.Git(top=tmp_path, prefix="", shallow=True)
    edition = release.Edition(name="v2.0", date=None, commit=None, git=shallow)
    assert not edition.has_history
    found = history.build_history(corpus, edition)
    assert (found.editions, found.note) == ((), history.SHALLOW)


@pytest.mark.slow
def test_a_hand_written_page_cannot_replace_the_generated_one(mini: Project) -> None:
    mini.write("docs/changes.md", "# What changed\n\nNothing, honestly.\n")
    result = mini.build()
    assert result.returncode != 0
    assert "changes.md (generated) and docs/changes.md are both published at changes/index.html" in (
        result.stderr
    )
