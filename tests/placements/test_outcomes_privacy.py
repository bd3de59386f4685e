"""A learner's outcomes and follow-ups in their data download, and what erasure keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from candidates.selectors.learner.export import learner_data_export
from placements.models import FollowUp
from tests.placements.factories_outcomes import FundingStreamFactory, OutcomeFactory, attribute

pytestmark = pytest.mark.django_db


def test_the_download_shows_outcomes_with_their_follow_ups_and_streams(candidate):
    stream = FundingStreamFactory.create(name="Care Pathway")
    attribute(candidate, stream)
    outcome = OutcomeFactory.create(candidate=candidate, employer_name="Meadow View")
    FollowUp.objects.create(outcome=outcome, stream=stream, week=4, due_on=timezone.localdate() + dt.timedelta(weeks=4))
    data = learner_data_export(candidate)
    assert data["outcomes"][0]["employer"] == "Meadow View"
    assert data["outcomes"][0]["follow_ups"].startswith("4 weeks (")
    assert data["funding_streams"][0]["funding_stream"] == "Care Pathway"
