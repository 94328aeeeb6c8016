"""The activity report's charts of the year's trend, drawn on the server as inline SVG (no
JavaScript): grouped bars for Q1 to Q4, each bar's figure written above it. The tables on the
page are the text alternative; each chart names them in its description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from portal.reports.activity_counts import ByQuarter, RateByQuarter
from portal.reports.quarters import EMPTY, percent_value

WIDTH, HEIGHT = 640, 290
LEFT, RIGHT, TOP, BOTTOM = 56, 632, 56, 252
BAR_GAP = 4
FILLS = ("#1d70b8", "#ffffff", "#003078")  # solid, striped (the pattern), dark: not by colour alone
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    label_y: float
    series: int  # 0, 1, 2: the fill and the key


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    series: list[str]  # the key's labels
    grid: list[tuple[str, float]]  # each grid line's label and y
    columns: list[tuple[str, float]]  # each column's label (a quarter, a year) and centre
    bars: list[Bar]


def _scale_top(largest: int) -> int:
    """A round top for a count axis: 4, 8, 20, 40, 100, 200 … at least ``largest``."""
    top = 4
    while top < largest:
        top = top * 5 // 2 if str(top).startswith("4") else top * 2
    return top


def _figure_values(figures: list[ByQuarter | RateByQuarter]) -> list[list[Decimal | int | None]]:
    values: list[list[Decimal | int | None]] = []
    for figure in figures:
        if isinstance(figure, RateByQuarter):
            numbers = zip(figure.numerators.values, figure.denominators.values, strict=True)
            values.append([percent_value(n, d) for n, d in list(numbers)[:4]])
        else:
            values.append(list(figure.values[:4]))
    return values


def bar_chart(
    key: str,
    title: str,
    description: str,
    series: list[str],
    values: list[list[Decimal | int | None]],
    columns: Sequence[str],
    *,
    percent: bool,
) -> Chart:
    """Grouped bars: one group per column, one bar per series (``values[series][column]``, None
    drawn as no bar labelled "–")."""
    top = 100 if percent else _scale_top(max([int(v or 0) for row in values for v in row] or [0]))

    def y_of(value: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * value / top

    step = (RIGHT - LEFT) / len(columns)
    width = min(40.0, (step - 16 - BAR_GAP * (len(series) - 1)) / len(series))
    group = width * len(series) + BAR_GAP * (len(series) - 1)
    bars, centres = [], []
    for index, column in enumerate(columns):
        centre = LEFT + step * (index + 0.5)
        centres.append((column, centre))
        for number, row in enumerate(values):
            value = row[index]
            y = y_of(float(value or 0))
            text = EMPTY if value is None else (f"{value}%" if percent else str(value))
            bars.append(
                Bar(
                    x=centre - group / 2 + number * (width + BAR_GAP),
                    y=y,
                    width=width,
                    height=BOTTOM - y,
                    label=text,
                    label_y=y - 5,
                    series=number,
                )
            )
    grid = [
        (f"{value}%" if percent else str(value), y_of(value))
        for value in (0, top // 4, top // 2, top * 3 // 4, top)
    ]
    return Chart(
        key=key,
        title=title,
        description=description,
        series=series,
        grid=grid,
        columns=centres,
        bars=bars,
    )


def _chart(
    key: str, title: str, figures: list[ByQuarter | RateByQuarter], *, percent: bool
) -> Chart:
    return bar_chart(
        key,
        title,
        _("Bar chart by quarter. The tables above give the figures."),
        [figure.label for figure in figures],
        _figure_values(figures),
        QUARTERS,
        percent=percent,
    )


def trend_charts(
    timeliness: list[ByQuarter | RateByQuarter], plans: list[ByQuarter | RateByQuarter]
) -> list[Chart]:
    """The year's trend: timeliness (percentages) and plans (counts), quarter by quarter."""
    return [
        _chart("timeliness", _("Timeliness by quarter"), timeliness, percent=True),
        _chart("plans", _("Plans by quarter"), plans, percent=False),
    ]


CHART_SIZE = (WIDTH, HEIGHT, LEFT, RIGHT, BOTTOM)
