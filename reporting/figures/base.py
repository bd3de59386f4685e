"""What every figure's selector shares: a scope applied to a queryset of events, and people measures.

A measure is a count of distinct people over a queryset of events (`base`) narrowed by a condition
(`when`). Measures over the same base are counted in one aggregate (conditional aggregation), and
the list of people behind a figure is the same base and condition, so a figure and its list agree.

Rules every base follows (`in_scope`):
- one person once: records merged into another are left out (their rows moved to the survivor);
  anonymised records stay, so figures do not change after erasure;
- periods are local (Europe/London) days, inclusive: a datetime counts on its local date, so
  23:30 on a quarter's last day is in that quarter;
- an event counts for the academy the person was with when it happened (events_in_academies);
- a stream, course, cohort or provider narrows to that row where the event has it, else to the
  people linked to it (attributed to the stream, enrolled on the course or cohort, or who applied,
  were placed or started work with the provider).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from academy.figures import percent
from candidates.models import Candidate, StreamAttribution
from candidates.selectors.academies import events_in_academies
from courses.models import Enrolment
from courses.selectors.payments import cohorts_of_stream_q
from placements.models import JobApplication, JobStart, WorkPlacement
from reporting.figures.types import Figure, Unit
from reporting.scope import ReportScope

M = TypeVar("M", bound=Model)

ONE_PLACE = Decimal("0.1")
PENNY = Decimal("0.01")


def local_bounds(scope: ReportScope) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware datetimes: from the first day's local midnight to the next day after the last."""
    start = timezone.make_aware(dt.datetime.combine(scope.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min))
    return start, end


def in_period(field_name: str, scope: ReportScope, *, is_datetime: bool) -> Q:
    """`field_name` within the period (a datetime by its local date, a date as it is)."""
    if is_datetime:
        start, end = local_bounds(scope)
        return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
    return Q(**{f"{field_name}__gte": scope.start, f"{field_name}__lte": scope.end})


def _pk_path(person: str) -> str:
    return f"{person}__pk" if person else "pk"


def person_links(scope: ReportScope, person: str, *, direct: dict[str, str] | None = None) -> Q:
    """The scope's stream, course, cohort and provider filters, for events whose person is at `person`.

    `direct` maps a filter ("stream", "course", "cohort", "provider") to the event's own path to that
    row's id ("stream_cohort": the path to a cohort, charged to the stream as cohort_stream says); a
    filter without one narrows to the people linked to the row."""
    direct = direct or {}
    ref = OuterRef(_pk_path(person))
    condition = Q()
    if scope.stream_id is not None:
        if "stream_cohort" in direct:
            condition &= cohorts_of_stream_q(scope.stream_id, direct["stream_cohort"])
        elif "stream" in direct:
            condition &= Q(**{direct["stream"]: scope.stream_id})
        else:
            condition &= Q(Exists(StreamAttribution.objects.filter(candidate=ref, stream_id=scope.stream_id)))
    if scope.cohort_id is not None:
        if "cohort" in direct:
            condition &= Q(**{direct["cohort"]: scope.cohort_id})
        else:
            condition &= Q(Exists(Enrolment.objects.filter(candidate=ref, cohort_id=scope.cohort_id)))
    if scope.course_id is not None:
        if "course" in direct:
            condition &= Q(**{direct["course"]: scope.course_id})
        else:
            condition &= Q(Exists(Enrolment.objects.filter(candidate=ref, cohort__course_id=scope.course_id)))
    if scope.provider_id is not None:
        if "provider" in direct:
            condition &= Q(**{direct["provider"]: scope.provider_id})
        else:
            provider = scope.provider_id
            condition &= Q(
                Q(Exists(JobApplication.objects.filter(candidate=ref, vacancy__provider_id=provider)))
                | Q(Exists(WorkPlacement.objects.filter(candidate=ref, provider_id=provider)))
                | Q(Exists(JobStart.objects.filter(candidate=ref, provider_id=provider)))
            )
    return condition


def in_scope(
    events: QuerySet[M],
    scope: ReportScope,
    *,
    person: str,
    at: str,
    is_datetime: bool,
    direct: dict[str, str] | None = None,
    period: bool = True,
) -> QuerySet[M]:
    """`events` (whose person is at `person`, "" for Candidate itself) that happened in the scope.

    `at` is the field that dates the event; with `period=False` the caller dates them itself."""
    merged = f"{person}__merged_into__isnull" if person else "merged_into__isnull"
    events = events.filter(**{merged: True})
    if period:
        events = events.filter(in_period(at, scope, is_datetime=is_datetime))
    events = events.filter(person_links(scope, person, direct=direct))
    return events_in_academies(events, scope.academy_ids, candidate=person, at=at)


@dataclass(frozen=True)
class Measure:
    """Distinct people in `base(scope)` meeting `when`: one figure, and the list of people behind it."""

    key: str
    label: str
    base: Callable[[ReportScope], QuerySet[Any]]
    when: Q = field(default_factory=Q)
    person: str = "candidate"

    def people_ids(self, scope: ReportScope) -> QuerySet[Any]:
        return self.base(scope).filter(self.when).values(_pk_path(self.person))

    def people(self, scope: ReportScope) -> QuerySet[Candidate]:
        """The people behind the figure (merged records left out, anonymised kept)."""
        return Candidate.objects.one_per_person().filter(pk__in=self.people_ids(scope))


def count_measures(scope: ReportScope, measures: list[Measure]) -> dict[str, int]:
    """Each measure's distinct people; one query per base (measures sharing a base share the query)."""
    by_base: dict[Callable[[ReportScope], QuerySet[Any]], list[Measure]] = {}
    for measure in measures:
        by_base.setdefault(measure.base, []).append(measure)
    counts: dict[str, int] = {}
    for base, group in by_base.items():
        aggregates = {
            # A base of Candidate rows has each person once already: no DISTINCT needed.
            f"m{n}": Count(_pk_path(m.person), distinct=bool(m.person), filter=m.when if m.when else None)
            for n, m in enumerate(group)
        }
        row = base(scope).aggregate(**aggregates)
        counts.update({m.key: int(row[f"m{n}"] or 0) for n, m in enumerate(group)})
    return counts


def people_figure(measure: Measure, counts: dict[str, int]) -> Figure:
    return Figure(key=measure.key, label=measure.label, value=counts[measure.key], unit=Unit.PEOPLE)


def share_figure(key: str, label: str, part: int, whole: int, whole_label: str, *, suppress: bool = False) -> Figure:
    """`part` as a whole percentage of `whole`, stating the denominator; suppressed when `suppress`."""
    return Figure(
        key=key,
        label=label,
        value=None if suppress else percent(part, whole),
        unit=Unit.PERCENT,
        denominator=whole,
        denominator_label=whole_label,
        suppressed=suppress,
    )


def money(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(PENNY, rounding=ROUND_HALF_UP)


def one_place(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
