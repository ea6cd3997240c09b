"""Comparative results in words and as effect plots (geometry only; the SVG is a template).

A difference is intervention minus comparator, a ratio intervention over comparator; the
outcome's `better` says which side is good for patients, so every number is also said as
"better" or "worse". `plot` lays out one row per result on a shared axis (a forest plot
when several results share an outcome): the axis is linear for differences and
logarithmic for ratios, and every x is computed here by `Axis.x`, so a test can read the
SVG back and find each number where the axis says it is. `templates/effect_plot.html`
draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from evidence.content.model import Better, Claim, Measure, Result

#: The plot's drawing box (SVG user units). Narrow on purpose: at 300 units wide it is
#: drawn at about its own size on a 360 px phone, so 14-unit text stays above 12 px.
WIDTH = 300
PAD = 14
FONT = 14
ROW_H = 42  # a label line and the interval line under it
TOP = 8
AXIS_GAP = 8


def _num(value: float) -> str:
    """A number as a reader writes it: no trailing zeros, a real minus sign."""
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if "e" in text:
        text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


def _mag(value: float) -> str:
    return _num(abs(value))


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
    return f"on a {_num(scale.low)}–{_num(scale.high)} scale ({scale.name})"


def outcome_note(result: Result) -> str:
    """The outcome's scale, direction and time point, in brackets after its name."""
    q = result.question
    parts = []
    if q.scale is not None:
        parts.append(f"{q.scale.name}, {_num(q.scale.low)}–{_num(q.scale.high)}")
    parts.append(f"{q.better.value} is better")
    if q.time_point:
        parts.append(f"at {q.time_point}")
    return "(" + "; ".join(parts) + ")"


def difference(result: Result) -> str:
    """The difference and its interval in words and numbers, e.g. "15 points better (12 to
    18 better) on a 0–100 scale"; for a ratio, the measure, its interval and per 1,000."""
    e = result.effect
    level = f"{_num(e.ci_level)}% CI"
    if e.measure is Measure.proportions:
        i, c = e.intervention_group, e.comparator_group
        return (
            f"{_group(i)} with {result.question.intervention}, {_group(c)} with {result.question.comparator}"
        )
    assert e.estimate is not None
    if e.measure.is_ratio:
        text = f"{e.measure.value} {_num(e.estimate)}"
        if e.ci_low is not None and e.ci_high is not None:
            text += f" ({level} {_num(e.ci_low)} to {_num(e.ci_high)})"
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
            text += f" ({_num(nums[0])} to {_num(nums[1])} {sides[0]}; {level})"
        else:
            text += f" ({_mag(ends[0])} {sides[0]} to {_mag(ends[1])} {sides[1]}; {level})"
    scale = scale_words(result)
    return f"{text} {scale}" if scale else text


def _group(group: object) -> str:
    percent = getattr(group, "percent", None)
    events, total = getattr(group, "events", None), getattr(group, "total", None)
    if percent is not None:
        text = f"{_num(percent)}%"
        return f"{text} ({events} of {total})" if events is not None and total is not None else text
    return f"{events} of {total}"


def _per_1000(delta: float) -> str:
    return f"{_num(abs(delta))} {'more' if delta > 0 else 'fewer'}" if delta else "no difference"


def comparator_result(result: Result) -> str:
    """The comparator group's result, the first of Cochrane's absolute-effect columns."""
    e = result.effect
    if result.per_1000 is not None:
        return f"{_num(result.per_1000.comparator)} per 1,000"
    if e.comparator_group is not None:
        return _group(e.comparator_group)
    if e.comparator_mean is not None:
        unit = result.question.scale.unit if result.question.scale else ""
        return f"mean {_num(e.comparator_mean)} {unit}".strip()
    return "not given"


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
    said = f"the minimal important difference ({_mid(result)}, set by {mid.set_by})"
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


def _mid(result: Result) -> str:
    mid = result.mid
    assert mid is not None
    if result.effect.measure.is_ratio:
        return f"{result.effect.measure.value} {_num(mid.value)} or {_num(1 / mid.value)}"
    if result.effect.measure is Measure.md:
        unit = result.question.scale.unit if result.question.scale else "points"
        return f"{_num(mid.value)} {unit}"
    if result.effect.measure is Measure.smd:
        return f"{_num(mid.value)} standard deviations"
    return _num(mid.value)


def size(result: Result) -> str:
    """№ of participants (studies)."""
    parts = []
    if result.participants is not None:
        parts.append(f"{result.participants:,}")
    if result.studies is not None:
        word = "study" if result.studies == 1 else "studies"
        parts.append(f"({result.studies} {word})")
    return " ".join(parts) or "not given"


# -- the plot -----------------------------------------------------------------------------


@dataclass
class Axis:
    low: float
    high: float
    log: bool
    left: float = PAD
    right: float = WIDTH - PAD

    def x(self, value: float) -> float:
        f = (
            (math.log(value) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
            if self.log
            else ((value - self.low) / (self.high - self.low))
        )
        return round(self.left + f * (self.right - self.left), 2)


def _nice_ticks(low: float, high: float) -> list[float]:
    span = high - low
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    step = min((m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw), default=10 * power)
    first = math.ceil(low / step) * step
    ticks, value = [], first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10) + 0.0)
        value += step
    return ticks


