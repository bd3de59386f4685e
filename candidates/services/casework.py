"""Staff casework: the contact log with its follow-ups, and the skills action plan.

Every change is audited against the candidate, so the record's history shows the casework too.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import ActionPlanItem, ActionPlanReview, Candidate, ContactLog


@transaction.atomic
def contact_log_create(
    *,
    candidate: Candidate,
    actor: User,
    kind: str,
    summary: str,
    occurred_at: datetime | None = None,
    follow_up_on: date | None = None,
) -> ContactLog:
    """Record a call, email, meeting, text or note about a candidate, with an optional follow-up date."""
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "The contact must not be in the future: add a follow-up date instead."})
    if follow_up_on is not None and follow_up_on < timezone.localdate(occurred_at):
        raise ValidationError({"follow_up_on": "The follow-up date must be on or after the date of the contact."})
    contact = ContactLog.objects.create(
        candidate=candidate,
        kind=kind,
        summary=summary.strip(),
        occurred_at=occurred_at,
        follow_up_on=follow_up_on,
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action="candidate.contact",
        obj=candidate,
        data={"contact": str(contact.public_id), "kind": kind, "follow_up_on": str(follow_up_on or "")},
    )
    return contact


@transaction.atomic
def contact_follow_up_done(*, contact: ContactLog, actor: User) -> ContactLog:
    """Mark a contact's follow-up as done; doing it twice changes nothing."""
    if contact.follow_up_on is None:
        raise ValidationError("This contact has no follow-up to mark as done.")
    now = timezone.now()
    # A conditional update, so two clicks (or two people) record one completion, not two.
    if ContactLog.objects.filter(pk=contact.pk, follow_up_done_at__isnull=True).update(follow_up_done_at=now) == 1:
        contact.follow_up_done_at = now
        audit_log(
            actor=actor,
            action="candidate.follow_up_done",
            obj=contact.candidate,
            data={"contact": str(contact.public_id)},
        )
    else:
        contact.refresh_from_db(fields=["follow_up_done_at"])
    return contact


@transaction.atomic
def action_item_create(
    *, candidate: Candidate, actor: User, goal: str, action: str, owner: str, due_on: date | None = None
) -> ActionPlanItem:
    """Add a goal and the action towards it to the candidate's skills action plan."""
    item = ActionPlanItem.objects.create(
        candidate=candidate, goal=goal.strip(), action=action.strip(), owner=owner.strip(), due_on=due_on
    )
    audit_log(actor=actor, action="candidate.action_item", obj=candidate, data={"item": str(item.public_id)})
    return item


@transaction.atomic
def action_item_complete(*, item: ActionPlanItem, actor: User) -> ActionPlanItem:
    """Mark an action as done; doing it twice changes nothing."""
    now = timezone.now()
    if ActionPlanItem.objects.filter(pk=item.pk, done_at__isnull=True).update(done_at=now, updated_at=now) == 1:
        item.done_at = now
        audit_log(actor=actor, action="candidate.action_done", obj=item.candidate, data={"item": str(item.public_id)})
    else:
        item.refresh_from_db(fields=["done_at"])
    return item


@transaction.atomic
def action_review_save(
    *,
    candidate: Candidate,
    actor: User,
    review_on: date,
    notes: str = "",
    held: bool,
    review: ActionPlanReview | None = None,
) -> ActionPlanReview:
    """Plan a review of the action plan, or record one that took place.

    Pass `review` (a planned review of this candidate) to record it as held instead of adding another.
    A held review cannot be in the future, and a planned one cannot be in the past.
    """
    today = timezone.localdate()
    if held and review_on > today:
        raise ValidationError({"review_on": "A review that has taken place cannot be in the future."})
    if not held and review_on < today:
        raise ValidationError({"review_on": "A planned review must be today or later."})
    if review is not None:
        if review.candidate_id != candidate.pk:
            raise ValueError("The review belongs to another candidate.")
        if review.reviewed_at is not None:
            raise ValidationError("This review has already been recorded.")
    else:
        review = ActionPlanReview(candidate=candidate)
    review.review_on = review_on
    review.notes = notes.strip()
    if held:
        review.reviewed_at = timezone.now()
        review.reviewed_by = actor
    review.save()
    audit_log(
        actor=actor,
        action="candidate.action_review",
        obj=candidate,
        data={"review": str(review.public_id), "held": held, "review_on": str(review_on)},
    )
    return review
