"""Factories and helpers for the DBS records, sharing and dashboard tests (area H1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import factory
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, Consent, ConsentKind, DbsCheck, DbsShare
from providers.models import Provider
from tests.factories import CandidateFactory

Status = DbsCheck.Status

# Every test that depends on "today" runs on this day (a Wednesday, mid-quarter).
TODAY = date(2026, 5, 13)


class DbsCheckFactory(factory.django.DjangoModelFactory[DbsCheck]):
    """A check just started; `at_status` below fills in the steps up to a status."""

    class Meta:
        model = DbsCheck

    candidate = factory.SubFactory(CandidateFactory)
    level = DbsCheck.Level.ENHANCED_ADULTS
    started_on = TODAY - timedelta(days=60)


# The order of the steps, and the fields each one fills in (days after the start).
STEP_FIELDS: list[tuple[str, dict[str, Any]]] = [
    (Status.ID_VERIFIED, {"id_verified_on": 1}),
    (Status.SUBMITTED, {"submitted_on": 2, "application_reference": "E0001234567"}),
    (Status.CERTIFICATE_ISSUED, {"certificate_issued_on": 20, "certificate_number": "001234567890"}),
]


def at_status(
    status: str,
    *,
    candidate: Candidate | None = None,
    started_on: date | None = None,
    staff: User | None = None,
    **extra: Any,
) -> DbsCheck:
    """A check that has reached `status`, with the dates and details of every step before it."""
    started_on = started_on or TODAY - timedelta(days=60)
    fields: dict[str, Any] = {"status": status, "started_on": started_on}
    for step_status, step_fields in STEP_FIELDS:
        for name, value in step_fields.items():
            fields[name] = started_on + timedelta(days=value) if isinstance(value, int) else value
        if step_status == status:
            break
    if status in (Status.CLEARED, Status.DISCLOSED, Status.RISK_ASSESSMENT, Status.DECISION_MADE):
        seen = timezone.make_aware(datetime.combine(started_on + timedelta(days=21), datetime.min.time()))
        fields.update(original_seen_by=staff, original_seen_at=seen)
    if status in (Status.DISCLOSED, Status.RISK_ASSESSMENT, Status.DECISION_MADE):
        fields["disclosure_notes"] = "A caution from 2009 for shoplifting."
    if status in (Status.CLEARED, Status.DECISION_MADE):
        fields.update(
            decision=DbsCheck.Decision.SUITABLE,
            decision_on=started_on + timedelta(days=22),
            decision_by=staff,
            recheck_due_on=started_on + timedelta(days=22 + 3 * 365),
        )
    if status == Status.WITHDRAWN:
        fields["withdrawn_on"] = started_on + timedelta(days=3)
    fields.update(extra)
    return DbsCheckFactory.create(candidate=candidate or CandidateFactory.create(), **fields)


def consent_to_sharing(candidate: Candidate, granted: bool = True, *, at: datetime | None = None) -> Consent:
    """Record the learner's answer to "share my profile with providers" (newest row wins)."""
    return Consent.objects.create(
        candidate=candidate,
        kind=ConsentKind.SHARE_WITH_PROVIDERS,
        granted=granted,
        recorded_at=at or timezone.now(),
    )


def shared(check: DbsCheck, provider: Provider, *, by: User | None = None) -> DbsShare:
    """An active share of `check` with `provider` (consent is the caller's business)."""
    return DbsShare.objects.create(dbs_check=check, provider=provider, shared_by=by, shared_at=timezone.now())


def date_post(name: str, day: date) -> dict[str, str]:
    """The three boxes of a GOV.UK date input, as posted."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
