"""The trust block: the JAMA benchmarks as data (content/site.yml), on every page, or no build."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import REPO, Project, mini_project, theme_pages

from evidence.core.problems import Severity
from evidence.load.corpus import load_corpus
from evidence.load.trust import SITE_FILE, load_site

CORPUS, _ = load_corpus(REPO)
BENCHMARKS = ["authorship", "review", "attribution", "disclosure", "currency"]


def built_pages(project: Project) -> list[Path]:
    return theme_pages(project.root / "site")


def trust_items(page: BeautifulSoup) -> dict[str, str]:
    block = page.select_one("dl[data-ev-trust]")
    assert block is not None
    return {
        item["data-benchmark"]: item.select_one("dd").get_text(" ", strip=True)
        for item in block.select(".ev-trust__item")
    }


def errors(project: Project) -> list[str]:
    return [p.format() for p in load_corpus(project.root)[1] if p.severity is Severity.error]


def test_every_page_shows_all_five_benchmarks(real_site: Project) -> None:
    pages = built_pages(real_site)
    assert len(pages) > 60  # hand-written, claim and source pages
    for path in pages:
        items = trust_items(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        assert list(items) == BENCHMARKS, path
        assert all(items.values()), (path, items)


def test_trust_block_states_site_yml_and_the_page_own_facts(real_site: Project) -> None:
    page = BeautifulSoup(real_site.html("burden/index.html"), "html.parser")
    items = trust_items(page)
    assert items["authorship"] == "Evidence site editors"
    assert items["disclosure"] == "Funding: none. Advertising: none. Conflicts of interest: none declared."
    refs = page.select("ol.ev-refs > li")
    assert items["attribution"].startswith(f"{len(refs)} references on this page")
    oldest = min(c.reviewed.date for c in CORPUS.topic_claims("burden"))
    assert page.select_one("[data-benchmark=currency] .ev-reviewed time")["datetime"] == oldest.isoformat()
    assert "no clinician has reviewed this site" in items["review"]
    assert "on this page" in items["currency"] and "Unreleased draft" in items["currency"]


def test_a_page_without_claims_says_it_cites_nothing(real_site: Project) -> None:
    items = trust_items(BeautifulSoup(real_site.html("data/index.html"), "html.parser"))
    assert items["attribution"].startswith("This page states no claim of its own")
    # the site-wide currency: every claim's review, as one date or the span of dates
    assert re.search(
        r"on this site (last )?checked against its sources (on or after|between) \d{4}-", items["currency"]
    )


@pytest.mark.slow
def test_trust_block_is_data_not_prose(mini: Project) -> None:
    site = yaml.safe_load((mini.root / SITE_FILE).read_text())
    site["disclosure"] = {
        "funding": ["Example Foundation"],
        "advertising": True,
        "conflicts_of_interest": ["One editor treats back pain privately"],
    }
    site["authors"] = [{"name": "Ada Example", "kind": "person", "credentials": "PT, DPT"}]
    mini.write(SITE_FILE, yaml.safe_dump(site, sort_keys=False))
    result = mini.build()
    assert result.returncode == 0, result.stderr
    items = trust_items(BeautifulSoup(mini.html("index.html"), "html.parser"))
    assert items["authorship"] == "Ada Example, PT, DPT"
    assert items["disclosure"] == (
        "Funding: Example Foundation. Advertising: yes. "
        "Conflicts of interest: One editor treats back pain privately."
    )


@pytest.mark.slow
def test_missing_site_yml_fails_check_and_build(mini: Project) -> None:
    (mini.root / SITE_FILE).unlink()
    assert errors(mini) == [
        "content/site.yml:1:1: error: site.yml is missing: every page must show who wrote and reviewed it "
        "and its disclosure [trust-missing]\n"
        "    hint: create content/site.yml with authors, reviewers, disclosure and about"
    ]
    result = mini.build()
    assert result.returncode != 0
    assert "content/site.yml:1:1: error: site.yml is missing" in result.stderr


@pytest.mark.slow
def test_each_missing_benchmark_is_named_with_its_line(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    project.write(
        SITE_FILE,
        "authors: []\n"
        "reviewers:\n"
        "  - name: Evidence site editors\n"
        "    kind: organization\n"
        "disclosure:\n"
        "  funding: []\n"
        "about:\n"
        "  - type: MedicalCondition\n"
        "    name: Back pain\n",
    )
    problems = [p for p in load_site(project.root)[1]]
    assert [(p.line, p.rule, p.message) for p in problems] == [
        (1, "trust-missing", "field 'authors' is empty (authorship: who wrote the site)"),
        (
            6,
            "trust-missing",
            "missing required field 'disclosure.advertising' "
            "(disclosure: whether the site shows advertising (true or false))",
        ),
        (
            6,
            "trust-missing",
            "missing required field 'disclosure.conflicts_of_interest' "
            "(disclosure: conflicts of interest (write [] for none))",
        ),
    ]
    result = project.build()
    assert result.returncode != 0
    assert "content/site.yml:6:3: error: missing required field 'disclosure.advertising'" in result.stderr
    check = project.check()
    assert check.returncode == 1
    assert "content/site.yml:1:10: error: field 'authors' is empty" in check.stdout


def test_site_yml_is_checked_like_any_contributor_file(mini: Project) -> None:
    mini.write(
        SITE_FILE,
        (mini.root / SITE_FILE).read_text().replace("advertising: false", "advertising: nope"),
    )
    (problem,) = [p for p in load_site(mini.root)[1]]
    assert (problem.path, problem.rule) == (SITE_FILE, "schema-invalid")
    assert problem.message.startswith("field 'disclosure.advertising'")


def test_search_indexes_the_evidence_not_the_repeated_trust_block(real_site: Project) -> None:
    fragments = sorted((real_site.root / "site/pagefind/fragment").iterdir())
    docs = [json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd")) for f in fragments]
    text = " ".join(doc["content"] for doc in docs)
    assert "Conflicts of interest" not in text and "MedicalWebPage" not in text
    assert "Global Burden of Disease" in text  # the claims themselves are searchable
    assert any(doc["url"].startswith("/sources/gbd-study/") for doc in docs)


@pytest.mark.slow
@pytest.mark.parametrize("wording", ["not-medical", "clinician-reviewed"])
def test_the_review_sentence_and_disclaimer_box_are_the_sites_own(mini: Project, wording: str) -> None:
    """Issue 23: a site on another subject, or one with clinician reviewers, says so (site.yml's
    `medical`, `clinical_review`, `review_statement`, `disclaimer`); no medical wording unless
    the site says it is medical, and this repository's site says what it always said."""
    site = yaml.safe_load((mini.root / SITE_FILE).read_text())
    statement = "Each claim is read by two editors, one of them a physiotherapist."
    site |= {"medical": True, "clinical_review": True, "review_statement": statement}
    if wording == "not-medical":
        site |= {"medical": False, "clinical_review": False, "disclaimer": "General information only."}
        site.pop("safety", None)
    mini.write(SITE_FILE, yaml.safe_dump(site, sort_keys=False))
    result = mini.build()
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup(mini.html("index.html"), "html.parser")
    review = trust_items(page)["review"]
    box = page.select_one(".ev-disclaimer").get_text(" ", strip=True)
    graph = json.loads(page.find("script", type="application/ld+json").string)
    assert review.endswith(statement) and "clinician" not in review.replace("physiotherapist", "")
    if wording == "not-medical":
        assert box == "Not professional advice General information only. Read the full disclaimer ."
        assert graph["@type"] == "WebPage"
    else:
        assert box.startswith("Not medical advice This site summarises published sources")
        assert graph["@type"] == "MedicalWebPage"
    # the claim cards say no more than the site does: no "(not a clinical review)" either way
    card = BeautifulSoup(mini.html("burden/index.html"), "html.parser").select_one(".ev-card__reviewed")
    assert card is not None and "clinical" not in card.get_text()


@pytest.mark.slow
def test_a_medical_site_without_clinical_review_says_so_on_each_card(mini: Project) -> None:
    site = yaml.safe_load((mini.root / SITE_FILE).read_text())
    mini.write(SITE_FILE, yaml.safe_dump(site | {"medical": True, "clinical_review": False}, sort_keys=False))
    assert mini.build().returncode == 0
    card = BeautifulSoup(mini.html("burden/index.html"), "html.parser").select_one(".ev-card__reviewed")
    assert card is not None and card.get_text().endswith("(not a clinical review)")


def test_this_sites_wording_is_unchanged() -> None:
    """content/site.yml says it is medical with no clinical review: the same sentence and box as before."""
    site, problems = load_site(REPO)
    assert problems == [] and site is not None
    assert (site.medical, site.clinical_review, site.review_statement, site.disclaimer) == (
        True,
        False,
        None,
        None,
    )
    template = (REPO / "evidence/render/templates/page_about.html").read_text(encoding="utf-8")
    assert "This is not a clinical review: no clinician has reviewed this site." in template
    assert "Not medical advice" in template
