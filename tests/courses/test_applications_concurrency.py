"""Two staff offering the last seat at the same moment: only one offer may succeed (PostgreSQL).

Each offer runs in its own thread, connection and transaction. To make the race certain rather
than lucky, counting the seats is slowed down: whoever counts first waits (up to two seconds) for
the other to count too. With the cohort row locked, the other cannot count until the first has
committed, so it sees the seat taken. The second test removes the lock and shows that the same
race then overbooks the cohort, so the first test would catch a missing lock.

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
from candidates.models import PipelineStage
from courses.models import Application, Cohort
from courses.services import applications as services
from tests.courses.factories import ApplicationFactory, CohortFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

Status = Application.Status
WAIT_SECONDS = 2.0


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Two staff offer the cohort's last seat to two applicants at once; returns each thread's outcome."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    # Transactional tests start from an empty database: the factories need the first stage.
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    cohort = CohortFactory.create(capacity=2)
    ApplicationFactory.create(cohort=cohort, status=Status.OFFERED)  # one of the two seats is taken
    applicants = ApplicationFactory.create_batch(2, cohort=cohort, status=Status.SHORTLISTED)
    staff = [UserFactory.create(role=Role.STAFF), UserFactory.create(role=Role.STAFF)]

    counted_both = threading.Barrier(2, timeout=WAIT_SECONDS)
    real_count = services.cohort_seats_taken

    def slow_count(cohort: Cohort) -> int:
        taken = real_count(cohort)
        # Broken barrier: the other offer could not count alongside, it was waiting for the lock.
        with contextlib.suppress(threading.BrokenBarrierError):
            counted_both.wait()
        return taken

    monkeypatch.setattr(services, "cohort_seats_taken", slow_count)
    start = threading.Barrier(2)

    def offer(application: Application, actor: User, outcome: list[str]) -> None:
        try:
            start.wait()
            services.application_decide(application=application, actor=actor, decision=Status.OFFERED)
            outcome.append("offered")
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    def run() -> list[str]:
        outcomes: list[list[str]] = [[], []]
        threads = [threading.Thread(target=offer, args=(applicants[i], staff[i], outcomes[i])) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return [o[0] if o else "no answer" for o in outcomes]

    run.cohort = cohort  # type: ignore[attr-defined]
    return run


def test_two_staff_offering_the_last_seat_at_once_cannot_both_succeed(race: Callable[[], list[str]]) -> None:
    outcomes = race()
    assert sorted(o == "offered" for o in outcomes) == [False, True], outcomes
    refused = next(o for o in outcomes if o != "offered")
    assert "There are no seats left" in refused
    cohort = race.cohort  # type: ignore[attr-defined]
    assert Application.objects.filter(cohort=cohort, status=Status.OFFERED).count() == 2  # = capacity


def test_without_the_lock_both_would_succeed(race: Callable[[], list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: proves the race above is real, so the first test fails if the lock is removed."""
    monkeypatch.setattr(services, "_lock_cohort", lambda cohort: Cohort.objects.get(pk=cohort.pk))
    outcomes = race()
    assert outcomes == ["offered", "offered"]
    cohort = race.cohort  # type: ignore[attr-defined]
    assert Application.objects.filter(cohort=cohort, status=Status.OFFERED).count() == 3  # overbooked
