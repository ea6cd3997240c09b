"""Issue 25, point 3: references in the reader's style (evidence/bib/cslstyle.py, citefiles.py).

Each expected string was checked by hand against the style's manual (NLM's Citing Medicine
for Vancouver, APA 7, Cite Them Right for Harvard) for a journal article, a web page and a
report; each of citeproc-py 0.11.1's defects that we correct has a test of its own.
"""

# ruff: noqa: E501 (the hand-checked strings are kept whole enough to read against the manuals)
from __future__ import annotations

import datetime as dt

import pytest
import rispy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string

from evidence.bib import citefiles, cslstyle
from evidence.bib.latex import convert
from evidence.editions.release import Edition
from evidence.render.cite_this import cite_page

ARTICLE = {
    "id": "foster-2018",
    "type": "article-journal",
    "author": [{"family": "Foster", "given": "Nadine E."}, {"family": "Anema", "given": "Johannes R."}],
    "title": "Prevention and treatment of low back pain: evidence, challenges, and promising directions",
    "container-title": "The Lancet",
    "volume": "391",
    "issue": "10137",
    "page": "2368-2383",
    "issued": {"date-parts": [[2018, 3, 21]]},
    "DOI": "10.1016/S0140-6736(18)30489-6",
    "PMID": "29573872",
}
WEB = {
    "id": "who-2023",
    "type": "webpage",
    "author": [{"literal": "World Health Organization"}],
    "title": "Low back pain",
    "container-title": "WHO fact sheets",
    "issued": {"date-parts": [[2023, 6, 19]]},
    "accessed": {"date-parts": [[2024, 3, 10]]},
    "URL": "https://www.who.int/news-room/fact-sheets/detail/low-back-pain",
}
REPORT = {
    "id": "nice-2016",
    "type": "report",
    "author": [{"literal": "National Institute for Health and Care Excellence"}],
    "title": "Low back pain and sciatica in over 16s: assessment and management",
    "publisher": "NICE",
    "publisher-place": "London",
    "number": "NG59",
    "issued": {"date-parts": [[2016, 11, 30]]},
    "URL": "https://www.nice.org.uk/guidance/ng59",
}
WHO = "https://www.who.int/news-room/fact-sheets/detail/low-back-pain"
NICE = "https://www.nice.org.uk/guidance/ng59"
NICE_TITLE = "Low back pain and sciatica in over 16s: assessment and management"
EXPECTED = {
    "vancouver-nlm": [
        "Foster NE, Anema JR. Prevention and treatment of low back pain: evidence, challenges, and promising "
        "directions. The Lancet. 2018 Mar 21;391(10137):2368–83. doi:10.1016/S0140-6736(18)30489-6 "
        "PubMed PMID: 29573872.",
        f"World Health Organization. WHO fact sheets [Internet]. 2023 [cited 2024 Mar 10]. Low back pain. "
        f"Available from: {WHO}",
        f"National Institute for Health and Care Excellence. {NICE_TITLE} [Internet]. London: NICE; 2016 Nov. "
        f"Report no.: NG59. Available from: {NICE}",
    ],
    "apa": [
        "Foster, N. E., & Anema, J. R. (2018). Prevention and treatment of low back pain: evidence, challenges, "
        "and promising directions. The Lancet, 391(10137), 2368–2383. https://doi.org/10.1016/S0140-6736(18)30489-6",
        f"World Health Organization. (2023, June 19). Low back pain. WHO Fact Sheets. {WHO}",
        f"National Institute for Health and Care Excellence. (2016). {NICE_TITLE} (No. NG59). NICE. {NICE}",
    ],
    "harvard-cite-them-right": [
        "Foster, N.E. and Anema, J.R. (2018) “Prevention and treatment of low back pain: evidence, challenges, "
        "and promising directions”, The Lancet, 391(10137), pp. 2368–2383. Available at: "
        "https://doi.org/10.1016/S0140-6736(18)30489-6.",
        f"World Health Organization (2023) Low back pain, WHO fact sheets. Available at: {WHO} "
        "(Accessed: March 10, 2024).",
        f"National Institute for Health and Care Excellence (2016) {NICE_TITLE}. NG59. London: NICE. "
        f"Available at: {NICE}.",
    ],
}


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_article_web_page_and_report_match_the_hand_checked_strings(style: str) -> None:
    assert [cslstyle.text(item, style) for item in (ARTICLE, WEB, REPORT)] == EXPECTED[style]


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_no_reference_number_is_written_against_the_text(style: str) -> None:
    """citeproc-py wrote `1.Foster NE`: the number is taken out, our <ol> numbers the list."""
    for item in (ARTICLE, WEB, REPORT):
        assert not cslstyle.text(item, style)[:1].isdigit()


def test_localized_dates_keep_their_delimiter() -> None:
    """citeproc-py wrote `2018Mar21` and `[cited 2024Mar10]`."""
    assert "2018 Mar 21;" in cslstyle.text(ARTICLE, "vancouver-nlm")
    assert "[cited 2024 Mar 10]" in cslstyle.text(WEB, "vancouver-nlm")
    assert "2016 Nov." in cslstyle.text(REPORT, "vancouver-nlm")


