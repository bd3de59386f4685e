"""The work placement and CV demo seeds: consistent with the courses' demo cohorts, and idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import Enrolment
from placements import demo, demo_cv, demo_work
from placements.models import Cv, CvComment, ReadinessFeedback, WorkPlacement
from placements.selectors.feedback import readiness_results

pytestmark = pytest.mark.django_db
Status = WorkPlacement.Status


def test_seed_makes_placements_feedback_and_cvs_once(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DEBUG = True
    # This area's seeds after the layers below (the other placements areas have their own demo tests).
    monkeypatch.setattr(demo, "AREAS", ["work", "cv"])
    call_command("seed_demo")
    now = timezone.now()
    statuses = set(WorkPlacement.objects.values_list("status", flat=True))
    assert {Status.SIGNED_OFF, Status.IN_PROGRESS} <= statuses
    # Every placement is for a learner enrolled on its cohort, within or after the cohort's dates.
    for placement in WorkPlacement.objects.select_related("cohort"):
        assert placement.cohort is not None
        assert Enrolment.objects.filter(cohort=placement.cohort, candidate=placement.candidate).exists()
        assert placement.cohort.start_date <= placement.start_date <= placement.end_date
        assert 0 <= placement.worked_hours <= placement.planned_hours
        assert placement.status_changes.exists()
    signed_off = WorkPlacement.objects.filter(status=Status.SIGNED_OFF)
    assert all(p.review for p in signed_off)
    assert ReadinessFeedback.objects.filter(answered_at__isnull=False).exists()
    assert ReadinessFeedback.objects.filter(answered_at=None).exists()
    assert readiness_results().overall.asked == ReadinessFeedback.objects.count()
    assert Cv.objects.filter(candidate__user__email="learner@demo.academy").exists()
    assert CvComment.objects.filter(resolved_at__isnull=False).exists()

    counts = (WorkPlacement.objects.count(), ReadinessFeedback.objects.count(), Cv.objects.count())
    demo_work.seed(now=now)
    demo_cv.seed(now=now)
    assert (WorkPlacement.objects.count(), ReadinessFeedback.objects.count(), Cv.objects.count()) == counts
