"""The outcomes demo seed: finished demo cohorts get outcomes, feedback, questionnaires and payments, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.demo_outcomes import DEMO_LEARNER, seed_outcomes
from courses.models import Certificate, Cohort, Enrolment, Feedback, Questionnaire, SupportPayment
from courses.selectors.outcomes import cohort_completion_summary, cohort_feedback_summary, cohort_questionnaire_change
from courses.services.feedback import feedback_problem, questionnaire_problem

pytestmark = pytest.mark.django_db


def test_seed_outcomes_fills_the_finished_cohorts_once(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")  # seeds courses, applications, attendance and outcomes itself
    now = timezone.now()
    counts = (Feedback.objects.count(), Questionnaire.objects.count(), Certificate.objects.count())
    payments = SupportPayment.objects.count()

    assert Feedback.objects.exists() and payments > 0
    assert seed_outcomes(now=now) == 0
    assert (Feedback.objects.count(), Questionnaire.objects.count(), Certificate.objects.count()) == counts
    assert SupportPayment.objects.count() == payments
    finished = Cohort.objects.filter(status=Cohort.Status.FINISHED, end_date__lt=timezone.localdate(now))
    assert finished.exists()
    for cohort in finished:
        summary = cohort_completion_summary(cohort)
        assert summary.in_progress == 0, cohort.name
        assert summary.rate is not None and 50 <= summary.rate <= 100, cohort.name
        assert cohort_feedback_summary(cohort).count > 0, cohort.name
        assert cohort_questionnaire_change(cohort).pairs > 0, cohort.name
        assert SupportPayment.objects.filter(cohort=cohort).exists(), cohort.name
    assert SupportPayment.objects.filter(kind="attendance_bursary").exists()
    assert set(SupportPayment.objects.values_list("status", flat=True)) == set(SupportPayment.Status.values) - {
        "rejected"
    }
    demo = Enrolment.objects.get(candidate__user__email=DEMO_LEARNER)
    today = timezone.localdate(now)
    assert demo.status == Enrolment.Status.COMPLETED and demo.certificates.exists()
    assert feedback_problem(demo, given=False, today=today) == ""
    assert questionnaire_problem(demo, when="after", answered=False, today=today) == ""
    assert not Feedback.objects.filter(enrolment=demo).exists()
