"""The summary of findings of a topic page and the home page's evidence map.

The summary follows GRADE's summary-of-findings table: one row per claim, in the order
the page discusses them, with the number as stated, who says it and the certainty, whose
reasons are numbered footnotes under the table. The map counts claims by topic and
certainty and draws them as an SVG bar chart at build time (no script), with the same
counts as a table beside it. Geometry is computed here; the markup is in the templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from evidence.content.model import CertaintyLevel, CertaintyReason, Claim
from evidence.pages import placement

if TYPE_CHECKING:
    from evidence.render.page import Page
    from evidence.render.renderer import Renderer

#: The map's levels, left to right: the weakest first, as most claims are.
LEVELS = (CertaintyLevel.very_low, CertaintyLevel.low, CertaintyLevel.moderate, CertaintyLevel.high)


@dataclass
class Footnote:
    number: int
    reason: CertaintyReason
    refs: list[str] = field(default_factory=list)  # ids of the references to it, for backlinks


def ordered(renderer: Renderer, topic: str, text: str) -> list[tuple[str, list[Claim]]]:
    """The topic's active claims grouped by the heading they sit under on the page, in page
    order (`text` is the page source); claims the page does not place come last."""
    corpus = renderer.corpus
    active = {c.id: c for c in corpus.topic_claims(topic)}
    groups: list[tuple[str, list[Claim]]] = []
    seen: set[str] = set()
    for call in placement.calls(text):
        ids = [call.arg] if call.macro == "claim" else [c.id for c in corpus.topic_claims(call.arg)]
        for cid in ids:
            if cid in active and cid not in seen:
                seen.add(cid)
                if not groups or groups[-1][0] != call.heading:
                    groups.append((call.heading, []))
                groups[-1][1].append(active[cid])
    rest = [c for cid, c in active.items() if cid not in seen]
    if rest:
        groups.append(("", rest))
    return groups


def summary(renderer: Renderer, page: Page, topic: str, text: str) -> Markup:
    """The summary-of-findings table of `topic`, linking each row to its card on the page
    (or to the claim's own page when this is not the topic's page)."""
    corpus = renderer.corpus
    on_topic_page = corpus.topics[topic].page == page.src
    notes: dict[tuple[str, str], Footnote] = {}
    sections = []
    for heading, claims in ordered(renderer, topic, text):
        rows = []
        for claim in claims:
            refs = []
            for reason in claim.certainty.reasons:
                note = notes.setdefault((reason.domain.value, reason.note), Footnote(len(notes) + 1, reason))
                ref_id = f"sof-{topic}-{claim.id}-{note.number}"
                note.refs.append(ref_id)
                refs.append({"id": ref_id, "number": note.number})
            href = f"#claim-{claim.id}" if on_topic_page else renderer.link(page, renderer.claim_home(claim))
            rows.append(
                {
                    "claim": claim,
                    "href": href,
                    "source": corpus.library[claim.source],
                    "reported_in": corpus.library[claim.reported_in] if claim.reported_in else None,
                    "refs": refs,
                }
            )
        sections.append({"heading": heading, "rows": rows})
    return renderer.render_template(
        "findings.html",
        topic=corpus.topics[topic],
        sections=sections,
        footnotes=list(notes.values()),
        count=sum(len(s["rows"]) for s in sections),
    )


def evidence_map(renderer: Renderer, page: Page) -> Markup:
    """Active claims by topic and certainty: an SVG bar chart and the same counts as a table."""
    corpus = renderer.corpus
    rows = []
    for topic in corpus.topics.values():
        claims = corpus.topic_claims(topic.id)
        counts = {level: sum(c.certainty.level is level for c in claims) for level in LEVELS}
        rows.append(
            {
                "topic": topic,
                "href": renderer.link(page, renderer.url(topic.page)),
                "counts": counts,
                "total": len(claims),
            }
        )
    label_w, bar_w, row_h, top = 210, 330, 34, 10
    most = max((r["total"] for r in rows), default=0) or 1
    for i, row in enumerate(rows):
        x, segments = label_w, []
        for level in LEVELS:
            n = row["counts"][level]
            if n:
                w = round(bar_w * n / most, 1)
                segments.append({"level": level, "n": n, "x": x, "w": w, "labelled": w >= 22})
                x = round(x + w, 1)
        row.update(y=top + i * row_h, segments=segments, end=x)
    legend_y = top + len(rows) * row_h + 14
    return renderer.render_template(
        "evidence_map.html",
        rows=rows,
        levels=LEVELS,
        width=label_w + bar_w + 90,
        height=legend_y + 30,
        row_h=row_h,
        legend_y=legend_y,
        total=sum(r["total"] for r in rows),
    )