@pytest.mark.parametrize("style", ["apa", "harvard-cite-them-right"])
def test_a_work_without_author_shows_its_title_once(style: str) -> None:
    item = {k: v for k, v in WEB.items() if k != "author"}
    assert cslstyle.text(item, style).count("Low back pain") == 1


def test_links_and_italics_are_parts_not_markup() -> None:
    parts = cslstyle.parts(ARTICLE, "apa")
    assert [p.text for p in parts if p.style == "em"] == ["The Lancet", "391"]
    links = [p for p in parts if p.style == "link"]
    assert [p.href for p in links] == ["https://doi.org/10.1016/S0140-6736(18)30489-6"]
    hostile = {**REPORT, "title": "<script>alert(1)</script> & <b>bold</b>"}
    assert "<script>alert(1)</script> & <b>bold</b>" in cslstyle.text(hostile, "apa")


def test_style_names_are_checked() -> None:
    assert cslstyle.known("ama") and cslstyle.known("apa") and cslstyle.known("vancouver-nlm")
    for name in ("no-such-style", "../apa", "APA", ""):
        assert not cslstyle.known(name)
        (problem,) = cslstyle.style_problems(name)
        assert problem.rule == "option-citation-style"
    assert cslstyle.style_problems("nature") == []


def _citation(title: str, edition: Edition | None = None):
    edition = edition or Edition(name="v1.2", date=dt.date(2025, 3, 10), commit=None)
    return cite_page(
        title=title, page_url="claims/x/", site="PT for back pain", author="The Evidence Team",
        site_url="https://example.org/pt/", edition=edition,
    )  # fmt: skip


def test_cite_this_offers_four_styles_the_sites_first() -> None:
    citation = _citation("Physical therapy helps")
    url = "https://example.org/pt/v1.2/claims/x/"
    assert citation.styles() == [
        ("AMA", f"The Evidence Team. Physical therapy helps. PT for back pain. Edition v1.2. "
                f"Published March 10, 2025. {url}"),
        ("Vancouver", f"The Evidence Team. PT for back pain [Internet]. 2025. Physical therapy helps. "
                      f"Available from: {url}"),
        ("APA", f"The Evidence Team. (2025, March 10). Physical therapy helps. PT for Back Pain. {url}"),
        ("Harvard", f"The Evidence Team (2025) Physical therapy helps, PT for back pain. Available at: {url}."),
    ]  # fmt: skip
    assert [label for label, _ in citation.styles("apa")] == ["APA", "AMA", "Vancouver", "Harvard"]
    assert next(label for label, _ in citation.styles("nature")) == "nature"


@pytest.mark.parametrize("title", ["Physical therapy helps", "Does PT help?", "50% & {x} \\ ü"])
def test_a_pages_citation_from_the_pattern_is_the_one_formatted_whole(title: str) -> None:
    """Each style formats a page once per build, with marks for title and address."""
    citation = _citation(title)
    for label, style in cslstyle.READER_STYLES.items():
        whole = cslstyle.text(citation.csl(), style).replace(f"{title}?.", f"{title}?")
        if title.endswith("?"):
            whole = whole.replace("help?.", "help?")
        assert citation.styled(style) == whole, label


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda t: t.split()
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, family=TEXT, given_name=TEXT, container=TEXT)
def test_ris_and_bibtex_keep_every_value_in_its_slot(
    title: str, family: str, given_name: str, container: str
) -> None:
    item = {
        "id": "k1", "type": "article-journal", "title": title, "container-title": container,
        "author": [{"family": family, "given": given_name}, {"literal": container}],
        "page": "10-12", "issued": {"date-parts": [[2020, 3, 10]]}, "URL": "https://x.example/{a} b",
    }  # fmt: skip
    one = citefiles.one_line
    (record,) = rispy.loads(citefiles.ris(item))
    assert record["title"] == one(title)
    assert record["journal_name"] == one(container)
    assert record["authors"] == [f"{one(family)}, {one(given_name)}", one(container)]
    assert record["start_page"] == "10" and record["end_page"] == "12"
    entry = parse_string(citefiles.bibtex(item), "bibtex").entries["k1"]
    assert convert(entry.fields["title"]).text == one(title)
    assert convert(entry.fields["journaltitle"]).text == one(container)
    assert entry.fields["pages"] == "10--12" and entry.fields["date"] == "2020-03-10"
    people = entry.persons["author"]
    assert len(people) == 2
    assert convert(" ".join(people[0].last_names)).text == one(family)
    assert convert(" ".join(people[0].first_names + people[0].middle_names)).text == one(given_name)
    assert convert(" ".join(people[1].last_names)).text == one(container)
    assert set(entry.fields) == {"title", "journaltitle", "pages", "date", "url"}