_LOG_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
_LOG_FINE = (0.25, 0.33, 0.67, 0.8, 1.25, 1.5, 3, 4)


def _axis(results: list[Result]) -> tuple[Axis, list[float]]:
    measure = results[0].effect.measure
    log = measure.is_ratio
    values = [measure.null]
    for r in results:
        e = r.effect
        values += [v for v in (_estimate(r), e.ci_low, e.ci_high) if v is not None]
        if r.mid is not None:
            values += [r.mid.value, 1 / r.mid.value] if log else [measure.null - r.mid.value, r.mid.value]
    if log:
        lo, hi = math.log(min(values)), math.log(max(values))
        pad = max((hi - lo) * 0.12, 0.1)
        low, high = math.exp(lo - pad), math.exp(hi + pad)
        ticks = [t for t in _LOG_TICKS if low <= t <= high]
        if len(ticks) < 3:
            ticks = sorted({*ticks, *(t for t in _LOG_FINE if low <= t <= high)})
        return Axis(low, high, True), ticks
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.12, 0.5 if measure is not Measure.smd else 0.05)
    low, high = lo - pad, hi + pad
    return Axis(low, high, False), _nice_ticks(low, high)


def _estimate(result: Result) -> float | None:
    """The plotted estimate: the effect's, or for proportions the difference in percentage
    points (when both groups give a percent)."""
    e = result.effect
    if e.measure is not Measure.proportions:
        return e.estimate
    i, c = e.intervention_group, e.comparator_group
    if i is None or c is None or i.percent is None or c.percent is None:
        return None
    return i.percent - c.percent


@dataclass
class PlotRow:
    claim: Claim
    label: str
    estimate: float
    low: float | None
    high: float | None
    x: float
    x_low: float | None
    x_high: float | None
    y: float
    words: str


@dataclass
class Plot:
    id: str
    title: str
    description: str
    rows: list[PlotRow]
    ticks: list[dict[str, object]]
    null_x: float
    mids: list[dict[str, object]]
    favours: tuple[str, str]
    width: int
    height: int
    axis_y: float
    font: int = FONT
    log: bool = False
    measure: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def plot(plot_id: str, claims: list[Claim], label_of: str = "outcome") -> Plot | None:
    """One plot for `claims`, whose results share an outcome and measure (one row each);
    None when none has an estimate to draw. `label_of`: what each row's label names
    ("outcome" on a card; "comparison" in a forest plot)."""
    drawn = [c for c in claims if c.result is not None and _estimate(c.result) is not None]
    if not drawn:
        return None
    results = [c.result for c in drawn if c.result is not None]
    axis, ticks = _axis(results)
    first = results[0]
    measure = first.effect.measure
    rows: list[PlotRow] = []
    for i, claim in enumerate(drawn):
        r = claim.result
        assert r is not None
        est = _estimate(r)
        assert est is not None
        e = r.effect
        low, high = (e.ci_low, e.ci_high) if e.measure is not Measure.proportions else (None, None)
        q = r.question
        label = q.outcome if label_of == "outcome" else f"{q.intervention} vs {q.comparator}"
        if q.time_point:
            label += f", {q.time_point}"
        y = TOP + i * ROW_H
        rows.append(
            PlotRow(
                claim=claim,
                label=label,
                estimate=est,
                low=low,
                high=high,
                x=axis.x(est),
                x_low=axis.x(low) if low is not None else None,
                x_high=axis.x(high) if high is not None else None,
                y=y,
                words=f"{label}: {difference(r)}. {meaning(r)}",
            )
        )
    axis_y = TOP + len(rows) * ROW_H + AXIS_GAP
    mids: list[dict[str, object]] = []
    mid = first.mid
    if mid is not None and measure is not Measure.proportions:
        points = (
            [mid.value, 1 / mid.value] if axis.log else [measure.null - mid.value, measure.null + mid.value]
        )
        mids = [{"value": v, "x": axis.x(v)} for v in points if axis.low <= v <= axis.high]
    left, right = favours(first)
    unit = {
        Measure.md: first.question.scale.unit if first.question.scale else "points",
        Measure.smd: "standard deviations",
        Measure.proportions: "percentage points",
    }.get(measure, measure.label)
    measure_words = measure.label if measure is not Measure.proportions else "difference in percentage points"
    title = f"Effect plot: {first.question.outcome}, {measure_words}"
    described = " ".join(row.words for row in rows)
    axis_words = (
        f"The axis shows the {measure_words} in {unit}"
        if not axis.log
        else f"The axis shows the {measure.label} on a log scale"
    )
    description = (
        f"{axis_words}; the line of no effect is at {_num(measure.null)}; "
        f"{left.lower()} on the left, {right.lower()} on the right."
        + (f" Dotted lines mark the minimal important difference ({_mid(first)})." if mids else "")
        + f" {described}"
    )
    height = int(axis_y + 18 + 2 * (FONT + 6) + 6)
    return Plot(
        id=plot_id,
        title=title,
        description=description,
        rows=rows,
        ticks=[{"value": t, "label": _num(t), "x": axis.x(t)} for t in ticks],
        null_x=axis.x(measure.null),
        mids=mids,
        favours=(left, right),
        width=WIDTH,
        height=height,
        axis_y=axis_y,
        log=axis.log,
        measure=measure.value,
    )
