"""The second demo academy's own learners and course, and a learner who moved between the two.

courses/demo.py runs it after the first academy's cohorts are filled (so they never draw on these
learners) and before outcomes are recorded (so the coast cohort gets them too). Idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from academy.demo import DEMO_COAST_STAFF, DEMO_STAFF
from academy.models import Academy, User
from candidates.models import AcademyTransfer, Candidate, StageChange
from candidates.services.records import candidate_create
from candidates.services.transfers import candidate_transfer
from courses.models import Cohort, Course, Enrolment

COAST_SLUG = "fylde-coast"
COAST_PEOPLE = [
    ("Ellie", "Whitworth", "FY1 1AA"),
    ("Connor", "Ashworth", "FY1 1AB"),
    ("Maria", "Kowalczyk", "FY1 2AA"),
    ("Jamal", "Hussain", "FY1 2AB"),
    ("Shannon", "Riley", "FY1 3AA"),
    ("Tomasz", "Nowak", "FY1 3AB"),
    ("Gemma", "Pickup", "FY1 4AA"),
    ("Liam", "Entwistle", "FY1 4AB"),
    ("Patience", "Boateng", "FY1 5AA"),
    ("Ryan", "Lomax", "FY1 5AB"),
    ("Hannah", "Greenhalgh", "FY1 6AA"),
    ("Owen", "Parkinson", "FY1 6AB"),
]
ENROLLED = 8  # of the 12 on the finished coast cohort; courses' outcomes demo records how each ended


@transaction.atomic
def seed_coast(*, now: dt.datetime) -> int:
    """Create the coast academy's learners and its course with a finished cohort of eight; returns
    how many records were created (0 on a second run or without the coast academy)."""
    coast = Academy.objects.filter(slug=COAST_SLUG).first()
    staff = User.objects.filter(email=DEMO_COAST_STAFF[1][0]).first()
    if coast is None or staff is None or Candidate.objects.filter(academy=coast).exists():
        return 0
    people = [
        _coast_person(first, last, postcode, coast=coast, staff=staff, now=now, n=n)
        for n, (first, last, postcode) in enumerate(COAST_PEOPLE)
    ]
    cohort = _finished_cohort(coast, now=now)
    started = timezone.make_aware(dt.datetime.combine(cohort.start_date, dt.time(9, 30)))
    for person in people[:ENROLLED]:
        Enrolment.objects.create(cohort=cohort, candidate=person, created_at=started - dt.timedelta(days=7))
    return len(people)


def _coast_person(
    first: str, last: str, postcode: str, *, coast: Academy, staff: User, now: dt.datetime, n: int
) -> Candidate:
    registered = now - dt.timedelta(days=90 - 3 * n)
    person = candidate_create(
        actor=staff,
        data={
            "first_name": first,
            "last_name": last,
            "email": f"{first}.{last}@example.org".lower(),
            "postcode": postcode,
            "source": "jobcentre" if n % 2 else "social_media",
        },
        academy_id=coast.pk,
    )
    Candidate.objects.filter(pk=person.pk).update(created_at=registered, stage_entered_at=registered)
    StageChange.objects.filter(candidate=person).update(changed_at=registered)
    person.refresh_from_db()
    return person


def _finished_cohort(coast: Academy, *, now: dt.datetime) -> Cohort:
    course, _ = Course.objects.get_or_create(
        title="Care Ready: Fylde Coast",
        academy=coast,
        defaults={
            "summary": "Two weeks of care skills with a four-day placement at a Fylde Coast care home.",
            "kind": Course.Kind.BITE_SIZE,
            "length_days": 10,
            "placement_days": 4,
            "guaranteed_interview": True,
            "status": Course.Status.PUBLISHED,
        },
    )
    end = timezone.localdate(now) - dt.timedelta(weeks=3)
    cohort, _ = Cohort.objects.get_or_create(
        course=course,
        name="Blackpool, autumn",
        defaults={
            "start_date": end - dt.timedelta(days=11),
            "end_date": end,
            "capacity": 10,
            "venue": "Blackpool and The Fylde College",
            "town": "Blackpool",
            "status": Cohort.Status.FINISHED,
        },
    )
    return cohort


def move_one_city_learner() -> None:
    """A city learner who finished a course there, then moved to the coast: counted by each academy
    for what happened there, and once by the region. Once only."""
    coast = Academy.objects.filter(slug=COAST_SLUG).first()
    if coast is None or AcademyTransfer.objects.filter(to_academy=coast).exists():
        return
    manager = User.objects.filter(email=DEMO_STAFF[0][0]).first()
    mover = (
        Candidate.objects.current()
        .filter(academy__slug="academy", enrolments__status=Enrolment.Status.COMPLETED, user__isnull=True)
        .order_by("pk")
        .first()
    )
    if manager is None or mover is None:
        return
    candidate_transfer(
        candidate=mover, to_academy=coast, actor=manager, reason="Moved to Blackpool to live with family"
    )
