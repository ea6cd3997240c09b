"""The comparative result of a claim: what was compared with what, in whom, on which
outcome (PICO), and the effect with its interval, size and minimal important difference."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from evidence.content.fields import Count, Number, ShortText, Strict


class Better(StrEnum):
    """Which direction of the outcome is good for the patient."""

    higher = "higher"
    lower = "lower"


class Scale(Strict):
    """The scale a continuous outcome is measured on."""

    name: ShortText = Field(
        description="The scale's name, e.g. 'visual analogue scale' or 'Oswestry Disability Index'."
    )
    low: Number = Field(strict=True, description="The lowest score the scale allows, e.g. 0.")
    high: Number = Field(strict=True, description="The highest score the scale allows, e.g. 100.")
    unit: ShortText = Field(
        default="points", description="What one step of the scale is called, e.g. 'points'."
    )


class Question(Strict):
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


class Group(Strict):
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


class Effect(Strict):
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


class Mid(Strict):
    """The smallest difference patients notice as mattering."""

    value: Number = Field(
        strict=True,
        gt=0,
        description="On the effect's own measure: scale points for an MD, a ratio above 1 for RR/OR/HR "
        "(its inverse counts the other way).",
    )
    set_by: ShortText = Field(description="Who set it (the review, a consensus paper, the guideline).")


class PerThousand(Strict):
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


class Result(Strict):
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
