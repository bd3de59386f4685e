"""Deterministic DBS checks for the sweep benchmark: about 5% due a reminder today, the rest not.

Each check belongs to one category (CATEGORIES, with its share of the checks) that fixes its
status and dates relative to today, so the benchmark knows how many reminders the sweep must
create (`expected_reminders`) and can check the sweep's answer, not only time it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from academy.models import Role, User
from benchmarks.seed import FIRST_NAMES, LAST_NAMES
from candidates.models import Candidate, Consent, ConsentKind, DbsCheck, DbsReminder, DbsShare, PipelineStage
from providers.models import Provider

BATCH_SIZE = 5000
HISTORY = "history (superseded)"
Status = DbsCheck.Status
Kind = DbsReminder.Kind
Recipient = DbsReminder.Recipient


def _days(n: int) -> timedelta:
    return timedelta(days=n)


@dataclass(frozen=True)
class Category:
    name: str
    share: float  # of all checks
    # Fields of the check from (rng, today).
    fields: Callable[[random.Random, date], dict[str, Any]]
    # New reminders the sweep must create for one check: learner/staff recipients (+ providers if shared).
    due: tuple[str, ...] = ()
    shared: float = 0.0  # share of these checks whose outcome is shared with a provider
    # Reminders already sent by earlier sweeps: (kind, recipient, days from the anchor field, anchor field).
    sent_before: tuple[tuple[str, str, int, str], ...] = ()


def _cleared(rng: random.Random, decided: date, **extra: Any) -> dict[str, Any]:
    return {
        "status": Status.CLEARED,
        "started_on": decided - _days(45),
        "id_verified_on": decided - _days(44),
        "submitted_on": decided - _days(40),
        "application_reference": f"E{rng.randint(10**9, 10**10 - 1)}",
        "certificate_issued_on": decided - _days(5),
        "certificate_number": f"{rng.randint(10**11, 10**12 - 1)}",
        "decision": DbsCheck.Decision.SUITABLE,
        "decision_on": decided,
        "recheck_due_on": decided + _days(3 * 365),
        **extra,
    }


def _submitted(rng: random.Random, today: date, low: int, high: int) -> dict[str, Any]:
    submitted = today - _days(rng.randint(low, high))
    return {
        "status": Status.SUBMITTED,
        "started_on": submitted - _days(3),
        "id_verified_on": submitted - _days(1),
        "submitted_on": submitted,
        "application_reference": f"E{rng.randint(10**9, 10**10 - 1)}",
    }


def _renewal_due(rng: random.Random, today: date) -> dict[str, Any]:
    renewal = today + _days(rng.randint(0, 30))
    return _cleared(
        rng,
        today - _days(rng.randint(300, 700)),
        update_service_id=f"C{rng.randint(10**9, 10**10 - 1)}",
        update_service_subscribed_on=renewal - _days(365),
        update_service_renewal_due_on=renewal,
    )


def _recheck_due(rng: random.Random, today: date, low: int, high: int) -> dict[str, Any]:
    recheck = today + _days(rng.randint(low, high))
    return {**_cleared(rng, recheck - _days(3 * 365)), "recheck_due_on": recheck}


CATEGORIES = [
    # Due a new reminder today: about 5% of the checks.
    Category(
        "application not finished",
        0.01,
        lambda rng, today: {
            "status": rng.choice([Status.NOT_STARTED, Status.ID_VERIFIED]),
            "started_on": today - _days(rng.randint(5, 30)),
        },
        due=(Recipient.LEARNER,),
    ),
    Category(
        "first certificate chase", 0.01, lambda rng, today: _submitted(rng, today, 14, 27), due=(Recipient.LEARNER,)
    ),
    Category(
        "second certificate chase",
        0.01,
        lambda rng, today: _submitted(rng, today, 28, 45),
        due=(Recipient.LEARNER, Recipient.STAFF),
    ),
    Category("Update Service renewal", 0.01, _renewal_due, due=(Recipient.LEARNER, Recipient.STAFF)),
    Category("recheck", 0.01, lambda rng, today: _recheck_due(rng, today, 0, 60), due=(Recipient.STAFF,), shared=0.5),
    # Due, but reminded by earlier sweeps: the sweep must skip them.
    Category(
        "second chase sent before",
        0.02,
        lambda rng, today: _submitted(rng, today, 46, 200),
        sent_before=(
            (Kind.CERTIFICATE_SECOND_CHASE, Recipient.LEARNER, 28, "submitted_on"),
            (Kind.CERTIFICATE_SECOND_CHASE, Recipient.STAFF, 28, "submitted_on"),
        ),
    ),
    Category(
        "overdue recheck sent before",
        0.01,
        lambda rng, today: _recheck_due(rng, today, -300, -1),
        sent_before=((Kind.RECHECK_DUE, Recipient.STAFF, -60, "recheck_due_on"),),
    ),
    # Not due.
    Category(
        "just started",
        0.06,
        lambda rng, today: {"status": Status.NOT_STARTED, "started_on": today - _days(rng.randint(0, 4))},
    ),
    Category("recently submitted", 0.06, lambda rng, today: _submitted(rng, today, 0, 13)),
    Category(
        "certificate issued",
        0.03,
        lambda rng, today: {
            **_submitted(rng, today, 20, 60),
            "status": Status.CERTIFICATE_ISSUED,
            "certificate_issued_on": today - _days(rng.randint(1, 19)),
            "certificate_number": f"{rng.randint(10**11, 10**12 - 1)}",
        },
    ),
    Category("cleared", 0.64, lambda rng, today: _cleared(rng, today - _days(rng.randint(1, 3 * 365 - 61)))),
    Category(
        "withdrawn",
        0.05,
        lambda rng, today: {
            **_submitted(rng, today, 30, 400),
            "status": Status.WITHDRAWN,
            "withdrawn_on": today - _days(rng.randint(1, 29)),
        },
    ),
    # An older check of someone with a newer one (started later): it would be chased if it were current.
    Category(HISTORY, 0.08, lambda rng, today: _submitted(rng, today, 400, 800)),
]


@dataclass
class SeededChecks:
    checks: int = 0
    due_checks: int = 0  # checks due a new reminder
    expected: int = 0  # new reminders the sweep must create for them
    reminders_before: int = 0  # reminders earlier sweeps sent


def bench_staff() -> tuple[list[User], list[Provider], PipelineStage]:
    """Owners of records, providers to share outcomes with, and the stage new records go in."""
    owners = [
        User.objects.create_user(f"dbs.owner{i}@example.org", None, full_name=f"Owner {i:02d}", role=Role.STAFF)
        for i in range(20)
    ]
    providers = [Provider(name=f"Bench Care {i:02d}", contact_email=f"dbs@care{i:02d}.example.org") for i in range(20)]
    return owners, Provider.objects.bulk_create(providers), PipelineStage.objects.order_by("position").first()


def people_for(checks: int) -> int:
    """How many people make about `checks` checks (superseded checks add a second one to their person)."""
    history = next(c.share for c in CATEGORIES if c.name == HISTORY)
    return round(checks / (1 + history))


def seed_checks(
    *, start: int, stop: int, today: date, owners: list[User], providers: list[Provider], stage: PipelineStage
) -> SeededChecks:
    """Add people number `start` to `stop` with their checks (deterministic by number), shares and reminders."""
    stats = SeededChecks()
    names = [c.name for c in CATEGORIES]
    weights = [c.share for c in CATEGORIES]
    by_name = {c.name: c for c in CATEGORIES}
    now = timezone.now()
    for batch_start in range(start, stop, BATCH_SIZE):
        rng = random.Random(batch_start)  # noqa: S311 - repeatable test data
        people: list[Candidate] = []
        kinds: list[Category] = []
        for i in range(batch_start, min(batch_start + BATCH_SIZE, stop)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            people.append(
                Candidate(
                    first_name=first,
                    last_name=last,
                    email=f"{first}.{last}{i}@example.org".lower() if rng.random() < 0.95 else "",
                    stage=stage,
                    owner=rng.choice(owners) if rng.random() < 0.8 else None,
                )
            )
            kinds.append(by_name[rng.choices(names, weights=weights)[0]])
        with transaction.atomic():
            people = Candidate.objects.bulk_create(people, batch_size=1000)
            checks = [
                DbsCheck(candidate=person, level=DbsCheck.Level.ENHANCED_ADULTS, **kind.fields(rng, today))
                for person, kind in zip(people, kinds, strict=True)
            ]
            # A superseded check's person gets a newer, current check too (not due).
            newer = [
                DbsCheck(
                    candidate=c.candidate,
                    level=DbsCheck.Level.ENHANCED_ADULTS,
                    **_cleared(rng, today - _days(rng.randint(1, 300))),
                )
                for c, kind in zip(checks, kinds, strict=True)
                if kind.name == HISTORY
            ]
            checks = DbsCheck.objects.bulk_create(checks, batch_size=1000)
            DbsCheck.objects.bulk_create(newer, batch_size=1000)
            shares, consents, sent = [], [], []
            for check, kind in zip(checks, kinds, strict=True):
                stats.due_checks += bool(kind.due)
                stats.expected += len(kind.due)
                if kind.shared and rng.random() < kind.shared:
                    provider = rng.choice(providers)
                    consents.append(
                        Consent(candidate=check.candidate, kind=ConsentKind.SHARE_WITH_PROVIDERS, granted=True)
                    )
                    shares.append(DbsShare(dbs_check=check, provider=provider, shared_at=now))
                    stats.expected += 1
                for reminder_kind, recipient, days, anchor in kind.sent_before:
                    sent.append(
                        DbsReminder(
                            dbs_check=check,
                            kind=reminder_kind,
                            recipient=recipient,
                            due_on=getattr(check, anchor) + _days(days),
                            recipient_email="sent@example.org",
                            status=DbsReminder.Status.SENT,
                            sent_at=now,
                            attempts=1,
                        )
                    )
            Consent.objects.bulk_create(consents, batch_size=2000)
            DbsShare.objects.bulk_create(shares, batch_size=2000)
            DbsReminder.objects.bulk_create(sent, batch_size=2000)
        stats.checks += len(checks) + len(newer)
        stats.reminders_before += len(sent)
        print(f"  seeded {min(batch_start + BATCH_SIZE, stop):,}/{stop:,} people", flush=True)
    return stats
