"""Moving people through the pipeline: every move is a StageChange row and an audit entry.

Code moves people by milestone (candidate_move_to_milestone), never by a stage's name, slug or
position, which managers change: the stage carrying a milestone is found whatever it is called.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate, Milestone, PipelineStage, StageChange

# Journey order: someone "further on" than a milestone is not moved back to it.
MILESTONE_ORDER = {value: index for index, value in enumerate(Milestone.values)}


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


def _at_or_past(current: PipelineStage, target: PipelineStage) -> bool:
    """Whether someone in `current` is already at `target`'s milestone or further on (closed counts as past)."""
    if current.pk == target.pk or current.is_closed:
        return True
    if current.milestone and target.milestone:
        return MILESTONE_ORDER[current.milestone] >= MILESTONE_ORDER[target.milestone]
    # A stage managers added carries no milestone: their order is the only order it has.
    return current.position >= target.position


def milestone_stage_problem(*, milestone: str, stage: PipelineStage | None, who: str) -> str:
    """Why nobody can be moved to `milestone` (a sentence for staff), or "" if they can."""
    label = Milestone(milestone).label
    if stage is None:
        return f"{who} could not be moved to “{label}”: no pipeline stage stands for it."
    if not stage.is_active:
        return (
            f"{who} could not be moved to {stage.name} (the “{label}” milestone): a manager has switched "
            "that stage off. Switch it back on in the pipeline stages, or move them by hand."
        )
    return ""


@transaction.atomic
def candidate_move_to_milestone(
    *,
    candidate: Candidate,
    milestone: str,
    actor: User,
    reason: str = "",
    note: str = "",
    only_forward: bool = False,
) -> Candidate:
    """Move a candidate to the stage that carries `milestone`, whatever managers named or placed it.

    Raises ValidationError, saying why, when no stage in use carries it (a manager switched it
    off). With `only_forward`, someone already there, further on or closed stays where they are.
    """
    stage = PipelineStage.objects.filter(milestone=milestone).first()
    # Someone already further on needs no move, so a switched-off stage is no problem for them.
    if only_forward and stage is not None and _at_or_past(PipelineStage.objects.get(pk=candidate.stage_id), stage):
        return candidate
    problem = milestone_stage_problem(milestone=milestone, stage=stage, who=candidate.full_name)
    if problem or stage is None:
        raise ValidationError(problem)
    return candidate_move_stage(candidate=candidate, actor=actor, stage=stage, reason=reason, note=note)


@dataclass(frozen=True)
class MilestoneMove:
    """What a workflow's move did: the stage reached (None if not moved) or why it could not move."""

    moved_to: PipelineStage | None = None
    problem: str = ""


@transaction.atomic
def candidate_advance_to_milestone(
    *, candidate: Candidate, milestone: str, actor: User, note: str = ""
) -> MilestoneMove:
    """Move someone forward to `milestone` as part of another workflow (accepting a place, completing).

    The workflow goes ahead when the move cannot happen: the reason is written to the audit log
    on the record ("candidate.milestone_missed") and returned, so the caller can tell the user.
    """
    before = candidate.stage_id
    try:
        candidate = candidate_move_to_milestone(
            candidate=candidate, milestone=milestone, actor=actor, note=note, only_forward=True
        )
    except ValidationError as exc:
        problem = " ".join(exc.messages)
        audit_log(
            actor=actor,
            action="candidate.milestone_missed",
            obj=candidate,
            data={"milestone": milestone, "problem": problem},
        )
        return MilestoneMove(problem=problem)
    return MilestoneMove(moved_to=candidate.stage if candidate.stage_id != before else None)
