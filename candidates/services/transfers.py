"""Moving a learner to another academy, with their history: the record, its casework and DBS
checks go with them; figures already reported stay with the academy they were with at the time."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import Academy, User
from candidates.models import AcademyTransfer, Candidate


def transfer_destinations(candidate: Candidate) -> list[Academy]:
    """Where a record may go: the other academies of its academy's region (any other academy if it has none)."""
    current = cast(int, candidate.academy_id)
    others = Academy.objects.exclude(pk=current).order_by("name")
    region_id = Academy.objects.filter(pk=current).values_list("region_id", flat=True).first()
    return list(others.filter(region_id=region_id) if region_id else others)


@transaction.atomic
def candidate_transfer(*, candidate: Candidate, to_academy: Academy, actor: User, reason: str) -> AcademyTransfer:
    """Give the record to `to_academy`; the academy it leaves no longer sees it."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if to_academy.pk == candidate.academy_id:
        raise ValidationError({"to_academy": "They are already with this academy. Choose another one."})
    if to_academy not in transfer_destinations(candidate):
        raise ValidationError({"to_academy": "Choose an academy in the same region."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why they are moving, for example that they moved house."})
    transfer = AcademyTransfer.objects.create(
        candidate=candidate,
        from_academy_id=cast(int, candidate.academy_id),
        to_academy=to_academy,
        reason=reason.strip(),
        changed_by=actor,
        changed_at=timezone.now(),
    )
    candidate.academy = to_academy
    candidate.save(update_fields=["academy", "updated_at"])
    audit_log(
        actor=actor,
        action="candidate.transfer",
        obj=candidate,
        data={"from": transfer.from_academy_id, "to": to_academy.pk},
    )
    return transfer
