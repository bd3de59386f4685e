"""Bulk actions on candidates ticked on the staff list: one service per action, each audited.

Each action goes through the same single-record service a member of staff would use on one
record (so history, audit entries and rules stay in one place), inside one transaction: either
every selected record changes or none does. A summary entry records the bulk action itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import User
from candidates.models import Candidate, ContactLog, PipelineStage
from candidates.models.choices import ClosedReason
from candidates.selectors.candidate_list import EmailAudience, candidate_email_audience
from candidates.services.pipeline import candidate_move_stage
from candidates.services.records import candidate_update

BULK_EMAIL_TEMPLATE = "candidates/email/candidate_bulk"


@dataclass(frozen=True)
class BulkChangeResult:
    """How many records changed, and how many already had the value asked for."""

    changed: int
    unchanged: int


def _public_ids(candidates: Sequence[Candidate]) -> list[str]:
    return [str(candidate.public_id) for candidate in candidates]


@transaction.atomic
def candidates_bulk_move_stage(
    *, candidates: Sequence[Candidate], actor: User, stage: PipelineStage, reason: str = ""
) -> BulkChangeResult:
    """Move every candidate to `stage` (a closed stage needs a reason); those already there are left alone."""
    if not candidates:
        raise ValidationError("Select at least one candidate.")
    if stage.is_closed and reason not in ClosedReason.values:
        raise ValidationError({"reason": f"Choose why you are moving them to {stage.name}."})
    changed = 0
    for candidate in candidates:
        if candidate.stage_id == stage.pk:
            continue
        candidate_move_stage(candidate=candidate, actor=actor, stage=stage, reason=reason)
        changed += 1
    result = BulkChangeResult(changed=changed, unchanged=len(candidates) - changed)
    audit_log(
        actor=actor,
        action="candidate.bulk_stage",
        data={
            "stage": stage.slug,
            "reason": reason if stage.is_closed else "",
            "changed": result.changed,
            "unchanged": result.unchanged,
            "candidates": _public_ids(candidates),
        },
    )
    return result


@transaction.atomic
def candidates_bulk_assign_owner(
    *, candidates: Sequence[Candidate], actor: User, owner: User | None
) -> BulkChangeResult:
    """Make `owner` (an active member of academy staff, or nobody) the owner of every candidate.

    Pass candidates with `owner` already selected: the comparison reads it.
    """
    if not candidates:
        raise ValidationError("Select at least one candidate.")
    if owner is not None and not (owner.is_active and owner.is_academy_staff):
        raise ValidationError({"owner": "Only active academy staff and managers can own records."})
    changed = 0
    for candidate in candidates:
        if candidate.owner_id == (owner.pk if owner else None):
            continue
        candidate_update(candidate=candidate, actor=actor, data={"owner": owner})
        changed += 1
    result = BulkChangeResult(changed=changed, unchanged=len(candidates) - changed)
    audit_log(
        actor=actor,
        action="candidate.bulk_owner",
        data={
            "owner": str(owner.public_id) if owner else None,
            "changed": result.changed,
            "unchanged": result.unchanged,
            "candidates": _public_ids(candidates),
        },
    )
    return result


def candidate_bulk_email_render(*, candidate: Candidate, actor: User, subject: str, message: str) -> dict[str, object]:
    """The email one candidate gets (also shown as the preview before sending)."""
    consent_url = reverse("candidates:consent") if candidate.user_id else ""
    return email_render(
        template_prefix=BULK_EMAIL_TEMPLATE,
        to=[candidate.email],
        context={
            "candidate": candidate,
            "subject": subject,
            "message": message,
            "sender": actor,
            "consent_path": consent_url,
        },
    )


@transaction.atomic
def candidates_bulk_email(*, candidates: QuerySet[Candidate], actor: User, subject: str, message: str) -> EmailAudience:
    """Email each candidate who has an address and consented to email; the others are skipped and reported.

    One email task per recipient, sent after commit; each email is also written to the
    recipient's contact log, so their record shows what they were sent.
    """
    subject, message = subject.strip(), message.strip()
    if not subject or not message:
        raise ValidationError("Enter a subject and a message.")
    audience = candidate_email_audience(candidates)
    for candidate in audience.recipients:
        email_enqueue(candidate_bulk_email_render(candidate=candidate, actor=actor, subject=subject, message=message))
    ContactLog.objects.bulk_create(
        ContactLog(candidate=candidate, kind=ContactLog.Kind.EMAIL, summary=f"{subject}\n\n{message}", created_by=actor)
        for candidate in audience.recipients
    )
    audit_log(
        actor=actor,
        action="candidate.bulk_email",
        data={
            "subject": subject,
            "sent": len(audience.recipients),
            "skipped_no_email": len(audience.no_email),
            "skipped_no_consent": len(audience.no_consent),
            "candidates": _public_ids(audience.recipients),
        },
    )
    return audience
