"""Two staff adding different people to a cohort's last seat at once: only one may get it (PostgreSQL).

The same shape as test_applications_concurrency: counting the seats is slowed down so the race is
certain, and the control test removes the cohort lock to show the race overbooks without it.

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/courses`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from academy.models import Role
from candidates.models import Candidate, PipelineStage
from courses.models import Cohort, Enrolment
from courses.services import delivery
from tests.concurrency import DONE, at_once, slowed
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Two staff each add a different candidate to the cohort's last seat at once; returns each outcome."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    cohort = CohortFactory.create(capacity=2)
    EnrolmentFactory.create(cohort=cohort)  # one of the two seats is taken
    people: list[Candidate] = CandidateFactory.create_batch(2)
    staff = [UserFactory.create(role=Role.STAFF), UserFactory.create(role=Role.STAFF)]
    slowed(monkeypatch, delivery, "cohort_seats_taken")

    def run() -> list[str]:
        return at_once(
            *(
                lambda person=person, actor=actor: delivery.enrolment_add(cohort=cohort, candidate=person, actor=actor)
                for person, actor in zip(people, staff, strict=True)
            )
        )

    run.cohort = cohort  # type: ignore[attr-defined]
    return run


def test_two_staff_adding_to_the_last_seat_at_once_cannot_both_succeed(race: Callable[[], list[str]]) -> None:
    outcomes = race()
    assert sorted(o == DONE for o in outcomes) == [False, True], outcomes
    assert "There are no seats left" in next(o for o in outcomes if o != DONE)
    assert Enrolment.objects.filter(cohort=race.cohort).count() == 2  # type: ignore[attr-defined]


def test_without_the_lock_both_would_be_added(race: Callable[[], list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: proves the race above is real, so the first test fails if the lock is removed."""
    monkeypatch.setattr(
        delivery, "_lock_cohort", lambda cohort: Cohort.objects.select_related("course").get(pk=cohort.pk)
    )
    outcomes = race()
    assert outcomes == [DONE, DONE]
    assert Enrolment.objects.filter(cohort=race.cohort).count() == 3  # type: ignore[attr-defined]
