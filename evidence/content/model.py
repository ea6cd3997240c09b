"""The claim schema: the one source of truth for validation and the published JSON Schema.

Everything a contributor may write in a claim file is declared here, with the shared field
types in `fields.py`, the comparative result in `results.py` and what each kind of claim
carries in `claimkinds.py`. The validator (`loader.py`) validates against these models, and
`schema.py` derives the JSON Schema that editors use from the same models, so the two
cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator

from evidence.content.claimkinds import KIND_RULES, ClaimKind, PrimaryCheck, Recommendation, Verdict
from evidence.content.fields import (
    QUOTE_MAX_WORDS,
    QUOTE_PATTERN,
    BibKey,
    ClaimId,
    Number,
    Review,
    ShortText,
    Strict,
    Text,
    short_quote,
)
from evidence.content.results import Result


class EvidenceKind(StrEnum):
    """How strong the evidence is, roughly strongest first."""

    systematic_review = "systematic-review"
    randomized_trial = "randomized-trial"
    cohort_study = "cohort-study"
    guideline = "guideline"
    survey = "survey"
    institutional_statement = "institutional-statement"
    expert_opinion = "expert-opinion"
    narrative_article = "narrative-article"

    @property
    def label(self) -> str:
        if self is EvidenceKind.institutional_statement:  # plain words, not the jargon
            return "Study, design not stated"
        return self.value.replace("-", " ").capitalize()

    @property
    def plain(self) -> str:
        """What the kind means, in words a patient reads without the Methodology page."""
        return _KIND_PLAIN[self]


_KIND_PLAIN = {
    EvidenceKind.systematic_review: "a systematic review of studies",
    EvidenceKind.randomized_trial: "a randomized trial",
    EvidenceKind.cohort_study: "a cohort study",
    EvidenceKind.guideline: "a clinical guideline's recommendation",
    EvidenceKind.survey: "a survey",
    EvidenceKind.institutional_statement: "a study or statement whose design is not described",
    EvidenceKind.expert_opinion: "one expert's opinion",
    EvidenceKind.narrative_article: "the article's own view, not research",
}


class Unit(StrEnum):
    percent = "percent"
    ratio = "ratio"
    count = "count"
    weeks = "weeks"
    months = "months"
    years = "years"


class Statistic(Strict):
    """A number exactly as the source words it, and what it applies to."""

    as_stated: ShortText = Field(
        description="The number exactly as the source words it, e.g. '37 percent' or '1 in 3'."
    )
    value: Number | None = Field(
        default=None, strict=True, description="The number itself, when it is a single value."
    )
    low: Number | None = Field(
        default=None, strict=True, description="Lower end, when the source gives a range."
    )
    high: Number | None = Field(
        default=None, strict=True, description="Upper end, when the source gives a range."
    )
    unit: Unit = Field(description="What the number counts.")
    population: ShortText = Field(description="Who or what the number applies to (population, setting).")
    year: int | None = Field(
        default=None, ge=1900, le=2100, strict=True, description="Year the figure refers to, when stated."
    )

    @model_validator(mode="after")
    def _value_or_range(self) -> Statistic:
        has_range = self.low is not None or self.high is not None
        if self.value is None and not has_range:
            raise ValueError("give either 'value' or both 'low' and 'high'")
        if self.value is not None and has_range:
            raise ValueError("give either 'value' or 'low'/'high', not both")
        if has_range and (self.low is None or self.high is None):
            raise ValueError("a range needs both 'low' and 'high'")
        if has_range and self.low > self.high:  # type: ignore[operator]
            raise ValueError(f"range is reversed: low {self.low:g} is above high {self.high:g}")
        if self.unit is Unit.percent:
            for number in (self.value, self.low, self.high):
                if number is not None and not 0 <= number <= 100:
                    raise ValueError(f"a percentage must be between 0 and 100, not {number:g}")
        return self

    @property
    def display(self) -> str:
        """The number as we show it large on a card: the source's own wording."""
        return self.as_stated


class Quote(Strict):
    """A short exact quote from the document we read, with where to find it."""

    text: Annotated[str, StringConstraints(max_length=400), AfterValidator(short_quote)] = Field(
        description=f"Exact words from the document, at most {QUOTE_MAX_WORDS} words.",
        json_schema_extra={"pattern": QUOTE_PATTERN},
    )
    locator: ShortText = Field(description="Where the quote is: section heading, paragraph or timestamp.")


