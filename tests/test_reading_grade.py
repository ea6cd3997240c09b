"""Plain language (claim-reading-grade) and the framing problems of issue 13 that stay fixed."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from helpers import REPO, claim_data, mini_project

from evidence.load.reading import GRADE_LIMIT, grade

HARD = (
    "Conservative multidisciplinary rehabilitation demonstrates considerable effectiveness "
    "regarding musculoskeletal symptomatology, notwithstanding methodological heterogeneity."
)


def test_a_hard_statement_warns_with_file_line_and_grade(tmp_path: Path) -> None:
    project = mini_project(tmp_path, claims=[claim_data(statement=HARD)])
    result = project.check()
    found = re.search(
        r"content/claims/burden/example-claim\.yml:(\d+):\d+: warning: statement reads at school grade "
        r"([\d.]+) \(Flesch–Kincaid\), above 10 \[claim-reading-grade\]",
        result.stdout,
    )
    assert found, result.stdout
    lines = (tmp_path / "content/claims/burden/example-claim.yml").read_text().splitlines()
    assert lines[int(found[1]) - 1].startswith("statement:")
    assert float(found[2]) == round(grade(HARD), 1) > GRADE_LIMIT
    assert "technical terms" in result.stdout  # the hint says how to explain it


def test_a_hard_title_warns_and_a_plain_claim_does_not(tmp_path: Path) -> None:
    project = mini_project(tmp_path, claims=[claim_data(title="Musculoskeletal rehabilitation")])
    out = project.check().stdout
    assert "warning: title reads at school grade" in out and "statement reads" not in out


def test_a_caveat_naming_the_technical_terms_explains_the_grade(tmp_path: Path) -> None:
    caveat = "The statement keeps the study's technical terms, which have no plainer words."
    project = mini_project(tmp_path, claims=[claim_data(statement=HARD, caveats=[caveat])])
    assert "claim-reading-grade" not in project.check().stdout


def _real_claims() -> list[dict]:
    return [yaml.safe_load(p.read_text("utf-8")) for p in sorted((REPO / "content/claims").rglob("*.yml"))]


#: Titles the issue lists as stating one article's claim as fact.
OLD_TITLES = {
    "Often as effective as surgery for some conditions",
    "Back pain is the leading cause of disability worldwide",
    "Similar outcomes with physical therapy or surgery",
    "Physical therapy works best for muscle and ligament strains",
    "Strengthening exercises can lower fracture risk in osteoporosis",
    "60 to 80 percent of back pain gets better over time",
    "Back pain often returns a year or two after treatment",
}
#: Who a title may name as making its claim: an article or its author, or the kind of study
#: that found it ("A 2013 review: …", "In one trial, …", issue 22's research claims).
ATTRIBUTION = re.compile(
    r"SpineNation|Seattle Neuro Blog|web article|Maltz|Mroz|Wilmarth|APTA|Cleveland|study|article|says"
    r"|review|trials?\b|cohort|survey|Global Burden of Disease",
    re.IGNORECASE,
)


def test_no_title_states_a_reported_finding_as_fact() -> None:
    """A claim read in another document, or a number from one article, names its source in
    the title; the issue's old titles are gone."""
    claims = _real_claims()
    assert not OLD_TITLES & {c["title"] for c in claims}
    for claim in claims:
        if claim.get("reported_in") or claim.get("statistic"):
            assert ATTRIBUTION.search(claim["title"]), f"{claim['id']}: {claim['title']!r} names no source"


def test_pages_no_longer_overstate() -> None:
    surgery = (REPO / "docs/surgery.md").read_text("utf-8")
    assert "says nothing about their results" not in surgery
    assert "only results for surgery" not in surgery  # issue 22: trials and reviews now lead
    assert "## What the trials and reviews found" in surgery
    assert "### The studies the articles cite" in surgery  # the two reported studies, as such
    index = (REPO / "docs/index.md").read_text("utf-8")
    assert "## Key numbers" not in index and "{{ evidence_map() }}" in index
    for page in ("burden", "benefits", "shortfalls", "surgery"):
        text = (REPO / f"docs/{page}.md").read_text("utf-8")
        assert f'{{{{ findings("{page}") }}}}' in text and f'claims("{page}")' not in text
        sections = re.split(r"^###? ", text, flags=re.M)  # a ### subsection is a section too
        assert max(s.count('{{ claim("') for s in sections) <= 8, page  # phone-sized sections


def test_the_real_content_reads_at_grade_ten_or_explains_why() -> None:
    for claim in _real_claims():
        if any(re.search(r"\b(technical|medical) terms?\b", c, re.I) for c in claim.get("caveats", [])):
            continue
        for field in ("title", "statement"):
            assert grade(claim[field]) <= GRADE_LIMIT, f"{claim['id']} {field}: {grade(claim[field]):.1f}"
