"""The trust block: the JAMA benchmarks for health sites, kept as data in content/site.yml.

Authorship, attribution, disclosure and currency (Silberg et al., JAMA 1997) are facts a
reader should find on every page. Written as prose they drift and go missing; kept as
validated data, a missing one stops the build with its file and line, and the same values
feed the page, the JSON-LD and the Data page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from evidence.content.files import SITE_FILE
from evidence.content.sitemeta import Contributor, Disclosure, SiteMeta, Subject
from evidence.core.problems import Problem, error
from evidence.load.loader import load_file

if TYPE_CHECKING:
    from evidence.load.corpusdata import Corpus

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"trust-missing"})


#: Why each required field is there, for the message when one is missing.
_BENCHMARK = {
    "authors": "authorship: who wrote the site",
    "reviewers": "authorship: who reviews the evidence",
    "disclosure": "disclosure: funding, advertising and conflicts of interest",
    "disclosure.funding": "disclosure: who pays for the site (write [] for no funding)",
    "disclosure.advertising": "disclosure: whether the site shows advertising (true or false)",
    "disclosure.conflicts_of_interest": "disclosure: conflicts of interest (write [] for none)",
    "about": "what the site is about, for search engines (schema.org 'about')",
}


def load_site(root: Path) -> tuple[SiteMeta | None, list[Problem]]:
    """Read content/site.yml; each missing benchmark is an error that says why it is needed."""
    path = root / SITE_FILE
    if not path.exists():
        return None, [
            error(
                SITE_FILE,
                1,
                1,
                "site.yml is missing: every page must show who wrote and reviewed it and its disclosure",
                "trust-missing",
                "create content/site.yml with authors, reviewers, disclosure and about",
            )
        ]
    site, _doc, problems = load_file(SiteMeta, path, SITE_FILE)
    return site, [_explain(p) for p in problems]


def _explain(problem: Problem) -> Problem:
    """Name the benchmark a missing or empty field stands for, instead of the claim schema."""
    field = problem.message.removeprefix("missing required field ").strip("'")
    if problem.rule == "schema-missing" and field in _BENCHMARK:
        return error(
            problem.path,
            problem.line,
            problem.col,
            f"missing required field '{field}' ({_BENCHMARK[field]})",
            "trust-missing",
            f"add `{field.rsplit('.', 1)[-1]}:` to {SITE_FILE}",
        )
    if problem.rule == "schema-invalid" and "at least 1 item" in problem.message:
        name = problem.message.split("'")[1] if "'" in problem.message else "list"
        return error(
            problem.path,
            problem.line,
            problem.col,
            f"field '{name}' is empty ({_BENCHMARK.get(name, 'required')})",
            "trust-missing",
            "name at least one",
        )
    return problem


@dataclass(frozen=True)
class PageTrust:
    """The benchmarks as they apply to one page: the trust block and the JSON-LD both read this."""

    authors: list[Contributor]
    reviewers: list[Contributor]
    disclosure: Disclosure
    about: list[Subject]
    last_reviewed: dt.date | None
    scope: Literal["page", "site"]  # whose review dates `last_reviewed` is the oldest of
    #: the newest of the same reviews: the page says "between … and …" when it differs
    newest_reviewed: dt.date | None = None
    #: the site's own wording (site.yml): whether it is medical and reviewed by a clinician,
    #: how its reviewers check, and its disclaimer box (None: the default for `medical`)
    medical: bool = False
    clinical_review: bool = False
    review_statement: str | None = None
    disclaimer: str | None = None


def oldest_review(corpus: Corpus, claim_ids: list[str]) -> dt.date | None:
    """The page's "last reviewed" date: every claim on it was checked on or after it.

    The newest date would claim a currency the page's oldest claim does not have.
    """
    dates = [corpus.claim(c).reviewed.date for c in claim_ids if c in corpus.loaded]
    return min(dates) if dates else None


def page_trust(corpus: Corpus, shown: list[str]) -> PageTrust:
    """Authors and disclosure from site.yml; reviewers and currency from the claims on the page.

    A page that shows no claim (the disclaimer, the methodology) takes the site's reviewers
    and the latest review of any claim.
    """
    site = corpus.site
    if site is None:  # the build stops on site.yml errors before any page is rendered
        raise ValueError(f"{SITE_FILE} did not load; run `python -m evidence check`")
    scoped = [c for c in dict.fromkeys(shown) if c in corpus.loaded]
    names = [corpus.claim(c).reviewed.by for c in scoped]
    return PageTrust(
        authors=list(site.authors),
        reviewers=site.contributors(names) if names else list(site.reviewers),
        disclosure=site.disclosure,
        about=list(site.about),
        last_reviewed=oldest_review(corpus, scoped or list(corpus.loaded)),
        scope="page" if scoped else "site",
        newest_reviewed=corpus.last_reviewed(scoped or None),
        medical=site.medical,
        clinical_review=site.clinical_review,
        review_statement=site.review_statement,
        disclaimer=site.disclaimer,
    )
