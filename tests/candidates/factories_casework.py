"""Factories for casework tests (area D): contacts, action plans, selection events and results."""

from __future__ import annotations

import factory
from django.utils import timezone

from candidates.models import ActionPlanItem, ActionPlanReview, ContactLog, SelectionEvent, SelectionResult
from tests.factories import CandidateFactory


class ContactLogFactory(factory.django.DjangoModelFactory[ContactLog]):
    class Meta:
        model = ContactLog

    candidate = factory.SubFactory(CandidateFactory)
    kind = ContactLog.Kind.CALL
    summary = "Talked about the next course."


class ActionPlanItemFactory(factory.django.DjangoModelFactory[ActionPlanItem]):
    class Meta:
        model = ActionPlanItem

    candidate = factory.SubFactory(CandidateFactory)
    goal = "Pass Level 1 English"
    action = "Enrol on the college course"
    owner = "The learner"


class ActionPlanReviewFactory(factory.django.DjangoModelFactory[ActionPlanReview]):
    class Meta:
        model = ActionPlanReview

    candidate = factory.SubFactory(CandidateFactory)
    review_on = factory.LazyFunction(timezone.localdate)


class SelectionEventFactory(factory.django.DjangoModelFactory[SelectionEvent]):
    class Meta:
        model = SelectionEvent

    title = factory.Sequence(lambda n: f"Selection day {n}")
    held_on = factory.LazyFunction(timezone.localdate)
    location = "Civic Centre"


class SelectionResultFactory(factory.django.DjangoModelFactory[SelectionResult]):
    class Meta:
        model = SelectionResult

    event = factory.SubFactory(SelectionEventFactory)
    candidate = factory.SubFactory(CandidateFactory)