class Evidence(Strict):
    kind: EvidenceKind = Field(description="The kind of evidence behind the claim.")
    primary_checked: bool = Field(
        strict=True, description="Whether an editor read the primary source itself (not only a report of it)."
    )


class CertaintyLevel(StrEnum):
    """GRADE's four levels of certainty, for the evidence behind one statement."""

    high = "high"
    moderate = "moderate"
    low = "low"
    very_low = "very-low"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()

    @property
    def step(self) -> int:
        """1 (very low) to 4 (high): the card's four-step scale."""
        return 4 - list(CertaintyLevel).index(self)

    @property
    def meaning(self) -> str:
        """GRADE's plain-language reading of the level, for the card."""
        return _CERTAINTY_MEANING[self]


_CERTAINTY_MEANING = {
    CertaintyLevel.high: "We are very confident about this: better research is unlikely to change it.",
    CertaintyLevel.moderate: "We are fairly confident about this, but better research could change it.",
    CertaintyLevel.low: "We are not confident about this: better research may well show something different.",
    CertaintyLevel.very_low: "We are very uncertain about this: the truth may be quite different.",
}


class CertaintyDomain(StrEnum):
    """GRADE's reasons to rate down or up, and `not-research` for opinion or advice."""

    risk_of_bias = "risk-of-bias"
    inconsistency = "inconsistency"
    indirectness = "indirectness"
    imprecision = "imprecision"
    publication_bias = "publication-bias"
    large_effect = "large-effect"
    dose_response = "dose-response"
    plausible_confounding = "plausible-confounding"
    not_research = "not-research"

    @property
    def label(self) -> str:
        """The domain's name as a reader sees it ("Risk of bias")."""
        return self.value.replace("-", " ").capitalize()

    @property
    def plain(self) -> str:
        """What the domain means, in one plain sentence (the card's tooltip and glossary)."""
        return _DOMAIN_PLAIN[self]


_DOMAIN_PLAIN = {
    CertaintyDomain.risk_of_bias: "Flaws in how the studies were done could have skewed their results.",
    CertaintyDomain.inconsistency: "The studies found different things, and the reason is not clear.",
    CertaintyDomain.indirectness: (
        "The studies looked at other people, treatments or outcomes than those asked about."
    ),
    CertaintyDomain.imprecision: "Few people were studied: the true effect could be much bigger or smaller.",
    CertaintyDomain.publication_bias: "Studies with disappointing results may not have been published.",
    CertaintyDomain.large_effect: "The effect is so large that bias alone is unlikely to explain it.",
    CertaintyDomain.dose_response: "More of the treatment or exposure went with a bigger effect.",
    CertaintyDomain.plausible_confounding: (
        "Other differences between the groups would have made the effect look smaller, not bigger."
    ),
    CertaintyDomain.not_research: "It is an opinion, advice or a description, not the result of research.",
}


class CertaintyReason(Strict):
    domain: CertaintyDomain = Field(description="Which GRADE reason (or not-research).")
    note: ShortText = Field(description="Why, for this claim, in plain words.")


class Certainty(Strict):
    """How sure a reader can be of this one statement, and why (rules in certainty.py)."""

    level: CertaintyLevel = Field(description="high, moderate, low or very-low (GRADE).")
    reasons: list[CertaintyReason] = Field(
        default_factory=list, description="Why the level is what it is; needed below high."
    )


class Retirement(Strict):
    reason: Text = Field(description="Why the claim no longer stands.")
    date: dt.date = Field(description="When it was retired.")
    superseded_by: ClaimId | None = Field(
        default=None, description="Id of the claim that replaces it, if any."
    )


