"""Issue 23, item 8 (display): a DOI is shown once, as a link, wherever a reference is listed;
"who attribute it to" names the source's authors (or its organisation), never its title."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import BIB, Project, claim_data, mini_project

TRIAL = """
@article{trial-2014,
  author = {Youngster, Ilan and Russell, George H. and Pindar, Christina},
  title = {Oral, capsulized, frozen fecal microbiota transplantation},
  journaltitle = {JAMA},
  date = {2014-11-05},
  volume = {312},
  pages = {1772--1778},
  doi = {10.1001/jama.2014.13875},
}

@report{agency-2023,
  author = {{Agency for Healthcare Research and Quality}},
  title = {Noninvasive Treatments for Low Back Pain},
  institution = {Agency for Healthcare Research and Quality},
  date = {2023},
}
"""
DOI = "https://doi.org/10.1001/jama.2014.13875"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    claims = [
        claim_data(),
        claim_data("from-a-trial", source="trial-2014"),
        claim_data("from-an-agency", topic="benefits", source="agency-2023"),
    ]
    project = mini_project(tmp_path_factory.mktemp("display"), claims=claims, bib=BIB + TRIAL)
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def _page(project: Project, path: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(path), "html.parser")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "entry"),
    [
        ("references/index.html", "#bib-trial-2014"),  # all references
        ("burden/index.html", "#ref-trial-2014"),  # a page's own list
        ("claims/from-a-trial/index.html", "#source-trial-2014"),  # the claim page's sources
    ],
)
def test_a_doi_is_shown_once_as_a_link(built: Project, path: str, entry: str) -> None:
    item = _page(built, path).select_one(entry)
    assert item is not None, path
    text = item.get_text(" ", strip=True)
    assert text.count("10.1001/jama.2014.13875") == 1, text
    assert "https://doi.org" not in text  # no second, bare address line
    assert [a["href"] for a in item.select("a[href]") if "doi.org" in a["href"]] == [DOI]


@pytest.mark.slow
def test_who_attribute_it_to_names_the_authors_or_the_organisation(built: Project) -> None:
    trial = _page(built, "burden/index.html").select_one("#claim-from-a-trial .ev-card__who")
    assert trial.get_text().startswith(
        "According to Example Health Site, who attribute it to Youngster et al ("
    )
    agency = _page(built, "benefits/index.html").select_one("#claim-from-an-agency .ev-card__who")
    assert "who attribute it to Agency for Healthcare Research and Quality (" in agency.get_text(
        " ", strip=True
    )
    for card in (trial, agency):
        assert "Oral, capsulized" not in card.get_text() and "Noninvasive" not in card.get_text()


def test_who_is_short_for_people_whole_for_an_organisation(tmp_path: Path) -> None:
    from evidence.bib.library import load_library

    bib = tmp_path / "references.bib"
    two = "@article{two, author = {Sauk, Jenny and Hohmann, Elizabeth L.}, title = {T}}\n"
    bib.write_text(BIB + TRIAL + two, encoding="utf-8")
    library, _ = load_library(bib, "references.bib")
    assert library["trial-2014"].who == "Youngster et al"
    assert library["two"].who == "Sauk and Hohmann"
    assert library["agency-2023"].who == "Agency for Healthcare Research and Quality"
    assert library["survey-b"].who == "Example Association"
