"""The job applications demo: applications and referrals across statuses from completers, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from placements.demo_applications import seed
from placements.models import InterviewDue, JobApplication, JobApplicationStatusChange

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_applications_across_statuses_once(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")  # runs placements.demo, which runs demo_applications.seed
    statuses = set(JobApplication.objects.values_list("status", flat=True))
    assert {"awaiting_consent", "applied", "shortlisted", "referred", "not_progressed", "withdrawn"} <= statuses
    # Every application has its history, ending in its status.
    for application in JobApplication.objects.all():
        last = JobApplicationStatusChange.objects.filter(application=application).order_by("-changed_at").first()
        assert last is not None and last.to_status == application.status
        assert application.candidate.enrolments.filter(status="completed").exists()
    # A demo learner who can sign in has a referral to answer.
    assert JobApplication.objects.filter(
        candidate__user__email__endswith="@demo.academy", status="awaiting_consent"
    ).exists()
    assert InterviewDue.objects.exists()
    count = JobApplication.objects.count()
    assert seed(now=timezone.now()).startswith("0 job applications")
    assert JobApplication.objects.count() == count
