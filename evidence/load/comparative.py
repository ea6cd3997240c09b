"""Rules on comparative results and on primary-source checks, across the fields of one claim.

The model (`results.Result`, `claimkinds.PrimaryCheck`) checks each field's shape, and which kind
of claim must carry which block; these rules need several fields at once and are placed
at the line of the number or field to change: the interval holds the estimate, ratios are
positive, a mean difference names its scale, a verdict other than "confirms" says what
the source says instead and cannot come with a certainty above very low.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from evidence.content.claimkinds import Verdict
from evidence.content.model import CertaintyLevel
from evidence.content.results import Measure, Result
from evidence.core.problems import Problem, error
from evidence.load.certainty import ABOVE_LOW, RESEARCH_KINDS

if TYPE_CHECKING:
    from evidence.load.corpusdata import Corpus
    from evidence.load.loader import LoadedClaim

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "result-interval",
        "result-ratio",
        "result-estimate",
        "result-scale",
        "result-groups",
        "result-mid",
        "result-per-1000",
        "primary-check-incomplete",
        "primary-check-note",
        "primary-check-certainty",
        "primary-check-mismatch",
    }
)

#: Verdicts that say the editors read the primary source.
READ = frozenset({Verdict.confirms, Verdict.qualifies, Verdict.contradicts})


def _g(number: float) -> str:
    return f"{number:g}"


def result_problems(lc: LoadedClaim) -> list[Problem]:
    """The cross-field problems of a claim's `result`, each at its line."""
    result = lc.claim.result
    if result is None:
        return []
    out: list[Problem] = []

    def add(where: tuple[str, ...], message: str, rule: str, hint: str) -> None:
        out.append(error(lc.path, *lc.where("result", *where), message, rule, hint))

    effect, question = result.effect, result.question
    measure = effect.measure
    if measure is Measure.proportions:
        for name in ("intervention_group", "comparator_group"):
            group = getattr(effect, name)
            if group is None:
                add(
                    ("effect", "measure"),
                    f"measure 'proportions' needs effect.{name}",
                    "result-groups",
                    f"add `{name}:` with `percent:`, or `events:` and `total:`",
                )
    elif effect.estimate is None:
        add(
            ("effect", "measure"),
            f"measure '{measure.value}' needs an estimate",
            "result-estimate",
            "add `estimate:` with the number the source gives",
        )
    for name in ("intervention_group", "comparator_group"):
        group = getattr(effect, name)
        if group is None:
            continue
        if group.percent is None and (group.events is None or group.total is None):
            add(
                ("effect", name),
                f"effect.{name} gives neither a percent nor events out of a total",
                "result-groups",
                "add `percent:`, or both `events:` and `total:`",
            )
        if group.total is not None and group.total == 0:
            add(("effect", name, "total"), "a group of 0 people", "result-groups", "write the group's size")
        if group.events is not None and group.total is not None and group.events > group.total:
            add(
                ("effect", name, "events"),
                f"{group.events} events out of {group.total}: more events than people",
                "result-groups",
                "events counts the people with the outcome, at most the total",
            )
    low, high, estimate = effect.ci_low, effect.ci_high, effect.estimate
    if (low is None) != (high is None):
        add(
            ("effect", "ci_low" if low is not None else "ci_high"),
            "a confidence interval needs both ends",
            "result-interval",
            "give `ci_low:` and `ci_high:`, or neither",
        )
    elif low is not None and high is not None:
        if low > high:
            add(
                ("effect", "ci_low"),
                f"interval is reversed: ci_low {_g(low)} is above ci_high {_g(high)}",
                "result-interval",
                "swap the two ends",
            )
        elif estimate is not None and not low <= estimate <= high:
            add(
                ("effect", "estimate"),
                f"estimate {_g(estimate)} lies outside its interval {_g(low)} to {_g(high)}",
                "result-interval",
                "check the numbers against the source: an interval contains its estimate",
            )
    if measure.is_ratio:
        for name in ("estimate", "ci_low", "ci_high"):
            value = getattr(effect, name)
            if value is not None and value <= 0:
                add(
                    ("effect", name),
                    f"a {measure.label} is above 0, not {_g(value)}",
                    "result-ratio",
                    "a ratio of 1 means no difference; check the number, or the measure (MD, RD?)",
                )
    if result.mid is not None:
        if measure.is_ratio and result.mid.value <= 1:
            add(
                ("mid", "value"),
                f"the MID of a {measure.label} is a ratio above 1, not {_g(result.mid.value)}",
                "result-mid",
                "write it as a ratio above 1 (1.25); its inverse (0.8) counts the other way",
            )
        if measure is Measure.proportions:
            add(
                ("mid",),
                "an MID needs an effect measure, not 'proportions'",
                "result-mid",
                "give the effect as RD, RR or OR, or leave the MID out",
            )
    scale = question.scale
    if measure is Measure.md and scale is None:
        add(
            ("question", "outcome"),
            "a mean difference needs the outcome's scale",
            "result-scale",
            "add `scale:` under question with `name:`, `low:` and `high:` (e.g. 0 and 100)",
        )
    if scale is not None:
        span = scale.high - scale.low
        if span <= 0:
            add(
                ("question", "scale", "high"),
                f"scale runs from {_g(scale.low)} to {_g(scale.high)}",
                "result-scale",
                "low is the scale's lowest score, high its highest",
            )
        elif measure is Measure.md:
            for name in ("estimate", "ci_low", "ci_high"):
                value = getattr(effect, name)
                if value is not None and abs(value) > span:
                    add(
                        ("effect", name),
                        f"a difference of {_g(value)} is larger than the whole scale ({_g(span)})",
                        "result-scale",
                        "check the number and the scale's range",
                    )
            if result.mid is not None and result.mid.value > span:
                add(
                    ("mid", "value"),
                    f"MID {_g(result.mid.value)} is larger than the whole scale ({_g(span)})",
                    "result-mid",
                    "check the MID and the scale's range",
                )
            if effect.comparator_mean is not None and not scale.low <= effect.comparator_mean <= scale.high:
                add(
                    ("effect", "comparator_mean"),
                    f"comparator mean {_g(effect.comparator_mean)} is off the scale",
                    "result-scale",
                    "check it against the scale's range",
                )
    per = result.per_1000
    if per is not None and per.low is not None and per.high is not None:
        if not per.low <= per.intervention <= per.high:
            add(
                ("per_1000", "intervention"),
                f"{_g(per.intervention)} per 1,000 lies outside its interval {_g(per.low)} to {_g(per.high)}",
                "result-per-1000",
                "check the numbers against the source",
            )
    elif per is not None and (per.low is None) != (per.high is None):
        add(
            ("per_1000",),
            "an interval per 1,000 needs both ends",
            "result-per-1000",
            "give `low:` and `high:`",
        )
    return out


