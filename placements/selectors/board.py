"""The public job board: open vacancies, searched, filtered and sorted by distance from a postcode.

Distance is plain arithmetic on OS grid references in SQL (the square of the straight-line distance
in metres, from the vacancy's easting and northing copied from academy's postcode table when it was
saved), so it runs the same on SQLite and PostgreSQL and a page is a fixed number of queries: at most
two to place the searcher's postcode, the count, and the page. Square roots (miles) are taken in
Python for the 20 rows on the page only.

Where the searcher's postcode is not in the table, its district's centre is used; where neither is
known (or a town was typed), the board searches the vacancies' town and postcode text instead and
says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone

from academy.postcodes import METRES_PER_MILE, Location, postcode_locate, postcode_outward
from placements.models import Vacancy
from providers.models import Provider

# Hours bands: 30 hours a week or more is full time (the ONS's definition in the Labour Force Survey).
FULL_TIME_HOURS = Decimal(30)
HOURS_BANDS = {"part_time": "Part time (under 30 hours)", "full_time": "Full time (30 hours or more)"}
RADIUS_MILES = (1, 3, 5, 10, 20, 50)
PAGE_SIZE = 20


def job_board_open(*, today: dt.date | None = None) -> QuerySet[Vacancy]:
    """Vacancies people can apply to now: published, closing today or later."""
    today = today or timezone.localdate()
    return Vacancy.objects.filter(status__in=Vacancy.OPEN, closing_date__gte=today)


@dataclass(frozen=True)
class BoardSearch:
    """What the searcher asked for (already validated by the board's form)."""

    text: str = ""
    kind: str = ""
    job_role: str = ""
    hours: str = ""
    where: str = ""
    radius_miles: int | None = None


@dataclass(frozen=True)
class BoardResult:
    """The vacancies to page through, and how the `where` was understood (for the page to say)."""

    vacancies: QuerySet[Vacancy]
    origin: Location | None
    # "postcode" / "district": sorted by distance from `origin`; "text": matched on town or postcode
    # text, not sorted by distance; "": no place given.
    where_mode: str
    where: str


def _distance_squared(origin: Location) -> ExpressionWrapper:
    # 64-bit before squaring: PostgreSQL's integer (32-bit) overflows beyond about 46 km.
    east = Cast("easting", BigIntegerField()) - Value(origin.easting)
    north = Cast("northing", BigIntegerField()) - Value(origin.northing)
    return ExpressionWrapper(east * east + north * north, output_field=BigIntegerField())


def _place_text_filter(where: str) -> Q:
    """A town typed in, or a postcode we cannot place: vacancies whose town or postcode district matches."""
    outward = postcode_outward(where)
    condition = Q(place__icontains=where.strip())
    if outward:
        # The vacancy's postcode is stored as "LS9 8AB", so its district is the text before the space.
        condition |= Q(postcode__istartswith=f"{outward} ") | Q(postcode__iexact=outward)
    return condition


def job_board_search(search: BoardSearch, *, today: dt.date | None = None) -> BoardResult:
    """The open vacancies matching `search`: nearest first when a place was found, else newest first."""
    queryset = job_board_open(today=today).select_related("provider", "ring_fenced_cohort__course")
    text = search.text.strip()
    if text:
        # Providers by name as a subquery run once, not a join tested on every vacancy row.
        providers = Provider.objects.filter(name__icontains=text).values("pk")
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(description__icontains=text) | Q(provider_id__in=providers)
        )
    if search.kind:
        queryset = queryset.filter(kind=search.kind)
    if search.job_role:
        queryset = queryset.filter(job_role=search.job_role)
    if search.hours == "full_time":
        queryset = queryset.filter(hours_per_week__gte=FULL_TIME_HOURS)
    elif search.hours == "part_time":
        queryset = queryset.filter(hours_per_week__lt=FULL_TIME_HOURS)
    where = search.where.strip()
    origin = postcode_locate(where) if where else None
    if origin is not None:
        queryset = queryset.annotate(distance_sq=_distance_squared(origin))
        if search.radius_miles:
            metres = round(search.radius_miles * METRES_PER_MILE)
            # The box first (plain comparisons the planner can use), then the circle.
            queryset = queryset.filter(
                easting__range=(origin.easting - metres, origin.easting + metres),
                northing__range=(origin.northing - metres, origin.northing + metres),
                distance_sq__lte=metres * metres,
            )
        nearest_first = queryset.order_by(F("distance_sq").asc(nulls_last=True), "-published_at", "-pk")
        return BoardResult(nearest_first, origin, origin.precision, where)
    if where:
        queryset = queryset.filter(_place_text_filter(where))
        return BoardResult(queryset.order_by("-published_at", "-pk"), None, "text", where)
    return BoardResult(queryset.order_by("-published_at", "-pk"), None, "", "")


class BoardPaginator(Paginator):
    """Reads a page as its ids first, from the narrow sorted query (no joins), then those rows by primary key
    with their joins: sorting every open vacancy by distance then costs index reads, not joined rows.
    Two queries a page plus the count, whatever the page number."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        queryset = cast(QuerySet[Vacancy], self.object_list)
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)  # type: ignore[attr-defined]


def with_miles(vacancies: Iterable[Vacancy]) -> list[Vacancy]:
    """Set `miles` on each vacancy of a page from its `distance_sq` annotation (None when it has no grid reference)."""
    rows = list(vacancies)
    for vacancy in rows:
        squared = getattr(vacancy, "distance_sq", None)
        vacancy.miles = None if squared is None else round(float(squared) ** 0.5 / METRES_PER_MILE, 1)  # type: ignore[attr-defined]
    return rows
