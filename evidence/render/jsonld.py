"""One schema.org MedicalWebPage JSON-LD block per page (a WebPage on a site whose
content/site.yml does not say `medical: true`), from the data the page itself shows.

Search engines read this to see a page as reviewed medical information: who reviewed it
and when (`reviewedBy`, `lastReviewed`), what it is about, and the works it cites. It is
built from the page's own state (the claims shown, the citations numbered, the trust
block's facts), so it cannot say anything the page does not.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from evidence.bib.library import Reference
from evidence.content.model import Claim
from evidence.content.results import Result
from evidence.load.trust import Contributor
from evidence.render.renderer import Page, Renderer

#: schema.org types for our BibTeX entry types; anything else is a CreativeWork.
_WORK_TYPES = {
    "article": "ScholarlyArticle",
    "book": "Book",
    "inbook": "Chapter",
    "incollection": "Chapter",
    "online": "WebPage",
    "techreport": "Report",
    "manual": "Report",
    "phdthesis": "Thesis",
    "mastersthesis": "Thesis",
}
#: Characters that must not appear raw inside <script>: `</script>` and `<!--` end or change it.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def _person(c: Contributor) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Person" if c.kind == "person" else "Organization", "name": c.name}
    if c.credentials:
        data["hasCredential"] = c.credentials
    if c.affiliation:
        data["affiliation"] = {"@type": "Organization", "name": c.affiliation}
    return data


def _work(ref: Reference, page_url: str | None) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": _WORK_TYPES.get(ref.type, "CreativeWork"), "name": ref.label}
    if page_url:
        work["@id"] = page_url
    if ref.authors:
        work["author"] = [{"name": name} for name in ref.authors]
    year = ref.year
    if year and re.fullmatch(r"\d{4}", year.strip()):
        work["datePublished"] = year.strip()
    if ref.link:
        work["url"] = ref.link
    if ref.doi:
        work["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": ref.doi}
    return work


class Works:
    """Each cited work's JSON-LD, made once per build: many pages cite the same works."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self._works: dict[str, dict[str, Any]] = {}

    def __getitem__(self, key: str) -> dict[str, Any]:
        work = self._works.get(key)
        if work is None:
            url = _absolute(self.renderer.info.site_url or None, self.renderer.source_url(key))
            work = self._works[key] = _work(self.renderer.corpus.library[key], url)
        return work


@lru_cache(maxsize=1 << 16)
def _absolute(site_url: str | None, url: str) -> str | None:
    return urljoin(site_url, url) if site_url else None


def page_data(renderer: Renderer, page: Page, works: Works | None = None) -> dict[str, Any]:
    """The JSON-LD object for `page`, after its body and footer were rendered."""
    corpus, info = renderer.corpus, renderer.info
    trust = renderer.trust(page)
    site_url = info.site_url or None
    works = works or Works(renderer)

    def absolute(url: str) -> str | None:
        return _absolute(site_url, url)

    topics = dict.fromkeys(corpus.claim(c).topic for c in page.shown if c in corpus.loaded)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage" if trust.medical else "WebPage",  # site.yml's `medical`
        "name": page.title or info.site_name,
    }
    if site_url:
        data["url"] = absolute(page.url)
        data["isPartOf"] = {"@type": "WebSite", "name": info.site_name, "url": site_url}
    data["version"] = renderer.edition.label
    if trust.last_reviewed:
        data["lastReviewed"] = trust.last_reviewed.isoformat()
    data["reviewedBy"] = [_person(c) for c in trust.reviewers]
    data["author"] = [_person(c) for c in trust.authors]
    data["about"] = [{"@type": s.type, "name": s.name} for s in trust.about] + [
        {"@type": "Thing", "name": corpus.topics[t].title, "description": corpus.topics[t].description}
        for t in topics
    ]
    data["citation"] = [works[key] for key in page.citations.order]
    # a compact row's claim has its data on its own page: a long topic's page stays small
    carded = [c for c in dict.fromkeys(page.shown) if c not in page.compact]
    shown = [corpus.claim(c) for c in carded if c in corpus.loaded]
    if shown:  # each claim's GRADE certainty, machine-readable (schema.org has no such property)
        data["hasPart"] = [_claim(c) for c in shown]
    return data


