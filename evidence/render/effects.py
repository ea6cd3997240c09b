"""Comparative results in words (the effect plot's geometry is effectplot.py's).

A difference is intervention minus comparator, a ratio intervention over comparator; the
outcome's `better` says which side is good for patients, so every number is also said as
"better" or "worse".
"""

from __future__ import annotations

import math

from evidence.content.results import Better, Measure, Result


def num(value: float) -> str:
    """A number as a reader writes it: no trailing zeros, a real minus sign."""
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if "e" in text:
        text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


def _mag(value: float) -> str:
    return num(abs(value))


def subject(result: Result) -> str:
    """Which side is which, in words: the plot's and table's "favours" labels."""
    return result.question.intervention


def favours(result: Result) -> tuple[str, str]:
    """(left label, right label) of the plot: lower values favour the intervention when lower
    is better, else the comparator."""
    q = result.question
    left, right = f"Favours {q.intervention}", f"Favours {q.comparator}"
    return (left, right) if q.better is Better.lower else (right, left)


def _benefit(result: Result, value: float) -> float:
    """How much better for patients `value` is, on an additive scale (log for ratios):
    positive is better, 0 is no difference."""
    measure = result.effect.measure
    v = math.log(value) if measure.is_ratio else value
    return -v if result.question.better is Better.lower else v


def _unit(result: Result, value: float) -> str:
    measure = result.effect.measure
    if measure is Measure.md:
        unit = result.question.scale.unit if result.question.scale else "points"
        return f"{_mag(value)} {unit}"
    if measure is Measure.smd:
        return f"{_mag(value)} standard deviations"
    if measure is Measure.rd:
        return _mag(value)
    return _mag(value)


def _side(result: Result, value: float) -> str:
    b = _benefit(result, value)
    return "better" if b > 0 else "worse" if b < 0 else "no different"


def scale_words(result: Result) -> str:
    scale = result.question.scale
    if scale is None:
        return ""
    return f"on a {num(scale.low)}–{num(scale.high)} scale ({scale.name})"


def outcome_note(result: Result) -> str:
    """The outcome's scale, direction and time point, in brackets after its name."""
    q = result.question
    parts = []
    if q.scale is not None:
        parts.append(f"{q.scale.name}, {num(q.scale.low)}–{num(q.scale.high)}")
    parts.append(f"{q.better.value} is better")
    if q.time_point:
        parts.append(f"at {q.time_point}")
    return "(" + "; ".join(parts) + ")"


def difference(result: Result) -> str:
    """The difference and its interval in words and numbers, e.g. "15 points better (12 to
    18 better) on a 0–100 scale"; for a ratio, the measure, its interval and per 1,000."""
    e = result.effect
    level = f"{num(e.ci_level)}% CI"
    if e.measure is Measure.proportions:
        i, c = e.intervention_group, e.comparator_group
        return (
            f"{_group(i)} with {result.question.intervention}, {_group(c)} with {result.question.comparator}"
        )
    assert e.estimate is not None
    if e.measure.is_ratio:
        text = f"{e.measure.value} {num(e.estimate)}"
        if e.ci_low is not None and e.ci_high is not None:
            text += f" ({level} {num(e.ci_low)} to {num(e.ci_high)})"
        text += f": {_side(result, e.estimate)} with {result.question.intervention}"
        per = result.per_1000
        if per is not None:
            text += f"; {_per_1000(per.intervention - per.comparator)} per 1,000"
            if per.low is not None and per.high is not None:
                text += f" ({_per_1000(per.low - per.comparator)} to {_per_1000(per.high - per.comparator)})"
        return text
    text = f"{_unit(result, e.estimate)} {_side(result, e.estimate)}" if e.estimate else "no difference"
    if e.ci_low is not None and e.ci_high is not None:
        ends = sorted((e.ci_low, e.ci_high), key=lambda v: -_benefit(result, v))
        sides = [_side(result, v) for v in ends]
        if sides[0] == sides[1]:
            nums = sorted((abs(ends[0]), abs(ends[1])))
            text += f" ({num(nums[0])} to {num(nums[1])} {sides[0]}; {level})"
        else:
            text += f" ({_mag(ends[0])} {sides[0]} to {_mag(ends[1])} {sides[1]}; {level})"
    scale = scale_words(result)
    return f"{text} {scale}" if scale else text


def _group(group: object) -> str:
    percent = getattr(group, "percent", None)
    events, total = getattr(group, "events", None), getattr(group, "total", None)
    if percent is not None:
        text = f"{num(percent)}%"
        return f"{text} ({events} of {total})" if events is not None and total is not None else text
    return f"{events} of {total}"


def _per_1000(delta: float) -> str:
    return f"{num(abs(delta))} {'more' if delta > 0 else 'fewer'}" if delta else "no difference"


def comparator_result(result: Result) -> str | None:
    """The comparator group's result, the first of Cochrane's absolute-effect columns
    (None: the source gives none)."""
    e = result.effect
    if result.per_1000 is not None:
        return f"{num(result.per_1000.comparator)} per 1,000"
    if e.comparator_group is not None:
        return _group(e.comparator_group)
    if e.comparator_mean is not None:
        unit = result.question.scale.unit if result.question.scale else ""
        return f"mean {num(e.comparator_mean)} {unit}".strip()
    return None


def meaning(result: Result) -> str:
    """What this means: whether the difference reaches the minimal important difference."""
    e = result.effect
    if e.estimate is None:
        return "The source gives no effect estimate for the difference."
    best = _benefit(result, e.estimate)
    has_ci = e.ci_low is not None and e.ci_high is not None
    ends = sorted(_benefit(result, v) for v in (e.ci_low, e.ci_high)) if has_ci else [best, best]
    crosses = has_ci and ends[0] < 0 < ends[1]
    mid = result.mid
    if mid is None:
        if not has_ci:
            return "No minimal important difference was given, and no interval."
        if crosses:
            return "The interval includes no difference; no minimal important difference was given."
        side = "better" if best > 0 else "worse"
        return (
            f"The whole interval is {side}; no minimal important difference was given, "
            "so whether it matters is unclear."
        )
    m = math.log(mid.value) if e.measure.is_ratio else mid.value
    said = f"the minimal important difference ({mid_words(result)}, set by {mid.set_by})"
    if ends[0] >= m:
        return f"The whole interval reaches {said}: an important improvement."
    if best >= m:
        return f"The estimate reaches {said}, but the interval includes smaller differences."
    if ends[1] >= m:
        return f"The estimate is below {said}; the interval includes an important improvement."
    if ends[0] <= -m:
        return f"The interval includes important harm: it reaches {said} the other way."
    if not crosses and best > 0:
        return f"Better, but the whole interval is below {said}: probably too small to matter."
    return f"The whole interval is below {said}: no important difference."


def mid_words(result: Result) -> str:
    mid = result.mid
    assert mid is not None
    if result.effect.measure.is_ratio:
        return f"{result.effect.measure.value} {num(mid.value)} or {num(1 / mid.value)}"
    if result.effect.measure is Measure.md:
        unit = result.question.scale.unit if result.question.scale else "points"
        return f"{num(mid.value)} {unit}"
    if result.effect.measure is Measure.smd:
        return f"{num(mid.value)} standard deviations"
    return num(mid.value)


def size(result: Result) -> str:
    """№ of participants (studies)."""
    parts = []
    if result.participants is not None:
        parts.append(f"{result.participants:,}")
    if result.studies is not None:
        word = "study" if result.studies == 1 else "studies"
        parts.append(f"({result.studies} {word})")
    return " ".join(parts) or "not given"
