"""The outcomes demo: completers get outcomes and answered follow-ups across the last quarters, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import Enrolment
from placements.demo_outcomes import seed
from placements.models import FollowUp, JobStart, Outcome
from tests.courses.factories_outcomes import finished_cohort
from tests.placements.factories_outcomes import JobStartFactory

pytestmark = pytest.mark.django_db


def test_seed_gives_completers_outcomes_and_follow_ups_once():
    for ended in (300, 200, 120):
        cohort = finished_cohort(learners=8, ended_days_ago=ended)
        Enrolment.objects.filter(cohort=cohort.cohort).update(status=Enrolment.Status.COMPLETED)
    now = timezone.now()
    seed(now=now)
    outcomes = Outcome.objects.count()
    follow_ups = FollowUp.objects.count()
    assert 0 < outcomes <= 24
    assert follow_ups > 0
    overdue = FollowUp.objects.filter(due_on__lt=timezone.localdate() - dt.timedelta(days=3))
    assert not overdue.filter(result="pending").exists()
    assert overdue.filter(result="still_employed").exists()
    # Starts fall after each cohort ended, within the last four quarters.
    assert all(o.start_date > o.candidate.enrolments.get().cohort.end_date for o in Outcome.objects.all())
    seed(now=now)
    assert (Outcome.objects.count(), FollowUp.objects.count()) == (outcomes, follow_ups)


def test_with_the_starts_demo_its_job_starts_are_the_jobs(provider_a):
    cohort = finished_cohort(learners=10, ended_days_ago=150)
    Enrolment.objects.filter(cohort=cohort.cohort).update(status=Enrolment.Status.COMPLETED)
    start = JobStartFactory.build(
        candidate=cohort.enrolments[0].candidate,
        provider=provider_a,
        start_date=timezone.localdate() - dt.timedelta(days=100),
    )
    JobStart.objects.bulk_create([start])  # no post_save: the demo gives it its outcome
    seed(now=timezone.now())
    paid = Outcome.objects.paid()
    assert list(paid.values_list("job_start__candidate", flat=True)) == [cohort.enrolments[0].candidate.pk]
