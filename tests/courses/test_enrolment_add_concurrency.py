"""Two staff adding different people to a cohort's last seat at once: only one may get it (PostgreSQL).

The same shape as test_applications_concurrency: counting the seats is slowed down so the race is
certain, and the control test removes the cohort lock to show the race overbooks without it.

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/courses`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from academy.models import Role, User
from candidates.models import Candidate, PipelineStage
from courses.models import Cohort, Enrolment
from courses.services import delivery
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 2.0


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Two staff each add a different candidate to the cohort's last seat at once; returns each outcome."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    cohort = CohortFactory.create(capacity=2)
    EnrolmentFactory.create(cohort=cohort)  # one of the two seats is taken
    people: list[Candidate] = CandidateFactory.create_batch(2)
    staff = [UserFactory.create(role=Role.STAFF), UserFactory.create(role=Role.STAFF)]

    counted_both = threading.Barrier(2, timeout=WAIT_SECONDS)
    real_count = delivery.cohort_seats_taken

    def slow_count(cohort: Cohort) -> int:
        taken = real_count(cohort)
        with contextlib.suppress(threading.BrokenBarrierError):
            counted_both.wait()
        return taken

    monkeypatch.setattr(delivery, "cohort_seats_taken", slow_count)
    start = threading.Barrier(2)

    def add(candidate: Candidate, actor: User, outcome: list[str]) -> None:
        try:
            start.wait()
            delivery.enrolment_add(cohort=cohort, candidate=candidate, actor=actor)
            outcome.append("added")
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    def run() -> list[str]:
        outcomes: list[list[str]] = [[], []]
        threads = [threading.Thread(target=add, args=(people[i], staff[i], outcomes[i])) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return [o[0] if o else "no answer" for o in outcomes]

    run.cohort = cohort  # type: ignore[attr-defined]
    return run


def test_two_staff_adding_to_the_last_seat_at_once_cannot_both_succeed(race: Callable[[], list[str]]) -> None:
    outcomes = race()
    assert sorted(o == "added" for o in outcomes) == [False, True], outcomes
    assert "There are no seats left" in next(o for o in outcomes if o != "added")
    assert Enrolment.objects.filter(cohort=race.cohort).count() == 2  # type: ignore[attr-defined]


def test_without_the_lock_both_would_be_added(race: Callable[[], list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: proves the race above is real, so the first test fails if the lock is removed."""
    monkeypatch.setattr(
        delivery, "_lock_cohort", lambda cohort: Cohort.objects.select_related("course").get(pk=cohort.pk)
    )
    outcomes = race()
    assert outcomes == ["added", "added"]
    assert Enrolment.objects.filter(cohort=race.cohort).count() == 3  # type: ignore[attr-defined]
