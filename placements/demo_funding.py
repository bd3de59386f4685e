"""Demo funding data for `seed_demo`: who counts for the three demo streams, and learner support on them.

Runs after courses' demo (placements/demo.py), whose cohorts charge the streams candidates/demo_funding.py
made. Everyone enrolled on a cohort counts for that cohort's stream from the day they enrolled;
people eligible for the DWP-style stream (referred by Jobcentre Plus) and for the priority-groups
stream are attributed too, as the evaluator decides, so a person may count for two streams. Support
outside a cohort (interview clothes, uniform, exam fees, transport to interviews) is charged to
the streams across the last four quarters, most of it paid, some approved, one request waiting
with a benefits warning. Idempotent: attributions are unique per person and stream, and a stream's
support outside cohorts is seeded only while it has none. A few DBS checks are paid by the DWP stream.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from academy.models import FundingStream, User
from candidates.demo_funding import DWP, PRIORITY
from candidates.models import Candidate, DbsCheck, StreamAttribution
from candidates.selectors.eligibility import ELIGIBLE, stream_eligibility, streams_with_rules
from courses.models import Enrolment, SupportPayment
from courses.selectors.payments import cohort_stream
from placements.selectors.funding import last_quarters

Kind, Status = SupportPayment.Kind, SupportPayment.Status
STAFF, MANAGER = "staff@demo.academy", "manager@demo.academy"
# (kind, amount, description, may affect benefits): support people ask for outside a course.
SUPPORT = [
    (Kind.INTERVIEW_CLOTHES, "45.00", "Smart clothes for a job interview", False),
    (Kind.UNIFORM, "38.50", "Tunic and shoes for the first week in work", False),
    (Kind.EXAM_FEES, "85.00", "Level 2 Diploma in Care registration", False),
    (Kind.TRANSPORT, "12.60", "Return train fare to an interview", False),
    (Kind.CHILDCARE, "64.00", "Childminder on interview and induction days", True),
]


def _clamp(day: dt.date, stream: FundingStream) -> dt.date:
    return min(max(day, stream.start_date), stream.end_date)


def _attribute_enrolled(staff: User | None) -> int:
    """Each enrolled learner counts for their cohort's stream from the day they enrolled."""
    made = 0
    enrolments = Enrolment.objects.select_related(
        "candidate", "cohort__course__funding_stream", "cohort__funding_stream"
    )
    for enrolment in enrolments.order_by("created_at", "pk"):
        stream = cohort_stream(enrolment.cohort)
        if stream is None:
            continue
        _, created = StreamAttribution.objects.get_or_create(
            candidate=enrolment.candidate,
            stream=stream,
            defaults={
                "attributed_on": _clamp(timezone.localdate(enrolment.created_at), stream),
                "attributed_by": staff,
                "reason": f"Enrolled on {enrolment.cohort}",
            },
        )
        made += created
    return made


def _attribute_eligible(staff: User | None, *, today: dt.date) -> int:
    """People the rules say are eligible: Jobcentre referrals for the DWP stream, up to 30 for priority groups."""
    made = 0
    streams = {s.code: s for s in streams_with_rules(FundingStream.objects.filter(code__in=[DWP, PRIORITY]))}
    people = Candidate.objects.current().order_by("created_at", "pk")
    taken = {PRIORITY: 0}
    for person in people:
        for code, stream in streams.items():
            if code == DWP and not person.jobcentre_referral:
                continue
            if code == PRIORITY and taken[PRIORITY] >= 30:
                continue
            if stream_eligibility(person, stream, on=today).status != ELIGIBLE:
                continue
            _, created = StreamAttribution.objects.get_or_create(
                candidate=person,
                stream=stream,
                defaults={
                    "attributed_on": _clamp(timezone.localdate(person.created_at), stream),
                    "attributed_by": staff,
                    "reason": "Referred by Jobcentre Plus" if code == DWP else "Meets the priority-group rules",
                },
            )
            made += created
            if code == PRIORITY:
                taken[PRIORITY] += 1
    return made


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _support(stream: FundingStream, *, staff: User | None, manager: User | None, today: dt.date) -> int:
    """Support outside cohorts for people counting for the stream, spread over the last four quarters."""
    if SupportPayment.objects.filter(funding_stream=stream, cohort__isnull=True).exists():
        return 0
    rng = random.Random(f"demo-funding-{stream.code}")  # noqa: S311 - demo data, not security
    people = list(
        StreamAttribution.objects.filter(stream=stream).select_related("candidate").order_by("attributed_on", "pk")
    )
    if not people:
        return 0
    made = 0
    quarters = last_quarters(today)
    for number, (start, end) in enumerate(quarters):
        last_day = min(end, today - dt.timedelta(days=2))
        if last_day < start:  # a quarter only a day or two old has nothing decided yet
            continue
        # Only people who already counted for the stream in the quarter can have support charged to it.
        counted = [a for a in people if a.attributed_on <= last_day]
        for slot in range(3 if counted else 0):
            attribution = counted[(number * 3 + slot) % len(counted)]
            kind, amount, description, benefits = SUPPORT[(number + slot) % len(SUPPORT)]
            first = max(start, attribution.attributed_on, stream.start_date)
            asked_on = first + dt.timedelta(days=rng.randint(0, max((last_day - first).days, 0)))
            newest = number == len(quarters) - 1
            status = Status.REQUESTED if newest and slot == 2 else Status.APPROVED if newest else Status.PAID
            decided = _at(min(asked_on + dt.timedelta(days=1), today), 11)
            SupportPayment.objects.create(
                created_at=_at(asked_on, 10),
                candidate=attribution.candidate,
                kind=kind,
                amount=Decimal(amount),
                description=description,
                funding_stream=stream,
                may_affect_benefits=benefits or status == Status.REQUESTED,
                status=status,
                requested_by=staff,
                decided_by=manager if status != Status.REQUESTED else None,
                decided_at=decided if status != Status.REQUESTED else None,
                paid_at=min(decided + dt.timedelta(days=2), timezone.now()) if status == Status.PAID else None,
            )
            made += 1
    return made


def _dbs_on_stream(stream: FundingStream | None) -> int:
    """Checks for people the DWP stream counts: it pays for the first three started while it was open."""
    if stream is None or DbsCheck.objects.filter(funding_stream=stream).exists():
        return 0
    counted = StreamAttribution.objects.filter(stream=stream).values("candidate")
    checks = DbsCheck.objects.filter(
        candidate__in=counted, started_on__gte=stream.start_date, started_on__lte=stream.end_date
    ).order_by("started_on", "pk")[:3]
    return DbsCheck.objects.filter(pk__in=[check.pk for check in checks]).update(
        paid_by=DbsCheck.PaidBy.FUNDING_STREAM, funding_stream=stream
    )


@transaction.atomic
def seed(*, now: dt.datetime) -> str:
    today = timezone.localdate(now)
    staff = User.objects.filter(email=STAFF).first()
    manager = User.objects.filter(email=MANAGER).first()
    attributed = _attribute_enrolled(staff) + _attribute_eligible(staff, today=today)
    payments = sum(
        _support(stream, staff=staff, manager=manager, today=today) for stream in FundingStream.objects.order_by("pk")
    )
    checks = _dbs_on_stream(FundingStream.objects.filter(code=DWP).first())
    streams = FundingStream.objects.count()
    return (
        f"{streams} funding streams, {attributed} attributions, "
        f"{payments} support payments and {checks} DBS checks on streams"
    )
