"""Certainty on the card, in the downloads and the JSON-LD, read from real mini builds."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import Project, claim_data, mini_project

DIRECT = claim_data(
    "direct-claim",
    topic="benefits",
    source="article-a",
    reported_in=None,
    evidence={"kind": "narrative-article", "primary_checked": False},
    certainty={
        "level": "very-low",
        "reasons": [{"domain": "not-research", "note": "The article's own view."}],
    },
)


def _built(tmp_path: Path) -> Project:
    project = mini_project(tmp_path, claims=[claim_data(), DIRECT])
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def _card(project: Project, page: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(page), "html.parser").select_one("article.ev-card")


@pytest.mark.slow
def test_card_states_certainty_in_words_scale_and_meaning(tmp_path: Path) -> None:
    card = _card(_built(tmp_path), "burden/index.html")
    assert "ev-certainty--very-low" in card["class"]
    assert card.select_one(".ev-certainty__label").get_text(" ", strip=True) == "Certainty: Very low"
    scale = card.select_one(".ev-scale")
    assert scale["aria-label"].startswith("1 of 4 steps")
    assert scale.get_text() == "■□□□"  # shape, not colour alone
    assert (
        card.select_one(".ev-certainty__meaning").get_text().startswith("We are very uncertain about this:")
    )
    reasons = [li.get_text("", strip=False) for li in card.select(".ev-certainty__reasons li")]
    explained = " (The studies looked at other people, treatments or outcomes than those asked about.)"
    assert reasons == [f"Indirectness{explained}: Known only through the article that reports it."]
    domain = card.select_one(".ev-certainty__reasons a.ev-certainty__domain")  # the glossary entry
    assert domain["href"].endswith("#certainty-indirectness") and domain["title"] == explained[2:-1]


@pytest.mark.slow
def test_card_says_who_makes_the_claim_and_whose_study_it_is(tmp_path: Path) -> None:
    project = _built(tmp_path)
    reported = _card(project, "burden/index.html")
    who = reported.select_one(".ev-card__who").get_text(" ", strip=True)
    assert who.startswith("According to Example Health Site")
    assert "who attribute it to Example Association" in who and "(a survey)" in who
    assert (
        reported.select_one(".ev-card__primary")
        .get_text(strip=True)
        .startswith("Primary source not yet checked")
    )
    direct = _card(project, "benefits/index.html")
    assert direct.select_one(".ev-card__who").get_text(" ", strip=True) == (
        "According to Example Health Site (the article's own view, not research)."
    )
    assert (
        direct.select_one(".ev-card__primary").get_text(strip=True) == "Read directly in the document cited"
    )
    assert "not yet checked" not in direct.get_text()
    for card in (reported, direct):
        foot = card.select_one(".ev-card__reviewed").get_text(" ", strip=True)
        assert foot.startswith("Checked against the source by Test Reviewer on ")
        assert card.select_one(".ev-card__link").get_text(strip=True) == "Link to this claim"
        assert "→" not in card.get_text() and "#" not in card.select_one(".ev-card__foot").get_text()


@pytest.mark.slow
def test_json_ld_carries_each_claims_certainty(tmp_path: Path) -> None:
    html = _built(tmp_path).html("burden/index.html")
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    parts = json.loads(block)["hasPart"]
    assert [p["identifier"] for p in parts] == ["example-claim"]
    props = {p["name"]: p["value"] for p in parts[0]["additionalProperty"]}
    assert props["GRADE certainty"] == "very-low"
    assert props["reason: indirectness"] == "Known only through the article that reports it."


def test_csv_has_certainty_level_and_reasons(tmp_path: Path) -> None:
    project = mini_project(tmp_path, claims=[claim_data(), DIRECT])
    from evidence.load.corpus import load_corpus
    from evidence.render.export import claims_csv

    corpus = load_corpus(project.root)[0]
    claims = [lc.claim for _, lc in sorted(corpus.loaded.items())]
    rows = {
        r["id"]: r for r in csv.DictReader(io.StringIO(claims_csv(claims).decode("utf-8-sig"), newline=""))
    }
    assert rows["example-claim"]["certainty_level"] == "very-low"
    assert rows["direct-claim"]["certainty_reasons"] == "not-research: The article's own view."
    assert "certainty_reasons_domain" not in rows["direct-claim"]