class Claim(Strict):
    """One statement, the statistic it carries and where it comes from."""

    model_config = ConfigDict(**Strict.model_config, json_schema_extra={"allOf": KIND_RULES})

    id: ClaimId = Field(description="Same as the file name without '.yml'. Never changes.")
    topic: ClaimId = Field(description="A topic id from content/topics.yml.")
    kind: ClaimKind = Field(
        default=ClaimKind.finding,
        description="finding (default), recommendation (a guideline's advice) or definition (no certainty).",
    )
    title: ShortText = Field(description="A short headline for the claim card.")
    statement: Text = Field(description="The claim in our own words (paraphrase, never copy).")
    statistic: Statistic | None = Field(default=None, description="The number the claim carries.")
    result: Result | None = Field(
        default=None, description="A comparative result: question, effect with its interval, size, MID."
    )
    recommendation: Recommendation | None = Field(
        default=None,
        description="Required when kind is recommendation: the guideline's body, year, strength.",
    )
    source: BibKey = Field(description="Key in references.bib of the work the claim comes from.")
    reported_in: BibKey | None = Field(
        default=None,
        description="Key of the document where we read it, when that is not the source itself.",
    )
    quote: Quote = Field(description="A short exact quote backing the claim.")
    evidence: Evidence
    certainty: Certainty | None = Field(
        default=None,
        description="How certain the claim is, with reasons (GRADE). Required for a finding; "
        "a recommendation or definition has none.",
    )
    primary_check: PrimaryCheck | None = Field(
        default=None,
        description="Required with reported_in: what the editors found in the source the article cites.",
    )
    caveats: list[Text] = Field(default_factory=list, description="Limits a reader should know.")
    reviewed: Review
    status: Literal["active", "retired"] = Field(
        default="active", description="'retired' claims keep their page but leave topic lists."
    )
    retired: Retirement | None = Field(default=None, description="Required when status is 'retired'.")

    @model_validator(mode="after")
    def _retirement_matches_status(self) -> Claim:
        if self.status == "retired" and self.retired is None:
            raise ValueError("a retired claim needs a 'retired' block with reason and date")
        if self.status == "active" and self.retired is not None:
            raise ValueError("'retired' is set but status is 'active'; set status: retired")
        if self.reported_in is not None and self.reported_in == self.source:
            raise ValueError("'reported_in' equals 'source'; leave reported_in out")
        return self

    @model_validator(mode="after")
    def _kind_has_its_fields(self) -> Claim:
        """What each kind must and may not carry (the JSON Schema's `allOf`, `KIND_RULES`)."""
        kind = self.kind
        if kind is ClaimKind.finding and self.certainty is None:
            raise ValueError("a finding needs a 'certainty' block (level and reasons)")
        if kind is not ClaimKind.finding and self.certainty is not None:
            raise ValueError(f"a {kind.value} carries no 'certainty': GRADE rates findings only")
        if kind is ClaimKind.recommendation and self.recommendation is None:
            raise ValueError(
                "a recommendation needs a 'recommendation' block (body, year, direction, strength)"
            )
        if kind is not ClaimKind.recommendation and self.recommendation is not None:
            raise ValueError("'recommendation' is set but kind is not recommendation")
        if kind is ClaimKind.definition and self.result is not None:
            raise ValueError("a definition carries no 'result': make it a finding")
        if self.reported_in is not None and self.primary_check is None:
            raise ValueError("a claim read in another document ('reported_in') needs a 'primary_check'")
        if self.reported_in is None and self.primary_check is not None:
            raise ValueError("'primary_check' is set but there is no 'reported_in'")
        return self

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def rated(self) -> bool:
        """Whether the claim carries a GRADE certainty (definitions and recommendations do not)."""
        return self.certainty is not None

    @property
    def verdict(self) -> Verdict | None:
        """The primary-source verdict of an article's claim; None when read in the source itself."""
        if self.reported_in is None:
            return None
        return self.primary_check.verdict if self.primary_check else Verdict.not_yet_checked

    @property
    def keys(self) -> tuple[str, ...]:
        """Reference keys the claim cites, source first."""
        return (self.source,) if self.reported_in is None else (self.source, self.reported_in)


class Topic(Strict):
    id: ClaimId
    title: ShortText
    description: Text
    page: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+\.md$")] = Field(
        description="The page in docs/ that lists this topic's claims."
    )


class Topics(Strict):
    topics: list[Topic]


def flat_fields(claim: Claim, sep: str = ".") -> dict[str, object]:
    """A claim as flat named fields in schema order (statistic.value, or statistic_value
    with sep="_"), absent optional fields left out: what diffs and CSV columns compare."""

    def walk(data: dict[str, object], prefix: str) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in data.items():
            if isinstance(value, dict):
                out.update(walk(value, f"{prefix}{key}{sep}"))
            elif value is not None:
                out[prefix + key] = value
        return out

    return walk(claim.model_dump(mode="json"), "")
