"""Readiness feedback: created when due (idempotent), requested once, answered once; the results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import OutboxMessage
from courses.models import Enrolment
from placements.models import ReadinessFeedback, WorkPlacement
from placements.selectors.feedback import readiness_results
from placements.services import feedback as services
from placements.tasks import readiness_feedback_sweep_task
from tests.courses.factories import CourseFactory, EnrolmentFactory
from tests.factories import ProviderMembershipFactory
from tests.placements.factories_work import (
    JobStartFactory,
    ReadinessFeedbackFactory,
    WorkPlacementFactory,
    past_cohort,
)

Status = WorkPlacement.Status
pytestmark = pytest.mark.django_db


def test_finished_placements_and_starts_four_weeks_ago_are_due_once(provider_a):
    today = timezone.localdate()
    signed_off = WorkPlacementFactory.create(provider=provider_a, status=Status.SIGNED_OFF)
    completed = WorkPlacementFactory.create(provider=provider_a, status=Status.COMPLETED)
    WorkPlacementFactory.create(provider=provider_a, status=Status.IN_PROGRESS)
    WorkPlacementFactory.create(provider=provider_a, status=Status.ENDED_EARLY)
    old_start = JobStartFactory.create(provider=provider_a, start_date=today - dt.timedelta(weeks=4))
    JobStartFactory.create(provider=provider_a, start_date=today - dt.timedelta(weeks=4) + dt.timedelta(days=1))
    JobStartFactory.create(provider=None, employer_name="Elsewhere Ltd", start_date=today - dt.timedelta(weeks=8))

    assert services.readiness_feedback_create_due(today=today) == 3
    assert services.readiness_feedback_create_due(today=today) == 0
    due = ReadinessFeedback.objects.all()
    assert {f.placement_id for f in due if f.placement_id} == {signed_off.pk, completed.pk}
    assert [f.job_start_id for f in due if f.job_start_id] == [old_start.pk]
    assert ReadinessFeedback.objects.get(job_start=old_start).due_on == old_start.start_date + dt.timedelta(weeks=4)


def test_sweep_emails_the_provider_users_once(provider_user, django_capture_on_commit_callbacks):
    colleague = ProviderMembershipFactory.create(provider=provider_user.provider_membership.provider).user
    WorkPlacementFactory.create(provider=provider_user.provider_membership.provider, status=Status.SIGNED_OFF)
    with django_capture_on_commit_callbacks(execute=False):
        first = services.readiness_feedback_sweep()
        second = readiness_feedback_sweep_task()
    assert (first.created, first.requested) == (1, 1)
    assert second == 0
    message = OutboxMessage.objects.get()
    assert sorted(message.to) == sorted([provider_user.email, colleague.email])
    assert "How ready for work is" in message.subject
    assert ReadinessFeedback.objects.get().requested_at is not None


def test_a_claimed_request_is_not_sent_again(provider_user, django_capture_on_commit_callbacks):
    feedback = ReadinessFeedbackFactory.create(placement__provider=provider_user.provider_membership.provider)
    with django_capture_on_commit_callbacks(execute=False):
        assert services.readiness_feedback_request(feedback_id=feedback.pk) is True
        assert services.readiness_feedback_request(feedback_id=feedback.pk) is False
    assert OutboxMessage.objects.count() == 1


def test_answer_once_then_refused(provider_user):
    feedback = ReadinessFeedbackFactory.create(placement__provider=provider_user.provider_membership.provider)
    services.readiness_feedback_answer(feedback=feedback, actor=provider_user, rating=4, comment=" Good start ")
    feedback.refresh_from_db()
    assert (feedback.rating, feedback.comment, feedback.answered_by) == (4, "Good start", provider_user)
    with pytest.raises(ValidationError, match="already given"):
        services.readiness_feedback_answer(feedback=feedback, actor=provider_user, rating=1, comment="")
    feedback.refresh_from_db()
    assert feedback.rating == 4


def test_rating_out_of_range_is_refused(provider_user):
    feedback = ReadinessFeedbackFactory.create()
    with pytest.raises(ValidationError):
        services.readiness_feedback_answer(feedback=feedback, actor=provider_user, rating=6, comment="")
    feedback.refresh_from_db()
    assert feedback.answered_at is None


def test_an_answered_row_is_never_requested(provider_user, django_capture_on_commit_callbacks):
    feedback = ReadinessFeedbackFactory.create()
    services.readiness_feedback_answer(feedback=feedback, actor=provider_user, rating=3, comment="")
    with django_capture_on_commit_callbacks(execute=False):
        assert services.readiness_feedback_sweep().requested == 0
    assert not OutboxMessage.objects.exists()


def _answered(placement_kwargs, rating):
    feedback = ReadinessFeedbackFactory.create(**{f"placement__{k}": v for k, v in placement_kwargs.items()})
    if rating is not None:
        ReadinessFeedback.objects.filter(pk=feedback.pk).update(rating=rating, answered_at=timezone.now())
    return feedback


def test_results_per_course_and_cohort_with_denominators_and_distinct_learners(django_assert_num_queries):
    care = CourseFactory.create(title="Care Certificate")
    intro = CourseFactory.create(title="Introduction to care")
    care_cohort = past_cohort(days_ago=40, course=care)
    intro_cohort = past_cohort(days_ago=40, course=intro)
    for rating in (5, 4, 5, None):
        _answered({"cohort": care_cohort}, rating)
    for rating in (3, 2, 4):
        _answered({"cohort": intro_cohort}, rating)
    # A job start counts towards the learner's last completed course; the same learner counts once.
    learner_fb = _answered({"cohort": intro_cohort}, 1)
    learner = learner_fb.placement.candidate
    Enrolment.objects.filter(candidate=learner).update(status=Enrolment.Status.COMPLETED)
    start = JobStartFactory.create(candidate=learner, start_date=intro_cohort.end_date + dt.timedelta(days=3))
    assert start.provider is not None
    ReadinessFeedback.objects.create(
        provider=start.provider, job_start=start, due_on=timezone.localdate(), rating=2, answered_at=timezone.now()
    )

    with django_assert_num_queries(5):
        results = readiness_results()

    by_course = {row.label: row for row in results.by_course}
    assert (by_course["Care Certificate"].asked, by_course["Care Certificate"].answered) == (4, 3)
    assert by_course["Care Certificate"].response_rate == 75
    assert by_course["Care Certificate"].mean == Decimal("4.7")
    assert by_course["Care Certificate"].distribution == (0, 0, 0, 1, 2)
    intro_row = by_course["Introduction to care"]
    assert (intro_row.asked, intro_row.answered, intro_row.learners_asked) == (5, 5, 4)
    assert intro_row.mean == Decimal("2.4")
    assert results.best is not None and results.best.label == "Care Certificate"
    assert results.overall.asked == 9 and results.overall.learners_asked == 8
    assert {row.obj for row in results.by_cohort} == {care_cohort, intro_cohort}


def test_no_best_course_with_too_few_answers():
    _answered({"cohort": past_cohort(days_ago=40)}, 5)
    _answered({"cohort": past_cohort(days_ago=40)}, 5)
    assert readiness_results().best is None


def test_a_job_start_without_a_completed_course_counts_as_no_course():
    EnrolmentFactory.create()
    start = JobStartFactory.create()
    assert start.provider is not None
    ReadinessFeedback.objects.create(provider=start.provider, job_start=start, due_on=timezone.localdate())
    results = readiness_results()
    assert [(row.label, row.asked) for row in results.by_course] == [("No course recorded", 1)]
