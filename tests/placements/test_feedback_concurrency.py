"""Two workers asking for the same readiness feedback at once: the provider is emailed once (PostgreSQL).

Each worker claims the row by a conditional update of `requested_at` and writes the email to the outbox
in the same transaction; the worker that claims first is held before it commits, so the second one's
update waits on the row and then finds it claimed. The control test replaces the claim by a plain read
(what a naive "if not requested_at: send" would do) and shows both workers email.

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/placements`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.db.models import QuerySet

from academy.models import OutboxMessage
from placements.models import ReadinessFeedback
from placements.services import feedback as services
from tests.factories import ProviderMembershipFactory
from tests.placements.factories_work import ReadinessFeedbackFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

HOLD_SECONDS = 1.0


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[bool]]:
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    feedback = ReadinessFeedbackFactory.create()
    ProviderMembershipFactory.create(provider=feedback.provider)
    real_enqueue = services.email_enqueue

    def slow_enqueue(message: dict[str, object]) -> None:
        real_enqueue(message)
        time.sleep(HOLD_SECONDS)  # hold the claim's transaction open while the other worker tries

    monkeypatch.setattr(services, "email_enqueue", slow_enqueue)
    start = threading.Barrier(2)

    def ask(outcome: list[bool]) -> None:
        try:
            start.wait()
            outcome.append(services.readiness_feedback_request(feedback_id=feedback.pk))
        finally:
            connections.close_all()

    def run() -> list[bool]:
        outcomes: list[list[bool]] = [[], []]
        threads = [threading.Thread(target=ask, args=(outcomes[i],)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return [o[0] for o in outcomes if o]

    return run


def test_two_workers_email_the_provider_once(race: Callable[[], list[bool]]) -> None:
    assert sorted(race()) == [False, True]
    assert OutboxMessage.objects.count() == 1


def test_control_without_the_conditional_claim_both_workers_email(
    race: Callable[[], list[bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    both_read = threading.Barrier(2, timeout=5)

    class NaiveManager:
        """Reads `requested_at`, then sets it unconditionally: the race the conditional update closes."""

        pk = 0

        def filter(self, **kwargs: int) -> NaiveManager:
            self.pk = kwargs["pk"]
            return self

        def update(self, **values: object) -> int:
            unclaimed = ReadinessFeedback.objects.filter(pk=self.pk, requested_at=None).exists()
            with contextlib.suppress(threading.BrokenBarrierError):
                both_read.wait()
            ReadinessFeedback.objects.filter(pk=self.pk).update(**values)
            return 1 if unclaimed else 0

        def select_related(self, *fields: str) -> QuerySet[ReadinessFeedback]:  # reading the row back
            return ReadinessFeedback.objects.select_related(*fields)

    class NaiveModel:
        objects = NaiveManager()

    monkeypatch.setattr(services, "ReadinessFeedback", NaiveModel)
    assert race() == [True, True]
    assert OutboxMessage.objects.count() == 2
