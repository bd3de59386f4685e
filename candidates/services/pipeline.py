"""Moving people through the pipeline: every move is a StageChange row and an audit entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, PipelineStage, StageChange


@transaction.atomic
def candidate_move_stage(
    *, candidate: Candidate, actor: User, stage: PipelineStage, reason: str = "", note: str = ""
) -> Candidate:
    """Move a candidate to `stage`; a closed stage needs a reason. Moving to the same stage does nothing."""
    if stage.is_closed and not reason:
        raise ValidationError({"reason": f"Choose why you are moving {candidate.full_name} to {stage.name}."})
    if not stage.is_active:
        raise ValidationError({"stage": f"The stage {stage.name} is no longer in use."})
    if candidate.stage_id == stage.pk:
        return candidate
    now = timezone.now()
    StageChange.objects.create(
        candidate=candidate,
        from_stage_id=candidate.stage_id,
        to_stage=stage,
        reason=reason if stage.is_closed else "",
        note=note,
        changed_by=actor,
        changed_at=now,
    )
    from_stage = candidate.stage_id
    candidate.stage = stage
    candidate.stage_entered_at = now
    candidate.closed_reason = reason if stage.is_closed else ""
    candidate.save(update_fields=["stage", "stage_entered_at", "closed_reason", "updated_at"])
    audit_log(
        actor=actor,
        action="candidate.stage",
        obj=candidate,
        data={"from": from_stage, "to": stage.pk, "reason": candidate.closed_reason},
    )
    return candidate
