"""Red team, issue 20: a stranger's pull request attacks the page pipeline.

Each class of attack from the issue, with variants of our own: code through a page
(front matter, YAML escapes, MultiMarkdown meta), front matter that reaches the theme,
headings and the table of contents, mkdocs.yml text, and input deep enough to overflow a
recursive parser. Each case runs the two commands a pull request's CI runs (`evidence
check`, `mkdocs build --strict`) and asserts: no marker file, no traceback, no printed line
starting with `::`, and a built site (when it builds) with nothing live in any HTML, SVG or
feed; a refusal names the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import Project, claim_data, scan_site

MARKER = "pwned"
RUN = f'{{{{ cycler.__init__.__globals__.os.mkdir("{MARKER}") }}}}'
LOCATED = re.compile(r"docs/[\w./-]+\.md:\d+:\d+: error: ")

pytestmark = pytest.mark.slow


def _run(project: Project) -> tuple[str, str, bool]:
    """(check's output, the build's log, whether it built), after asserting nothing ran."""
    check = project.check()
    build = project.build()
    logs = check.stdout + check.stderr + build.stdout + build.stderr
    # the payload makes its folder where it runs: the project (the commands' working folder)
    assert not list(project.root.rglob(MARKER)), "a payload ran"
    assert "Traceback" not in logs, logs
    assert not any(line.startswith("::") for line in logs.splitlines()), logs
    return check.stdout + check.stderr, build.stderr, build.returncode == 0


def _inert(project: Project) -> None:
    """Nothing in the built site can run: HTML scanned element by element, and no script or
    script URL in any SVG, XML feed or sitemap."""
    site = project.root / "site"
    assert scan_site(site) == []
    for path in [*site.rglob("*.svg"), *site.rglob("*.xml")]:
        text = path.read_text("utf-8", errors="replace").lower()
        assert "<script" not in text and "javascript:" not in text, path


def _page(project: Project, name: str, text: str) -> None:
    project.write(f"docs/{name}", text)


# -- 1. code through a docs page ---------------------------------------------------------
CODE_PAGES = {
    # the case: `{#` in a front-matter value hid the next line from the old check
    "comment-in-front-matter": f'---\ntitle: "a {{# b"\n---\n{RUN} #}}\n\n# M\n',
    # YAML escapes hide `{{` from a raw-text scan; mkdocs-macros rendered page.title again
    "yaml-escapes-in-title": (
        '---\ntitle: "\\x7b\\x7b cycler.__init__.__globals__.os.mkdir(\\"pwned\\") \\x7d\\x7d"\n---\n# M\n'
    ),
    # MultiMarkdown meta: MkDocs strips `Key: value` lines before anything renders
    "multimarkdown-meta": f"Title: {RUN}\n\n# M\n",
    "description-template": f"---\ndescription: '{RUN}'\n---\n# M\n",
    "raw-block-then-call": f"# M\n\n{{% raw %}}x{{% endraw %}}{RUN}\n",
    "statement-in-body": '# M\n\n{% set x = cycler.__init__.__globals__.os.mkdir("pwned") %}\n',
}


@pytest.mark.parametrize("case", sorted(CODE_PAGES))
def test_code_in_a_page_never_runs(mini: Project, case: str) -> None:
    _page(mini, "methodology.md", CODE_PAGES[case])
    check, build, built = _run(mini)
    if built:  # accepted only as text (the marker check above is what matters)
        _inert(mini)
    else:
        assert LOCATED.search(check) and LOCATED.search(build), (check, build)


def test_a_title_with_yaml_escapes_is_shown_as_text(mini: Project) -> None:
    _page(mini, "methodology.md", '---\ntitle: "\\x7b\\x7b 7*7 \\x7d\\x7d"\n---\nBody.\n')
    _check, build, built = _run(mini)
    assert built, build
    soup = BeautifulSoup(mini.html("methodology/index.html"), "html.parser")
    assert soup.title is not None and soup.title.get_text().startswith("{{ 7*7 }}")
    assert "49" not in soup.title.get_text()


# -- 2. front matter is data with a short allowlist ----------------------------------------
REFUSED_FRONT_MATTER = {
    "template": ("template: redirect.html", "page-front-matter-key"),
    "location": ("location: 'javascript:alert(1)'", "page-front-matter-key"),
    "render_macros": ("render_macros: true", "page-front-matter-key"),
    "author": ("author: '<script>alert(1)</script>'", "page-front-matter-key"),
    "list-title": ("title: [a, b]", "page-front-matter-value"),
    "number-description": ("description: 7", "page-front-matter-value"),
    "hide-unknown": ("hide: [everything]", "page-front-matter-value"),
    "anchor-alias": ("title: &a x\ndescription: *a", "page-front-matter"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_FRONT_MATTER))
def test_front_matter_outside_the_allowlist_is_refused_at_its_line(mini: Project, case: str) -> None:
    yaml_text, rule = REFUSED_FRONT_MATTER[case]
    _page(mini, "methodology.md", f"---\n{yaml_text}\n---\n# M\n")
    check, build, built = _run(mini)
    assert not built
    for output in (check, build):
        assert re.search(rf"docs/methodology\.md:[23]:\d+: error: .*\[{rule}\]", output), output


THEME_TEXT = {
    "description-script": ("description", "</script><script>alert(1)</script>"),
    "description-quote": ("description", '"><img src=x onerror=alert(1)>'),
    "title-closes-title": ("title", "</title><script>alert(1)</script>"),
    "title-entity": ("title", "&lt;img src=x onerror=alert(1)&gt;"),
}


@pytest.mark.parametrize("case", sorted(THEME_TEXT))
def test_front_matter_text_reaches_the_theme_escaped(mini: Project, case: str) -> None:
    key, value = THEME_TEXT[case]
    quoted = value.replace("'", "''")
    _page(mini, "methodology.md", f"---\n{key}: '{quoted}'\n---\nBody text.\n")
    _check, build, built = _run(mini)
    assert built, build
    _inert(mini)
    soup = BeautifulSoup(mini.html("methodology/index.html"), "html.parser")
    if key == "description":
        assert soup.find("meta", attrs={"name": "description"})["content"] == value
    else:
        assert soup.title is not None and soup.title.get_text().startswith(value)
        assert value in soup.select_one(".md-header__topic:last-child").get_text()


def test_an_unclosed_front_matter_is_refused(mini: Project) -> None:
    _page(mini, "methodology.md", "---\ntitle: x\n\n# M\n")
    check, _build, built = _run(mini)
    assert not built
    assert "docs/methodology.md:1:1: error: front matter opened with --- is never closed" in check


# -- 3. headings and the table of contents -------------------------------------------------
HOSTILE_TITLE = "<img src=x onerror=alert(1)> title"


@pytest.mark.parametrize(
    "line",
    [
        '## {{ claim("example-claim") }}',
        '## Heading {{ claims("burden") }}',
        'Heading\n-------\n\n## {{ findings("burden") }}',
        "## Heading {: data-toc-label=\"{{ claim('example-claim') }}\" }",
        "## Heading {: data-toc-label=\"{{ cite('article-a') }}\" }",
    ],
)
def test_a_block_macro_in_a_heading_or_attribute_list_is_refused_at_its_line(
    mini: Project, line: str
) -> None:
    mini.write_claim(claim_data(title=HOSTILE_TITLE))
    page = (mini.root / "docs/burden.md").read_text("utf-8")
    mini.write("docs/burden.md", page + "\n" + line + "\n")
    written = (mini.root / "docs/burden.md").read_text("utf-8").splitlines()
    lineno = max(i for i, text in enumerate(written, 1) if "{{" in text)
    check, build, built = _run(mini)
    assert not built
    assert "[page-macro-in-heading]" in check and "[page-macro-in-heading]" in build
    assert re.search(rf"docs/burden\.md:{lineno}:\d+: error:", check), check


@pytest.mark.parametrize(
    "heading",
    [
        "## &lt;img src=x onerror=alert(1)&gt;",
        '## Safe {: data-toc-label="&lt;script&gt;alert(1)&lt;/script&gt;" }',
        '## Cited {{ cite("article-a") }} &lt;svg onload=alert(1)&gt;',
        "## <b>bold</b> &amp;lt;script&amp;gt;",
    ],
)
def test_a_toc_title_is_escaped_text(mini: Project, heading: str) -> None:
    _page(mini, "methodology.md", f"# M\n\nSome prose.\n\n{heading}\n\nMore prose.\n")
    _check, build, built = _run(mini)
    assert built, build
    _inert(mini)
    soup = BeautifulSoup(mini.html("methodology/index.html"), "html.parser")
    toc = soup.select("nav.md-nav--secondary a.md-nav__link")
    assert toc, "the page has a table of contents"
    for link in toc:  # text only: no element inside a toc link
        assert not link.find(lambda tag: tag.name not in ("span",)), link


def test_a_page_title_from_its_heading_is_escaped_in_title_nav_and_footer(mini: Project) -> None:
    _page(mini, "methodology.md", "# &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n\nProse.\n")
    _check, build, built = _run(mini)
    assert built, build
    _inert(mini)
    soup = BeautifulSoup(mini.html("methodology/index.html"), "html.parser")
    heading = soup.select_one("article h1")
    assert heading is not None and heading.get_text().startswith("</title><script>alert(1)</script>")
    # the toc (the theme prints its titles as they are) holds the same words, as text
    assert "</title><script>" in soup.select_one("nav.md-nav--secondary").get_text() or not soup.select(
        "nav.md-nav--secondary a"
    )


# -- 4. mkdocs.yml values that reach HTML --------------------------------------------------
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("site_name", "<script>alert(1)</script>"),
        ("site_description", '"><svg onload=alert(1)>'),
        ("site_author", "</title><script>alert(1)</script>"),
        ("copyright", "<img src=x onerror=alert(1)>"),
    ],
)
def test_mkdocs_yml_text_reaches_html_escaped(mini: Project, key: str, value: str) -> None:
    config = (mini.root / "mkdocs.yml").read_text("utf-8")
    config = re.sub(rf"^{key}:.*(\n  .*)*$", "", config, flags=re.MULTILINE)
    quoted = value.replace("'", "''")
    mini.write("mkdocs.yml", f"{key}: '{quoted}'\n{config}")
    _check, build, built = _run(mini)
    assert built, build
    _inert(mini)
    assert value in BeautifulSoup(mini.html("index.html"), "html.parser").get_text() or key != "copyright"


# -- 5. input deep enough to overflow a recursive parser ------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        "{{ claim(" + "(" * 3000 + '"x"' + ")" * 3000 + ") }}",
        "{{ " + "[" * 3000 + "]" * 3000 + " }}",
        "{{ cite(" + "{" * 200 + ") }}",
    ],
)
def test_deep_nesting_is_a_located_error(mini: Project, body: str) -> None:
    _page(mini, "methodology.md", f"# M\n\n{body}\n")
    check, build, built = _run(mini)
    assert not built
    assert "docs/methodology.md:3:" in check and "docs/methodology.md:3:" in build, (check, build)


def test_deep_brackets_in_prose_are_refused_before_markdown_recurses(mini: Project) -> None:
    """Python-Markdown's inline patterns recurse on brackets: 3,000 are one located error in
    check and build alike, and ordinary nesting still builds."""
    _page(mini, "methodology.md", "# M\n\n" + "(" * 3000 + "x" + ")" * 3000 + "\n")
    check, build, built = _run(mini)
    assert not built
    assert "docs/methodology.md:3:" in check and "[page-too-deep]" in check and "[page-too-deep]" in build
    _page(mini, "methodology.md", "# M\n\n" + "(" * 20 + "x" + ")" * 20 + "\n")
    _check, build, built = _run(mini)
    assert built, build


def test_the_check_reads_what_the_build_renders(tmp_path: Path, mini: Project) -> None:
    """A page both accept renders exactly its body: front matter gone, macros expanded,
    every other byte of text as written."""
    _page(mini, "methodology.md", '---\ntitle: Method\n---\n# M\n\nWord {# gone #}{{ "{{" }} kept.\n')
    _check, build, built = _run(mini)
    assert built, build
    text = BeautifulSoup(mini.html("methodology/index.html"), "html.parser").get_text()
    assert "Word {{ kept." in text and "title: Method" not in text and "gone" not in text
