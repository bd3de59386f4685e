"""Factories the catalogue tests add to the shared ones: screening questions and seat holders."""

from __future__ import annotations

import factory

from courses.models import Application, Cohort, ScreeningQuestion
from tests.courses.factories import ApplicationFactory, CourseFactory, EnrolmentFactory


class QuestionFactory(factory.django.DjangoModelFactory[ScreeningQuestion]):
    class Meta:
        model = ScreeningQuestion

    course = factory.SubFactory(CourseFactory)
    text = factory.Sequence(lambda n: f"Why do you want to work in care? ({n})")
    position = factory.Sequence(lambda n: n + 1)


def take_seats(cohort: Cohort, n: int) -> None:
    """Fill `n` seats of `cohort`: half with offers not yet answered, half with enrolled learners."""
    for i in range(n):
        if i % 2:
            EnrolmentFactory.create(cohort=cohort)
        else:
            ApplicationFactory.create(cohort=cohort, status=Application.Status.OFFERED)
