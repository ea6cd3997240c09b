"""The claim schema: the one source of truth for validation and the published JSON Schema.

Everything a contributor may write in a claim file is declared here. The validator
(`loader.py`) validates against these models, and `schema.py` derives the JSON
Schema that editors use from the same models, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from evidence.core.textpolicy import BLANK_LOOKALIKES, visible_words

#: Claim ids: lowercase ASCII letters, digits and single hyphens (they become URLs).
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: BibTeX keys as written (`westfahl:space`, `baez/article`): what BibTeX and biber read as
#: a key, less what breaks YAML or a BibTeX field. Links use `evidence.bib.keys.anchor`.
KEY_PATTERN = r"^[^\s,{}()\\" + '"' + r"#%'=]+$"
#: At most 30 words as a reader counts them (textpolicy.visible_words), so quotes stay
#: short (fair use, and honest).
QUOTE_MAX_WORDS = 30
#: No statistic a claim carries is this large; bigger is a typo or an attack (10**400 is inf).
MAX_MAGNITUDE = 1e15
_BLANKS = "".join(f"\\u{ord(ch):04x}" for ch in BLANK_LOOKALIKES)  # escaped: same in Python and JS
_GAP = rf"[\s{_BLANKS}]"
#: The word limit for editors (JSON Schema); the model counts with `visible_words`.
QUOTE_PATTERN = rf"^{_GAP}*[^{_GAP[1:-1]}]+({_GAP}+[^{_GAP[1:-1]}]+){{0,{QUOTE_MAX_WORDS - 1}}}{_GAP}*$"


def _finite(number: object) -> object:
    """Refuse inf, NaN and absurd magnitudes before the number is used: JSON has no Infinity,
    and no claim needs 1e300 (a 310-digit integer becomes inf as a float)."""
    if isinstance(number, bool) or not isinstance(number, int | float):
        return number  # the field's own type check names what is wrong
    try:
        size = abs(float(number))
    except OverflowError:
        size = math.inf
    if not size <= MAX_MAGNITUDE:  # NaN compares false
        if isinstance(number, int):
            digits = len(str(abs(number))) if number.bit_length() < 10_000 else "thousands of"
            shown = f"a number of {digits} digits"
        else:
            shown = f"{number:g}" if math.isfinite(number) else f"{number}"
        raise PydanticCustomError(
            "number_out_of_range",
            "{shown} is out of range: a statistic lies between -{limit} and {limit}",
            {"shown": shown, "limit": f"{MAX_MAGNITUDE:g}"},
        )
    return number


def _short_quote(text: str) -> str:
    """Count words as a reader sees them: a quote joined with blank look-alikes is many words."""
    words = visible_words(text)
    if words == 0:
        raise PydanticCustomError("string_too_short", "quote has no words")
    if words > QUOTE_MAX_WORDS:
        raise PydanticCustomError(
            "quote_too_long",
            "quote has {words} words; the limit is {limit}",
            {"words": words, "limit": QUOTE_MAX_WORDS},
        )
    return text


ClaimId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Number = Annotated[float, BeforeValidator(_finite)]
BibKey = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]


class _Strict(BaseModel):
    """Unknown fields are errors: a typo must never silently drop data."""

    # defer_build: validators are built when first needed; a warm build reads cached claims
    # and validates none, so it never pays for (or holds) them
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


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


class Statistic(_Strict):
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


class Quote(_Strict):
    """A short exact quote from the document we read, with where to find it."""

    text: Annotated[str, StringConstraints(max_length=400), AfterValidator(_short_quote)] = Field(
        description=f"Exact words from the document, at most {QUOTE_MAX_WORDS} words.",
        json_schema_extra={"pattern": QUOTE_PATTERN},
    )
    locator: ShortText = Field(description="Where the quote is: section heading, paragraph or timestamp.")


class Evidence(_Strict):
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


class CertaintyReason(_Strict):
    domain: CertaintyDomain = Field(description="Which GRADE reason (or not-research).")
    note: ShortText = Field(description="Why, for this claim, in plain words.")


class Certainty(_Strict):
    """How sure a reader can be of this one statement, and why (rules in certainty.py)."""

    level: CertaintyLevel = Field(description="high, moderate, low or very-low (GRADE).")
    reasons: list[CertaintyReason] = Field(
        default_factory=list, description="Why the level is what it is; needed below high."
    )


class Review(_Strict):
    date: dt.date = Field(description="When an editor last checked this claim against its sources.")
    by: ShortText = Field(description="Who reviewed it.")


class Retirement(_Strict):
    reason: Text = Field(description="Why the claim no longer stands.")
    date: dt.date = Field(description="When it was retired.")
    superseded_by: ClaimId | None = Field(
        default=None, description="Id of the claim that replaces it, if any."
    )


class ClaimKind(StrEnum):
    """What a claim is: a finding (the default), a guideline's recommendation, or a
    definition or description, which carries no certainty rating."""

    finding = "finding"
    recommendation = "recommendation"
    definition = "definition"


class Better(StrEnum):
    """Which direction of the outcome is good for the patient."""

    higher = "higher"
    lower = "lower"


class Scale(_Strict):
    """The scale a continuous outcome is measured on."""

    name: ShortText = Field(
        description="The scale's name, e.g. 'visual analogue scale' or 'Oswestry Disability Index'."
    )
    low: Number = Field(strict=True, description="The lowest score the scale allows, e.g. 0.")
    high: Number = Field(strict=True, description="The highest score the scale allows, e.g. 100.")
    unit: ShortText = Field(
        default="points", description="What one step of the scale is called, e.g. 'points'."
    )


class Question(_Strict):
    """What was compared with what, in whom, on which outcome (PICO), and when."""

    population: ShortText = Field(description="Who was studied: the population or condition.")
    intervention: ShortText = Field(description="The treatment tested, e.g. 'exercise therapy'.")
    comparator: ShortText = Field(description="What it was compared with, e.g. 'usual care'.")
    outcome: ShortText = Field(description="What was measured, e.g. 'pain'.")
    better: Better = Field(
        description="Which direction is better for patients on this outcome: 'higher' (e.g. function) "
        "or 'lower' (e.g. pain, relapse)."
    )
    scale: Scale | None = Field(
        default=None,
        description="The scale a continuous outcome is measured on (needed for a mean difference).",
    )
    time_point: ShortText | None = Field(
        default=None, description="When the outcome was measured, e.g. '12 weeks' or 'up to 3 months'."
    )


class Measure(StrEnum):
    """How the effect is expressed: differences (MD, SMD, RD), ratios (RR, OR, HR), or the
    proportion in each group."""

    md = "MD"
    smd = "SMD"
    rd = "RD"
    rr = "RR"
    odds_ratio = "OR"
    hr = "HR"
    proportions = "proportions"

    @property
    def label(self) -> str:
        return _MEASURE_LABEL[self]

    @property
    def is_ratio(self) -> bool:
        return self in (Measure.rr, Measure.odds_ratio, Measure.hr)

    @property
    def null(self) -> float:
        """The value of no effect: 1 for a ratio, 0 for a difference."""
        return 1.0 if self.is_ratio else 0.0


_MEASURE_LABEL = {
    Measure.md: "mean difference",
    Measure.smd: "standardized mean difference",
    Measure.rd: "risk difference",
    Measure.rr: "risk ratio",
    Measure.odds_ratio: "odds ratio",
    Measure.hr: "hazard ratio",
    Measure.proportions: "proportion in each group",
}

Count = Annotated[int, Field(ge=0, le=100_000_000, strict=True)]


class Group(_Strict):
    """One group's result: events out of a total, and/or the percentage."""

    events: Count | None = Field(
        default=None, description="How many in the group had the outcome (whole number)."
    )
    total: Count | None = Field(default=None, description="How many were in the group (whole number).")
    percent: Number | None = Field(
        default=None,
        strict=True,
        ge=0,
        le=100,
        description="The percentage with the outcome, as the source gives it.",
    )


