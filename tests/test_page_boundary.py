"""The page trust boundary: contributor text is data at every layer of a real build.

Claims, references.bib and docs/*.md pages come from strangers' pull requests: none of
them may run code during the build, put live markup on a page or hide another page.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from helpers import Project, claim_data, our_print_style

MARKER = re.compile("[\ue000-\ue01f]")  # what a placeholder token is made of
RCE = '{{ cycler.__init__.__globals__.os.system("touch pwned") }}'
#: A title holding RCE reads far above grade 10 (claim-reading-grade, a warning that fails the
#: --strict build): the payload is the point, so the claim says why, as a real claim would.
PAYLOAD_CAVEAT = "The title keeps template code as technical terms: the test needs them to stay text."


def soup_of(project: Project, page: str) -> BeautifulSoup:
    return BeautifulSoup(project.html(page), "html.parser")


def assert_inert(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        for attr in ("href", "src", "action", "formaction"):
            value = str(tag.get(attr, "")).strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), tag
    content = soup.select_one("article.md-content__inner")
    assert content is not None
    # Material's edit pencil (content.action.edit with repo_url/edit_uri, as in the real
    # mkdocs.yml) is the theme's own <a> with its icon's <svg>, not the page's text: it must
    # point at the forge (its href is checked above like every tag's), and the rest of the
    # article is what a contributor wrote, read without it
    content = BeautifulSoup(str(content), "html.parser").select_one("article.md-content__inner")
    for button in content.select("a.md-content__button"):
        assert str(button.get("href", "")).startswith("https://"), button
        button.decompose()
    # our own claims table has a filter form, our "Cite this page" block the printed running
    # line's <style> (a CSS string, cite_this.css_string); nothing else may
    for style in content.select("style"):
        assert style.attrs == {"media": "print"} and our_print_style().fullmatch(style.string or ""), style
    assert content.select_one("script, iframe, svg, meta, object, form:not(.ev-filters)") is None


# -- 1. a claim title is never a template, and the <title> is right -----------------------


@pytest.mark.slow
def test_emoji_title_with_template_code_runs_nothing_and_shows_whole(mini: Project) -> None:
    title = f"Half of working Americans 😀 {RCE}"
    mini.write_claim(claim_data(title=title, caveats=[PAYLOAD_CAVEAT]))
    result = mini.build()
    assert result.returncode == 0, result.stderr
    assert not (mini.root / "pwned").exists()
    soup = soup_of(mini, "claims/example-claim/index.html")
    assert soup.title is not None and soup.title.string.startswith(title + " - ")
    assert title in soup.select_one("article.md-content__inner h1").get_text()
    assert soup.select_one("article.md-content__inner h1") is not None


@pytest.mark.slow
def test_title_with_an_unclosed_jinja_comment_builds(mini: Project) -> None:
    mini.write_claim(claim_data(title="Back pain 😀 {# a note"))
    result = mini.build()
    assert result.returncode == 0, result.stderr
    soup = soup_of(mini, "claims/example-claim/index.html")
    assert soup.title.string.startswith("Back pain 😀 {# a note - ")


@pytest.mark.slow
def test_source_page_title_keeps_an_emoji(mini: Project) -> None:
    bib = (mini.root / "references.bib").read_text().replace("About Back Pain", "About Back Pain 😀")
    mini.write("references.bib", bib)
    result = mini.build()
    assert result.returncode == 0, result.stderr
    soup = soup_of(mini, "sources/article-a/index.html")
    assert "😀" in soup.title.string and soup.title.string.startswith("Source: ")


@pytest.mark.slow
def test_generated_page_stub_holds_no_contributor_text(mini: Project) -> None:
    mini.write_claim(claim_data(title=f"Title 😀 {RCE}", caveats=[PAYLOAD_CAVEAT]))
    result = mini.build("--verbose")
    assert result.returncode == 0, result.stderr
    assert not (mini.root / "pwned").exists()
    assert "render_macros" not in mini.html("claims/example-claim/index.html")


# -- 2. a reference's text never becomes a live link ---------------------------------------

LINK_IN_TITLE = "Why You Should Try [x](onmouseover=alert(49)//) Physical Therapy"


@pytest.mark.slow
def test_markdown_link_in_a_cited_reference_stays_text(mini: Project) -> None:
    bib = (mini.root / "references.bib").read_text()
    mini.write("references.bib", bib.replace("An Example Article About Back Pain", LINK_IN_TITLE))
    mini.write("docs/methodology.md", '# Methodology\n\nAs reported {{ cite("article-a") }} here.\n')
    result = mini.build()
    assert result.returncode == 0, result.stderr
    for page in ("methodology/index.html", "burden/index.html", "claims/index.html", "references/index.html"):
        soup = soup_of(mini, page)
        assert_inert(soup)
        assert "onmouseover" not in [a for t in soup.find_all(True) for a in t.attrs], page
    cite = soup_of(mini, "methodology/index.html").select_one("p sup.ev-cite a")
    assert cite is not None and "[x](onmouseover=alert(49)//)" in cite["title"]


# -- placeholders survive Markdown wherever a macro may stand ------------------------------

CONTEXTS = """\
# Contexts

