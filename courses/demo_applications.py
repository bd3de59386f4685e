"""Demo applications for `seed_demo`: applicants in every status on the upcoming open cohorts.

Call after the courses (courses.demo.seed_courses) and the candidates exist. Idempotent: a cohort
that already has applications is left alone, so running `seed_demo` again changes nothing.
Rows are written directly (no emails are sent, no audit entries), keeping within each cohort's
capacity as the services would. The first cohort is full (so closed for applications) with a waiting
list; the demo learner learner@demo.academy has an offer to accept there, and learner3@demo.academy
is on its waiting list.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, Milestone
from courses.models import Application, Cohort, Course, Enrolment
from courses.selectors.applications import cohort_seats_taken

Status = Application.Status

DEMO_OFFER_LEARNER = "learner@demo.academy"
DEMO_WAITING_LEARNER = "learner3@demo.academy"
DEMO_SUBMITTED_LEARNER = "learner4@demo.academy"
DECLINE_REASONS = [
    "This course needs you every weekday. Our part-time course starting next month may suit you better.",
    "The course is for people new to care. With your experience, our refresher course is a better fit.",
]


@transaction.atomic
def seed_applications(*, now: dt.datetime | None = None) -> int:
    """Give the upcoming open cohorts applicants in every status; returns how many were created."""
    now = now or timezone.now()
    cohorts = list(
        Cohort.objects.filter(
            status__in=[Cohort.Status.OPEN, Cohort.Status.CLOSED],
            start_date__gt=timezone.localdate(now),
            course__status=Course.Status.PUBLISHED,
        )
        .select_related("course")
        .order_by("start_date", "pk")
    )
    pool = _pool()
    created = 0
    for index, cohort in enumerate(cohorts):
        if cohort.applications.exists():
            continue
        plan = _full_cohort_plan(cohort) if index == 0 else _cohort_plan(index)
        learners = _learners_for(index)
        wanted = max(len(plan) - len(learners), 0)
        people, pool = pool[:wanted], pool[wanted:]
        for status, candidate in zip(plan, learners + people, strict=False):
            _create(cohort=cohort, candidate=candidate, status=status, now=now, n=created)
            created += 1
        if cohort_seats_taken(cohort) >= cohort.capacity:
            # Full: closed for applications, as staff would do (offers can still be accepted).
            Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.CLOSED)
    return created


def _pool() -> list[Candidate]:
    """Demo records without an account that could apply: "On course" first, so they take the accepted places."""
    records = list(
        Candidate.objects.current()
        .filter(user__isnull=True, stage__is_closed=False)
        .select_related("stage")
        .order_by("pk")
    )
    return sorted(records, key=lambda c: (c.stage.milestone != Milestone.ON_COURSE, c.pk))


def _learners_for(index: int) -> list[Candidate]:
    """Demo learners with accounts placed first in a cohort's plan, matching its first statuses."""
    emails = {0: [DEMO_OFFER_LEARNER, DEMO_WAITING_LEARNER], 1: [DEMO_SUBMITTED_LEARNER]}.get(index, [])
    records = Candidate.objects.filter(user__email__in=emails).select_related("user")
    by_email = {c.user.email: c for c in records if c.user is not None}
    return [by_email[email] for email in emails if email in by_email]


def _full_cohort_plan(cohort: Cohort) -> list[str]:
    """Demo learner's offer and waiting place first, then a full cohort with every other status."""
    accepted = max(cohort.capacity - 2, 0)  # with the two offers, every seat is taken
    return [
        Status.OFFERED,
        Status.WAITING_LIST,
        Status.OFFERED,
        *[Status.ACCEPTED] * accepted,
        Status.WAITING_LIST,
        Status.SUBMITTED,
        Status.SUBMITTED,
        Status.SHORTLISTED,
        Status.DECLINED,
        Status.LEARNER_DECLINED,
        Status.OFFER_EXPIRED,
        Status.WITHDRAWN,
    ]


def _cohort_plan(index: int) -> list[str]:
    if index == 1:
        return [
            Status.SUBMITTED,
            Status.SUBMITTED,
            Status.SHORTLISTED,
            Status.OFFERED,
            Status.ACCEPTED,
            Status.DECLINED,
        ]
    return [Status.SUBMITTED, Status.SHORTLISTED]


def _create(*, cohort: Cohort, candidate: Candidate, status: str, now: dt.datetime, n: int) -> None:
    applied = now - dt.timedelta(days=10 - n % 5, hours=n)
    valid = dt.timedelta(days=settings.COURSE_OFFER_VALID_DAYS)
    if status == Status.OFFER_EXPIRED:
        # The offer ran out: they applied a few days before it was made.
        applied = min(applied, now - valid - dt.timedelta(days=5))
    offered_at = {
        Status.OFFERED: now - dt.timedelta(days=1),
        Status.ACCEPTED: applied + dt.timedelta(days=2),
        Status.LEARNER_DECLINED: applied + dt.timedelta(days=2),
        Status.OFFER_EXPIRED: now - valid - dt.timedelta(days=2),
    }.get(Status(status))
    responded_at = {
        Status.ACCEPTED: applied + dt.timedelta(days=3),
        Status.LEARNER_DECLINED: applied + dt.timedelta(days=4),
        Status.OFFER_EXPIRED: now - dt.timedelta(days=2),
        Status.WITHDRAWN: applied + dt.timedelta(days=1),
    }.get(Status(status))
    decided_by = User.objects.filter(email="staff@demo.academy").first()
    application = Application.objects.create(
        cohort=cohort,
        candidate=candidate,
        status=status,
        answers=_answers(cohort),
        decision_reason=DECLINE_REASONS[n % len(DECLINE_REASONS)] if status == Status.DECLINED else "",
        waiting_since=applied + dt.timedelta(days=1) if status == Status.WAITING_LIST else None,
        offered_at=offered_at,
        responded_at=responded_at,
        decided_by=None if status in (Status.SUBMITTED, Status.WITHDRAWN) else decided_by,
    )
    Application.objects.filter(pk=application.pk).update(created_at=applied)
    if status == Status.ACCEPTED:
        Enrolment.objects.get_or_create(cohort=cohort, candidate=candidate, defaults={"application": application})


def _answers(cohort: Cohort) -> dict[str, str]:
    answers = {}
    for question in cohort.course.questions.all():
        choices = question.choice_list
        answers[str(question.pk)] = (
            choices[0] if choices else "I looked after my nan for two years and found it really rewarding."
        )
    return answers
