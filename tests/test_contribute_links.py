"""Issue 24, item 1: from every claim, topic and reference page to the repository.

With `repo_url` (and `edit_uri`'s branch) in mkdocs.yml, each claim card and claim page links
to the correction form (the claim's id, permanent address and edition filled in) and to the
claim's file in the forge's editor; each topic page to the new-claim form (topic filled in);
each reference page to the correction form for the reference; hand-written pages get
Material's edit pencil. Without `repo_url`, none of these links, and no link to a forge.
The addresses themselves are tested in test_forge.py; here, that a real build puts them
where they belong, parameterised from the claim, with contributor text kept in its place.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import BIB, Project, claim_data, mini_project

from evidence.bib.keys import anchor

pytestmark = pytest.mark.slow  # every test here builds a site

REPO_URL = "https://github.com/pt-back-pain/pt-back-pain"
SITE_URL = "https://example.org/pt-back-pain/"  # the real mkdocs.yml's, which mini projects copy
#: A reference key with the characters BibTeX allows that mean something in a URL.
KEY = "assoc:2020/survey&b?x+y"
#: A topic title a contributor could write: a query string and a fragment of its own.
TOPIC_TITLE = "Burden & cost? #1 template=evil.yml&title=x"


def soup(project: Project, page: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(page), "html.parser")


def params(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.fragment == "", url
    return parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)


def _project(root: Path, *, repo: bool) -> Project:
    bib = BIB.replace("@misc{survey-b,", "@misc{" + KEY + ",")
    project = mini_project(root, claims=[claim_data("some-claim", source=KEY)], bib=bib)
    topics_path = root / "content" / "topics.yml"
    topics = yaml.safe_load(topics_path.read_text(encoding="utf-8"))
    topics["topics"][0]["title"] = TOPIC_TITLE  # burden
    project.write("content/topics.yml", yaml.safe_dump(topics, sort_keys=False, allow_unicode=True))
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"repo_url: {REPO_URL}\n" in config and "edit_uri: edit/main/docs/" in config
    if not repo:
        config = re.sub(r"(?m)^(repo_url|edit_uri):.*\n", "", config)
    project.write("mkdocs.yml", config)
    return project


@pytest.fixture(scope="module")
def with_repo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = _project(tmp_path_factory.mktemp("with-repo"), repo=True)
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def without_repo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = _project(tmp_path_factory.mktemp("without-repo"), repo=False)
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def _correction_ok(href: str) -> None:
    assert href.startswith(f"{REPO_URL}/issues/new?"), href
    found = params(href)
    edition = found.pop("edition")
    assert found == {
        "template": ["correction.yml"],
        "title": ["Correction: some-claim"],
        "claim": ["some-claim"],
        "where": [f"{SITE_URL}claims/some-claim/"],
    }
    assert len(edition) == 1 and edition[0].startswith("Unreleased draft"), edition  # no tag here


@pytest.mark.parametrize("page", ["burden/index.html", "claims/some-claim/index.html"])
def test_claim_card_and_page_link_to_the_correction_form_and_the_file(with_repo: Project, page: str) -> None:
    card = soup(with_repo, page).find("article", id="claim-some-claim")
    (correct,) = card.select("a.ev-card__correct")
    (edit,) = card.select("a.ev-card__edit")
    assert correct.get_text() == "Report a correction" and edit.get_text() == "Edit this claim"
    _correction_ok(correct["href"])
    assert edit["href"] == f"{REPO_URL}/edit/main/content/claims/burden/some-claim.yml"
    for link in (correct, edit):  # plain links: no script, no target, nothing loaded before a click
        assert set(link.attrs) == {"class", "href", "aria-label"}
        assert link.get_text() in link["aria-label"]  # the visible name is in the accessible one


def test_topic_page_suggests_a_claim_with_its_topic(with_repo: Project) -> None:
    page = soup(with_repo, "burden/index.html")
    (suggest,) = page.select("p.ev-contribute--topic a")
    assert suggest.get_text() == "Suggest a claim"
    assert suggest["href"].startswith(f"{REPO_URL}/issues/new?")
    assert params(suggest["href"]) == {"template": ["new-claim.yml"], "topic": [f"{TOPIC_TITLE} (burden)"]}
    assert not soup(with_repo, "index.html").select(".ev-contribute--topic")  # a topic's page only
    assert not soup(with_repo, "claims/index.html").select(".ev-contribute--topic")


def test_reference_page_reports_a_problem_with_the_reference(with_repo: Project) -> None:
    page = soup(with_repo, f"sources/{anchor(KEY)}/index.html")
    (report,) = page.select("p.ev-contribute--reference a")
    assert report.get_text() == "Report a problem with this reference"
    found = params(report["href"])
    assert found.pop("edition")[0].startswith("Unreleased draft")
    assert found == {
        "template": ["correction.yml"],
        "title": [f"Correction: reference {KEY}"],
        "reference": [KEY],
        "where": [f"{SITE_URL}sources/{anchor(KEY)}/"],
    }


def test_hand_written_pages_have_materials_edit_link_and_generated_ones_none(with_repo: Project) -> None:
    (pencil,) = soup(with_repo, "methodology/index.html").select("a[rel=edit]")
    assert pencil["href"] == f"{REPO_URL}/edit/main/docs/methodology.md"
    for generated in (
        "claims/some-claim/index.html",
        "changes/index.html",
        f"sources/{anchor(KEY)}/index.html",
    ):
        assert not soup(with_repo, generated).select("a[rel=edit]"), generated  # no file to edit


def test_the_header_links_the_repository_without_fetching_from_it(with_repo: Project) -> None:
    sources = soup(with_repo, "index.html").select("a.md-source")  # the header's, the drawer's
    assert sources and {a["href"] for a in sources} == {REPO_URL}
    # Material's script fetches stars and forks from the forge's API for this attribute
    assert not soup(with_repo, "index.html").select("[data-md-component=source]")


def test_without_repo_url_no_page_links_to_a_forge(without_repo: Project) -> None:
    site = without_repo.root / "site"
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert "github.com" not in html, path
        page = BeautifulSoup(html, "html.parser")
        assert not page.select(".ev-card__contribute, .ev-contribute, a[rel=edit], .md-source"), path
    assert soup(without_repo, "burden/index.html").select("article#claim-some-claim")  # the card is there


def test_a_repo_url_that_makes_no_working_link_stops_the_build(tmp_path: Path) -> None:
    project = _project(tmp_path, repo=True)
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    project.write("mkdocs.yml", config.replace("edit_uri: edit/main/docs/", "edit_uri: ''"))
    result = project.build()
    assert result.returncode != 0
    assert "does not name a branch as edit/<branch>/docs/" in result.stderr
    assert "hint: set edit_uri in mkdocs.yml" in result.stderr


def test_the_real_site_links_every_claim(real_site: Project) -> None:
    """The real site (built strict by the fixture): every claim's page has both links."""
    site = real_site.root / "site"
    claims = sorted(p.parent.name for p in (site / "claims").glob("*/index.html"))
    assert claims
    for claim_id in claims:
        card = soup(real_site, f"claims/{claim_id}/index.html").find("article", id=f"claim-{claim_id}")
        (correct,) = card.select("a.ev-card__correct")
        assert params(correct["href"])["claim"] == [claim_id]
        (edit,) = card.select("a.ev-card__edit")
        assert edit["href"].startswith(f"{REPO_URL}/edit/main/content/claims/")
        assert edit["href"].endswith(f"/{claim_id}.yml")
