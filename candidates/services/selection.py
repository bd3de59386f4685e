"""Screening and selection events: who took part, their results and the outcome for each person.

One person is one Candidate: someone referred away to build skills who comes back later is
added to a later event with the same record, so their record shows every result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import User
from candidates.models import Candidate, ContactLog, SelectionEvent, SelectionResult
from candidates.selectors.selection import selection_next_stage
from candidates.services.casework import contact_log_create
from candidates.services.pipeline import candidate_move_stage
from candidates.services.records import record_academy_id

Outcome = SelectionResult.Outcome
RESULT_FIELDS = [
    "values_score",
    "literacy_level",
    "numeracy_level",
    "interview",
    "outcome",
    "referred_to",
    "follow_up_on",
    "feedback",
]


@transaction.atomic
def selection_event_create(*, actor: User, title: str, held_on: date, location: str = "") -> SelectionEvent:
    """Plan (or record) a screening and selection event."""
    event = SelectionEvent.objects.create(
        title=title.strip(),
        held_on=held_on,
        location=location.strip(),
        created_by=actor,
        academy_id=record_academy_id(actor=actor),
    )
    audit_log(actor=actor, action="selection.create", obj=event, data={"held_on": str(held_on)})
    return event


def _link_to_open_referral(result: SelectionResult) -> SelectionResult | None:
    """Link a result to the person's open referral from an earlier event, if they have one; returns it.

    Open: referred at an event held before this one and not yet followed by another result. If
    another request links the same referral first, the unique constraint keeps theirs.
    """
    referral = (
        SelectionResult.objects.filter(
            candidate_id=result.candidate_id,
            outcome=Outcome.REFERRED,
            event__held_on__lt=result.event.held_on,
            rescreenings__isnull=True,
        )
        .select_related("event")
        .order_by("-event__held_on", "-pk")
        .first()
    )
    if referral is None:
        return None
    try:
        with transaction.atomic():
            SelectionResult.objects.filter(pk=result.pk, follows_referral__isnull=True).update(
                follows_referral=referral
            )
    except IntegrityError:
        return None
    result.follows_referral = referral
    return referral


@transaction.atomic
def selection_add_candidates(
    *, event: SelectionEvent, actor: User, candidates: Iterable[Candidate]
) -> list[SelectionResult]:
    """Add people to an event with a pending result each; people already in it are skipped.

    Someone with an open referral from an earlier event has their new result linked to it
    (`follows_referral`), so the earlier event shows what became of the referral.
    """
    already = set(event.results.values_list("candidate_id", flat=True))
    added = []
    for candidate in candidates:
        if candidate.pk in already:
            continue
        already.add(candidate.pk)
        result = SelectionResult.objects.create(event=event, candidate=candidate)
        referral = _link_to_open_referral(result)
        added.append(result)
        data = {"event": str(event.public_id)}
        if referral is not None:
            data["follows_referral_at"] = str(referral.event.public_id)
        audit_log(actor=actor, action="selection.add", obj=candidate, data=data)
    return added


@dataclass(frozen=True)
class ResultData:
    """What staff record for one person at an event (validated by SelectionResultForm)."""

    values_score: int | None
    literacy_level: str
    numeracy_level: str
    interview: str
    outcome: str
    referred_to: str = ""
    follow_up_on: date | None = None
    feedback: str = ""


def _check(result: SelectionResult, data: ResultData, move_to_next_stage: bool) -> None:
    errors: dict[str, str] = {}
    name = result.candidate.full_name
    if data.outcome == Outcome.REFERRED:
        if not data.referred_to:
            errors["referred_to"] = f"Choose who {name} is referred to"
        if data.follow_up_on is None:
            errors["follow_up_on"] = "Enter the date to follow up the referral"
        elif data.follow_up_on < timezone.localdate():
            errors["follow_up_on"] = "The follow-up date must be today or in the future"
    if data.outcome == Outcome.NOT_ACCEPTED and not data.feedback.strip():
        errors["feedback"] = f"Enter constructive feedback for {name}: it is emailed to them"
    if move_to_next_stage and data.outcome != Outcome.ACCEPTED:
        errors["move_to_next_stage"] = "Only move someone to the next stage when they are accepted"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def selection_result_record(
    *, result: SelectionResult, actor: User, data: ResultData, move_to_next_stage: bool = False
) -> SelectionResult:
    """Save one person's results and outcome.

    Side effects, each once: a referral adds a follow-up to the contact log (so it shows in the
    owner's caseload); "not accepted" emails the feedback to the candidate after commit;
    `move_to_next_stage` (accepted only) moves them on with candidate_move_stage.
    """
    _check(result, data, move_to_next_stage)
    if result.follows_referral_id is None:
        # A referral recorded after they were added to this later event still links up.
        _link_to_open_referral(result)
    candidate = result.candidate
    next_stage = selection_next_stage(candidate) if move_to_next_stage else None
    if move_to_next_stage and next_stage is None:
        raise ValidationError({"move_to_next_stage": f"There is no stage after {candidate.stage.name}"})
    was_referred = result.outcome == Outcome.REFERRED
    referred = data.outcome == Outcome.REFERRED
    result.values_score = data.values_score
    result.literacy_level = data.literacy_level
    result.numeracy_level = data.numeracy_level
    result.interview = data.interview
    result.outcome = data.outcome
    # Referral details only mean something for a referral; keeping stale ones would mislead.
    result.referred_to = data.referred_to if referred else ""
    result.follow_up_on = data.follow_up_on if referred else None
    result.feedback = data.feedback.strip()
    result.decided_by = actor if data.outcome != Outcome.PENDING else None
    result.save(update_fields=[*RESULT_FIELDS, "decided_by", "updated_at"])
    emailed = result.outcome == Outcome.NOT_ACCEPTED and _selection_feedback_send(result)
    audit_log(
        actor=actor,
        action="selection.result",
        obj=candidate,
        data={"event": str(result.event.public_id), "outcome": result.outcome, "feedback_emailed": emailed},
    )
    if referred and not was_referred and result.follow_up_on is not None:
        contact_log_create(
            candidate=candidate,
            actor=actor,
            kind=ContactLog.Kind.NOTE,
            summary=(
                f"Referred to {result.get_referred_to_display()} to build skills after {result.event}. "
                "Follow up to see whether they are ready to come back."
            ),
            follow_up_on=result.follow_up_on,
        )
    if next_stage is not None:
        candidate_move_stage(candidate=candidate, actor=actor, stage=next_stage, note=f"Accepted at {result.event}")
    return result


def _selection_feedback_send(result: SelectionResult) -> bool:
    """Email the feedback once: claimed with a conditional update, sent by a worker after commit.

    Returns whether this call queued the email (False: already sent, or no email address).
    """
    email = result.candidate.email
    if not email:
        return False
    now = timezone.now()
    if SelectionResult.objects.filter(pk=result.pk, feedback_sent_at__isnull=True).update(feedback_sent_at=now) != 1:
        return False
    result.feedback_sent_at = now
    message = email_render(
        template_prefix="candidates/email/selection_feedback",
        to=[email],
        context={"candidate": result.candidate, "event": result.event, "feedback": result.feedback},
    )
    email_enqueue(message)
    return True
