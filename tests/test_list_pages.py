"""List pages that stay small (issue 25, item 5): All claims and a source's page in pages.

With more active claims than `list_page_size`, All claims lists the first page and links
claims/page/2/…, and publishes the other pages' rows as claims/rows/<n>.json for
evidence-rows.js; a source's page lists its citing claims over sources/<key>/page/2/….
A mini project with a page size of 5 stands in for 10,000 claims. The References page names
at most `BACKLINKS` citing claims a reference, and counts more by topic (render/bibliography.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import Project, claim_data, mini_project

from evidence.render.bibliography import BACKLINKS

pytestmark = pytest.mark.slow
SIZE = 5
TOPICS = ("burden", "benefits")


def paged_project(root: Path, claims: int = 23, size: int = SIZE) -> tuple[Project, list[str]]:
    ids = [f"claim-{n:03d}" for n in range(claims)]
    project = mini_project(
        root,
        [
            claim_data(
                cid,
                topic=TOPICS[n % 2],
                title=f"Example claim {n}",
                statement=f"Some people, {n} in all, wait.",
            )
            for n, cid in enumerate(ids)
        ],
    )
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - evidence\n" in text
    config.write_text(text.replace("\n  - evidence\n", f"\n  - evidence:\n      list_page_size: {size}\n"))
    return project, ids


def soup(project: Project, page: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(page), "html.parser")


def table_ids(page: BeautifulSoup) -> list[str]:
    return [row["id"].removeprefix("row-") for row in page.select("table#claims-table > tbody > tr")]


def pager_hrefs(page: BeautifulSoup) -> list[str]:
    (nav, *_) = page.select("nav[data-ev-pager]")
    return [a["href"] for a in nav.select("p:nth-of-type(2) a")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, list[str]]:
    project, ids = paged_project(tmp_path_factory.mktemp("paged"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project, ids


def test_all_claims_and_its_pages_hold_every_claim_once_and_link_each_other(
    built: tuple[Project, list[str]],
) -> None:
    project, ids = built
    site = project.root / "site"
    pages = ["claims/index.html"] + [f"claims/page/{n}/index.html" for n in range(2, 6)]
    assert not (site / "claims/page/6/index.html").exists()
    seen: list[str] = []
    for number, rel in enumerate(pages, 1):
        page = soup(project, rel)
        listed = table_ids(page)
        assert len(listed) == (SIZE if number < 5 else 3), rel
        seen += listed
        # every page links every page, itself marked as the current one
        hrefs = pager_hrefs(page)
        assert len(hrefs) == 5
        for href in hrefs:
            assert (site / Path(rel).parent / href / "index.html").resolve().is_file(), (rel, href)
        current = page.select_one('nav[data-ev-pager] a[aria-current="page"]')
        assert (site / Path(rel).parent / current["href"] / "index.html").resolve() == (site / rel).resolve()
        for row in page.select("table#claims-table > tbody > tr"):  # links work from this page
            claim = row.select_one("td a")["href"]
            assert (site / Path(rel).parent / claim / "index.html").resolve().is_file(), (rel, claim)
    assert seen == ids  # every claim exactly once, in order

    # the rows evidence-rows.js fetches: the same claims, pages 2.., linked from the table
    first = soup(project, "claims/index.html")
    table = first.select_one("table#claims-table")
    assert table.has_attr("data-ev-paged-table") and not table.has_attr("data-ev-table")
    assert table["data-ev-total"] == str(len(ids)) and table["data-ev-page-size"] == str(SIZE)
    sources = json.loads(table["data-ev-rows"])
    assert sources == [f"rows/{n}.json" for n in range(2, 6)]
    fetched = []
    for src in sources:
        rows = json.loads((site / "claims" / src).read_text(encoding="utf-8"))
        for html in rows:
            row = BeautifulSoup(html, "html.parser").tr
            href = row.select_one("td a")["href"]
            assert (site / "claims" / href / "index.html").resolve().is_file(), href  # relative to claims/
            fetched.append(row["id"].removeprefix("row-"))
    assert table_ids(first) + fetched == ids
    # the filter form lists every topic and source, not only the first page's
    assert {o["value"] for o in first.select("#ev-filter-topic option")} == {"", *TOPICS}
    assert "Showing all 23 claims" in first.select_one("[data-ev-count]").get_text()
    # one table head (claims_rows.html): page 2 names the same columns, without sort buttons
    second = soup(project, "claims/page/2/index.html").select_one("table#claims-table")
    heads = [[th.get_text() for th in t.select("thead th")] for t in (table, second)]
    assert heads[0] == heads[1] and len(heads[0]) == len(second.select("tbody tr")[0].find_all(["th", "td"]))
    assert all(th.has_attr("data-ev-sort") for th in table.select("thead th"))
    assert not second.select("thead th[data-ev-sort]")
    assert first.select_one("script[src$='evidence-rows.js']") is not None


def test_a_source_page_lists_its_claims_in_pages(built: tuple[Project, list[str]]) -> None:
    project, ids = built
    site = project.root / "site"
    for key in ("survey-b", "article-a"):  # every claim rests on survey-b, reported in article-a
        first = soup(project, f"sources/{key}/index.html")
        assert "cited by 23 claims" in first.select_one(".ev-source-page__meta").get_text()
        hrefs = pager_hrefs(first)
        assert len(hrefs) == 5
        seen: list[str] = []
        for number, href in enumerate(hrefs, 1):
            path = (site / "sources" / key / href / "index.html").resolve()
            assert path.is_file(), href
            page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            listed = [
                a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.select(".ev-source-claims__title")
            ]
            assert len(listed) == (SIZE if number < 5 else 3)
            for a in page.select(".ev-source-claims__title"):
                assert (path.parent / a["href"] / "index.html").resolve().is_file()
            assert len(pager_hrefs(page)) == 5
            seen += listed
        assert sorted(seen) == ids


def test_a_site_that_fits_on_a_page_is_as_before(tmp_path: Path) -> None:
    project, ids = paged_project(tmp_path, claims=4, size=5)
    result = project.build()
    assert result.returncode == 0, result.stderr
    page = soup(project, "claims/index.html")
    assert table_ids(page) == ids
    assert page.select_one("table#claims-table").has_attr("data-ev-table")
    assert page.select("nav[data-ev-pager]") == [] and not (project.root / "site/claims/page").exists()
    assert not (project.root / "site/claims/rows").exists()
    assert not re.search(r"page/2", project.html("sources/survey-b/index.html"))


def test_references_name_few_citing_claims_and_summarise_many(tmp_path: Path) -> None:
    """References: a source cited by more than `BACKLINKS` claims says how many and on which
    topic pages (most first, retired ones counted), and links its own page; fewer, each claim."""
    many = BACKLINKS + 4  # rest on survey-b: 9 on burden, the rest on benefits, one retired
    claims = [
        claim_data(
            f"claim-{n:03d}",
            topic="burden" if n < 9 else "benefits",
            title=f"Example claim {n}",
            statement=f"Some people, {n} in all, wait.",
            reported_in="article-a" if n < 3 else None,  # article-a: cited by three
        )
        for n in range(many)
    ]
    claims[-1] |= {"status": "retired", "retired": {"reason": "Replaced.", "date": "2026-01-05"}}
    claims[-1]["retired"]["superseded_by"] = "claim-000"
    project = mini_project(tmp_path, claims)
    result = project.build()
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    page = soup(project, "references/index.html")

    summary = page.select_one("#bib-survey-b .ev-backlinks")
    assert "ev-backlinks--summary" in summary["class"] and summary["data-ev-cited-by"] == str(many)
    words = " ".join(summary.get_text(" ", strip=True).split())
    assert words == (
        f"Cited by {many} claims, on The burden of back pain (9), Benefits of physical therapy (4) "
        f"and 1 retired: all {many} listed on its source page"
    )
    links = summary.select("a")
    assert [a["href"] for a in links] == ["../burden/", "../benefits/", "../sources/survey-b/"]
    for a in links:
        assert (site / "references" / a["href"] / "index.html").resolve().is_file(), a["href"]
    # the source's page lists every one of them, the retired one too
    source = soup(project, "sources/survey-b/index.html")
    listed = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in source.select(".ev-source-claims__title")}
    assert listed == {c["id"] for c in claims}

    few = page.select_one("#bib-article-a .ev-backlinks")
    assert "ev-backlinks--summary" not in few["class"]
    hrefs = [a["href"] for a in few.select("a")]
    assert hrefs == [f"../claims/claim-{n:03d}/" for n in range(3)]
    assert [a.get_text() for a in few.select("a")] == [f"Example claim {n}" for n in range(3)]
    for href in hrefs:
        assert (site / "references" / href / "index.html").resolve().is_file(), href
