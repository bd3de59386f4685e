"""The dashboard, the CSV and the people lists: the same numbers as report_figures, scoped and permitted."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy.models import Academy, AcademyMembership, AuditEntry, Region, RegionalViewer, User
from academy.periods import Quarter
from reporting.charts import bar_chart, chart_table, funnel_chart, trend_chart
from reporting.figures import report_figures
from reporting.scope import ReportScope
from tests.reporting.figures_data import at, equality, outcome, person

pytestmark = pytest.mark.django_db

Q = Quarter(dt.date(2025, 7, 1))
PARAMS = {"period": Q.start.isoformat()}


@pytest.fixture
def quarter_data() -> None:
    for n in range(6):
        someone = person(at(dt.date(2025, 7, 2 + n)))
        equality(someone, sex="male" if n < 5 else "female", refugee="yes" if n < 2 else "no")
        if n < 3:
            outcome(someone, dt.date(2025, 8, 1))


@pytest.fixture
def as_of_october_2025(monkeypatch: pytest.MonkeyPatch) -> None:
    import reporting.views.figures as views

    monkeypatch.setattr(views.timezone, "localdate", lambda *a: dt.date(2025, 10, 15))


def _scope() -> ReportScope:
    return ReportScope(Q.start, Q.end, academy_ids=(Academy.objects.default().pk,))


def test_dashboard_and_csv_show_the_same_numbers_as_report_figures(
    quarter_data: None, as_of_october_2025: None, client_for: Callable[[str], Client], manager: User
) -> None:
    client = client_for("manager")
    figures = report_figures(_scope())
    page = client.get(reverse("reporting:dashboard"), PARAMS)
    assert page.status_code == 200
    html = page.content.decode()
    for figure in figures.flat():
        cell = re.search(rf'data-figure="{re.escape(figure.key)}".*?<td[^>]*data-value>(.*?)</td>', html, re.S)
        assert cell is not None, figure.key
        assert figure.display in cell.group(1), (figure.key, cell.group(1))

    response = client.get(reverse("reporting:figures-csv"), PARAMS)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["key"] for row in rows] == [f.key for f in figures.flat()]
    for row, figure in zip(rows, figures.flat(), strict=True):
        expected = "" if figure.suppressed or figure.value is None else str(figure.value)
        assert row["value"] == expected, figure.key
        assert row["shown as"] == figure.display
        assert row["denominator"] == ("" if figure.denominator is None else str(figure.denominator))
    by_key = {row["key"]: row for row in rows}
    assert by_key["employment.job_starts"]["value"] == "3"
    assert by_key["engagement.group.refugee"]["value"] == ""
    assert by_key["engagement.group.refugee"]["shown as"] == "fewer than 5"
    assert AuditEntry.objects.filter(action="reporting.figures_csv", actor=manager).count() == 1


def test_a_figure_links_to_its_people(
    quarter_data: None, as_of_october_2025: None, client_for: Callable[[str], Client]
) -> None:
    figures = report_figures(_scope(), link=True)
    url = figures.figure("employment.job_starts").people_url
    assert url.startswith(reverse("reporting:figure-people", kwargs={"key": "employment.job_starts"}))
    page = client_for("staff").get(url)
    assert page.status_code == 200
    assert page.content.decode().count('class="govuk-link" href="/candidates/') == 3
    # Equality groups are shown only aggregated: no list behind them.
    assert figures.figure("engagement.group.men").people_url == ""
    assert (
        client_for("staff").get(reverse("reporting:figure-people", kwargs={"key": "engagement.group.men"})).status_code
        == 404
    )


def test_people_list_is_paginated_with_a_fixed_number_of_queries(
    as_of_october_2025: None, client_for: Callable[[str], Client]
) -> None:
    client = client_for("staff")
    url = reverse("reporting:figure-people", kwargs={"key": "engagement.enquiries"})
    person(at(dt.date(2025, 7, 2)))
    client.get(url, PARAMS)
    with CaptureQueriesContext(connection) as one:
        client.get(url, PARAMS)
    for _ in range(30):
        person(at(dt.date(2025, 7, 3)))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, PARAMS)
    assert len(many.captured_queries) == len(one.captured_queries)
    assert "31" in response.content.decode()


def test_a_regional_manager_chooses_an_academy_or_the_whole_region(
    as_of_october_2025: None, client_for: Callable[[str], Client], staff: User
) -> None:
    region = Region.objects.create(name="North East")
    north = Academy.objects.default()
    north.region = region
    north.save()
    south = Academy.objects.create(name="South Tyneside academy", slug="south", region=region)
    AcademyMembership.objects.create(user=staff, academy=north)
    RegionalViewer.objects.create(user=staff, region=region)
    person(at(dt.date(2025, 7, 2)))
    person(at(dt.date(2025, 7, 2)), academy=south)
    client = client_for("staff")
    page = client.get(reverse("reporting:dashboard"), PARAMS)
    assert page.status_code == 200
    assert f'value="{north.pk},{south.pk}"' in page.content.decode()
    region_csv = client.get(reverse("reporting:figures-csv"), {**PARAMS, "academy": f"{north.pk},{south.pk}"})
    region_rows = {row["key"]: row for row in csv.DictReader(io.StringIO(region_csv.content.decode()))}
    assert region_rows["engagement.enquiries"]["value"] == "2"
    south_csv = client.get(reverse("reporting:figures-csv"), {**PARAMS, "academy": str(south.pk)})
    south_rows = {row["key"]: row for row in csv.DictReader(io.StringIO(south_csv.content.decode()))}
    assert south_rows["engagement.enquiries"]["value"] == "1"


def test_an_academy_outside_the_managers_access_is_not_found(
    as_of_october_2025: None, client_for: Callable[[str], Client], manager: User
) -> None:
    mine = Academy.objects.default()
    other = Academy.objects.create(name="Elsewhere academy", slug="elsewhere")
    AcademyMembership.objects.create(user=manager, academy=mine)
    client = client_for("manager")
    assert client.get(reverse("reporting:dashboard"), {**PARAMS, "academy": str(other.pk)}).status_code == 404
    assert client.get(reverse("reporting:figures-csv"), {**PARAMS, "academy": str(other.pk)}).status_code == 404


def test_staff_without_a_region_see_their_home_not_the_dashboard(client_for: Callable[[str], Client]) -> None:
    assert client_for("staff").get(reverse("reporting:dashboard")).status_code == 403
    home = client_for("manager").get(reverse("academy:home"))
    assert reverse("reporting:dashboard") in home.content.decode()


def test_charts_are_labelled_and_readable_without_colour() -> None:
    bars = bar_chart("Job starts by kind", [("In care", 12), ("Elsewhere <b>", 3)], unit="people")
    assert "<title" in bars and "<desc" in bars and 'role="img"' in bars
    assert ">12<" in bars and ">3<" in bars and "&lt;b&gt;" in bars and "<b>" not in bars
    trend = trend_chart("Job starts", ["Q1", "Q2"], {"In care": [4, 8], "Elsewhere": [1, None]})
    assert 'stroke-dasharray="6 3"' in trend and "<rect" in trend  # second series: dashed, square markers
    assert "Elsewhere: Q1 1, Q2 no data" in trend
    funnel = funnel_chart("Funnel", [("Registered", 10), ("Started", 5)])
    assert ">Started<" in funnel and ">5</tspan> (50% of the first step)<" in funnel
    table = chart_table("Job starts", ["Q1", "Q2"], {"In care": [4, Decimal("8.5")]})
    assert table.rows == [("In care", ["4", "8.5"])]


def test_dashboard_query_count_does_not_grow(as_of_october_2025: None, client_for: Callable[[str], Client]) -> None:
    client = client_for("manager")
    url = reverse("reporting:dashboard")
    person(at(dt.date(2025, 7, 2)))
    client.get(url, PARAMS)
    with CaptureQueriesContext(connection) as few:
        client.get(url, PARAMS)
    for n in range(10):
        someone = person(at(dt.date(2025, 7, 3 + n)))
        outcome(someone, dt.date(2025, 8, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, PARAMS).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
