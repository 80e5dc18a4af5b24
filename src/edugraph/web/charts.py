"""Charts as SVG written on the server, with no JavaScript: a sorted bar chart (an indicator
across reports, with the national standard as a line), a chart of figures over time (with
the target and the standard as lines) and a small bar (a figure against its target).

Plain SVG from a template, not a charting library: what is drawn is a few rectangles,
points and reference lines, and the reference lines, which libraries draw as an extra
series, are here a line with its own label. Each chart comes with a table of the same
numbers (the text alternative), and the page says in words what the chart shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 140  # the labels left of the bars
BAR_HEIGHT = 22
GAP = 8
TOP = 24  # room for the reference lines' labels
PLOT = (56, 16, 24, 32)  # left, right, top, bottom margins of a chart over time
HEIGHT = 260


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    text: str  # the value as people write it
    x: float
    y: float
    width: float
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A reference line (target, national standard) at a value."""

    label: str
    kind: str  # "standard" or "target": its style
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    rules: tuple[Rule, ...] = ()
    bar_height: int = BAR_HEIGHT


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    text: str


@dataclass(frozen=True, slots=True)
class TimeChart:
    title: str
    width: int
    height: int
    series: tuple[Series, ...]
    rules: tuple[Rule, ...] = ()
    years: tuple[Tick, ...] = ()
    values: tuple[Tick, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    label: str
    value: float
    kind: str = "standard"


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float, str, str | None]],
    *,
    references: Sequence[Reference] = (),
) -> BarChart:
    """Horizontal bars, largest first: (label, value, text, link) each."""
    ordered = sorted(items, key=lambda item: -item[1])
    top = max([v for _, v, _, _ in ordered] + [r.value for r in references] + [0.0])
    span = WIDTH - LABEL_WIDTH - 16
    scale = span / (top * 1.1) if top > 0 else 0.0
    bars = tuple(
        Bar(label, text, LABEL_WIDTH, TOP + i * (BAR_HEIGHT + GAP), max(value, 0) * scale, link)
        for i, (label, value, text, link) in enumerate(ordered)
    )
    height = TOP + len(bars) * (BAR_HEIGHT + GAP) + 8
    rules = tuple(
        Rule(
            r.label,
            r.kind,
            LABEL_WIDTH + r.value * scale,
            12,
            LABEL_WIDTH + r.value * scale,
            height - 4,
        )
        for r in references
    )
    return BarChart(title, WIDTH, height, bars, rules)


@dataclass(slots=True)
class _Frame:
    years: tuple[int, int]
    values: tuple[float, float]
    plot: tuple[float, float, float, float] = field(
        default=(PLOT[0], PLOT[2], WIDTH - PLOT[1], HEIGHT - PLOT[3])
    )

    def x(self, year: float) -> float:
        left, _, right, _ = self.plot
        low, high = self.years
        return left + (right - left) * ((year - low) / (high - low) if high > low else 0.5)

    def y(self, value: float) -> float:
        _, top, _, bottom = self.plot
        low, high = self.values
        return bottom - (bottom - top) * ((value - low) / (high - low) if high > low else 0.5)


def time_chart(
    title: str,
    series: Sequence[tuple[str, Sequence[tuple[int, float, str]]]],
    *,
    references: Sequence[Reference] = (),
) -> TimeChart:
    """Figures over time, one line per report: (label, [(year, value, text)]) each; the
    references are horizontal lines across the whole period."""
    years = [year for _, points in series for year, _, _ in points]
    values = [v for _, points in series for _, v, _ in points] + [r.value for r in references]
    if not years:
        return TimeChart(title, WIDTH, HEIGHT, ())
    top = max(values)
    low = min(0.0, min(values))
    frame = _Frame((min(years), max(years)), (low, top * 1.1 if top > 0 else 1.0))
    drawn = tuple(
        Series(label, tuple(Point(frame.x(y), frame.y(v), text) for y, v, text in sorted(points)))
        for label, points in series
    )
    left, _, right, _ = frame.plot
    rules = tuple(
        Rule(r.label, r.kind, left, frame.y(r.value), right, frame.y(r.value)) for r in references
    )
    year_ticks = tuple(Tick(frame.x(y), str(y)) for y in sorted(set(years)))
    value_ticks = tuple(
        Tick(frame.y(v), _short(v)) for v in (frame.values[0], (frame.values[0] + top) / 2, top)
    )
    return TimeChart(title, WIDTH, HEIGHT, drawn, rules, year_ticks, value_ticks)


def _short(value: float) -> str:
    return f"{value:.4g}"


@dataclass(frozen=True, slots=True)
class SmallBar:
    """A figure against its target, as a share of a 120-pixel bar (the target at 80)."""

    width: float
    target_x: float
    met: bool


def small_bar(actual: float, target: float, *, at_most: bool = False) -> SmallBar | None:
    """None when there is nothing to compare; `at_most` for a ≤ target (lower is better)."""
    if target <= 0:
        return None
    share = min(actual / target, 1.5)
    return SmallBar(80 * share, 80.0, actual <= target if at_most else actual >= target)
