"""List pages that stay small: All claims and a source's page, in pages of `list_page_size`.

At 10,000 claims the All claims table was 22 MiB of HTML and a big source's page 1.7 MiB.
When a list is longer than `SiteInfo.list_page_size`, its page holds the first page of it
and links the rest, each a page generated at build (a plain list without script):

- All claims: claims/page/2/, claims/page/3/… (the same table, no controls), and
  claims/rows/<n>.json, the rows of page n as the All claims page renders them (its
  relative links), which `evidence-rows.js` fetches to filter, sort and count every claim;
- a source's page: sources/<key>/page/2/… (its citing claims, resting first).

A site whose lists fit on one page is built as before.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from evidence.render.listing import Pager, chunks, page_src
from evidence.render.page import GeneratedPage

if TYPE_CHECKING:
    from evidence.render.page import Page
    from evidence.render.renderer import Renderer


def pager(renderer: Renderer, page: Page, first: str, current: int, total: int, label: str) -> Markup:
    """Links from `page`, page `current` of a list whose first page is `first`, to all its pages."""
    size = renderer.info.list_page_size
    links = Pager.of(lambda src: renderer.link(page, renderer.url(src)), first, current, total, size)
    return renderer.render_template("list_pager.html", pager=links, noun="claims", label=label)


# -- All claims ----------------------------------------------------------------------


def claims_pages(renderer: Renderer) -> list[GeneratedPage]:
    """claims/page/2/… when the active claims are more than a page: the All claims table's
    rows without script, page by page (its first page is All claims itself)."""
    active = renderer.corpus.active_claims()
    pages = chunks(active, renderer.info.list_page_size)
    if len(pages) < 2:
        return []
    return [
        GeneratedPage(
            src=page_src(renderer.info.claims_page, number),
            title=f"All claims, page {number} of {len(pages)}",
            render=lambda r, page, number=number: render_claims_page(r, page, number),
            reads=None,  # the whole list: a claim retired or added moves every later row
        )
        for number in range(2, len(pages) + 1)
    ]


def render_claims_page(renderer: Renderer, page: Page, number: int) -> Markup:
    active = renderer.corpus.active_claims()
    pages = chunks(active, renderer.info.list_page_size)
    listed = pages[number - 1]
    body = [renderer.claims_table_row(page, claim) for claim in listed]
    first = (number - 1) * renderer.info.list_page_size + 1
    return renderer.render_template(
        "claims_page.html",
        number=number,
        count=len(pages),
        total=len(active),
        first=first,
        last=first + len(listed) - 1,
        body=body,
        pager=pager(renderer, page, renderer.info.claims_page, number, len(active), "Pages of all claims"),
        all_claims=renderer.link(page, renderer.url(renderer.info.claims_page)),
    )


def write_row_files(renderer: Renderer, site_dir: Path) -> None:
    """The All claims rows its page rendered for script (`Renderer.row_files`), as JSON."""
    for url, rows in renderer.row_files.items():
        path = site_dir / url
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([str(row) for row in rows], ensure_ascii=False), encoding="utf-8")