class Effect(_Strict):
    """The size of the effect and how uncertain it is. A difference is intervention minus
    comparator; a ratio is intervention over comparator."""

    measure: Measure = Field(description="MD, SMD, RD, RR, OR, HR or proportions.")
    estimate: Number | None = Field(
        default=None, strict=True, description="The point estimate (not needed for 'proportions')."
    )
    ci_low: Number | None = Field(
        default=None, strict=True, description="Lower end of the confidence interval."
    )
    ci_high: Number | None = Field(
        default=None, strict=True, description="Upper end of the confidence interval."
    )
    ci_level: Number = Field(
        default=95, strict=True, gt=50, lt=100, description="The interval's level in percent, usually 95."
    )
    comparator_mean: Number | None = Field(
        default=None, strict=True, description="The comparator group's mean score, when the source gives it."
    )
    intervention_group: Group | None = Field(default=None, description="The intervention group's result.")
    comparator_group: Group | None = Field(default=None, description="The comparator group's result.")


class Mid(_Strict):
    """The smallest difference patients notice as mattering."""

    value: Number = Field(
        strict=True,
        gt=0,
        description="On the effect's own measure: scale points for an MD, a ratio above 1 for RR/OR/HR "
        "(its inverse counts the other way).",
    )
    set_by: ShortText = Field(description="Who set it (the review, a consensus paper, the guideline).")


class PerThousand(_Strict):
    """The absolute effect per 1,000 people, where the source gives it."""

    comparator: Number = Field(strict=True, ge=0, le=1000, description="Per 1,000 with the comparator.")
    intervention: Number = Field(strict=True, ge=0, le=1000, description="Per 1,000 with the intervention.")
    low: Number | None = Field(
        default=None,
        strict=True,
        ge=0,
        le=1000,
        description="Lower end of the interval, per 1,000 with the intervention.",
    )
    high: Number | None = Field(
        default=None,
        strict=True,
        ge=0,
        le=1000,
        description="Upper end of the interval, per 1,000 with the intervention.",
    )


