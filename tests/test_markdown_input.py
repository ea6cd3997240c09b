"""Python-Markdown never reads the HTML we render (issue 15, point 2).

Our macros, generated page bodies and footers return tokens that are filled in after
conversion (render/placeholders.py), so the cost of a card does not depend on Markdown
re-parsing it, and nothing we render is read as Markdown again. This test records what
each page hands to Python-Markdown, through an MkDocs hook that runs after every plugin's
`on_page_markdown`, on a build of the real site, and checks it: generated pages hand over
tokens only, hand-written pages only the HTML their own file holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import copy_real_project

pytestmark = pytest.mark.slow

HOOK = """
import json, os
from mkdocs.plugins import event_priority

@event_priority(-1000)  # after every plugin, ours (-100) included: what Markdown will read
def on_page_markdown(markdown, page, config, files):
    with open(os.environ["EV_MARKDOWN_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"src": page.file.src_uri, "markdown": markdown}) + "\\n")
    return markdown
"""
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
TOKEN = re.compile(r"\ue000[\ue010-\ue01f]+\ue001")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The real site built once with the hook: its folder, and each page's Markdown input."""
    tmp_path = tmp_path_factory.mktemp("markdown-input")
    (tmp_path / "site-src").mkdir()
    project = copy_real_project(tmp_path / "site-src")
    (project.root / "record_markdown.py").write_text(HOOK, encoding="utf-8")
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nhooks:" not in config
    (project.root / "mkdocs.yml").write_text(config + "\nhooks:\n  - record_markdown.py\n", encoding="utf-8")
    log = tmp_path / "markdown.jsonl"
    result = project.build(env={"EV_MARKDOWN_LOG": str(log)})
    assert result.returncode == 0, result.stderr
    inputs = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        inputs[record["src"]] = record["markdown"]
    return project.root, inputs


def test_markdown_reads_no_html_we_rendered(built: tuple[Path, dict[str, str]]) -> None:
    root, inputs = built
    generated = {src for src in inputs if not (root / "docs" / src).is_file()}
    handwritten = set(inputs) - generated
    # every kind of page was seen: claim pages, source pages, What changed, the topic pages
    assert any(src.startswith("claims/") for src in generated)
    assert any(src.startswith("sources/") for src in generated)
    assert "changes.md" in generated
    assert {"burden.md", "claims.md", "references.md"} <= handwritten
    for src in generated:
        markdown = inputs[src]
        assert TOKEN.search(markdown), src  # the body and footer are held, not written out
        assert TOKEN.sub("", markdown).strip() == "", (src, TOKEN.sub("", markdown)[:200])
    for src in handwritten:
        markdown = inputs[src]
        assert TOKEN.search(markdown), src  # the footer at least
        own = set(TAG.findall((root / "docs" / src).read_text(encoding="utf-8")))
        rendered = set(TAG.findall(TOKEN.sub("", markdown))) - own
        assert rendered == set(), (src, sorted(rendered)[:5])


def test_a_page_full_of_cards_hands_markdown_a_token_per_card(built: tuple[Path, dict[str, str]]) -> None:
    """The topic page of the most claims: Markdown's input is its prose plus one short token
    per macro call, whatever the cards hold (so conversion cost does not grow with them)."""
    root, inputs = built
    page = "burden.md"
    source = (root / "docs" / page).read_text(encoding="utf-8")
    markdown = inputs[page]
    html = (root / "site" / "burden" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="ev-card') >= 3
    assert len(markdown) < len(source) + 200  # macros became tokens of a few characters each
    assert 'class="ev-card' not in markdown
