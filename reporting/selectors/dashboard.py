"""What the manager dashboard reads: the period against the one before and the same period a year
earlier, the funnel, and trends over the last quarters, with charts and their tables.

Built from report_figures only; each distinct period is computed once (the trend's quarters include
the chosen quarter, the one before and the same quarter a year earlier), so the page costs five
sets of figures for a quarter, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils.safestring import SafeString

from academy.periods import Quarter, last_quarters
from reporting.charts import ChartTable, chart_table, funnel_chart, trend_chart
from reporting.figures import report_figures
from reporting.figures.trends import TREND_KEYS, funnel
from reporting.figures.types import Figure, ReportFigures
from reporting.scope import ReportScope

TREND_QUARTERS = 5


@dataclass(frozen=True)
class ComparedFigure:
    figure: Figure
    previous: Figure
    year_before: Figure


@dataclass(frozen=True)
class ComparedSection:
    key: str
    title: str
    note: str
    rows: list[ComparedFigure]


@dataclass(frozen=True)
class DashboardPage:
    scope: ReportScope
    period_label: str
    previous_label: str
    year_before_label: str
    figures: ReportFigures
    sections: list[ComparedSection]
    funnel_steps: list[tuple[str, int]]
    funnel_svg: SafeString
    funnel_table: ChartTable
    trend_svg: SafeString
    trend_table: ChartTable


def _is_quarter(scope: ReportScope) -> bool:
    quarter = Quarter.containing(scope.start)
    return quarter.start == scope.start and quarter.end == scope.end


def _shift_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def comparison_periods(scope: ReportScope) -> tuple[ReportScope, ReportScope]:
    """The period before (the previous quarter, or as many days just before) and the same period a year earlier."""
    if _is_quarter(scope):
        quarter = Quarter.containing(scope.start)
        before, year = quarter.previous(), quarter.year_before()
        return replace(scope, start=before.start, end=before.end), replace(scope, start=year.start, end=year.end)
    length = scope.end - scope.start
    previous_end = scope.start - dt.timedelta(days=1)
    return (
        replace(scope, start=previous_end - length, end=previous_end),
        replace(scope, start=_shift_year(scope.start), end=_shift_year(scope.end)),
    )


def _label(scope: ReportScope) -> str:
    if _is_quarter(scope):
        return Quarter.containing(scope.start).label
    return f"{scope.start:%-d %B %Y} to {scope.end:%-d %B %Y}"


def dashboard_page(scope: ReportScope) -> DashboardPage:
    """The dashboard for `scope`; people figures link to their lists."""
    computed: dict[tuple[dt.date, dt.date], ReportFigures] = {}

    def figures_for(period: ReportScope, *, link: bool = False) -> ReportFigures:
        key = (period.start, period.end)
        if key not in computed:
            computed[key] = report_figures(period, link=link)
        return computed[key]

    current = figures_for(scope, link=True)
    previous_scope, year_scope = comparison_periods(scope)
    previous, year_before = figures_for(previous_scope), figures_for(year_scope)
    sections = [
        ComparedSection(
            key=section.key,
            title=section.title,
            note=section.note,
            rows=[
                ComparedFigure(figure, _same(previous, figure), _same(year_before, figure))
                for figure in section.figures
            ],
        )
        for section in current.sections
    ]
    quarters = last_quarters(scope.end, TREND_QUARTERS)
    trend = [figures_for(replace(scope, start=q.start, end=q.end)) for q in quarters]
    labels = [q.short_label for q in quarters]
    series = {label: [f.figure(key).value for f in trend] for key, label in TREND_KEYS}
    steps = funnel(current)
    title = "People at each step, from registration to a sustained job"
    return DashboardPage(
        scope=scope,
        period_label=_label(scope),
        previous_label=_label(previous_scope),
        year_before_label=_label(year_scope),
        figures=current,
        sections=sections,
        funnel_steps=steps,
        funnel_svg=funnel_chart(title, steps),
        funnel_table=chart_table(title, ["People"], {label: [n] for label, n in steps}),
        trend_svg=trend_chart("Figures by quarter", labels, series),
        trend_table=chart_table("Figures by quarter", labels, series),
    )


def _same(figures: ReportFigures, figure: Figure) -> Figure:
    """The figure with the same key in another period's figures (not applicable when it has none)."""
    try:
        return figures.figure(figure.key)
    except StopIteration:
        return replace(figure, value=None, denominator=None, suppressed=False, people_url="")
