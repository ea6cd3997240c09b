"""The summary of findings of a topic page and the home page's evidence map.

The summary follows GRADE's summary-of-findings table: one row per claim, in the order
the page discusses them, with the number as stated, who says it and the certainty, whose
reasons are numbered footnotes under the table. Comparative results come first, grouped
as Cochrane's tables are: one row names the comparison (intervention compared with
comparator) and the population once, and each outcome row under it holds only the
outcome, its scale and time point. The map counts claims by topic and
certainty and draws them as an SVG bar chart at build time (no script), with the same
counts as a table beside it. Geometry is computed here; the markup is in the templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from evidence.content.claimkinds import ClaimKind
from evidence.content.model import CertaintyLevel, CertaintyReason, Claim
from evidence.load import placement
from evidence.load.comparative import is_comparative
from evidence.render import effectplot, effects

if TYPE_CHECKING:
    from evidence.render.page import Page, PageRenderer

#: The map's levels, left to right: the weakest first, as most claims are.
LEVELS = (CertaintyLevel.very_low, CertaintyLevel.low, CertaintyLevel.moderate, CertaintyLevel.high)


@dataclass
class Footnote:
    number: int
    reason: CertaintyReason
    refs: list[str] = field(default_factory=list)  # ids of the references to it, for backlinks


def ordered(renderer: PageRenderer, topic: str, text: str) -> list[tuple[str, list[Claim]]]:
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


def summary(renderer: PageRenderer, page: Page, topic: str, text: str) -> Markup:
    """The summary of findings of `topic`, linking each row to its card on the page (or to
    the claim's own page when this is not the topic's page): comparative results in
    Cochrane's shape with their effect plots, guidelines' recommendations, then the other
    claims ("what the articles claim, and what we found when we checked"). Definitions
    carry no certainty and are in no table."""
    corpus = renderer.corpus
    on_topic_page = corpus.topics[topic].page == page.src
    notes: dict[tuple[str, str], Footnote] = {}

    def refs(claim: Claim) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for reason in claim.certainty.reasons if claim.certainty else []:
            note = notes.setdefault((reason.domain.value, reason.note), Footnote(len(notes) + 1, reason))
            ref_id = f"sof-{topic}-{claim.id}-{note.number}"
            note.refs.append(ref_id)
            out.append({"id": ref_id, "number": note.number})
        return out

    def href(claim: Claim) -> str:
        return f"#claim-{claim.id}" if on_topic_page else renderer.link(page, renderer.claim_home(claim))

    groups = ordered(renderer, topic, text)
    in_order = [claim for _, claims in groups for claim in claims]
    compared = [c for c in in_order if is_comparative(c.result)]
    results = []
    for n, claims in enumerate(_by_comparison(compared).values(), 1):
        rows, plots = [], []
        for claim in claims:
            result = claim.result
            assert result is not None
            rows.append(
                {
                    "claim": claim,
                    "result": result,
                    "href": href(claim),
                    "outcome_note": effects.outcome_note(result),
                    "comparator": effects.comparator_result(result),
                    "difference": effects.difference(result),
                    "size": effects.size(result),
                    "meaning": effects.meaning(result),
                    "refs": refs(claim),
                }
            )
        for m, same in enumerate(_by_outcome(claims).values(), 1):
            figure = effectplot.plot(f"sof-{topic}-plot-{n}-{m}", same, label_of="outcome")
            if figure:
                plots.append(renderer.render_template("effect_plot.html", plot=figure))
        question = claims[0].result.question if claims[0].result else None
        assert question is not None
        results.append(
            {
                "id": f"sof-{topic}-comparison-{n}",
                "comparison": _first_up(f"{question.intervention} compared with {question.comparator}"),
                "population": question.population,
                "rows": rows,
                "plots": plots,
            }
        )
    recommendations = [
        {"claim": c, "href": href(c), "source": corpus.library[c.source]}
        for c in in_order
        if c.kind is ClaimKind.recommendation
    ]
    sections = []
    for heading, claims in groups:
        rows = []
        for claim in claims:
            if claim in compared or claim.kind is not ClaimKind.finding:
                continue
            rows.append(
                {
                    "claim": claim,
                    "href": href(claim),
                    "source": corpus.library[claim.source],
                    "reported_in": corpus.library[claim.reported_in] if claim.reported_in else None,
                    "refs": refs(claim),
                }
            )
        if rows:
            sections.append({"heading": heading, "rows": rows})
    count = sum(len(s["rows"]) for s in sections)
    return renderer.render_template(
        "findings.html",
        topic=corpus.topics[topic],
        results=results,
        #: the "Comparison group" column, left out when no source gives any row's
        comparators=any(row["comparator"] for group in results for row in group["rows"]),
        recommendations=recommendations,
        sections=sections,
        articles=any(row["reported_in"] for s in sections for row in s["rows"]),
        footnotes=list(notes.values()),
        count=count,
    )


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _by_comparison(claims: list[Claim]) -> dict[tuple[str, str, str], list[Claim]]:
    """Comparative claims grouped as Cochrane's tables are, one per comparison: the same
    intervention, comparator and population (in the order the page first shows each)."""
    groups: dict[tuple[str, str, str], list[Claim]] = {}
    for claim in claims:
        assert claim.result is not None
        q = claim.result.question
        key = (q.intervention.casefold(), q.comparator.casefold(), q.population.casefold())
        groups.setdefault(key, []).append(claim)
    return groups


def _by_outcome(claims: list[Claim]) -> dict[tuple[str, str], list[Claim]]:
    """One effect plot per outcome and measure within a comparison (a forest plot when the
    outcome was measured more than once, e.g. at two time points)."""
    groups: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        assert claim.result is not None
        key = (claim.result.question.outcome.casefold(), claim.result.effect.measure.value)
        groups.setdefault(key, []).append(claim)
    return groups


def evidence_map(renderer: PageRenderer, page: Page) -> Markup:
    """Active claims by topic and certainty: an SVG bar chart and the same counts as a table."""
    corpus = renderer.corpus
    rows = []
    for topic in corpus.topics.values():
        claims = [c for c in corpus.topic_claims(topic.id) if c.certainty is not None]  # rated ones
        counts = {level: sum(c.certainty.level is level for c in claims if c.certainty) for level in LEVELS}
        rows.append(
            {
                "topic": topic,
                "href": renderer.link(page, renderer.url(topic.page)),
                "counts": counts,
                "total": len(claims),
            }
        )
    # Narrow on purpose, each topic's name on its own line above its bar: at 340 units wide
    # the chart is drawn at about its own size on a 360 px phone, so 13-unit text stays
    # above 12 px (a name beside its bar needed 630 units: 7 px text on a phone).
    left, bar_w, row_h, top, width = 1, 250, 56, 4, 340
    most = max((r["total"] for r in rows), default=0) or 1
    for i, row in enumerate(rows):
        x, segments = left, []
        for level in LEVELS:
            n = row["counts"][level]
            if n:
                w = round(bar_w * n / most, 1)
                segments.append({"level": level, "n": n, "x": x, "w": w, "labelled": w >= 22})
                x = round(x + w, 1)
        row.update(y=top + i * row_h, segments=segments, end=x)
    legend_y = top + len(rows) * row_h + 8
    legend = [
        {"level": level, "x": (n % 2) * 170, "y": legend_y + (n // 2) * 22} for n, level in enumerate(LEVELS)
    ]
    return renderer.render_template(
        "evidence_map.html",
        rows=rows,
        levels=LEVELS,
        legend=legend,
        width=width,
        height=legend_y + 2 * 22 + 4,
        row_h=row_h,
        legend_y=legend_y,
        total=sum(r["total"] for r in rows),
    )
