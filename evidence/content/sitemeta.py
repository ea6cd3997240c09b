"""content/site.yml as data: who writes and reviews the site, its disclosure, its subject.

The models only; reading the file and naming the JAMA benchmark a missing field stands
for is load/trust.py's. Kept in the content layer so the corpus (load/corpusdata.py) can
hold a `SiteMeta` without importing the code that reads it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from evidence.content.fields import ShortText, Text


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
    medical: bool = Field(
        default=False,
        strict=True,
        description="Whether the site gives health information: then every page says whether a"
        " clinician reviewed it and shows a 'Not medical advice' box (false: 'Not professional advice').",
    )
    clinical_review: bool = Field(
        default=False,
        strict=True,
        description="Whether a clinician reviews the claims. On a medical site without one, every"
        " page says 'This is not a clinical review: no clinician has reviewed this site.'",
    )
    review_statement: ShortText | None = Field(
        default=None,
        description="How the reviewers check the claims: a sentence shown after their names on each page.",
    )
    disclaimer: Text | None = Field(
        default=None,
        description="The text of the disclaimer box on every page (default: a general-information"
        " notice, worded for health on a medical site), followed by a link to the full disclaimer.",
    )

    def contributors(self, names: list[str]) -> list[Contributor]:
        """The reviewers named on a page's claims, with their details from site.yml when listed."""
        known = {c.name: c for c in (*self.reviewers, *self.authors)}
        return [known.get(n) or Contributor(name=n, kind="person") for n in dict.fromkeys(names)]