A paragraph {{ cite("article-a") }} with a citation.

- a list item {{ cite("article-a") }}
- {{ claim("example-claim") }}

!!! note "An admonition"
    Inside {{ cite("survey-b") }} an admonition.

    {{ claim("example-claim") }}

| Column | Source |
|--------|--------|
| cell   | {{ cite("survey-b") }} |

## Findings {{ cite("article-a") }}

<div class="wrap" markdown>
In md_in_html {{ cite("survey-b") }} too.
</div>
"""


@pytest.mark.slow
def test_placeholders_survive_every_markdown_context(mini: Project) -> None:
    mini.write("docs/methodology.md", CONTEXTS)
    result = mini.build()
    assert result.returncode == 0, result.stderr
    html = mini.html("methodology/index.html")
    assert not MARKER.search(html)
    soup = BeautifulSoup(html, "html.parser")
    body = soup.select_one("article.md-content__inner")
    for selector in ("p", "ul li", "div.admonition p", "table td", "h2", "div.wrap p"):
        assert body.select(f"{selector} sup.ev-cite"), selector
    assert body.select("ul li > article.ev-card")
    assert body.select("div.admonition > article.ev-card")
    assert not body.select("p article, p div")  # a card never sits inside a paragraph
    heading = body.select_one("h2")
    assert heading["id"] == "findings"  # the toc's id from the prose, not from a token
    toc = soup.select_one("nav.md-nav--secondary")
    assert toc is not None and "Findings" in toc.get_text() and not MARKER.search(toc.get_text())


@pytest.mark.slow
def test_a_macro_inside_an_html_attribute_is_removed_and_named(mini: Project) -> None:
    mini.write("docs/methodology.md", "# M\n\nText.\n\n<span title=\"{{ cite('article-a') }}\">x</span>\n")
    result = mini.build("--no-strict")
    assert result.returncode == 0, result.stderr
    assert "docs/methodology.md:5:1: warning: a macro call inside the attribute 'title'" in result.stderr
    span = soup_of(mini, "methodology/index.html").select_one("article span:not(.ev-cite)")
    assert span is not None and not span.get("title")


# -- 3. docs pages: template syntax other than our macros is refused ---------------------

REFUSED = {
    RCE: "page-template-attribute",
    "{{ config }}": "page-template-name",
    "{{ environment }}": "page-template-name",
    "{{ self }}": "page-template-name",
    "{{ lipsum() }}": "page-template-name",
    "{{ range(10) }}": "page-template-name",
    "{{ joiner() }}": "page-template-name",
    "{{ namespace(a=1) }}": "page-template-name",
    '{{ cycler["__init__"] }}': "page-template-item",
    '{{ claim("example-claim")|attr("__class__") }}': "page-template-filter",
    "{{ x is defined }}": "page-template-test",
    "{{ claim(config) }}": "page-template-argument",
    "{% set x = 1 %}": "page-template-statement",
    '{% include "mkdocs.yml" %}': "page-template-statement",
    '{% import "x" as y %}': "page-template-statement",
    "{% endif %}": "page-template-syntax",
}


@pytest.mark.slow
@pytest.mark.parametrize("payload", list(REFUSED), ids=list(REFUSED.values()))
def test_page_template_code_is_refused_by_check_and_build(mini: Project, payload: str) -> None:
    mini.write("docs/methodology.md", f"# Methodology\n\n{payload}\n\nProse {{# a comment #}}.\n")
    expected = "docs/methodology.md:3:1: error: "
    check = mini.check()
    assert check.returncode == 1
    lines = [line for line in check.stdout.splitlines() if line.startswith(expected)]
    assert len(lines) == 1 and lines[0].endswith(f"[{REFUSED[payload]}]"), check.stdout
    build = mini.build()
    assert build.returncode != 0
    assert lines[0] in build.stderr, build.stderr
    assert not (mini.root / "site" / "index.html").exists()
    assert not (mini.root / "pwned").exists()


@pytest.mark.slow
def test_page_comments_literals_and_macros_pass(mini: Project) -> None:
    mini.write("docs/methodology.md", '# M\n\n{# note #} {{ "{{" }} {{ cite("article-a") }}\n')
    check = mini.check()
    assert "page-template" not in check.stdout, check.stdout
    assert mini.build().returncode == 0
    assert "{{" in soup_of(mini, "methodology/index.html").select_one("article p").get_text()


# -- 3b. raw HTML in a page is sanitized, each removal named -------------------------------

PAYLOADS = """\
# Methodology

