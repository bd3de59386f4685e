"""Factories and helpers for the applications area's tests."""

from __future__ import annotations

import factory

from courses.models import ScreeningQuestion
from tests.courses.factories import CourseFactory


class ScreeningQuestionFactory(factory.django.DjangoModelFactory[ScreeningQuestion]):
    class Meta:
        model = ScreeningQuestion

    course = factory.SubFactory(CourseFactory)
    text = factory.Sequence(lambda n: f"Why do you want to work in care? ({n})")
    kind = ScreeningQuestion.Kind.TEXT
    required = True
    position = factory.Sequence(lambda n: n)


class ChoiceQuestionFactory(ScreeningQuestionFactory):
    text = factory.Sequence(lambda n: f"Can you attend every weekday from 9:30 to 3pm? ({n})")
    kind = ScreeningQuestion.Kind.CHOICE
    choices = "Yes\nNo\nSome days"
