"""Consent as history: giving and withdrawing both add a row, so what was agreed when is never lost."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, Consent, ConsentKind
from candidates.selectors.learner import current_consents
from candidates.services.dbs_sharing import dbs_shares_revoke_for_candidate

__all__ = ["RETENTION_MONTHS_CHOICES", "consent_record", "current_consents"]

# How long a learner may ask us to keep their data after they finish with the academy.
RETENTION_MONTHS_CHOICES = (6, 12, 24, 36)


@transaction.atomic
def consent_record(
    *, candidate: Candidate, actor: User | None, kind: str, granted: bool, retention_months: int | None = None
) -> Consent:
    """Record that consent of `kind` was given or withdrawn; returns the consent now in force.

    Keeping data (DATA_RETENTION) needs a number of months when given. Recording the same answer
    again adds nothing: the current row is returned unchanged.
    """
    if kind not in ConsentKind.values:
        raise ValidationError(f"Unknown kind of consent: {kind}.")
    if kind == ConsentKind.DATA_RETENTION and granted:
        if retention_months not in RETENTION_MONTHS_CHOICES:
            months = ", ".join(str(m) for m in RETENTION_MONTHS_CHOICES)
            raise ValidationError(f"Choose how long we may keep your data: {months} months.")
    else:
        retention_months = None

    current = current_consents(candidate)[ConsentKind(kind)]
    if current is not None and current.granted == granted and current.retention_months == retention_months:
        return current
    consent = Consent.objects.create(
        candidate=candidate,
        kind=kind,
        granted=granted,
        retention_months=retention_months,
        recorded_at=timezone.now(),
        recorded_by=actor,
    )
    audit_log(
        actor=actor,
        action="consent.give" if granted else "consent.withdraw",
        obj=candidate,
        data={"kind": kind, "retention_months": retention_months},
    )
    if kind == ConsentKind.SHARE_WITH_PROVIDERS and not granted:
        # Portable DBS rests on this consent: withdrawing it stops every share of a DBS outcome.
        dbs_shares_revoke_for_candidate(candidate=candidate, actor=actor, reason="consent withdrawn")
    return consent
