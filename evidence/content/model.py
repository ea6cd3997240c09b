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


class Claim(_Strict):
    """One statement, the statistic it carries and where it comes from."""

    id: ClaimId = Field(description="Same as the file name without '.yml'. Never changes.")
    topic: ClaimId = Field(description="A topic id from content/topics.yml.")
    title: ShortText = Field(description="A short headline for the claim card.")
    statement: Text = Field(description="The claim in our own words (paraphrase, never copy).")
    statistic: Statistic | None = Field(default=None, description="The number the claim carries.")
    source: BibKey = Field(description="Key in references.bib of the work the claim comes from.")
    reported_in: BibKey | None = Field(
        default=None,
        description="Key of the document where we read it, when that is not the source itself.",
    )
    quote: Quote = Field(description="A short exact quote backing the claim.")
    evidence: Evidence
    certainty: Certainty = Field(description="How certain the claim is, with reasons (GRADE).")
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

    @property
    def active(self) -> bool:
        return self.status == "active"

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
