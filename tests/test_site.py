"""The real site, built with --strict into a temp dir, read back as HTML.

Citation numbering stable between builds: test_reproducible.py compares two builds byte for byte.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from helpers import REPO, Project

from evidence.core.urls import doc_url
from evidence.load.corpus import load_corpus
from evidence.render.bibliography import BACKLINKS

CORPUS, _ = load_corpus(REPO)


def soup(project: Project, url: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(url + "index.html"), "html.parser")


def built_pages(project: Project) -> list[Path]:
    """Every page of the site; not the browser editor's admin/index.html, an app of its own
    (test_the_editor_is_at_admin_and_search_leaves_it_out)."""
    site = project.root / "site"
    return sorted(p for p in site.rglob("index.html") if p.parent != site / "admin")


def test_every_active_claim_is_on_its_topic_page_once(real_site: Project) -> None:
    for topic in CORPUS.topics.values():
        page = soup(real_site, doc_url(topic.page))
        ids = Counter(card["id"] for card in page.select("article.ev-card"))
        for claim in CORPUS.topic_claims(topic.id):
            assert ids[f"claim-{claim.id}"] == 1, (topic.page, claim.id)


def test_every_active_claim_is_in_the_table(real_site: Project) -> None:
    table = soup(real_site, "claims/").select_one("table.ev-table")
    assert table is not None
    rows = {row["id"].removeprefix("row-") for row in table.select("tbody tr")}
    assert rows == {c.id for c in CORPUS.active_claims()}


def test_cards_show_number_population_kind_and_review(real_site: Project) -> None:
    claim = next(c for c in CORPUS.active_claims() if c.statistic)
    page = soup(real_site, doc_url(CORPUS.topics[claim.topic].page))
    card = page.select_one(f"#claim-{claim.id}")
    assert card.select_one(".ev-stat__number").get_text() == claim.statistic.as_stated
    assert claim.statistic.population in card.select_one(".ev-stat__population").get_text()
    assert card.select_one(".ev-badge").get_text() == claim.evidence.kind.label
    assert card.select_one("time")["datetime"] == claim.reviewed.date.isoformat()


def test_every_citation_lands_on_a_reference_anchor_on_its_page(real_site: Project) -> None:
    cited = 0
    for path in built_pages(real_site):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        ids = Counter(tag["id"] for tag in page.select("[id]"))
        for link in page.select("sup.ev-cite a"):
            target = link["href"].removeprefix("#")
            assert ids[target] == 1, (path, target)
            assert page.select_one(f"#{target}").name == "li"
            assert link["title"], "tooltip text"
            cited += 1
        duplicated = [i for i, n in ids.items() if n > 1]
        assert duplicated == [], (path, duplicated)
    assert cited > len(CORPUS.active_claims())


def test_reference_list_links_to_the_bibliography_entry(real_site: Project) -> None:
    bibliography = soup(real_site, "references/")
    bib_ids = {li["id"] for li in bibliography.select("ol.ev-bibliography > li")}
    assert bib_ids == {f"bib-{k}" for k in CORPUS.library.references}
    page = soup(real_site, "benefits/")
    for link in page.select(".ev-page-refs li > a[href*='references/']"):
        assert link["href"].split("#")[1] in bib_ids


def test_bibliography_backlinks_reach_the_claims(real_site: Project) -> None:
    """Up to `BACKLINKS` citing claims are named; more are counted on their topics' pages."""
    page = soup(real_site, "references/")
    summarised = 0
    for key in CORPUS.library.references:
        entry = page.select_one(f"#bib-{key}")
        hrefs = [a["href"] for a in entry.select(".ev-backlinks a")]
        citing = CORPUS.citing(key)
        if len(citing) <= BACKLINKS:
            assert sorted(hrefs) == sorted(f"../claims/{c.id}/" for c in citing)
            continue
        summarised += 1
        topics = {CORPUS.topics[c.topic].page for c in citing if c.active}
        assert sorted(hrefs[:-1]) == sorted(f"../{doc_url(topic)}" for topic in topics)
        assert hrefs[-1] == f"../sources/{key}/"
        assert f"Cited by {len(citing)} claims" in entry.select_one(".ev-backlinks").get_text()
        for href in hrefs:
            assert (real_site.root / "site/references" / href / "index.html").resolve().is_file(), href
    assert summarised >= 1, "the real site has a source cited by more claims than BACKLINKS"


def test_every_page_shows_disclaimer_and_last_reviewed(real_site: Project) -> None:
    pages = built_pages(real_site)
    assert len(pages) >= 9
    for path in pages:
        if path.parent.name == "404":
            continue
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert page.select_one(".ev-disclaimer"), path
        assert page.select_one(".ev-reviewed time")["datetime"], path


def test_no_macro_syntax_or_escaped_markup_leaks(real_site: Project) -> None:
    for path in built_pages(real_site):
        text = path.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text, path
        assert "&lt;sup" not in text and "&lt;div" not in text, path


def test_the_editor_is_at_admin_and_search_leaves_it_out(real_site: Project) -> None:
    """mkdocs.yml sets `editor: true`: the site serves /admin/ (Decap's form for each topic's
    claims), and Pagefind indexes none of it: no record is under admin/, and a word only the
    editor's page holds ("needs JavaScript", its noscript text) is in no record."""
    site = real_site.root / "site"
    admin = soup(real_site, "admin/")
    assert [s["src"] for s in admin.select("script")] == ["evidence-editor.js", "decap/decap-cms.js"]
    assert (site / "admin" / "decap" / "decap-cms.js").is_file()
    config = json.loads((site / "admin" / "config.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in config["collections"]] == list(CORPUS.topics)
    assert config["backend"]["repo"] == "pt-back-pain/pt-back-pain"  # mkdocs.yml's repo_url
    assert "needs JavaScript" in admin.get_text()
    records = []
    for path in sorted((site / "pagefind" / "fragment").iterdir()):
        records.append(json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")))
    assert len(records) > 50
    assert [r["url"] for r in records if "admin" in r["url"]] == []
    assert [r["url"] for r in records if "needs JavaScript" in r["content"]] == []
    # and no page but the editor's own refers to it
    assert [p for p in built_pages(real_site) if "admin/" in p.read_text(encoding="utf-8")] == []
