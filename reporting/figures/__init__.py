"""The figures every report renders: `report_figures(scope)` for the dashboard, the CSV and the PDF.

One selector module per section (engagement, learning, dbs, employment, money), each aggregating
in SQL in a fixed number of queries, so the whole set costs the same however many rows there are.
`figure_people(key, scope)` is the list of people behind a people figure: the same queryset and
condition the figure counts, so a figure and its list always agree.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse

from candidates.models import Candidate
from reporting.figures import dbs, employment, engagement, learning, money
from reporting.figures.base import Measure
from reporting.figures.types import Figure, FigureSection, ReportFigures
from reporting.scope import ReportScope

__all__ = ["ReportFigures", "figure_measure", "figure_people", "people_figure_keys", "report_figures", "scope_query"]


def report_figures(scope: ReportScope, *, link: bool = False) -> ReportFigures:
    """Every section's figures for `scope`. With `link`, people figures carry the URL of their list."""
    with transaction.atomic():
        _without_jit()
        return _report_figures(scope, link=link)


def _without_jit() -> None:
    """PostgreSQL's JIT compiler takes these aggregates' cost estimates for big queries and spends more
    time compiling than running them (1.7 s against 0.1 s on 100,000 candidates): off for this
    transaction only. One query, on PostgreSQL only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _report_figures(scope: ReportScope, *, link: bool) -> ReportFigures:
    sections = [
        engagement.engagement_section(scope),
        learning.learning_section(scope),
        dbs.dbs_section(scope),
        employment.employment_section(scope),
    ]
    found = ReportFigures(scope=scope, sections=tuple(sections))
    people = {
        "learner": ("learner", found.figure("engagement.unique_learners").value),
        "completion": ("completion", found.figure("learning.completions").value),
        "job_start": ("job start", found.figure("employment.job_starts").value),
        "sustained_job": ("sustained job", found.figure("employment.sustained").value),
    }
    sections.append(money.money_section(scope, people={k: (w, int(n or 0)) for k, (w, n) in people.items()}))
    if link:
        keys = people_figure_keys(scope)
        query = scope_query(scope)
        sections = [_linked(section, keys, query) for section in sections]
    return ReportFigures(scope=scope, sections=tuple(sections))


def _linked(section: FigureSection, keys: set[str], query: str) -> FigureSection:
    def with_url(figure: Figure) -> Figure:
        if figure.key not in keys:
            return figure
        url = f"{reverse('reporting:figure-people', kwargs={'key': figure.key})}?{query}"
        return replace(figure, people_url=url)

    return FigureSection(
        key=section.key, title=section.title, figures=tuple(with_url(f) for f in section.figures), note=section.note
    )


def scope_query(scope: ReportScope) -> str:
    """The scope as a query string the dashboard, CSV and people list read back (reporting.forms)."""
    params: list[tuple[str, object]] = [("period", "range"), ("start", scope.start), ("end", scope.end)]
    if scope.academy_ids is not None:
        params.append(("academy", ",".join(map(str, scope.academy_ids))))
    for name in ("stream_id", "course_id", "cohort_id", "provider_id"):
        value = getattr(scope, name)
        if value is not None:
            params.append((name.removesuffix("_id"), value))
    return urlencode(params)


def _measures(scope: ReportScope) -> list[Measure]:
    return [
        *engagement.measures(scope),
        *learning.MEASURES,
        *dbs.MEASURES,
        *employment.measures(scope, employment.follow_up_weeks(scope)),
    ]


def people_figure_keys(scope: ReportScope) -> set[str]:
    """Keys of figures that have a list of people behind them (group figures are not listed: equality
    data is shown only aggregated)."""
    return {m.key for m in _measures(scope) if not m.key.startswith("engagement.group.")}


def figure_measure(key: str, scope: ReportScope) -> Measure | None:
    """The measure behind people figure `key` in `scope` (None: the figure has no list)."""
    if key.startswith("engagement.group."):
        return None
    return next((m for m in _measures(scope) if m.key == key), None)


def figure_people(key: str, scope: ReportScope) -> QuerySet[Candidate] | None:
    """The people behind figure `key` in `scope` (None: the figure has no list)."""
    measure = figure_measure(key, scope)
    return None if measure is None else measure.people(scope)
