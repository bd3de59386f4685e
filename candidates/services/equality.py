"""Equality monitoring answers: saving them, and logging every time someone looks at them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, EqualityMonitoring


def equality_record_view(*, actor: User, candidate: Candidate, where: str) -> None:
    """Call on every screen that shows a person's equality answers (DESIGN: every view is logged)."""
    audit_log(actor=actor, action="equality.view", obj=candidate, data={"where": where})


@transaction.atomic
def equality_save(*, candidate: Candidate, actor: User, answers: dict[str, Any]) -> EqualityMonitoring:
    """Create or replace the answers; the audit entry names the questions answered, never the answers."""
    record, _ = EqualityMonitoring.objects.update_or_create(candidate=candidate, defaults=answers)
    answered = sorted(k for k, v in answers.items() if v)
    audit_log(actor=actor, action="equality.save", obj=candidate, data={"answered": answered})
    return record