def check_problems(lc: LoadedClaim) -> list[Problem]:
    """The problems of an article claim's `primary_check`, each at its line."""
    claim = lc.claim
    check = claim.primary_check
    if check is None:
        return []
    out: list[Problem] = []

    def add(where: tuple[str, ...], message: str, rule: str, hint: str) -> None:
        out.append(error(lc.path, *lc.where(*where), message, rule, hint))

    verdict = check.verdict
    at = ("primary_check", "verdict")
    if verdict is Verdict.not_yet_checked:
        for name in ("primary", "quote", "checked"):
            if getattr(check, name) is not None:
                add(
                    ("primary_check", name),
                    f"verdict 'not-yet-checked' with a '{name}'",
                    "primary-check-incomplete",
                    "set the verdict you reached, or delete the field",
                )
    else:
        needed = ("primary", "quote", "checked") if verdict in READ else ("checked",)
        for name in needed:
            if getattr(check, name) is None:
                add(
                    at,
                    f"verdict '{verdict.value}' needs primary_check.{name}",
                    "primary-check-incomplete",
                    _NEEDED[name],
                )
        if verdict is not Verdict.confirms and check.note is None:
            add(
                at,
                f"verdict '{verdict.value}' needs a note saying what you found",
                "primary-check-note",
                "add `note:` in plain words: what the source says instead, or where you looked",
            )
    if verdict is not Verdict.confirms and claim.certainty is not None:
        level = claim.certainty.level
        # above low on research not read, or on no research: certainty.py reports it already
        said = level in ABOVE_LOW and (
            claim.evidence.kind not in RESEARCH_KINDS or not claim.evidence.primary_checked
        )
        if level is not CertaintyLevel.very_low and not said:
            add(
                ("certainty", "level"),
                f"certainty '{level.value}' but the primary check's verdict is '{verdict.value}'",
                "primary-check-certainty",
                "an article's claim its source does not confirm is rated very-low; set `level: very-low`",
            )
    read = verdict in READ
    if claim.evidence.primary_checked != read:
        add(
            ("evidence", "primary_checked"),
            f"primary_checked is {str(claim.evidence.primary_checked).lower()} but the verdict is "
            f"'{verdict.value}'",
            "primary-check-mismatch",
            f"set `primary_checked: {str(read).lower()}` (true when the verdict is confirms, qualifies "
            "or contradicts)",
        )
    return out


_NEEDED = {
    "primary": "add `primary:` with the references.bib key of the source you read",
    "quote": "add `quote:` with `text:` (at most 30 words), `locator:`, `url:` and `accessed:`",
    "checked": "add `checked:` with `date:` and `by:`",
}


def comparative_rules(corpus: Corpus) -> list[Problem]:
    """Every loaded claim's result and primary-check problems (called from checks.corpus_rules)."""
    problems: list[Problem] = []
    for _, lc in sorted(corpus.loaded.items()):
        problems += result_problems(lc)
        problems += check_problems(lc)
    return problems


def is_comparative(result: Result | None) -> bool:
    """Whether a result has the numbers a summary-of-findings row and a plot need."""
    if result is None:
        return False
    effect = result.effect
    if effect.measure is Measure.proportions:
        return effect.intervention_group is not None and effect.comparator_group is not None
    return effect.estimate is not None
