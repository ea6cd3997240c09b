"""Fragments rendered once per build (stencils) give what a fresh render gives, on every page.

A stencil is released after the page that shows it last (`GeneratedPage.releases`); should
another page show it after all, it is rendered again, never differently.
"""

from __future__ import annotations

from pathlib import Path

from helpers import mini_project

from evidence.load.corpus import Corpus, load_corpus
from evidence.render.renderer import Renderer


def fresh(project_root: Path, corpus: Corpus, src: str, url: str, claim_id: str) -> tuple[str, str]:
    """The card and footer of a page rendered by a renderer that has shown nothing before."""
    renderer = Renderer(corpus, project_root / "macros" / "templates")
    page = renderer.page(src, url)
    return str(renderer.claim(page, claim_id)), str(renderer.page_footer(page))


def test_a_released_stencil_is_rendered_again_the_same(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    corpus, _ = load_corpus(project.root)
    claim_id = next(iter(corpus.loaded))
    key = corpus.claim(claim_id).source
    renderer = Renderer(corpus, project.root / "macros" / "templates")

    first = renderer.page("burden.md", "burden/")
    renderer.claim(first, claim_id)
    renderer.page_footer(first)
    for group in (("card", claim_id), ("page_ref", key), ("cite", key)):
        renderer.release(group)  # what it frees is private; what it guarantees is checked below

    later = renderer.page(f"claims/{claim_id}.md", f"claims/{claim_id}/")  # another depth: other links
    card, footer = str(renderer.claim(later, claim_id)), str(renderer.page_footer(later))
    assert (card, footer) == fresh(
        project.root, corpus, f"claims/{claim_id}.md", f"claims/{claim_id}/", claim_id
    )
    assert "../../" in footer, "links are filled in for the later page, not copied from the first"


def test_stencils_fill_each_page_with_its_own_numbers_and_links(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    corpus, _ = load_corpus(project.root)
    claim_id = next(iter(corpus.loaded))
    renderer = Renderer(corpus, project.root / "macros" / "templates")
    for src, url in (
        ("index.md", ""),
        ("burden.md", "burden/"),
        (f"claims/{claim_id}.md", f"claims/{claim_id}/"),
    ):
        page = renderer.page(src, url)
        got = (str(renderer.claim(page, claim_id)), str(renderer.page_footer(page)))
        assert got == fresh(project.root, corpus, src, url, claim_id), src
