"""Contributor text is data: template syntax, tags and script links come out inert."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from helpers import Project, claim_data

HOSTILE = {
    # a Markdown link to javascript: in statement/caveats is an error (tests/bad_inputs); in a
    # plain-text field it is only text
    "title": "{{ 7 * 7 }} {% raw %}x{% endraw %} [go](javascript:alert(1))",
    "statement": '<script>alert("s")</script> <img src=x onerror="alert(1)">',
    "caveats": [
        '<a href="javascript:alert(2)">click</a>',
        "{{ config.site_name }}",
        # the payloads read far above grade 10 (claim-reading-grade, a warning that fails the
        # --strict build): the claim says why, as a real claim would
        "The text keeps markup and template code as technical terms: the test needs them to stay text.",
    ],
}


@pytest.mark.slow
def test_hostile_claim_text_is_inert(mini: Project) -> None:
    data = claim_data(**HOSTILE)
    data["quote"] = {"text": "<b onmouseover=alert(3)>bold</b>", "locator": "{% include 'x' %}"}
    mini.write_claim(data)
    result = mini.build()
    assert result.returncode == 0, result.stderr
    html = mini.html("burden/index.html")
    soup = BeautifulSoup(html, "html.parser")
    card = soup.select_one("#claim-example-claim")
    assert card is not None
    # nothing executable from the claim reached the DOM
    assert card.find("script") is None
    assert card.find("img") is None
    assert not card.select("[onerror], [onmouseover]")
    assert not [a for a in card.find_all("a") if a.get("href", "").startswith("javascript:")]
    # ...and the text shows as the contributor typed it
    text = card.get_text(" ")
    assert "{{ 7 * 7 }}" in text and "49" not in text
    assert '<script>alert("s")</script>' in text
    assert '<img src=x onerror="alert(1)">' in text
    assert "[go](javascript:alert(1))" in text
    assert "{{ config.site_name }}" in text
    assert "{% include 'x' %}" in text
    assert "<b onmouseover=alert(3)>bold</b>" in text
    assert "&lt;script&gt;" in html


@pytest.mark.slow
def test_bib_fields_are_escaped_and_bad_urls_refused(mini: Project) -> None:
    bib = (
        (mini.root / "references.bib")
        .read_text()
        .replace("year = {2020},", 'year = {2020},\n  note = {<script>alert(1)</script> "quoted"},')
    )
    mini.write("references.bib", bib)
    assert mini.build().returncode == 0
    soup = BeautifulSoup(mini.html("references/index.html"), "html.parser")
    entry = soup.select_one("#bib-article-a")
    assert entry is not None and entry.find("script") is None
    assert "<script>alert(1)</script>" in entry.get_text()

    mini.write(
        "references.bib", bib.replace("year = {2020},", "year = {2020},\n  url = {javascript:alert(1)},")
    )
    result = mini.build()
    assert result.returncode != 0
    # named on the url field's own line (the entry starts on line 1, its url is line 6)
    assert "references.bib:6:1: error: entry 'article-a' has a url that is not http(s)" in result.stderr


@pytest.mark.slow
def test_reference_url_is_escaped_in_href(mini: Project) -> None:
    bib = (
        (mini.root / "references.bib")
        .read_text()
        .replace("year = {2020},", 'year = {2020},\n  url = {https://example.org/a?x=1&y="2"><script>},')
    )
    mini.write("references.bib", bib)
    assert mini.build().returncode == 0
    html = mini.html("references/index.html")
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one("#bib-article-a .ev-ref a[href]")  # the URL is a link once, in the reference
    assert link is not None
    assert link["href"] == 'https://example.org/a?x=1&y="2"><script>'
    assert soup.select_one("#bib-article-a script") is None
