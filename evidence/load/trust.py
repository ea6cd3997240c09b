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
from typing import TYPE_CHECKING, Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from evidence.content.files import SITE_FILE
from evidence.content.model import ShortText
from evidence.core.problems import Problem, error
from evidence.load.loader import load_file

if TYPE_CHECKING:
    from evidence.load.corpus import Corpus

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


class _Strict(BaseModel):
    # defer_build: validators are built when first needed; a warm build reads cached claims
    # and validates none, so it never pays for (or holds) them
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Contributor(_Strict):
    """A person or a group who wrote or reviewed the content."""

    name: ShortText = Field(description="Name as the reader should see it.")
    kind: Literal["person", "organization"] = Field(description="A person or a group of people.")
    role: ShortText | None = Field(default=None, description="What they do for the site.")
    credentials: ShortText | None = Field(
        default=None, description="Qualifications, e.g. 'PT, DPT'. Leave out rather than guess."
    )
    affiliation: ShortText | None = Field(default=None, description="Where they work, when relevant.")


class Disclosure(_Strict):
    """Who pays, who advertises, who gains: each stated, even when the answer is none."""

    funding: list[ShortText] = Field(description="Funders of the site; [] when it has none.")
    advertising: bool = Field(strict=True, description="Whether the site shows advertising.")
    conflicts_of_interest: list[ShortText] = Field(description="Declared conflicts; [] when none.")


class Subject(_Strict):
    """What the site is about, as a schema.org type and name."""

    type: Literal["MedicalCondition", "MedicalTherapy", "PhysicalTherapy", "MedicalProcedure", "Thing"]
    name: ShortText


class License(_Strict):
    name: ShortText
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=300)]


class Signs(_Strict):
    """One level of urgency: what to do, then the signs that call for it."""

    lead: ShortText = Field(
        description="What to do, in the site's words, e.g. 'Call 911 now if you have back pain and:'."
    )
    signs: list[ShortText] = Field(min_length=1, description="The signs, paraphrased from the source.")


class Safety(_Strict):
    """When to get help straight away: the red-flag box `{{ red_flags() }}` shows, worded from
    a recognised public-health source and dated, so a reader with an emergency is told first."""

    source: ShortText = Field(description="Key in references.bib of the page the wording comes from.")
    checked: dt.date = Field(description="When the editors last read that page (YYYY-MM-DD).")
    emergency: Signs = Field(description="When to call the emergency number now.")
    urgent: Signs | None = Field(default=None, description="When to get medical help the same day.")


class SiteMeta(_Strict):
    """content/site.yml: the facts every page states about who stands behind it."""

    authors: list[Contributor] = Field(min_length=1, description="Who writes the claim summaries.")
    reviewers: list[Contributor] = Field(min_length=1, description="Who reviews claims against sources.")
    disclosure: Disclosure
    about: list[Subject] = Field(min_length=1, description="What the site is about.")
    data_license: License | None = Field(
        default=None, description="Licence of the downloadable data, if the owners have chosen one."
    )
    safety: Safety | None = Field(
        default=None,
        description="The red-flag box for topic pages (leave out on a site with no medical subject).",
    )

    def contributors(self, names: list[str]) -> list[Contributor]:
        """The reviewers named on a page's claims, with their details from site.yml when listed."""
        known = {c.name: c for c in (*self.reviewers, *self.authors)}
        return [known.get(n) or Contributor(name=n, kind="person") for n in dict.fromkeys(names)]


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
    )
