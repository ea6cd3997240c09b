"""A page per reference at sources/<key>/: what it is, where to read it, which claims use it.

A reader checking a number wants to see everything that rests on one study, and what
else an article was used for. The pages are generated at build (stubs in on_files, the
body rendered after mkdocs-macros), so no contributor text is ever a template.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markupsafe import Markup

from evidence.bib.keys import anchor
from evidence.content.model import Claim
from evidence.pages import list_pages
from evidence.render import contribute
from evidence.render.listing import chunks, page_src
from evidence.render.page import GeneratedPage

if TYPE_CHECKING:
    from evidence.render.page import Page
    from evidence.render.renderer import Renderer

#: Characters that could form markup or an entity where the theme prints titles unescaped.
_UNSAFE_TITLE = re.compile(r"[<>&\"'`]")


def safe_title(text: str, limit: int = 120) -> str:
    """A page title that is plain text in every theme template (some print it unescaped)."""
    clean = " ".join(_UNSAFE_TITLE.sub(" ", text).split())
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def source_pages(renderer: Renderer) -> list[GeneratedPage]:
    """One generated page per reference that a claim cites, in key order; a source cited
    by more claims than `list_page_size` lists them over pages (sources/<key>/page/2/…).

    The red-flag box (content/site.yml `safety:`) cites its source as a claim does, and
    links to its page, so that source has one too (with no claims to list).

    An entry nothing cites gets no page: a shared bibliography can hold thousands
    (`evidence check` warns about each), and a page would have nothing to list.
    """
    citing: dict[str, list[Claim]] = {}
    for _, loaded in sorted(renderer.corpus.loaded.items()):
        for key in loaded.claim.keys:
            citing.setdefault(key, []).append(loaded.claim)
        check = loaded.claim.primary_check
        if check is not None and check.primary is not None and check.primary not in loaded.claim.keys:
            citing.setdefault(check.primary, []).append(loaded.claim)  # the primary a check read
    safety = renderer.corpus.site.safety if renderer.corpus.site else None
    if safety is not None:
        citing.setdefault(safety.source, [])
    size = renderer.info.list_page_size
    made = []
    for key in sorted(citing):
        if key not in renderer.corpus.library:
            continue
        first = f"{renderer.info.sources_dir}/{anchor(key)}.md"
        title = safe_title(f"Source: {renderer.corpus.library[key].label}")
        count = len(chunks(ordered(citing[key], key), size))
        for number in range(1, count + 1):
            made.append(
                GeneratedPage(
                    src=page_src(first, number),
                    title=title if number == 1 else f"{safe_title(title, 100)} (page {number} of {count})",
                    render=lambda r, page, key=key, number=number: render_source_page(
                        r, page, key, citing[key], number
                    ),
                    releases=(("page_ref", key), ("cite", key)) if number == count else (),
                    reads=frozenset(c.id for c in citing[key]),
                )
            )
    return made


def ordered(citing: list[Claim], key: str) -> list[Claim]:
    """The claims a source's page lists, in its order: those resting on it, those citing it
    as "reported in", then those whose primary source was checked in it."""
    return (
        [c for c in citing if c.source == key]
        + [c for c in citing if c.source != key and c.reported_in == key]
        + [c for c in citing if key not in c.keys and _primary(c) == key]
    )


def _primary(claim: Claim) -> str | None:
    return claim.primary_check.primary if claim.primary_check else None


def render_source_page(
    renderer: Renderer, page: Page, key: str, citing: list[Claim], number: int = 1
) -> Markup:
    """The body of sources/<key>/ (or of its page `number`): the formatted reference, its
    link, and the claims using it."""
    ref = renderer.corpus.library[key]
    site = renderer.corpus.site
    listed = ordered(citing, key)
    pages = chunks(listed, renderer.info.list_page_size)
    shown = pages[number - 1]
    page.shown.extend(c.id for c in shown)

    def item(claim: Claim) -> dict[str, object]:
        return {"claim": claim, "href": renderer.link(page, renderer.claim_home(claim))}

    first = f"{renderer.info.sources_dir}/{anchor(key)}.md"
    pager = None
    if len(pages) > 1:
        pager = list_pages.pager(
            page=page,
            renderer=renderer,
            first=first,
            current=number,
            total=len(listed),
            label="Pages of the claims citing this source",
        )
    return renderer.render_template(
        "source_page.html",
        ref=ref,
        cite=renderer.cite(page, key),
        total=len(listed),
        number=number,
        pager=pager,
        resting=[item(c) for c in shown if c.source == key],
        reported=[item(c) for c in shown if c.source != key and c.reported_in == key],
        checked=[item(c) for c in shown if key not in c.keys and _primary(c) == key],
        full=renderer.link(page, renderer.url(renderer.info.references_page) + "#bib-" + anchor(key)),
        methodology=renderer.link(page, renderer.url(renderer.info.methodology_page)),
        report=contribute.reference_link(renderer, key),
        safety_box=bool(site and site.safety and site.safety.source == key),
    )
