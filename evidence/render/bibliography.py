"""The References page: every listed reference, formatted, with what cites it ("Cited by").

A reference cited by at most `BACKLINKS` claims names each of them, linked to its page. One
cited by more says how many and on which topics' pages, each linked with its count (the
topic most citing it first), and links its own source page, which lists every citing claim
(in pages of `list_page_size`). So the page grows with the number of references, never with
the number of claims: at 10,000 claims its backlinks were 12,000 links and 1.71 MiB of
HTML (BENCHMARKS.md, issue 25 item 5).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from evidence.content.model import Claim
    from evidence.render.page import Page, PageRenderer

#: Claims a reference's "Cited by" names one by one; more, and it says where they are.
BACKLINKS = 10


def render(renderer: PageRenderer, page: Page, keys: list[str]) -> Markup:
    """The reference list of `keys`, sorted by their formatted text (then key)."""
    library = renderer.corpus.library
    entries = []
    for key, ref in sorted(((k, library[k]) for k in keys), key=lambda kv: (kv[1].text.lower(), kv[0])):
        citing = renderer.corpus.citing(key)
        source_page = renderer.link(page, renderer.source_url(key)) if citing else None  # cited ones only
        entry: dict[str, Any] = {"ref": ref, "page": source_page, "count": len(citing)}
        entry["citing"], entry["topics"], entry["retired"] = [], None, 0
        if len(citing) <= BACKLINKS:
            entry["citing"] = [
                {"claim": c, "href": renderer.link(page, renderer.claim_home(c))} for c in citing
            ]
        else:
            entry["topics"], entry["retired"] = _by_topic(renderer, page, citing)
        entries.append(entry)
    return renderer.render_template("bibliography.html", entries=entries)


def _by_topic(renderer: PageRenderer, page: Page, citing: list[Claim]) -> tuple[list[dict[str, Any]], int]:
    """The topic pages showing the active claims of `citing`, most claims first (then in
    topics.yml order), with their counts; and how many of `citing` are retired."""
    topics = renderer.corpus.topics
    order = {topic: n for n, topic in enumerate(topics)}
    counts = Counter(c.topic for c in citing if c.active)
    return [
        {"topic": topics[t], "count": n, "href": renderer.link(page, renderer.url(topics[t].page))}
        for t, n in sorted(counts.items(), key=lambda tn: (-tn[1], order[tn[0]]))
    ], sum(1 for c in citing if not c.active)