def _value(name: str, value: object) -> dict[str, Any]:
    return {"@type": "PropertyValue", "name": name, "value": value}


def _claim(c: Claim) -> dict[str, Any]:
    """One claim: its GRADE certainty and reasons, its kind, the primary-source verdict and
    a comparative result's numbers (schema.org has no such properties: PropertyValues)."""
    props: list[dict[str, Any]] = [_value("claim kind", c.kind.value)]
    if c.certainty is not None:
        props.append(_value("GRADE certainty", c.certainty.level.value))
        props += [_value(f"reason: {r.domain.value}", r.note) for r in c.certainty.reasons]
    if c.verdict is not None:
        props.append(_value("primary source verdict", c.verdict.value))
        if c.primary_check and c.primary_check.note:
            props.append(_value("primary source note", c.primary_check.note))
    if c.recommendation is not None:
        rec = c.recommendation
        props += [
            _value("recommended by", rec.body),
            _value("recommendation year", rec.year),
            _value("recommendation direction", rec.direction),
            _value("recommendation strength", rec.strength),
        ]
        if rec.certainty:
            props.append(_value("guideline certainty", rec.certainty))
    data: dict[str, Any] = {
        "@type": "Claim",
        "identifier": c.id,
        "name": c.title,
        "additionalProperty": props,
    }
    if c.result is not None:
        data["about"] = _result(c.result)
    return data


def _result(result: Result) -> dict[str, Any]:
    """A comparative result as schema.org's MedicalStudy-like terms: the outcome, the
    comparison and the effect with its interval, as PropertyValues with min and max."""
    q, e = result.question, result.effect
    effect: dict[str, Any] = {
        "@type": "PropertyValue",
        "name": e.measure.label,
        "propertyID": e.measure.value,
    }
    if e.estimate is not None:
        effect["value"] = e.estimate
    if e.ci_low is not None and e.ci_high is not None:
        effect["minValue"], effect["maxValue"] = e.ci_low, e.ci_high
        effect["description"] = f"{e.ci_level:g}% confidence interval"
    props = [
        _value("population", q.population),
        _value("intervention", q.intervention),
        _value("comparator", q.comparator),
        _value("better", q.better.value),
        effect,
    ]
    if q.scale is not None:
        props.append(
            {
                "@type": "PropertyValue",
                "name": "scale",
                "value": q.scale.name,
                "minValue": q.scale.low,
                "maxValue": q.scale.high,
                "unitText": q.scale.unit,
            }
        )
    if q.time_point:
        props.append(_value("time point", q.time_point))
    if result.participants is not None:
        props.append(_value("participants", result.participants))
    if result.studies is not None:
        props.append(_value("studies", result.studies))
    if result.mid is not None:
        props.append(
            {**_value("minimal important difference", result.mid.value), "description": result.mid.set_by}
        )
    if result.per_1000 is not None:
        per = result.per_1000
        item = {
            **_value("intervention per 1,000", per.intervention),
            "description": f"comparator {per.comparator:g}",
        }
        if per.low is not None and per.high is not None:
            item["minValue"], item["maxValue"] = per.low, per.high
        props.append(item)
    return {
        "@type": "MedicalTrial" if result.studies == 1 else "MedicalStudy",
        "name": q.outcome,
        "additionalProperty": props,
    }


def script(data: dict[str, Any]) -> str:
    """The <script> element: JSON with <, > and & escaped, so no text can end the script early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = re.sub("[<>&]", lambda m: _SCRIPT_UNSAFE[m.group()], text)
    return f'<script type="application/ld+json">{text}</script>'


def insert(html: str, block: str) -> str:
    """Put `block` at the end of <head>; a page without one is a theme bug worth failing on."""
    head_end = html.find("</head>")
    if head_end < 0:
        raise ValueError("page has no </head> to hold its JSON-LD")
    return html[:head_end] + block + "\n" + html[head_end:]
