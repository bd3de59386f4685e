"""Reminders about due sustained-employment follow-ups: the daily sweep, and sending one reminder from a task.

Exactly once per attempt, the pattern of the DBS reminders:
- A due follow-up is asked about up to FOLLOW_UP_MAX_ATTEMPTS times, FOLLOW_UP_RETRY_DAYS apart; each
  attempt makes one reminder to the employer (when it is one of our providers) and one to the
  learner's owning member of staff. A reminder is distinct per outcome, due date, recipient and
  attempt (unique constraints), so where several streams ask about the same outcome on the same
  day the employer is asked once. The sweep inserts with ON CONFLICT DO NOTHING: two sweeps at once,
  or one run twice, create each reminder once; the database decides, not a read made before.
- The follow-up's attempt counter moves by a conditional update (attempts = k -> k + 1), so a second
  sweep the same day neither counts an attempt twice nor starts the next one early.
- Unsent reminders are queued after commit in batches; each is claimed by a conditional update
  (pending -> sending, one row or none), so one queued twice is sent once. A permanent failure marks
  it failed with the reason; a temporary one puts it back to pending and the task retries. A claim
  older than LEASE (the worker died) is released by the next sweep.
- A follow-up still unanswered FOLLOW_UP_RETRY_DAYS after its last attempt becomes "unknown".
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from academy.celery import enqueue_on_commit
from academy.emails import email_render
from academy.notifications.backends import email_deliver_now
from academy.outbox import failure_note, smtp_failure
from placements.models import FollowUp, FollowUpReminder
from placements.services.outcomes import follow_ups_plan_missing

logger = logging.getLogger(__name__)
Status = FollowUpReminder.Status
Recipient = FollowUpReminder.Recipient
Result = FollowUp.Result

LEASE = timedelta(minutes=15)
RELEASED_NOTE = "Sending did not finish (the worker stopped): queued again."
SEND_BATCH = 50
SENT, SKIPPED, FAILED, NOT_CLAIMED = "sent", "skipped", "failed", "not claimed"


@dataclass(frozen=True)
class FollowUpSweepResult:
    today: date
    planned: int  # follow-ups created for outcomes attributed to a stream since
    attempts: int  # follow-ups asked about again (or for the first time) today
    reminders_created: int
    given_up: int  # follow-ups that became "unknown"
    released: int  # stuck claims put back
    queued: int  # reminders queued for sending


def _open_due(today: date) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(result=Result.PENDING, due_on__lte=today)


def _reminders(follow_ups: Sequence[Mapping[str, Any]], attempt: int) -> list[FollowUpReminder]:
    rows = []
    for fu in follow_ups:
        common = {
            "follow_up_id": fu["pk"],
            "outcome_id": fu["outcome_id"],
            "due_on": fu["due_on"],
            "attempt": attempt,
        }
        if fu["outcome__provider_id"] is not None:
            email = fu["outcome__provider__contact_email"] or ""
            rows.append(FollowUpReminder(recipient=Recipient.PROVIDER, recipient_email=email, **common))
        rows.append(
            FollowUpReminder(
                recipient=Recipient.STAFF, recipient_email=fu["outcome__candidate__owner__email"] or "", **common
            )
        )
    return rows


def follow_ups_sweep(*, today: date, now: datetime | None = None) -> FollowUpSweepResult:
    """Plan missing follow-ups, give up on unanswered ones, make today's reminder attempts, queue them.

    A fixed number of statements per attempt number (FOLLOW_UP_MAX_ATTEMPTS is small), whatever the
    number of follow-ups.
    """
    now = now or timezone.now()
    max_attempts: int = settings.FOLLOW_UP_MAX_ATTEMPTS
    retry = timedelta(days=settings.FOLLOW_UP_RETRY_DAYS)
    with transaction.atomic():
        released = FollowUpReminder.objects.filter(status=Status.SENDING, claimed_at__lt=now - LEASE).update(
            status=Status.PENDING, error=RELEASED_NOTE
        )
        planned = follow_ups_plan_missing()
        given_up = _open_due(today).filter(attempts__gte=max_attempts, last_attempt_on__lte=today - retry)
        given_up_count = given_up.update(result=Result.UNKNOWN, updated_at=now)
        attempts = created = 0
        for done in range(max_attempts):
            ready = _open_due(today).filter(attempts=done)
            if done:
                ready = ready.filter(last_attempt_on__lte=today - retry)
            rows = list(
                ready.order_by("outcome_id", "due_on", "pk").values(
                    "pk",
                    "outcome_id",
                    "due_on",
                    "outcome__provider_id",
                    "outcome__provider__contact_email",
                    "outcome__candidate__owner__email",
                )
            )
            if not rows:
                continue
            before = FollowUpReminder.objects.count()
            FollowUpReminder.objects.bulk_create(_reminders(rows, done + 1), ignore_conflicts=True)
            created += FollowUpReminder.objects.count() - before
            # Only follow-ups still at `done` attempts move on: a sweep that got here first counted them.
            attempts += FollowUp.objects.filter(pk__in=[r["pk"] for r in rows], attempts=done).update(
                attempts=F("attempts") + 1, last_attempt_on=today, updated_at=now
            )
        waiting = list(
            FollowUpReminder.objects.filter(status=Status.PENDING, due_on__lte=today)
            .order_by("due_on", "pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(waiting), SEND_BATCH):
            enqueue_on_commit("placements.tasks.follow_up_reminders_send_task", waiting[start : start + SEND_BATCH])
    return FollowUpSweepResult(
        today=today,
        planned=planned,
        attempts=attempts,
        reminders_created=created,
        given_up=given_up_count,
        released=released,
        queued=len(waiting),
    )


def _email(reminder: FollowUpReminder) -> dict[str, Any]:
    follow_up = reminder.follow_up
    outcome = follow_up.outcome
    candidate = outcome.candidate
    return email_render(
        template_prefix=f"placements/email/follow_up_reminder_{reminder.recipient}",
        to=[reminder.recipient_email],
        context={
            "reminder": reminder,
            "follow_up": follow_up,
            "outcome": outcome,
            "person": candidate.full_name,
            "answer_url": settings.SITE_URL
            + reverse("placements:follow-up-answer", kwargs={"public_id": follow_up.public_id}),
            "due_url": settings.SITE_URL + reverse("placements:follow-ups-due"),
            "last_attempt": reminder.attempt >= settings.FOLLOW_UP_MAX_ATTEMPTS,
        },
    )


def follow_up_reminder_send(*, reminder_id: int, now: datetime | None = None) -> str:
    """Send one reminder if this call claims it: "sent", "skipped", "failed" or "not claimed".

    Skipped when the follow-up was answered meanwhile or there is no address to send to.
    A temporary SMTP failure (OSError) is re-raised after putting the reminder back to pending.
    """
    now = now or timezone.now()
    claimed = FollowUpReminder.objects.filter(pk=reminder_id, status=Status.PENDING).update(
        status=Status.SENDING, claimed_at=now, tries=F("tries") + 1
    )
    if claimed != 1:
        return NOT_CLAIMED
    ours = FollowUpReminder.objects.filter(pk=reminder_id, status=Status.SENDING, claimed_at=now)
    reminder = FollowUpReminder.objects.select_related(
        "follow_up__outcome__candidate", "follow_up__outcome__provider", "follow_up__stream"
    ).get(pk=reminder_id)
    # Answered for any stream that asks that day: nothing left to ask.
    answered = not FollowUp.objects.filter(
        outcome_id=reminder.outcome_id, due_on=reminder.due_on, result=Result.PENDING
    ).exists()
    if answered:
        ours.update(status=Status.SKIPPED, error="Answered before it was sent.")
        return SKIPPED
    if not reminder.recipient_email:
        note = (
            "The provider has no contact email."
            if reminder.recipient == Recipient.PROVIDER
            else "The learner has no owning member of staff: the follow-up is on the follow-ups due page."
        )
        ours.update(status=Status.SKIPPED, error=note)
        return SKIPPED
    try:
        email_deliver_now(_email(reminder))
    except Exception as exc:  # one reminder's failure must not stop the others
        give_up, note = failure_note(smtp_failure(exc), attempts=reminder.tries)
        if give_up:
            logger.warning("Follow-up reminder %s failed: %s", reminder_id, note)
            ours.update(status=Status.FAILED, error=note)
            return FAILED
        ours.update(status=Status.PENDING, error=note)
        raise
    ours.update(status=Status.SENT, sent_at=timezone.now(), error="")
    return SENT


def follow_up_reminders_send(*, reminder_ids: list[int]) -> dict[str, int]:
    """Send each reminder in turn; a reminder put off (4xx) does not hold up the rest, a server failure stops them."""
    outcomes: Counter[str] = Counter()
    put_off: OSError | None = None
    for reminder_id in reminder_ids:
        try:
            outcomes[follow_up_reminder_send(reminder_id=reminder_id)] += 1
        except OSError as exc:
            if smtp_failure(exc).server_down:
                raise
            put_off = put_off or exc
    if put_off is not None:
        raise put_off
    return dict(outcomes)
