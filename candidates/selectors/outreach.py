"""What the outreach screens and the reports read: events, their enquiries and what became of them.

People are counted once (distinct records, merged duplicates left out, anonymised people kept so
figures stay intact after erasure). What became of them comes from the pipeline's stage history
by milestone, never from the apps above (courses, placements): someone "reached a course" when a
stage carrying the on-course milestone, or one further on in the journey, was entered on or after
the day of the event (or after they enquired, if that was earlier).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateTimeField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from candidates.models import Candidate, EventEnquiry, Milestone, OutreachEvent, StageChange
from candidates.models.choices import Source
from providers.models import Provider

# Journey order, as candidates.services.pipeline reads "further on"; closed is no progress.
JOURNEY = [m for m in Milestone.values if m != Milestone.CLOSED]


def milestones_from(milestone: str) -> list[str]:
    """`milestone` and every one after it in the journey (closed left out)."""
    return JOURNEY[JOURNEY.index(milestone) :]


REACHED_SCREENING = milestones_from(Milestone.SCREENED)
REACHED_COURSE = milestones_from(Milestone.ON_COURSE)
REACHED_JOB = milestones_from(Milestone.IN_WORK)


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _reached(milestones: list[str], event_day: dt.datetime) -> Exists:
    """Whether the enquiry's person entered one of `milestones` after enquiring: from the day of the event,
    or from the enquiry itself when they registered their interest earlier (screened before the fair)."""
    since = Least(OuterRef("created_at"), Value(event_day, output_field=DateTimeField()))
    return Exists(
        StageChange.objects.filter(
            candidate=OuterRef("candidate"), to_stage__milestone__in=milestones, changed_at__gte=since
        )
    )


# --- lists ---------------------------------------------------------------------------------------


def outreach_event_list(
    *, events: QuerySet[OutreachEvent], today: dt.date, search: str = "", kind: str = "", when: str = ""
) -> QuerySet[OutreachEvent]:
    """Events with their number of people enquiring, searchable by title, place or partner; upcoming ones
    soonest first, past ones latest first. One query for the page (the count is a subquery)."""
    enquiry_count = (
        EventEnquiry.objects.filter(event=OuterRef("pk"), candidate__merged_into__isnull=True)
        .order_by()
        .values("event")
        .annotate(n=Count("candidate", distinct=True))
        .values("n")[:1]
    )
    qs = events.annotate(enquiry_count=Coalesce(Subquery(enquiry_count), 0))
    search = search.strip()
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(place__icontains=search) | Q(partner__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    if when == "upcoming":
        return qs.filter(held_on__gte=today).order_by("held_on", "starts_at", "title", "pk")
    if when == "past":
        qs = qs.filter(held_on__lt=today)
    return qs.order_by("-held_on", "title", "pk")


def outreach_public_list(*, events: QuerySet[OutreachEvent]) -> QuerySet[OutreachEvent]:
    """Public upcoming events, soonest first, with the active providers attending (two queries a page)."""
    return events.prefetch_related(
        Prefetch("providers_attending", queryset=Provider.objects.filter(is_active=True).order_by("name"))
    ).order_by("held_on", "starts_at", "title", "pk")


# --- one event -----------------------------------------------------------------------------------


def _per_person(amount: Decimal, people: int) -> Decimal | None:
    if not people:
        return None
    return (amount / people).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class EventFigures:
    """An event's people and what became of them; every count is of distinct people."""

    enquiries: int
    online: int
    at_event: int
    new_records: int
    screened: int
    on_course: int
    in_work: int
    cost: Decimal

    @property
    def known_before(self) -> int:
        return self.enquiries - self.new_records

    @property
    def cost_per_enquiry(self) -> Decimal | None:
        return _per_person(self.cost, self.enquiries)

    @property
    def cost_per_course_start(self) -> Decimal | None:
        return _per_person(self.cost, self.on_course)

    @property
    def cost_per_job_start(self) -> Decimal | None:
        return _per_person(self.cost, self.in_work)


