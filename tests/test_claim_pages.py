"""A page per claim at claims/<id>/: card, sources, quote, review, related claims, history, citation.

Uses the second edition of the `released` fixture (`claim-b` retired in favour of `claim-c`,
`example-claim`'s statistic changed) and the `draft_site` built without git.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import REVIEWED, Project, claim_data, mini_project
from pybtex.database import parse_string
from releases import ADDED, CHANGED, HOSTILE_TITLE, KEPT, RETIRED, RETIREMENT, Releases

from evidence.pages.claim_pages import RELATED_LIMIT
from evidence.render.cite_this import css_string, latex_escape

pytestmark = pytest.mark.xdist_group("releases")

SITE_NAME = "Physical therapy for back pain: what the evidence says"
SITE_URL = "https://example.org/pt-back-pain/"


def claim_page(released: Releases, claim_id: str, edition: str = "v1.1") -> BeautifulSoup:
    return released.soup(f"{edition}/claims/{claim_id}/index.html")


def text(tag) -> str:
    return " ".join(tag.get_text().split())


def test_every_claim_has_its_own_page_active_or_retired(released: Releases) -> None:
    for claim_id in (CHANGED, RETIRED, ADDED, KEPT):
        page = claim_page(released, claim_id)
        assert page.select_one("article.ev-claim-page")["data-claim"] == claim_id
        assert page.select_one(f"article.ev-card#claim-{claim_id}") is not None


def test_claim_page_shows_card_sources_quote_and_review(released: Releases) -> None:
    page = claim_page(released, CHANGED)
    assert text(page.select_one("h1")) == "An example claim"
    assert text(page.select_one(".ev-claim-page .ev-stat__number")) == "40 percent"
    sources = page.select(".ev-sources dt")
    assert [text(dt) for dt in sources] == ["Source", "Reported in"]
    assert [dd["id"] for dd in page.select(".ev-sources dd")] == ["source-survey-b", "source-article-a"]
    assert "An example article about back pain" in text(page.select_one("#source-article-a .ev-ref"))
    assert [a["href"] for a in page.select(".ev-sources dd > a:not(.ev-ref__link)")] == [
        "../../references/#bib-survey-b",
        "../../references/#bib-article-a",
    ]
    quote = page.select_one(".ev-quote-full")
    assert text(quote.select_one("blockquote")) == "“37 percent of people said so”"
    assert text(quote.select_one("figcaption")) == "An Example Article About Back Pain, paragraph 1"
    terms = [text(t) for t in page.select(".ev-review dt")]
    review = dict(zip(terms, [text(d) for d in page.select(".ev-review dd")], strict=True))
    assert review["Last reviewed"] == f"{REVIEWED} by Test Reviewer"
    assert review["Kind of evidence"].startswith("Survey")
    assert review["Status"] == "Active"


def test_claim_page_says_title_quote_and_review_once(released: Releases) -> None:
    page = claim_page(released, CHANGED)
    article = page.select_one("article.ev-claim-page")
    headings = [text(h) for h in article.select("h1, h2, h3, h4, .ev-card__title")]
    assert headings.count("An example claim") == 1
    assert [text(h) for h in page.select("h1")] == ["An example claim"]
    card = article.select_one(f"article.ev-card#claim-{CHANGED}")
    assert card.select(".ev-card__title, details.ev-quote, .ev-card__reviewed, .ev-card__primary") == []
    assert card["aria-labelledby"] == "claim-page-title" and page.select_one("h1")["id"] == "claim-page-title"
    assert text(card.select_one(".ev-card__statement")).startswith("Some people with back pain")
    assert card.select_one(".ev-card__cite")["href"] == "./#cite-this"  # still offered, on this page
    body = text(article)
    assert body.count("37 percent of people said so") == 1, "the quote once"
    assert len(article.select("blockquote")) == 1
    assert body.count("Test Reviewer") == 1, "the review once"
    assert len(article.select("dl.ev-review")) == 1
    assert body.count("Some people with back pain do not see anyone about it.") == 1
    # elsewhere the card keeps its title, quote and review line
    topic = released.soup("v1.1/burden/index.html").select_one(f"#claim-{CHANGED}")
    assert text(topic.select_one(".ev-card__title")) == "An example claim"
    assert topic["aria-labelledby"] == f"claim-{CHANGED}-title"
    assert topic.select_one("details.ev-quote blockquote") is not None
    assert "Test Reviewer" in text(topic.select_one(".ev-card__reviewed"))


def test_claim_page_lists_other_claims_on_the_same_sources(released: Releases) -> None:
    page = claim_page(released, ADDED)
    groups = page.select("ul.ev-related")
    assert [g["data-source"] for g in groups] == ["survey-b", "article-a"]
    for group in groups:
        items = {a["href"]: li for li in group.select("li") for a in li.select("a")}
        # the same topic (benefits) first, then the others by id
        assert list(items) == [f"../{c}/" for c in (KEPT, RETIRED, CHANGED)]
        assert items[f"../{RETIRED}/"].select_one(".ev-tag--retired") is not None
    links = page.select("p.ev-related__all")
    assert [(p["data-source"], text(p)) for p in links] == [
        ("survey-b", "All 4 claims citing this source"),
        ("article-a", "All 4 claims citing this source"),
    ]
    for p in links:
        href = p.select_one("a")["href"]
        assert href == f"../../sources/{p['data-source']}/"
        assert (released.site / "v1.1/claims" / ADDED / href / "index.html").resolve().is_file()


def related_project(root: Path, n: int) -> Project:
    """n claims citing the same two references; every tenth is on 'burden', the rest on 'benefits'."""
    claims = [
        claim_data(f"c-{i:03d}", "burden" if i % 10 == 0 else "benefits", title=f"Claim number {i}")
        for i in range(n)
    ]
    root.mkdir()
    project = mini_project(root, claims=claims)
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def related_hrefs(project: Project, claim_id: str) -> dict[str, list[str]]:
    page = BeautifulSoup(project.html(f"claims/{claim_id}/index.html"), "html.parser")
    return {
        ul["data-source"]: [a["href"] for a in ul.select("li > a")] for ul in page.select("ul.ev-related")
    }


@pytest.mark.slow
def test_claim_page_stays_small_when_200_claims_cite_its_source(tmp_path: Path) -> None:
    small, big = related_project(tmp_path / "small", 12), related_project(tmp_path / "big", 200)
    # bounded and chosen the same way: same topic nearest by id first, then other topics by id
    expected = [f"../c-{i:03d}/" for i in (2, 3, 4, 6, 7)]
    assert (
        related_hrefs(small, "c-005")
        == related_hrefs(big, "c-005")
        == {
            "survey-b": expected,
            "article-a": expected,
        }
    )
    assert related_hrefs(big, "c-050") == {
        k: [f"../c-{i:03d}/" for i in (20, 30, 40, 60, 70)] for k in ("survey-b", "article-a")
    }
    sparse = [f"../c-{i:03d}/" for i in (0, 7, 8, 9, 11)]  # 'burden' has only c-000 besides it
    assert related_hrefs(small, "c-010") == {"survey-b": sparse, "article-a": sparse}
    assert all(len(v) == RELATED_LIMIT for v in related_hrefs(big, "c-199").values())
    page = BeautifulSoup(big.html("claims/c-005/index.html"), "html.parser")
    assert [text(p) for p in page.select("p.ev-related__all")] == ["All 200 claims citing this source"] * 2
    # the page does not grow with the claims citing its source: only "All 12" became "All 200"
    grown = len(big.html("claims/c-005/index.html").encode()) - len(
        small.html("claims/c-005/index.html").encode()
    )
    assert 0 <= grown < 200, grown
    # the source's own page is the one that lists them all
    source = BeautifulSoup(big.html("sources/survey-b/index.html"), "html.parser")
    assert len(source.select("ul.ev-source-claims li")) == 200


def test_claim_history_lists_its_changes_by_edition(released: Releases) -> None:
    rows = claim_page(released, CHANGED).select("table.ev-history tbody tr")
    assert [(r["data-edition"], r["data-kind"], r.select_one("time")["datetime"]) for r in rows] == [
        ("v1.1", "changed", "2026-02-10"),
        ("v1.0", "added", "2026-01-20"),
    ]
    changes = [
        (li["data-field"], text(li.select_one("del")), text(li.select_one("ins")))
        for li in rows[0].select("li")
    ]
    assert changes == [("statistic.as_stated", "37 percent", "40 percent"), ("statistic.value", "37", "40")]
    assert text(rows[1].select("td")[2]) == "First published"
    # the earlier edition's row links to the same claim's page in that edition
    assert rows[1].select_one("a")["href"] == f"../../../v1.0/claims/{CHANGED}/"
    added = claim_page(released, ADDED).select("table.ev-history tbody tr")
    assert [(r["data-edition"], text(r.select("td")[2])) for r in added] == [("v1.1", "Added")]
    kept = claim_page(released, KEPT).select("table.ev-history tbody tr")
    assert [r["data-edition"] for r in kept] == ["v1.0"]


def test_retired_claim_keeps_its_page_with_reason_date_and_successor(released: Releases) -> None:
    page = claim_page(released, RETIRED)
    banner = page.select_one(".ev-retired")
    assert banner is not None
    assert text(banner.select_one(".ev-retired__reason")) == RETIREMENT["reason"]
    assert banner.select_one("time")["datetime"] == RETIREMENT["date"]
    successor = banner.select_one(".ev-retired__superseded a")
    assert (successor["href"], text(successor)) == (f"../{ADDED}/", "Claim added in the second edition")
    assert "ev-card--retired" in page.select_one(f"#claim-{RETIRED}")["class"]
    rows = page.select("table.ev-history tbody tr")
    assert [(r["data-edition"], r["data-kind"]) for r in rows] == [("v1.1", "retired"), ("v1.0", "added")]
    assert text(rows[0].select("td")[2]) == f"Retired: {RETIREMENT['reason']}"
    # the first edition's page of the same claim is unchanged: active, no banner
    assert claim_page(released, RETIRED, "v1.0").select_one(".ev-retired") is None


def test_retired_claim_leaves_topic_page_and_table(released: Releases) -> None:
    for edition, expected in (("v1.0", True), ("v1.1", False)):
        topic = released.soup(f"{edition}/burden/index.html")
        table = released.soup(f"{edition}/claims/index.html")
        assert (topic.select_one(f"#claim-{RETIRED}") is not None) is expected, edition
        assert (table.select_one(f"#row-{RETIRED}") is not None) is expected, edition


def test_topic_pages_table_and_bibliography_link_to_claim_pages(released: Releases) -> None:
    topic = released.soup("v1.1/burden/index.html")
    assert topic.select_one(f"#claim-{CHANGED} .ev-card__link")["href"] == f"../claims/{CHANGED}/"
    assert topic.select_one(f"#claim-{CHANGED} .ev-card__cite")["href"] == f"../claims/{CHANGED}/#cite-this"
    table = released.soup("v1.1/claims/index.html")
    assert table.select_one(f"#row-{ADDED} a")["href"] == f"{ADDED}/"
    bibliography = released.soup("v1.1/references/index.html")
    hrefs = sorted(a["href"] for a in bibliography.select("#bib-survey-b .ev-backlinks a"))
    assert hrefs == sorted(f"../claims/{c}/" for c in (CHANGED, RETIRED, ADDED, KEPT))
    for href in hrefs:
        assert (released.site / "v1.1/references" / href / "index.html").resolve().is_file()


def test_cite_this_gives_edition_date_url_and_bibtex(released: Releases) -> None:
    block = claim_page(released, CHANGED).select_one("#cite-this")
    url = f"{SITE_URL}v1.1/claims/{CHANGED}/"
    styles = {p["data-style"]: text(p) for p in block.select(".ev-cite-this__text")}
    assert list(styles) == ["AMA", "Vancouver", "APA", "Harvard"]  # AMA, the site's style, first
    assert styles["AMA"] == f"An example claim. {SITE_NAME}. Edition v1.1. Published February 10, 2026. {url}"
    assert styles["Vancouver"] == f"{SITE_NAME} [Internet]. 2026. An example claim. Available from: {url}"
    # a claim page links its citation and its source's, as RIS, BibTeX and CSL-JSON
    hrefs = [a["href"] for a in block.select(".ev-cite-this__files a")]
    assert hrefs[:3] == [f"../../cite/claims/{CHANGED}{s}" for s in (".ris", ".bib", ".json")]
    for href in hrefs:
        assert (released.site / "v1.1/claims" / CHANGED / href).resolve().is_file()
    entry = parse_string(block.select_one("pre").get_text(), "bibtex").entries[f"claims-{CHANGED}-v1-1"]
    assert entry.type == "online"
    assert dict(entry.fields) == {
        "title": "An example claim",
        "organization": SITE_NAME,
        "version": "v1.1",
        "note": "Edition v1.1",
        "date": "2026-02-10",
        "year": "2026",
        "url": url,
    }
    # every page offers one, for its own edition
    home = released.soup("v1.0/index.html").select_one("#cite-this .ev-cite-this__text")
    assert text(home) == f"{SITE_NAME}. Edition v1.0. Published January 20, 2026. {SITE_URL}v1.0/"


def test_latex_specials_in_titles_are_escaped_for_bibtex() -> None:
    assert latex_escape("50% & {x}_y #1 $2 ~ ^ \\") == (
        r"50\% \& \textbraceleft{}x\textbraceright{}\_y \#1 \$2 "
        r"\textasciitilde{} \textasciicircum{} \textbackslash{}"
    )


def test_the_printed_running_line_is_a_css_string_that_cannot_end_early() -> None:
    """Only letters, digits and `,./:_()-` stay as they are; each escape ends with a space."""
    assert (
        css_string('Back pain · "edition" </style>\n') == r'"Back pain \B7  \22 edition\22  \3C /style\3E "'
    )


def test_hostile_claim_title_is_inert_on_its_page(draft_site: Project) -> None:
    html = draft_site.html("claims/hostile-title/index.html")
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one("article.ev-claim-page script") is None
    assert "<script>alert(1)" not in html
    assert text(page.select_one("h1")) == " ".join(HOSTILE_TITLE.split())
    assert text(page.select_one("title")).startswith(" ".join(HOSTILE_TITLE.split()))
    assert "49" not in text(page.select_one("h1"))
    bibtex = page.select_one("#cite-this pre").get_text()
    entry = parse_string(bibtex, "bibtex").entries["claims-hostile-title-draft"]
    assert entry.fields["title"] == latex_escape(HOSTILE_TITLE)


def test_draft_claim_page_says_draft_and_has_no_history(draft_site: Project) -> None:
    page = BeautifulSoup(draft_site.html("claims/old-claim/index.html"), "html.parser")
    assert page.select_one(".ev-edition-line")["data-edition"] == "draft"
    assert "Unreleased draft" in text(page.select_one(".ev-claim-page__meta"))
    assert page.select_one(".ev-history__note") is not None
    assert page.select("table.ev-history") == []
    assert page.select_one(".ev-retired__superseded a")["href"] == "../hostile-title/"
    assert page.select_one(".ev-cite-this__draft") is not None
