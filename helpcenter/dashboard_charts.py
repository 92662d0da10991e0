"""Charts for the staff dashboards, drawn on the server as SVG (templates/admin/dashboards/
_chart.html) so they show with JavaScript off and under our CSP: the SVG carries no <script>,
no <style> and no style="" (colours come from classes in static/css/admin-dashboards.css).
pygal and matplotlib's SVG both embed a <style> element, which `style-src 'self'` blocks.

This module only computes geometry: where each bar, line and label goes in a fixed 640 x 170
viewBox that the browser scales to the page's width. The table beside each chart carries the
same numbers and is the accessible version; the SVG has a <title> and <desc> for its summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from html import escape

from django.utils.safestring import SafeString

WIDTH = 640
HEIGHT = 170
LEFT = 40  # room for the y-axis labels
TOP = 8
BOTTOM = 22  # room for the first and last day
PLOT_WIDTH = WIDTH - LEFT - 8
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
SERIES_CLASSES = 8  # .chart-series-0 ... -7 in admin-dashboards.css; more series reuse them


@dataclass(frozen=True)
class Series:
    label: str
    #: One value per label on the x axis; None where there is nothing to show (a line breaks).
    values: Sequence[float | None]


@dataclass(frozen=True)
class Mark:
    """A bar (x, y, width, height) or a line's point (x, y), with its tooltip."""

    x: float
    y: float
    series: int
    tooltip: str
    width: float = 0
    height: float = 0


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    bars: list[Mark] = field(default_factory=list)
    points: list[Mark] = field(default_factory=list)
    #: One "x,y x,y ..." per unbroken stretch of a line, with its series.
    lines: list[tuple[int, str]] = field(default_factory=list)
    legend: list[tuple[int, str]] = field(default_factory=list)
    #: (y, text) of the horizontal grid lines, and (x, text, anchor) of the x-axis labels.
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = LEFT + PLOT_WIDTH
    baseline: int = TOP + PLOT_HEIGHT

    @cached_property
    def marks_svg(self) -> SafeString:
        """The bars, lines and dots as SVG elements, escaped. Built here rather than looped over
        in the template: a 90-day stacked chart has hundreds of marks. Plain f-strings rather than
        format_html: the series (int) and coordinates (float) need no escaping, only the tooltips
        and points strings do, and format_html's per-argument escaping was a tenth of the support
        page's time; for the same reason the text goes through the standard library's
        html.escape, which Django's escape() wraps (same output, without the lazy-string check
        and SafeString per mark). Numbers are written with str(), never localized (a decimal
        comma would break the coordinates)."""
        parts = [
            f'<rect class="chart-series-{b.series}" x="{b.x}" y="{b.y}" '
            f'width="{b.width}" height="{b.height}"><title>{escape(b.tooltip)}</title></rect>'
            for b in self.bars
        ]
        parts += [
            f'<polyline class="chart-line chart-series-{series}" points="{escape(points)}"/>'
            for series, points in self.lines
        ]
        parts += [
            f'<circle class="chart-series-{p.series}" cx="{p.x}" cy="{p.y}" r="2.5">'
            f"<title>{escape(p.tooltip)}</title></circle>"
            for p in self.points
        ]
        return SafeString("".join(parts))


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _frame(chart: Chart, labels: Sequence[str], series: Sequence[Series], top_value: float, unit: str):
    chart.legend = [(index % SERIES_CLASSES, str(s.label)) for index, s in enumerate(series)]
    chart.y_ticks = [
        (TOP + PLOT_HEIGHT * (1 - share), f"{_number(top_value * share)}{unit}") for share in (0, 0.5, 1)
    ]
    if labels:
        chart.x_ticks = [(LEFT, str(labels[0]), "start")]
        if len(labels) > 1:
            chart.x_ticks.append((LEFT + PLOT_WIDTH, str(labels[-1]), "end"))


def _scale(value: float, top_value: float) -> float:
    return round(PLOT_HEIGHT * value / top_value, 2) if top_value else 0


def bar_chart(
    *, chart_id: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series]
) -> Chart:
    """Bars per label (day), the series stacked on each other (one series: plain bars)."""
    chart = Chart(chart_id=chart_id, title=str(title), description=str(description))
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    top_value = max(totals, default=0)
    step = PLOT_WIDTH / max(len(labels), 1)
    # A series' label is often a lazy translation: translated once here, not once per bar.
    names = [str(s.label) for s in series]
    for i, label in enumerate(labels):
        stacked = 0.0
        for index, s in enumerate(series):
            value = s.values[i] or 0
            if not value:
                continue
            height = _scale(value, top_value)
            stacked += height
            chart.bars.append(
                Mark(
                    x=round(LEFT + i * step + step * 0.1, 2),
                    y=round(TOP + PLOT_HEIGHT - stacked, 2),
                    width=round(step * 0.8, 2),
                    height=height,
                    series=index % SERIES_CLASSES,
                    tooltip=f"{label} {names[index]}: {_number(value)}",
                )
            )
    _frame(chart, labels, series, top_value, "")
    return chart


def _add_line(chart: Chart, series: int, points: list[str]) -> None:
    """A stretch of two points or more becomes a line; a lone point keeps only its dot."""
    if len(points) > 1:
        chart.lines.append((series % SERIES_CLASSES, " ".join(points)))


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    top_value: float | None = None,
    unit: str = "",
) -> Chart:
    """A line per series over the labels (days or weeks), broken where a value is None.
    `top_value` fixes the scale (100 for a share in %, 5 for a rating)."""
    chart = Chart(chart_id=chart_id, title=str(title), description=str(description))
    values = [v for s in series for v in s.values if v is not None]
    top_value = top_value if top_value is not None else max(values, default=0)
    step = PLOT_WIDTH / max(len(labels) - 1, 1)
    for index, s in enumerate(series):
        name = str(s.label)  # translated once, not once per point
        stretch: list[str] = []
        for i, (label, value) in enumerate(zip(labels, s.values, strict=True)):
            if value is None:
                _add_line(chart, index, stretch)
                stretch = []
                continue
            x = round(LEFT + i * step, 2)
            y = round(TOP + PLOT_HEIGHT - _scale(value, top_value), 2)
            stretch.append(f"{x},{y}")
            tooltip = f"{label} {name}: {_number(value)}{unit}"
            chart.points.append(Mark(x=x, y=y, series=index % SERIES_CLASSES, tooltip=tooltip))
        _add_line(chart, index, stretch)
    _frame(chart, labels, series, top_value, unit)
    return chart
