"""The Data page's list of downloads: each file with what it holds, its size and its link.

The sizes and counts come from the same files the build publishes (export.downloads),
so the page cannot describe a file other than the one a reader downloads.
"""

from __future__ import annotations

from markupsafe import Markup

from evidence.render import export
from evidence.render.renderer import Page, Renderer

#: What each file holds and its format, in the order the page lists them.
DESCRIPTIONS = {
    export.CLAIMS_JSON: ("Every claim, active and retired, with all its fields", "JSON"),
    export.CLAIM_SCHEMA: ("The JSON Schema each item of claims.json follows", "JSON Schema"),
    export.CLAIMS_CSV: ("The same claims as a table, one row per claim", "CSV, UTF-8"),
    export.REFERENCES_BIB: ("Every source, exactly as the site's references.bib", "BibTeX"),
    export.REFERENCES_CSL: ("The sources the claims cite, for reference managers (Zotero)", "CSL-JSON"),
}


def _size(n: int) -> str:
    return f"{n} bytes" if n < 1024 else f"{n / 1024:.1f} KB"


def downloads(renderer: Renderer, page: Page) -> Markup:
    corpus = renderer.corpus
    files = renderer.downloads if renderer.downloads is not None else export.downloads(corpus)
    rows = [
        {
            "name": file.name,
            "href": renderer.link(page, f"{export.SITE_DIR}/{file.name}"),
            "what": DESCRIPTIONS[file.name][0],
            "format": DESCRIPTIONS[file.name][1],
            "size": _size(file.size),
        }
        for file in files
    ]
    claims = [lc.claim for lc in corpus.loaded.values()]
    return renderer.render_template(
        "downloads.html",
        rows=rows,
        active=sum(1 for c in claims if c.active),
        retired=sum(1 for c in claims if not c.active),
        references=len(corpus.library.references),
        site=corpus.site,
    )
