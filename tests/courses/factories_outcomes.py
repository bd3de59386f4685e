"""Factories and helpers for the outcomes area's tests: finished cohorts, feedback, questionnaires, payments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone

from courses.models import Certificate, Cohort, Course, Enrolment, Feedback, Questionnaire, SupportPayment
from courses.services.feedback import STATEMENTS
from tests.courses.factories import CohortFactory, CourseFactory, EnrolmentFactory
from tests.factories import CandidateFactory


class FeedbackFactory(factory.django.DjangoModelFactory[Feedback]):
    class Meta:
        model = Feedback

    enrolment = factory.SubFactory(EnrolmentFactory)
    rating = 4
    comment = ""


class QuestionnaireFactory(factory.django.DjangoModelFactory[Questionnaire]):
    class Meta:
        model = Questionnaire

    enrolment = factory.SubFactory(EnrolmentFactory)
    when = Questionnaire.When.BEFORE
    score = 25
    answers = factory.LazyAttribute(lambda o: {key: o.score // len(STATEMENTS) for key, _ in STATEMENTS})


class CertificateFactory(factory.django.DjangoModelFactory[Certificate]):
    class Meta:
        model = Certificate

    enrolment = factory.SubFactory(EnrolmentFactory)
    title = "Introduction to care"
    issued_on = factory.LazyFunction(timezone.localdate)


class SupportPaymentFactory(factory.django.DjangoModelFactory[SupportPayment]):
    class Meta:
        model = SupportPayment

    cohort = factory.SubFactory(CohortFactory)
    candidate = factory.SubFactory(CandidateFactory)
    kind = SupportPayment.Kind.TRANSPORT
    amount = Decimal("12.50")
    description = "Bus fares"


@dataclass
class FinishedCohort:
    cohort: Cohort
    enrolments: list[Enrolment]


def finished_cohort(*, learners: int = 3, course: Course | None = None, ended_days_ago: int = 1) -> FinishedCohort:
    """A two-week cohort that ended `ended_days_ago` days ago, with `learners` still enrolled (outcomes to record)."""
    end = timezone.localdate() - dt.timedelta(days=ended_days_ago)
    cohort = CohortFactory.create(
        course=course or CourseFactory.create(),
        start_date=end - dt.timedelta(days=13),
        end_date=end,
        status=Cohort.Status.FINISHED,
        capacity=max(learners, 12),
    )
    enrolments = [
        EnrolmentFactory.create(
            cohort=cohort, candidate=CandidateFactory.create(first_name=f"Learner{i:02d}", last_name=f"Surname{i:02d}")
        )
        for i in range(learners)
    ]
    return FinishedCohort(cohort=cohort, enrolments=enrolments)


def scores(value: int) -> dict[str, int]:
    """Questionnaire answers giving every statement `value`."""
    return {key: value for key, _ in STATEMENTS}
