"""Two managers approving the last of a stream's budget at once: only one may, without confirming (PostgreSQL).

The same shape as test_enrolment_add_concurrency: reading the budget is slowed down so the race is
certain, and the control test removes the stream lock to show both approvals would overspend.

Run by .ci/run with DATABASE_URL (PostgreSQL): `pytest -m services tests/courses`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection

from academy.models import Role
from courses.selectors.payments import stream_budget
from courses.services import payments as payment_services
from tests.concurrency import DONE, at_once, slowed
from tests.courses.factories_outcomes import SupportPaymentFactory
from tests.factories import UserFactory
from tests.factories_funding import FundingStreamFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def race(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Two managers each approve a different £60 payment on a stream with £100 left; returns each outcome."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL pointing at PostgreSQL"
    stream = FundingStreamFactory.create(budget=Decimal("100.00"))
    payments = [SupportPaymentFactory.create(funding_stream=stream, amount=Decimal("60.00")) for _ in range(2)]
    managers = [UserFactory.create(role=Role.MANAGER), UserFactory.create(role=Role.MANAGER)]
    slowed(monkeypatch, payment_services, "over_budget_message")

    def run() -> list[str]:
        return at_once(
            *(
                lambda payment=payment, actor=actor: payment_services.payment_decide(
                    payment=payment, actor=actor, approve=True
                )
                for payment, actor in zip(payments, managers, strict=True)
            )
        )

    run.stream = stream  # type: ignore[attr-defined]
    return run


def test_two_approvals_of_the_last_of_the_budget_cannot_both_pass_unconfirmed(race: Callable[[], list[str]]) -> None:
    outcomes = race()
    assert sorted(o == DONE for o in outcomes) == [False, True], outcomes
    assert "over its budget" in next(o for o in outcomes if o != DONE)
    assert not stream_budget(race.stream).over  # type: ignore[attr-defined]


def test_control_without_the_stream_lock_both_approvals_overspend(
    race: Callable[[], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(payment_services, "_lock_stream", lambda stream: None)
    outcomes = race()
    assert outcomes == [DONE, DONE]
    assert stream_budget(race.stream).over  # type: ignore[attr-defined]
