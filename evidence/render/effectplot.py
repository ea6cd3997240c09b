"""The effect plot of comparative results: geometry only (the SVG is a template).

`plot` lays out one row per result on a shared axis (a forest plot when several results
share an outcome): the axis is linear for differences and logarithmic for ratios, and every
x is computed here by `Axis.x`, so a test can read the SVG back and find each number where
the axis says it is. `templates/effect_plot.html` draws it; the words beside it are
effects.py's.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

from evidence.content.model import Claim
from evidence.content.results import Measure, Result
from evidence.render.effects import difference, favours, meaning, mid_words, num

#: The plot's drawing box (SVG user units). Narrow on purpose: at 300 units wide it is
#: drawn at about its own size on a 360 px phone, so 14-unit text stays above 12 px.
WIDTH = 300
PAD = 14
FONT = 14
ROW_H = 42  # a label line and the interval line under it
LINE_H = 17  # each further line of a label that wraps
#: characters a label line holds: the box's width over a generous average glyph width
#: (0.56 em), so a wrapped line stays inside the box in any sans-serif font
LINE_CHARS = int((WIDTH - 2 * PAD) / (FONT * 0.56))
TOP = 8
AXIS_GAP = 8


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


def wrap(text: str) -> list[str]:
    """`text` in lines of at most LINE_CHARS characters, broken between words (SVG text
    does not wrap by itself: a long outcome or "Favours …" label ran past the plot's edge)."""
    return textwrap.wrap(text, LINE_CHARS, break_on_hyphens=False) or [""]


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
    lines: list[str]
    estimate: float
    low: float | None
    high: float | None
    x: float
    x_low: float | None
    x_high: float | None
    y: float
    words: str

    @property
    def bar_y(self) -> float:
        """Where the interval and the estimate are drawn: under the label's last line."""
        return self.y + 28 + (len(self.lines) - 1) * LINE_H


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
    #: each "Favours …" label's lines, with their baselines: left-aligned, then right-aligned
    favour_lines: tuple[list[tuple[float, str]], list[tuple[float, str]]]
    width: int
    height: int
    axis_y: float
    font: int = FONT
    line_h: int = LINE_H
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
    y = TOP
    for claim in drawn:
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
        lines = wrap(label)
        rows.append(
            PlotRow(
                claim=claim,
                label=label,
                lines=lines,
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
        y += ROW_H + (len(lines) - 1) * LINE_H
    axis_y = y + AXIS_GAP
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
        f"{axis_words}; the line of no effect is at {num(measure.null)}; "
        f"{left.lower()} on the left, {right.lower()} on the right."
        + (f" Dotted lines mark the minimal important difference ({mid_words(first)})." if mids else "")
        + f" {described}"
    )
    left_at = axis_y + 19 + FONT + 8  # under the tick labels
    left_lines = [(left_at + n * LINE_H, line) for n, line in enumerate(wrap(f"← {left}"))]
    right_at = left_lines[-1][0] + FONT + 4
    right_lines = [(right_at + n * LINE_H, line) for n, line in enumerate(wrap(f"{right} →"))]
    height = int(right_lines[-1][0] + 5)
    return Plot(
        id=plot_id,
        title=title,
        description=description,
        rows=rows,
        ticks=[{"value": t, "label": num(t), "x": axis.x(t)} for t in ticks],
        null_x=axis.x(measure.null),
        mids=mids,
        favours=(left, right),
        favour_lines=(left_lines, right_lines),
        width=WIDTH,
        height=height,
        axis_y=axis_y,
        log=axis.log,
        measure=measure.value,
    )
