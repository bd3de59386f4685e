"""The interviews, offers and starts demo: consistent with courses' completers, and seeded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from academy.models import User
from courses.models import Enrolment
from placements.demo_starts import seed
from placements.models import FolderRelease, Interview, JobApplication, JobStart
from placements.selectors.starts import ready_to_start_checklist, week_bounds

pytestmark = pytest.mark.django_db


def test_the_demo_starts_only_completers_after_their_course_and_runs_once(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    now = timezone.now()
    today = timezone.localdate(now)
    starts = list(JobStart.objects.select_related("candidate"))
    assert len(starts) >= 5
    for start in starts:
        ended = Enrolment.objects.filter(candidate=start.candidate, status=Enrolment.Status.COMPLETED).values_list(
            "ended_at", flat=True
        )
        assert ended and any(timezone.localdate(e) < start.start_date for e in ended), start
        assert (today - start.start_date).days <= 366 and start.start_date < today
    assert JobStart.objects.filter(application__isnull=True).exists()
    assert not JobApplication.objects.filter(status="started", job_start__isnull=True).exists()
    assert Interview.objects.filter(outcome="pending", starts_at__gt=now).exists()
    assert Interview.objects.filter(outcome="unsuccessful").exists()
    assert (
        FolderRelease.objects.filter(application__folder_release_consented=True).count()
        == FolderRelease.objects.count()
        > 0
    )
    accepted = JobApplication.objects.filter(status="accepted").first()
    assert accepted is not None
    staff = User.objects.get(email="staff@demo.academy")
    items = ready_to_start_checklist(application=accepted, viewer=staff).items
    assert 0 < sum(i.met for i in items) < len(items)
    assert week_bounds(today)[0] <= now
    counts = (JobStart.objects.count(), Interview.objects.count(), JobApplication.objects.count())
    assert seed(now=now) == ""
    assert (JobStart.objects.count(), Interview.objects.count(), JobApplication.objects.count()) == counts
    assert not JobApplication.objects.filter(
        offered_at__isnull=False, offer_start_date__lt=F("offered_at__date")
    ).exists()
