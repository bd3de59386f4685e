"""The delivery demo seed: learners and registers on the running and finished demo cohorts."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.demo_delivery import PAUSED_COHORT, seed_attendance
from courses.models import Attendance, Cohort, Enrolment
from courses.selectors.cohort_page import cohort_page

pytestmark = pytest.mark.django_db


def test_seed_attendance_fills_running_and_finished_cohorts_once(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")  # seeds courses, applications and attendance itself
    now = timezone.now()

    assert Attendance.objects.exists()
    assert seed_attendance(now=now) == 0
    today = timezone.localdate(now)
    assert not Attendance.objects.filter(session__date__gt=today).exists()
    for cohort in Cohort.objects.filter(status__in=[Cohort.Status.RUNNING, Cohort.Status.FINISHED]):
        assert cohort.enrolments.exists(), cohort.name
    running = Cohort.objects.filter(status=Cohort.Status.RUNNING)
    assert any(cohort_page(c, today=today).flagged_count for c in running)
    paused = Enrolment.objects.get(cohort__name=PAUSED_COHORT, status=Enrolment.Status.PAUSED)
    assert paused.status_reason and paused.ended_at
    assert Enrolment.objects.filter(candidate__user__email="learner2@demo.academy", cohort__in=running).exists()
    # Everyone is on at most one cohort of each course.
    pairs = list(Enrolment.objects.values_list("candidate_id", "cohort__course_id"))
    assert len(pairs) == len(set(pairs))
