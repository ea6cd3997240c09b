"""What a claim is (finding, recommendation, definition), a guideline's recommendation, the
primary-source check of a claim read in another document, and the rules tying each kind to
its fields, as the published JSON Schema states them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from evidence.content.fields import (
    QUOTE_MAX_WORDS,
    QUOTE_PATTERN,
    BibKey,
    Review,
    ShortText,
    Strict,
    Text,
    short_quote,
)


class ClaimKind(StrEnum):
    """What a claim is: a finding (the default), a guideline's recommendation, or a
    definition or description, which carries no certainty rating."""

    finding = "finding"
    recommendation = "recommendation"
    definition = "definition"


class Recommendation(Strict):
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


class PrimaryQuote(Strict):
    """A short exact quote from the primary source, where it is, and where it was read."""

    text: Annotated[str, StringConstraints(max_length=400), AfterValidator(short_quote)] = Field(
        description=f"Exact words from the primary source, at most {QUOTE_MAX_WORDS} words.",
        json_schema_extra={"pattern": QUOTE_PATTERN},
    )
    locator: ShortText = Field(description="Where the quote is: section, table, page or paragraph.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=500)] = Field(
        description="The address the source was read at (http or https)."
    )
    accessed: dt.date = Field(description="The date it was read at that address.")


class PrimaryCheck(Strict):
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