def outreach_event_figures(event: OutreachEvent) -> EventFigures:
    """Enquiries, new records, and how many went on to screening, a course and a job: one query."""
    since = day_start(event.held_on)
    enquiries = EventEnquiry.objects.filter(event=event, candidate__merged_into__isnull=True).annotate(
        went_screened=_reached(REACHED_SCREENING, since),
        went_on_course=_reached(REACHED_COURSE, since),
        went_in_work=_reached(REACHED_JOB, since),
    )
    person = "candidate"
    row = enquiries.aggregate(
        enquiries=Count(person, distinct=True),
        online=Count(person, distinct=True, filter=Q(channel=EventEnquiry.Channel.ONLINE)),
        at_event=Count(person, distinct=True, filter=Q(channel=EventEnquiry.Channel.AT_EVENT)),
        new_records=Count(person, distinct=True, filter=Q(is_new_record=True)),
        screened=Count(person, distinct=True, filter=Q(went_screened=True)),
        on_course=Count(person, distinct=True, filter=Q(went_on_course=True)),
        in_work=Count(person, distinct=True, filter=Q(went_in_work=True)),
    )
    return EventFigures(cost=event.cost, **row)


@dataclass(frozen=True)
class EventDetail:
    figures: EventFigures
    enquiries: list[EventEnquiry]
    staff_present: list[object]
    providers_attending: list[object]


def outreach_event_detail(event: OutreachEvent, *, limit: int = 200) -> EventDetail:
    """The event page: figures, the latest enquiries with their person, who was there. Four queries."""
    enquiries = list(
        EventEnquiry.objects.filter(event=event, candidate__merged_into__isnull=True)
        .select_related("candidate", "candidate__stage", "recorded_by")
        .order_by("-created_at", "-id")[:limit]
    )
    return EventDetail(
        figures=outreach_event_figures(event),
        enquiries=enquiries,
        staff_present=list(event.staff_present.order_by("full_name", "email")),
        providers_attending=list(event.providers_attending.order_by("name")),
    )


def event_stall_recent(event: OutreachEvent, *, limit: int = 10) -> list[EventEnquiry]:
    """The latest people added at the event, for the phone form's "added so far" list. One query."""
    return list(
        EventEnquiry.objects.filter(event=event).select_related("candidate").order_by("-created_at", "-id")[:limit]
    )


# --- figures for reports -------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceCount:
    """New people in a period who came from one source; `event` is set for those an event brought in."""

    source: str
    label: str
    people: int
    event: OutreachEvent | None = None


def enquiries_by_source(*, start: dt.date, end: dt.date) -> list[SourceCount]:
    """People whose record was created between `start` and `end` (inclusive), by how they came to the
    academy: each event that created records is its own line ("Job fair: Leeds jobs fair"), everyone
    else by the source on their record. Distinct people (merged duplicates left out); most first.
    Two queries.
    """
    brought_by = (
        EventEnquiry.objects.filter(candidate=OuterRef("pk"), is_new_record=True)
        .order_by("created_at", "pk")
        .values("event_id")[:1]
    )
    rows = list(
        Candidate.objects.one_per_person()
        .filter(created_at__gte=day_start(start), created_at__lt=day_start(end + dt.timedelta(days=1)))
        .annotate(brought_by_event=Subquery(brought_by))
        .order_by()
        .values("source", "brought_by_event")
        .annotate(people=Count("pk"))
    )
    events = OutreachEvent.objects.in_bulk([row["brought_by_event"] for row in rows if row["brought_by_event"]])
    labels = dict(Source.choices)
    counts = []
    for row in rows:
        event = events.get(row["brought_by_event"]) if row["brought_by_event"] else None
        if event is not None:
            counts.append(SourceCount(Source.EVENT, f"{event.get_kind_display()}: {event.title}", row["people"], event))
        else:
            source = row["source"] or ""
            counts.append(SourceCount(source, labels.get(source, "Not known"), row["people"]))
    return sorted(counts, key=lambda c: (-c.people, c.label))


@dataclass(frozen=True)
class EventCount:
    """One event held in a period: the distinct people who enquired, and how many it brought in new."""

    event: OutreachEvent
    enquiries: int
    new_records: int


def event_enquiry_counts(*, start: dt.date, end: dt.date) -> list[EventCount]:
    """Events held between `start` and `end` (inclusive), by date, with their enquiries. One query."""
    current = Q(enquiries__candidate__merged_into__isnull=True)
    events = (
        OutreachEvent.objects.filter(held_on__gte=start, held_on__lte=end)
        .annotate(
            n_enquiries=Count("enquiries__candidate", filter=current, distinct=True),
            n_new=Count("enquiries__candidate", filter=current & Q(enquiries__is_new_record=True), distinct=True),
        )
        .order_by("held_on", "title", "pk")
    )
    return [EventCount(event=e, enquiries=e.n_enquiries, new_records=e.n_new) for e in events]
