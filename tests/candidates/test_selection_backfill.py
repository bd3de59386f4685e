"""The migration that links results recorded before follows_referral existed to the referral they followed."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from candidates.models import SelectionResult
from tests.candidates.factories_casework import SelectionEventFactory, SelectionResultFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("candidates.migrations.0014_selectionresult_backfill_follows_referral")


def test_the_backfill_links_each_result_to_the_referral_before_it_step_by_step() -> None:
    today = timezone.localdate()
    march, april, may = (SelectionEventFactory.create(held_on=today - timedelta(days=d)) for d in (60, 30, 0))
    first = SelectionResultFactory.create(event=march, outcome="referred", referred_to="college")
    again = SelectionResultFactory.create(
        event=april, candidate=first.candidate, outcome="referred", referred_to="college"
    )
    accepted = SelectionResultFactory.create(event=may, candidate=first.candidate, outcome="accepted")
    stranger = SelectionResultFactory.create(event=may, outcome="accepted")

    backfill.link(apps, None)
    backfill.link(apps, None)  # running twice changes nothing

    links = dict(SelectionResult.objects.values_list("pk", "follows_referral_id"))
    assert links == {first.pk: None, again.pk: first.pk, accepted.pk: again.pk, stranger.pk: None}
