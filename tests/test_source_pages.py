"""A page per source at sources/<key>/: the reference, its link, the claims resting on it or citing it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import BIB, REPO, Project, claim_data, mini_project

from evidence.load.corpus import load_corpus
from evidence.pages.source_pages import safe_title, source_pages
from evidence.render.renderer import Renderer

CORPUS, _ = load_corpus(REPO)

LINKED = textwrap.dedent(
    """
    @article{doi-study,
      author = {Example, Ann},
      title = {A Trial of Exercise},
      journal = {Spine},
      year = {2021},
      doi = {10.1000/xyz123},
    }

    @online{web-page,
      title = {A Page <b>bold</b> With a Link},
      howpublished = {Example Site},
      url = {https://example.org/page?a=1&b=2},
    }
    """
)


def soup(project: Project, path: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(path), "html.parser")


def test_every_reference_has_its_page(real_site: Project) -> None:
    pages = sorted(p.parent.name for p in (real_site.root / "site" / "sources").glob("*/index.html"))
    assert pages == sorted(CORPUS.library.references)
    assert not (REPO / "docs" / "sources").exists()  # generated, never written by hand


def test_source_page_lists_claims_by_role(real_site: Project) -> None:
    for key, ref in CORPUS.library.references.items():
        page = soup(real_site, f"sources/{key}/index.html")
        assert page.select_one("h1").get_text() == ref.label
        formatted = page.select_one(".ev-source-page__formatted .ev-ref").get_text()
        assert " ".join(formatted.split()) == " ".join(ref.text.split())
        resting = [a["href"] for a in page.select("ul[data-role=source] .ev-source-claims__title")]
        reported = [a["href"] for a in page.select("ul[data-role=reported-in] .ev-source-claims__title")]
        assert resting == [f"../../claims/{c.id}/" for c in CORPUS.citing(key) if c.source == key], key
        assert reported == [f"../../claims/{c.id}/" for c in CORPUS.citing(key) if c.reported_in == key], key
        for href in resting + reported:
            assert (real_site.root / "site" / "sources" / key / href / "index.html").resolve().is_file()
        # the page cites its source, so its reference list and trust block name it
        assert [li["id"] for li in page.select("ol.ev-refs > li")] == [f"ref-{key}"]


def test_seed_article_page_counts_its_claims(real_site: Project) -> None:
    page = soup(real_site, "sources/spinenation-2017/index.html")
    resting = page.select("ul[data-role=source] > li")
    reported = page.select("ul[data-role=reported-in] > li")
    assert len(resting) == sum(c.source == "spinenation-2017" for c in CORPUS.claims.values())
    assert len(reported) == sum(c.reported_in == "spinenation-2017" for c in CORPUS.claims.values())
    assert len(reported) > 0
    assert page.select_one(".ev-source-page__link").get_text() == (
        "No DOI or web address is recorded for this source."
    )


def test_cards_table_and_bibliography_link_to_source_pages(real_site: Project) -> None:
    claim = CORPUS.claim("gbd-half-working-americans-back-pain")
    card = soup(real_site, "index.html").select_one(f"#claim-{claim.id}")
    # the chain reads in the order we know it (docs/methodology.md, "Source and 'reported in'"):
    # the article we read first, then the study it attributes the claim to, as the card's
    # "According to …, who attribute it to …" does; each label goes with its own link
    steps = card.select(".ev-card__chain .ev-chain__step")
    assert [
        (step.select_one(".ev-chain__label").get_text(), step.select_one("a:not([data-ev-cite])")["href"])
        for step in steps
    ] == [
        ("We read it in", "sources/spinenation-2017/"),
        ("that article says it comes from", "sources/gbd-study/"),
    ]
    assert [a["href"] for a in card.select(".ev-card__chain a:not([data-ev-cite])")] == [
        "sources/spinenation-2017/",
        "sources/gbd-study/",
    ]
    row = soup(real_site, "claims/index.html").select_one(f"#row-{claim.id}")
    assert row.select_one("td[data-label=Source] a")["href"] == "../sources/gbd-study/"
    entry = soup(real_site, "references/index.html").select_one("#bib-gbd-study")
    assert entry.select_one("a.ev-ref__page")["href"] == "../sources/gbd-study/"


@pytest.mark.slow
def test_links_doi_and_url_and_keeps_text_inert(tmp_path: Path) -> None:
    claims = [
        claim_data(),
        claim_data("linked", topic="benefits", source="doi-study", reported_in="web-page"),
    ]
    project = mini_project(tmp_path, claims=claims, bib=BIB + LINKED)
    result = project.build()
    assert result.returncode == 0, result.stderr
    doi = soup(project, "sources/doi-study/index.html").select_one(".ev-source-page__link")
    assert doi.get_text(" ", strip=True) == "DOI: https://doi.org/10.1000/xyz123"
    assert doi.a["href"] == "https://doi.org/10.1000/xyz123"
    html = project.html("sources/web-page/index.html")
    web = BeautifulSoup(html, "html.parser")
    assert web.select_one(".ev-source-page__link a")["href"] == "https://example.org/page?a=1&b=2"
    assert "a=1&amp;b=2" in html
    assert web.select_one("h1").get_text() == "A Page <b>bold</b> With a Link"
    assert web.select_one("article b") is None
    assert "<title>Source: A Page b bold /b With a Link - " in html  # the theme prints titles unescaped
    assert [a.get_text() for a in web.select("ul[data-role=reported-in] .ev-source-claims__title")] == [
        "An example claim"
    ]
    assert web.select_one("ul[data-role=source]") is None
    assert "No claim names it as its source." in web.get_text()


def test_titles_of_generated_pages_cannot_carry_markup() -> None:
    assert safe_title('Source: <script>alert("x")</script> & co') == "Source: script alert( x ) /script co"
    assert len(safe_title("x" * 500)) == 120


def test_no_page_for_a_reference_no_claim_cites(tmp_path: Path) -> None:
    uncited = "\n@misc{uncited-entry,\n  howpublished = {Nobody cites this},\n}\n"
    project = mini_project(tmp_path, bib=BIB + uncited)
    corpus, _ = load_corpus(project.root)
    assert "uncited-entry" in corpus.library
    renderer = Renderer(corpus, project.root / "macros" / "templates")
    assert [p.src for p in source_pages(renderer)] == ["sources/article-a.md", "sources/survey-b.md"]
