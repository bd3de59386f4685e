"""Two staff at the same stall add the same new person at the same moment: one record (PostgreSQL).

The duplicate check is slowed so that both threads look before either writes; with enquiries at an
event taking turns, the second looks only after the first has committed and finds the person. The
control takes the lock away and shows the same race then makes the person twice.

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/candidates`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from academy.models import Role
from candidates.models import Candidate, EventEnquiry, OutreachEvent, PipelineStage
from candidates.services import outreach as services
from tests.concurrency import DONE, at_once, slowed
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    event = OutreachEvent.objects.create(
        title="Race fair", kind=OutreachEvent.Kind.JOB_FAIR, held_on=timezone.localdate(), place="Hall"
    )
    staff = [UserFactory.create(role=Role.STAFF), UserFactory.create(role=Role.STAFF)]
    slowed(monkeypatch, services, "_best_match")

    def add(actor_index: int) -> Callable[[], object]:
        return lambda: services.event_enquiry_record(
            event=event,
            actor=staff[actor_index],
            channel=EventEnquiry.Channel.AT_EVENT,
            first_name="Rae",
            last_name="Race",
            phone="07700 900777",
        )

    return lambda: at_once(add(0), add(1))


def test_the_same_person_added_twice_at_once_is_one_record(race: Callable[[], list[str]]) -> None:
    assert race() == [DONE, DONE]
    assert Candidate.objects.filter(last_name="Race").count() == 1
    assert EventEnquiry.objects.count() == 1


def test_without_the_lock_the_person_would_be_made_twice(
    race: Callable[[], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: proves the race above is real, so the first test fails if the lock is removed."""
    monkeypatch.setattr(services, "_lock_event", lambda event: None)
    assert race() == [DONE, DONE]
    assert Candidate.objects.filter(last_name="Race").count() == 2
