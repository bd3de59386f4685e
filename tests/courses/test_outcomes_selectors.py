"""Outcomes: the figures staff see (completion rate, average rating, questionnaire change), in SQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from academy.models import User
from courses.models import Enrolment, Questionnaire
from courses.selectors.outcomes import (
    CompletionSummary,
    cohort_completion_summary,
    cohort_feedback_average,
    cohort_feedback_comments,
    cohort_feedback_summary,
    cohort_questionnaire_change,
    course_cohort_feedback,
    course_feedback_summary,
    my_enrolment_list,
    my_enrolment_rows,
)
from courses.services.outcomes import enrolment_record_outcome
from tests.courses.factories import CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import mark
from tests.courses.factories_outcomes import CertificateFactory, FeedbackFactory, QuestionnaireFactory, finished_cohort

pytestmark = pytest.mark.django_db

Status = Enrolment.Status


def test_12_enrolled_10_complete_1_withdraws_1_does_not_complete_is_83_percent(staff: User) -> None:
    enrolments = finished_cohort(learners=12).enrolments
    for enrolment in enrolments[:10]:
        enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.COMPLETED)
    enrolment_record_outcome(enrolment=enrolments[10], actor=staff, status=Status.WITHDRAWN, reason="Started a job")
    enrolment_record_outcome(
        enrolment=enrolments[11], actor=staff, status=Status.DID_NOT_COMPLETE, reason="Missed the placement"
    )

    summary = cohort_completion_summary(enrolments[0].cohort)

    assert summary == CompletionSummary(in_progress=0, completed=10, withdrawn=1, did_not_complete=1, paused=0)
    assert summary.counted == 12
    assert summary.rate == 83


def test_learners_still_enrolled_count_as_not_yet_completed() -> None:
    cohort = CohortFactory.create()
    for status in [Status.COMPLETED] * 2 + [Status.ENROLLED]:
        EnrolmentFactory.create(cohort=cohort, status=status)

    summary = cohort_completion_summary(cohort)

    assert (summary.counted, summary.in_progress) == (3, 1)
    assert summary.rate == 67  # 2 / 3, rounded half up


def test_a_cohort_without_learners_has_no_rate() -> None:
    assert cohort_completion_summary(CohortFactory.create()).rate is None


def test_completion_rate_rounds_half_up() -> None:
    assert CompletionSummary(completed=1, withdrawn=7).rate == 13  # 12.5%
    assert CompletionSummary(completed=5, did_not_complete=3).rate == 63  # 62.5%


def test_feedback_summary_averages_to_one_decimal_place_as_decimal(django_assert_num_queries) -> None:
    cohort = finished_cohort(learners=0).cohort
    for rating in (5, 4, 4, 5, 3, 5):
        FeedbackFactory.create(enrolment__cohort=cohort, rating=rating)
    FeedbackFactory.create(rating=1)  # another cohort

    with django_assert_num_queries(1):
        summary = cohort_feedback_summary(cohort)

    assert summary.count == 6
    assert summary.average == Decimal("4.3")  # 26 / 6 = 4.333...
    assert isinstance(summary.average, Decimal)
    assert summary.rating_rows == [(5, 3), (4, 2), (3, 1), (2, 0), (1, 0)]


def test_feedback_summary_of_a_cohort_without_feedback() -> None:
    summary = cohort_feedback_summary(CohortFactory.create())

    assert (summary.count, summary.average) == (0, None)


def test_course_feedback_covers_all_its_cohorts_and_lists_each_cohorts_average(django_assert_num_queries) -> None:
    course = CourseFactory.create()
    older = CohortFactory.create(course=course, start_date=timezone.localdate() - dt.timedelta(days=60))
    newer = CohortFactory.create(course=course)
    for cohort, ratings in ((older, (5, 4)), (newer, (3,))):
        for rating in ratings:
            FeedbackFactory.create(enrolment__cohort=cohort, rating=rating)

    assert course_feedback_summary(course).average == Decimal("4.0")
    with django_assert_num_queries(1):
        rows = [(cohort, cohort_feedback_average(cohort)) for cohort in course_cohort_feedback(course)]

    assert rows == [(newer, Decimal("3.0")), (older, Decimal("4.5"))]


def test_feedback_comments_leave_out_empty_ones() -> None:
    cohort = CohortFactory.create()
    FeedbackFactory.create(enrolment__cohort=cohort, comment="Great tutor")
    FeedbackFactory.create(enrolment__cohort=cohort, comment="")

    assert [f.comment for f in cohort_feedback_comments(cohort)] == ["Great tutor"]


def test_questionnaire_change_counts_only_learners_who_answered_both(django_assert_num_queries) -> None:
    cohort = CohortFactory.create()
    both_a, both_b, only_before, only_after = (EnrolmentFactory.create(cohort=cohort) for _ in range(4))
    for enrolment, before, after in ((both_a, 20, 35), (both_b, 25, 31)):
        QuestionnaireFactory.create(enrolment=enrolment, when=Questionnaire.When.BEFORE, score=before)
        QuestionnaireFactory.create(enrolment=enrolment, when=Questionnaire.When.AFTER, score=after)
    QuestionnaireFactory.create(enrolment=only_before, when=Questionnaire.When.BEFORE, score=5)
    QuestionnaireFactory.create(enrolment=only_after, when=Questionnaire.When.AFTER, score=50)
    QuestionnaireFactory.create(when=Questionnaire.When.AFTER, score=50)  # another cohort

    with django_assert_num_queries(1):
        change = cohort_questionnaire_change(cohort)

    assert (change.pairs, change.before_count, change.after_count) == (2, 3, 3)
    assert change.average_before == Decimal("22.5")
    assert change.average_after == Decimal("33.0")
    assert change.average_change == Decimal("10.5")


def test_questionnaire_change_without_pairs_is_none() -> None:
    cohort = CohortFactory.create()
    QuestionnaireFactory.create(enrolment__cohort=cohort, when=Questionnaire.When.BEFORE)

    change = cohort_questionnaire_change(cohort)

    assert change.pairs == 0 and change.average_change is None


def test_the_learners_courses_say_what_they_can_do_now(candidate, django_assert_num_queries) -> None:
    today = timezone.localdate()
    ended = finished_cohort(learners=0).cohort
    done = EnrolmentFactory.create(cohort=ended, candidate=candidate, status=Status.COMPLETED)
    session = SessionFactory.create(cohort=ended, date=ended.start_date)
    mark(session, done)
    CertificateFactory.create(enrolment=done, title="Care Certificate")
    QuestionnaireFactory.create(enrolment=done, when=Questionnaire.When.BEFORE)
    upcoming = EnrolmentFactory.create(cohort=CohortFactory.create(), candidate=candidate)
    EnrolmentFactory.create(cohort=ended)  # someone else's

    with django_assert_num_queries(2):  # enrolments with their annotations, then certificates
        rows = my_enrolment_rows(my_enrolment_list(candidate.user), today=today)

    assert [row.enrolment for row in rows] == [upcoming, done]
    upcoming_row, done_row = rows
    assert done_row.can_give_feedback and done_row.can_answer_after and not done_row.can_answer_before
    assert done_row.enrolment.attendance_percent == Decimal("100.0")  # type: ignore[attr-defined]
    assert [c.title for c in done_row.enrolment.certificates.all()] == ["Care Certificate"]
    assert upcoming_row.can_answer_before and not upcoming_row.can_give_feedback