Ordinary prose stays.

<script>alert(1)</script>

<img src="x" onerror="alert(2)">

<svg onload="alert(3)"><circle r="1"/></svg>

A [Markdown link](javascript:alert(4)) and <a href="javascript:alert(5)">a raw one</a>.

<a href="&#106;avascript:alert(6)">entity encoded</a>

<a href="data:text/html,<script>alert(7)</script>">data URL</a>

<style>body { display: none }</style>

<iframe src="https://example.org/"></iframe>

<form action="https://example.org/"><button formaction="javascript:alert(8)">Go</button></form>

<meta http-equiv="refresh" content="0; url=https://example.org/">

A paragraph with attributes.
{: onclick="alert(9)" }

<img src="data:image/png;base64,AAAA" alt="inline">

Closing prose stays too.
"""


@pytest.mark.slow
def test_page_html_payloads_come_out_inert_with_warnings(mini: Project) -> None:
    mini.write("docs/methodology.md", PAYLOADS)
    result = mini.build("--no-strict")
    assert result.returncode == 0, result.stderr
    soup = soup_of(mini, "methodology/index.html")
    assert_inert(soup)
    text = soup.select_one("article.md-content__inner").get_text(" ")
    assert "Ordinary prose stays." in text and "Closing prose stays too." in text
    assert "Markdown link" in text and "a raw one" in text and "A paragraph with attributes." in text
    assert "alert(" not in text  # script and style content is dropped, not shown
    for line, what in [(5, "<script>"), (7, "onerror"), (9, "<svg>"), (11, "javascript:alert(4)"),
                       (13, "javascript:alert(6)"), (19, "<iframe>"), (21, "<form>"), (23, "<meta>"),
                       (26, "onclick")]:  # fmt: skip
        assert re.search(rf"docs/methodology.md:{line}:1: warning: .*{re.escape(what)}", result.stderr), what


@pytest.mark.slow
def test_page_html_removal_fails_a_strict_build(mini: Project) -> None:
    mini.write("docs/methodology.md", "# M\n\nProse.\n\n<script>alert(1)</script>\n")
    result = mini.build()
    assert result.returncode != 0
    assert "docs/methodology.md:5:1: warning: removed the HTML element <script> [page-html]" in result.stderr


@pytest.mark.slow
def test_ordinary_page_html_is_kept(mini: Project) -> None:
    page = (
        "# M\n\n<details open><summary>More</summary>\n<p>Body <abbr title='x'>X</abbr></p>\n</details>\n\n"
        '![alt](https://example.org/a.png)\n\n<div class="grid" markdown>\n**bold**\n</div>\n'
    )
    mini.write("docs/methodology.md", page)
    result = mini.build()
    assert result.returncode == 0, result.stderr
    body = soup_of(mini, "methodology/index.html").select_one("article.md-content__inner")
    assert body.select_one("details[open] summary") and body.select_one("abbr[title=x]")
    assert body.select_one('img[src="https://example.org/a.png"][alt=alt]')
    assert body.select_one("div.grid strong")


# -- 4. two files at one URL ---------------------------------------------------------------


@pytest.mark.slow
def test_claim_with_id_index_never_replaces_the_claims_page(mini: Project) -> None:
    """Refused by the content rules (claim_rules.py) before on_files' URL check runs."""
    mini.write_claim(claim_data("index"))
    result = mini.build()
    assert result.returncode != 0
    assert "id 'index' is reserved" in result.stderr, result.stderr
    assert not (mini.root / "site" / "index.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "other", "dest"),
    [
        ("sources/survey-b.md", "sources/survey-b.md (generated)", "sources/survey-b/index.html"),
        ("data/claims.json", "data/claims.json (generated)", "data/claims.json"),
        ("burden/index.md", "docs/burden.md", "burden/index.html"),
    ],
)
def test_two_files_at_one_url_are_refused_naming_both(
    mini: Project, page: str, other: str, dest: str
) -> None:
    mini.write(f"docs/{page}", "# Mine\n")
    result = mini.build()
    assert result.returncode != 0
    names = sorted([f"docs/{page}", other])
    assert f"{names[0]} and {names[1]} are both published at {dest}" in result.stderr, result.stderr
    assert not (mini.root / "site" / "index.html").exists()


def test_the_allowlist_names_exactly_the_registered_macros() -> None:
    import macros
    from evidence.content.pagesource import MACROS
    from evidence.pages.macros import Registry

    registry = Registry()
    macros.define_env(registry)
    assert sorted(registry.macros) == sorted(MACROS)
