"""One schema.org MedicalWebPage JSON-LD block per page, valid JSON, saying what the page says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import BIB, REPO, Project, claim_data, mini_project, theme_pages

from evidence.load.corpus import load_corpus
from evidence.render.jsonld import script

SITE_URL = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["site_url"]
HOSTILE = '</script><script>alert(1)</script><!-- & "quoted" \u2028'


def blocks(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)


def built_pages(project: Project) -> list[Path]:
    return theme_pages(project.root / "site")


def test_every_page_has_exactly_one_block_in_head(real_site: Project) -> None:
    pages = built_pages(real_site)
    assert len(pages) > 60
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        found = soup.select('script[type="application/ld+json"]')
        assert len(found) == 1, path
        assert found[0].parent.name == "head", path
        data = json.loads(found[0].string)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "MedicalWebPage"
        rel = path.parent.relative_to(real_site.root / "site").as_posix()
        assert data["url"] == urljoin(SITE_URL, "" if rel == "." else rel + "/")


def test_block_says_what_the_page_shows(real_site: Project) -> None:
    checked = 0
    for path in built_pages(real_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        shown_date = soup.select_one("[data-benchmark=currency] .ev-reviewed time")["datetime"]
        assert data["lastReviewed"] == shown_date, path
        reviewers = [p.get_text() for p in soup.select("[data-benchmark=review] .ev-person")]
        assert [r["name"] for r in data["reviewedBy"]] == reviewers, path
        authors = [p.get_text() for p in soup.select("[data-benchmark=authorship] .ev-person")]
        assert [a["name"] for a in data["author"]] == authors, path
        keys = [li["id"].removeprefix("ref-") for li in soup.select("ol.ev-refs > li")]
        assert [c["@id"] for c in data["citation"]] == [urljoin(SITE_URL, f"sources/{k}/") for k in keys], (
            path
        )
        assert {"@type": "MedicalCondition", "name": "Back pain"} in data["about"]
        checked += bool(keys)
    assert checked > 60


def test_topic_page_is_about_its_topic(real_site: Project) -> None:
    (block,) = blocks(real_site.html("surgery/index.html"))
    data = json.loads(block)
    assert data["name"] == "Surgical options"
    names = [a["name"] for a in data["about"]]
    assert names == ["Back pain", "Physical therapy", "Surgical options"]
    assert data["citation"][0]["@type"] in {"WebPage", "CreativeWork"}


def test_script_escapes_what_could_end_the_block() -> None:
    text = script({"name": HOSTILE})
    inner = text.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"name": HOSTILE}


@pytest.mark.slow
def test_hostile_reference_title_stays_inside_the_block(tmp_path: Path) -> None:
    bib = BIB.replace("title = {An Example Article About Back Pain}", "title = {" + HOSTILE + "}")
    project = mini_project(tmp_path, claims=[claim_data()], bib=bib)
    result = project.build()
    assert result.returncode == 0, result.stderr
    html = project.html("burden/index.html")
    (block,) = blocks(html)
    assert "<" not in block
    data = json.loads(block)
    label = load_corpus(project.root)[0].library["article-a"].label
    assert "</script><script>alert(1)</script>" in label
    assert label in [c["name"] for c in data["citation"]]
    soup = BeautifulSoup(html, "html.parser")
    assert [s.get("type") for s in soup.select("head script")].count("application/ld+json") == 1
    assert not [
        s for s in soup.find_all("script") if s.string and "alert(1)" in s.string and not s.get("type")
    ]