class Result(_Strict):
    """A comparative result: what a trial or review found when it compared two options."""

    question: Question
    effect: Effect
    participants: Count | None = Field(
        default=None, description="How many people the result rests on (whole number)."
    )
    studies: Count | None = Field(
        default=None, description="How many studies it rests on (whole number; 1 for a trial)."
    )
    mid: Mid | None = Field(
        default=None, description="The minimal important difference, when the source states one."
    )
    per_1000: PerThousand | None = Field(
        default=None, description="The absolute effect per 1,000, where the source gives it."
    )


class Recommendation(_Strict):
    """A guideline's recommendation, in its own terms."""

    body: ShortText = Field(description="Who issued it, e.g. 'NICE' or 'American College of Physicians'.")
    year: int = Field(
        ge=1900, le=2100, strict=True, description="The year the guideline was issued or last updated."
    )
    direction: Literal["for", "against"] = Field(
        description="Whether it recommends for or against the option."
    )
    strength: ShortText = Field(
        description="The strength as the body words it, e.g. 'strong', 'conditional', 'consider'."
    )
    certainty: ShortText | None = Field(
        default=None,
        description="The certainty of evidence as the guideline grades it, e.g. 'moderate-quality evidence'.",
    )


class Verdict(StrEnum):
    """What the editors found when they read the primary source an article cites."""

    confirms = "confirms"
    qualifies = "qualifies"
    contradicts = "contradicts"
    not_found = "not-found"
    not_yet_checked = "not-yet-checked"

    @property
    def plain(self) -> str:
        """The verdict in plain words, for the card, the claim page and the table."""
        return _VERDICT_PLAIN[self]


_VERDICT_PLAIN = {
    Verdict.confirms: "We read the source the article cites: it says the same.",
    Verdict.qualifies: "We read the source the article cites: it says something narrower.",
    Verdict.contradicts: "We read the source the article cites: it does not support this.",
    Verdict.not_found: "We looked for the source the article cites and could not find it.",
    Verdict.not_yet_checked: "We have not yet read the source the article cites.",
}


class PrimaryQuote(_Strict):
    """A short exact quote from the primary source, where it is, and where it was read."""

    text: Annotated[str, StringConstraints(max_length=400), AfterValidator(_short_quote)] = Field(
        description=f"Exact words from the primary source, at most {QUOTE_MAX_WORDS} words.",
        json_schema_extra={"pattern": QUOTE_PATTERN},
    )
    locator: ShortText = Field(description="Where the quote is: section, table, page or paragraph.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=500)] = Field(
        description="The address the source was read at (http or https)."
    )
    accessed: dt.date = Field(description="The date it was read at that address.")


class PrimaryCheck(_Strict):
    """The editors' check of the source a `reported_in` article names."""

    verdict: Verdict = Field(description="confirms, qualifies, contradicts, not-found or not-yet-checked.")
    primary: BibKey | None = Field(
        default=None, description="Key in references.bib of the primary source read."
    )
    quote: PrimaryQuote | None = Field(
        default=None, description="A short exact quote from it, with locator, url and date."
    )
    note: Text | None = Field(
        default=None,
        description="What the primary source says instead (needed unless the verdict is confirms).",
    )
    checked: Review | None = Field(default=None, description="Who read it, and when.")


def _has(field: str, value: str) -> dict[str, object]:
    return {"properties": {field: {"const": value}}, "required": [field]}


def _absent(field: str) -> dict[str, object]:
    """Left out or null (the downloads write every field, null when empty)."""
    return {"properties": {field: {"type": "null"}}}


def _present(field: str) -> dict[str, object]:
    return {"properties": {field: {"type": "object"}}, "required": [field]}


#: The kind rules of `Claim._kind_has_its_fields`, for editors (the published JSON Schema).
KIND_RULES: list[dict[str, object]] = [
    {
        "if": {"properties": {"kind": {"enum": ["recommendation", "definition"]}}, "required": ["kind"]},
        "then": _absent("certainty"),
        "else": _present("certainty"),
    },
    {
        "if": _has("kind", "recommendation"),
        "then": _present("recommendation"),
        "else": _absent("recommendation"),
    },
    {"if": _has("kind", "definition"), "then": _absent("result")},
    {
        "if": {"properties": {"reported_in": {"type": "string"}}, "required": ["reported_in"]},
        "then": _present("primary_check"),
        "else": _absent("primary_check"),
    },
]


class Claim(_Strict):
    """One statement, the statistic it carries and where it comes from."""

    model_config = ConfigDict(**_Strict.model_config, json_schema_extra={"allOf": KIND_RULES})

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


class Topic(_Strict):
    id: ClaimId
    title: ShortText
    description: Text
    page: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+\.md$")] = Field(
        description="The page in docs/ that lists this topic's claims."
    )


class Topics(_Strict):
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
