"""Building blocks for known data sets: people, places, outcomes and follow-ups at given moments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from academy.models import Academy
from candidates.models import AcademyTransfer, Candidate, EqualityMonitoring, StageChange, StreamAttribution
from courses.models import Cohort, Enrolment
from placements.models import Outcome
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory
from tests.placements.factories_outcomes import OutcomeFactory

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A London wall-clock moment on `day`."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def person(created: dt.datetime, **fields: Any) -> Candidate:
    """A record made at `created`, with its first stage change then."""
    candidate = CandidateFactory.create(**fields)
    Candidate.objects.filter(pk=candidate.pk).update(created_at=created)
    StageChange.objects.filter(candidate=candidate).update(changed_at=created)
    candidate.refresh_from_db()
    return candidate


def equality(candidate: Candidate, **answers: str) -> EqualityMonitoring:
    return EqualityMonitoring.objects.create(candidate=candidate, **answers)


def cohort(start: dt.date, **fields: Any) -> Cohort:
    return CohortFactory.create(
        start_date=start, end_date=start + dt.timedelta(days=13), status=Cohort.Status.FINISHED, **fields
    )


def place(
    candidate: Candidate, on: Cohort, status: str = Enrolment.Status.ENROLLED, ended: dt.datetime | None = None
) -> Enrolment:
    return EnrolmentFactory.create(candidate=candidate, cohort=on, status=status, ended_at=ended)


def outcome(candidate: Candidate, start: dt.date, kind: str = Outcome.Kind.PAID_JOB_CARE, **fields: Any) -> Outcome:
    return OutcomeFactory.create(candidate=candidate, start_date=start, kind=kind, **fields)


def attribute(candidate: Candidate, stream: Any, on: dt.date) -> StreamAttribution:
    return StreamAttribution.objects.create(candidate=candidate, stream=stream, attributed_on=on)


def move(candidate: Candidate, to: Academy, when: dt.datetime) -> None:
    """The person moved from their academy to `to` at `when` (as academy transfers record it)."""
    AcademyTransfer.objects.create(candidate=candidate, from_academy=candidate.academy, to_academy=to, changed_at=when)
    Candidate.objects.filter(pk=candidate.pk).update(academy=to)
    candidate.refresh_from_db()


ZERO = Decimal("0.00")
