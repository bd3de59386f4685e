"""The second demo academy's own learners and course, and a learner who moved between the two.

Run after the first academy's demo (courses/demo.py calls it last), so the first academy's cohorts
never draw on these learners. Idempotent: nothing is added once the coast academy has learners.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from academy.demo import DEMO_COAST_STAFF, DEMO_STAFF
from academy.models import Academy, User
from candidates.models import Candidate, Milestone, StageChange
from candidates.services.pipeline import candidate_move_to_milestone
from candidates.services.records import candidate_create
from candidates.services.transfers import candidate_transfer
from courses.demo_history import seed_status_history
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
COMPLETED, WITHDRAWN = 6, 1  # of the 8 enrolled on the finished coast cohort


@transaction.atomic
def seed_coast(*, now: dt.datetime) -> int:
    """Create the coast academy's learners, its course with a finished cohort, and one mover; returns
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
    today = timezone.localdate(now)
    for index, person in enumerate(people[:8]):
        status = (
            Enrolment.Status.COMPLETED
            if index < COMPLETED
            else Enrolment.Status.WITHDRAWN
            if index < COMPLETED + WITHDRAWN
            else Enrolment.Status.DID_NOT_COMPLETE
        )
        ended = timezone.make_aware(dt.datetime.combine(cohort.end_date, dt.time(16, 0)))
        Enrolment.objects.create(
            cohort=cohort,
            candidate=person,
            status=status,
            ended_at=ended,
            status_reason="" if status == Enrolment.Status.COMPLETED else "Started a job elsewhere",
            created_at=ended - dt.timedelta(days=21),
        )
        milestone = Milestone.COMPLETED_COURSE if status == Enrolment.Status.COMPLETED else Milestone.ON_COURSE
        candidate_move_to_milestone(candidate=person, milestone=milestone, actor=staff, only_forward=True)
    seed_status_history()
    _move_one_city_learner(coast, today=today)
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


def _move_one_city_learner(coast: Academy, *, today: dt.date) -> None:
    """A city learner who finished a course there, then moved to the coast: counted by each academy
    for what happened there, and once by the region."""
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
