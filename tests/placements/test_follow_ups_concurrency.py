"""Exactly once on PostgreSQL: two daily sweeps at once (two workers) create, count and send each follow-up
reminder once. Run by .ci/run with DATABASE_URL (PostgreSQL); deselected in `make test`."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from placements.models import FollowUp, FollowUpReminder, Outcome
from placements.services import follow_ups
from placements.services.follow_ups import follow_ups_sweep
from tests.factories import CandidateFactory
from tests.placements.factories_outcomes import FundingStreamFactory, JobStartFactory, attribute

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DAY = dt.date(2026, 7, 6)


def in_threads(*calls: Callable[[], Any]) -> list[Any]:
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def test_two_sweeps_at_once_send_each_reminder_once(provider_a, staff, time_machine, monkeypatch) -> None:
    assert connection.vendor == "postgresql"
    time_machine.move_to(timezone.make_aware(dt.datetime.combine(DAY - dt.timedelta(weeks=30), dt.time(9))), tick=False)
    provider_a.contact_email = "jobs@a.example.org"
    provider_a.save()
    stream = FundingStreamFactory.create(
        start_date=DAY - dt.timedelta(weeks=40), end_date=DAY, follow_up_weeks=[26], sustained_after_weeks=26
    )
    start = DAY - dt.timedelta(weeks=26)
    for _ in range(7):
        person = CandidateFactory.create(owner=staff)
        attribute(person, stream)
        JobStartFactory.create(candidate=person, provider=provider_a, start_date=start)
    assert Outcome.objects.count() == FollowUp.objects.count() == 7
    time_machine.move_to(timezone.make_aware(dt.datetime.combine(DAY, dt.time(8, 30))), tick=False)

    # Both sweeps have read the same due follow-ups before either writes: the constraints must decide.
    together = threading.Barrier(2, timeout=30)
    build = follow_ups._reminders

    def build_together(rows: Any, attempt: int) -> list[FollowUpReminder]:
        together.wait()
        return build(rows, attempt)

    monkeypatch.setattr(follow_ups, "_reminders", build_together)
    first, second = in_threads(lambda: follow_ups_sweep(today=DAY), lambda: follow_ups_sweep(today=DAY))

    assert FollowUpReminder.objects.count() == 14
    assert first.attempts + second.attempts == 7
    assert set(FollowUp.objects.values_list("attempts", flat=True)) == {1}
    assert set(FollowUpReminder.objects.values_list("status", flat=True)) == {FollowUpReminder.Status.SENT}
    sent = [(message.to[0], message.body) for message in mail.outbox]
    assert len(sent) == len(set(sent)) == 14
