"""Factories and helpers for the applications area's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.test import Client
from django.urls import reverse

from candidates.models import Candidate
from candidates.models.choices import RightToWork
from courses.models import Cohort, ScreeningQuestion
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


def fill_application_profile(candidate: Candidate) -> Candidate:
    """Give a learner's record every profile detail an application needs (the factory leaves out right to work)."""
    candidate.phone = candidate.phone or "07700 900982"
    candidate.postcode = candidate.postcode or "LS1 1AA"
    candidate.date_of_birth = candidate.date_of_birth or dt.date(1990, 3, 27)
    candidate.right_to_work = candidate.right_to_work or RightToWork.YES
    candidate.save(update_fields=["phone", "postcode", "date_of_birth", "right_to_work"])
    return candidate


def apply_and_send(client: Client, cohort: Cohort, answers: dict[str, str] | None = None) -> Any:
    """Answer the application form, then send it from "Check your answers"; the last response."""
    response = client.post(reverse("courses:application-create", kwargs={"public_id": cohort.public_id}), answers or {})
    check_url = reverse("courses:application-check", kwargs={"public_id": cohort.public_id})
    assert response.status_code == 302 and response["Location"] == check_url, response
    return client.post(check_url)
