"""Factories and helpers for the DBS reminder and retention tests."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar

import factory
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, Consent, ConsentKind, DbsCheck, DbsShare
from candidates.services.dbs_reminders import SweepResult, dbs_reminders_sweep
from providers.models import Provider
from tests.factories import CandidateFactory

Status = DbsCheck.Status


class DbsCheckFactory(factory.django.DjangoModelFactory[DbsCheck]):
    """A check just started; pass the status and the dates of the steps it has reached."""

    class Meta:
        model = DbsCheck

    candidate = factory.SubFactory(CandidateFactory)
    level = DbsCheck.Level.ENHANCED_ADULTS
    started_on = date(2026, 1, 5)


def submitted_check(candidate: Candidate, *, on: date, **extra: Any) -> DbsCheck:
    """A check whose application went to the DBS on `on` and has no certificate yet."""
    fields = {
        "status": Status.SUBMITTED,
        "started_on": on,
        "id_verified_on": on,
        "submitted_on": on,
        "application_reference": "E0001234567",
    }
    return DbsCheckFactory.create(candidate=candidate, **{**fields, **extra})


def cleared_check(candidate: Candidate, *, decided_on: date, decided_by: User | None, **extra: Any) -> DbsCheck:
    """A check cleared on `decided_on`, with every certificate detail filled in."""
    fields = {
        "status": Status.CLEARED,
        "started_on": decided_on - timedelta(days=40),
        "id_verified_on": decided_on - timedelta(days=39),
        "submitted_on": decided_on - timedelta(days=38),
        "application_reference": "E0001234567",
        "certificate_issued_on": decided_on - timedelta(days=10),
        "certificate_number": "001234567890",
        "disclosure_notes": "",
        "original_seen_by": decided_by,
        "original_seen_at": timezone.make_aware(datetime.combine(decided_on - timedelta(days=5), time(10, 0))),
        "decision": DbsCheck.Decision.SUITABLE,
        "decision_on": decided_on,
        "decision_by": decided_by,
    }
    return DbsCheckFactory.create(candidate=candidate, **{**fields, **extra})


def share(check: DbsCheck, provider: Provider, *, consent: bool = True) -> DbsShare:
    """Share `check` with `provider`, recording the learner's consent (or its withdrawal) first."""
    Consent.objects.create(candidate=check.candidate, kind=ConsentKind.SHARE_WITH_PROVIDERS, granted=consent)
    return DbsShare.objects.create(dbs_check=check, provider=provider, shared_at=timezone.now())


def sent_to(outbox: Sequence[Any]) -> list[tuple[str, str]]:
    """(address, subject) of each message sent, in order."""
    return [(message.to[0], message.subject) for message in outbox]


class FlakySmtpBackend(EmailBackend):
    """The locmem backend behind an SMTP server that drops the connection on the calls numbered in `failing`.

    `refuse` makes it refuse every recipient instead (a permanent failure).
    """

    failing: ClassVar[set[int]] = set()
    refuse: ClassVar[bool] = False
    # The SMTP reply to raise on the calls numbered here (a rejection of that one message).
    replies: ClassVar[dict[int, Exception]] = {}
    calls: ClassVar[int] = 0

    @classmethod
    def reset(
        cls, *, failing: set[int] | None = None, refuse: bool = False, replies: dict[int, Exception] | None = None
    ) -> None:
        cls.failing, cls.refuse, cls.replies, cls.calls = failing or set(), refuse, replies or {}, 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        FlakySmtpBackend.calls += 1
        if FlakySmtpBackend.refuse:
            raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"No such user") for m in email_messages})
        if FlakySmtpBackend.calls in FlakySmtpBackend.replies:
            raise FlakySmtpBackend.replies[FlakySmtpBackend.calls]
        if FlakySmtpBackend.calls in FlakySmtpBackend.failing:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)


def eight_am(day: date) -> datetime:
    """The moment the daily sweep runs on `day` (08:00 local time, as in the beat schedule)."""
    return timezone.make_aware(datetime.combine(day, time(8, 0)))


class Sweeper:
    """Run the sweep as the scheduled task would on a day: the clock set to 08:00, sends run after commit.

    `sweep(day)` returns the SweepResult; emails land in mail.outbox (the tasks run eagerly).
    """

    def __init__(self, time_machine: Any, capture_on_commit: Any) -> None:
        self.time_machine = time_machine
        self.capture_on_commit = capture_on_commit

    def __call__(self, day: date, **kwargs: Any) -> SweepResult:
        self.time_machine.move_to(eight_am(day), tick=False)
        with self.capture_on_commit(execute=True):
            return dbs_reminders_sweep(today=day, **kwargs)
