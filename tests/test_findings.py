"""Summary of findings, evidence map, card placement and page dates, from real mini builds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import Project, claim_data, mini_project

SVG = "{http://www.w3.org/2000/svg}"
LOW = {"level": "low", "reasons": [{"domain": "imprecision", "note": "A small survey."}]}
CLAIMS = [
    claim_data("first-claim", title="First claim"),
    # low: read in its source (an article's claim not yet checked is very low at most)
    claim_data("second-claim", title="Second claim", statistic=None, certainty=LOW, reported_in=None),
    claim_data("third-claim", title="Third claim", reviewed={"date": "2025-01-02", "by": "Other Reviewer"}),
    claim_data("benefit-claim", topic="benefits", title="A benefit"),
]
BURDEN = """# Burden

Prose.

{{ findings("burden") }}

## Later part

{{ claim("third-claim") }}

## Earlier part

{{ claim("second-claim") }}

{{ claim("first-claim") }}
"""


HOME = "# Home\n\n{{ evidence_map() }}\n"


def _project(tmp_path: Path, burden: str = BURDEN, index: str = HOME) -> Project:
    project = mini_project(tmp_path, claims=CLAIMS)
    project.write("docs/burden.md", burden)
    project.write("docs/index.md", index)
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = _project(tmp_path_factory.mktemp("findings"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def _soup(project: Project, page: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(page), "html.parser")


@pytest.mark.slow
def test_summary_rows_follow_the_page_and_link_to_the_cards(built: Project) -> None:
    soup = _soup(built, "burden/index.html")
    table = soup.select_one("table.ev-sof__table")
    assert [th.get_text() for th in table.select("thead th")] == [
        "Claim",
        "Number as stated",
        "Who says it",
        "What we found",
        "Certainty",
    ]
    assert [th.get_text() for th in table.select("tr.ev-sof__section th")] == ["Later part", "Earlier part"]
    rows = table.select("tr[data-certainty]")
    assert [r["id"] for r in rows] == ["sof-row-third-claim", "sof-row-second-claim", "sof-row-first-claim"]
    for row in rows:
        href = row.select_one("th a")["href"]
        assert href.startswith("#claim-") and soup.select_one(href) is not None  # the card is on the page
    first = rows[2].find_all("td")
    assert first[0].get_text(" ", strip=True) == "37 percent (Survey respondents)"
    assert "Example Health Site, who attribute it to" in first[1].get_text()
    assert first[2].get_text() == "We have not yet read the source the article cites."
    assert "Very low" in first[3].get_text() and "Low" in rows[1].find_all("td")[3].get_text()
    assert rows[1].find_all("td")[0].get_text(strip=True) == "—"  # no number


@pytest.mark.slow
def test_certainty_reasons_are_accessible_numbered_footnotes(built: Project) -> None:
    soup = _soup(built, "burden/index.html")
    notes = soup.select("ol.ev-sof__footnotes > li")
    assert [n.get_text(" ", strip=True).split(" ↩")[0] for n in notes] == [
        "Indirectness: Known only through the article that reports it.",
        "Imprecision: A small survey.",
    ]
    refs = soup.select("sup.ev-sof__ref a")
    assert len(refs) == 3  # two claims share note 1
    for ref in refs:
        assert ref["aria-label"].startswith("Reason ") and soup.select_one(ref["href"]) is not None
    for back in soup.select("a.ev-sof__back"):
        assert soup.select_one(back["href"]).name == "a"  # back to the reference in the table


@pytest.mark.slow
def test_evidence_map_is_valid_svg_with_the_right_counts(built: Project) -> None:
    soup = _soup(built, "index.html")
    raw = built.html("index.html")
    start = raw.index("<svg", raw.index("ev-map"))
    svg_text = raw[start : raw.index("</svg>", start) + len("</svg>")]
    svg = ET.fromstring(svg_text)  # well-formed XML, or this raises
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text.startswith("Evidence map: 4 claims")
    desc = svg.find(f"{SVG}desc").text
    assert "The burden of back pain: 3 claims: 2 very low, 1 low." in desc
    bars = {
        (g.get("data-topic"), r.get("data-certainty")): int(r.get("data-count"))
        for g in svg.iter(f"{SVG}g")
        for r in g.iter(f"{SVG}rect")
        if g.get("data-topic")
    }
    assert bars == {("burden", "very-low"): 2, ("burden", "low"): 1, ("benefits", "very-low"): 1}
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Very low (1 of 4)" in labels and "High (4 of 4)" in labels  # a legend in words
    row = soup.select_one(".ev-map__table tr[data-topic=burden]")
    assert [td.get_text() for td in row.find_all("td")] == ["2", "1", "0", "0", "3"]
    # on a phone each count is a labelled line ("Very low: 2"), never ": 2" (issue 23)
    assert [td["data-label"] for td in row.find_all("td")] == ["Very low", "Low", "Moderate", "High", "All"]
    assert float(svg.get("viewBox").split()[2]) <= 340  # drawn near its size on a 360 px phone


@pytest.mark.slow
def test_all_claims_table_has_a_certainty_column_and_filter(built: Project) -> None:
    soup = _soup(built, "claims/index.html")
    rows = soup.select("#claims-table tbody tr")
    cells = {tr["id"]: tr.select_one("td[data-label=Certainty]") for tr in rows}
    assert cells["row-second-claim"].get_text(" ", strip=True) == "■■□□ Low"
    assert cells["row-first-claim"]["data-ev-value"] == "1"
    options = [(o["value"], o.get_text()) for o in soup.select("#ev-filter-certainty option")]
    assert options == [("", "Any certainty"), ("low", "Low"), ("very-low", "Very low")]


@pytest.mark.slow
def test_page_date_says_between_when_reviews_differ(built: Project) -> None:
    line = _soup(built, "burden/index.html").select_one(".ev-reviewed")
    assert "between 2025-01-02 and " in line.get_text()
    assert len(line.find_all("time")) == 2
    same = _soup(built, "benefits/index.html").select_one(".ev-reviewed")
    assert "on or after" in same.get_text() and len(same.find_all("time")) == 1


@pytest.mark.slow
def test_a_claim_missing_from_its_topic_page_fails_the_build(tmp_path: Path) -> None:
    project = _project(tmp_path, BURDEN.replace('{{ claim("second-claim") }}', ""))
    result = project.build()
    assert result.returncode != 0
    assert "docs/burden.md:1:1: error: active claim 'second-claim' of topic 'burden'" in result.stderr
    assert '{{ claim("second-claim") }} under the heading' in result.stderr
    assert "[page-claim-placement]" in result.stderr


@pytest.mark.slow
def test_a_claim_shown_twice_on_its_topic_page_fails_the_build(tmp_path: Path) -> None:
    project = _project(tmp_path, BURDEN + '\n## Again\n\n{{ claim("first-claim") }}\n')
    result = project.build()
    assert result.returncode != 0
    line = BURDEN.count("\n") + 4
    assert f"docs/burden.md:{line}:1: error: claim 'first-claim' appears 2 times" in result.stderr
    assert 'keep one {{ claim("first-claim") }}' in result.stderr


@pytest.mark.slow
def test_claims_of_a_topic_once_each_builds(tmp_path: Path) -> None:
    """`claims(topic)` alone places each card once; a card of another topic may appear too."""
    burden = '# B\n\n{{ findings("burden") }}\n\n{{ claims("burden") }}\n\n{{ claim("benefit-claim") }}\n'
    result = _project(tmp_path, burden).build()
    assert result.returncode == 0, result.stderr
