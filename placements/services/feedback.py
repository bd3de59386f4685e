"""Providers' readiness feedback: created when due (after a placement is completed or signed off, and four
weeks after a job start), requested from the provider's users once, answered once.

Exactly once: a placement or a start has at most one row (OneToOne), creating due rows ignores those that
exist, and the request email is claimed by a conditional update of `requested_at` in the transaction that
writes it to the outbox, so two workers or a retry never email twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import User
from placements.models import JobStart, ReadinessFeedback, WorkPlacement

# Asked this long after a job start.
AFTER_JOB_START = dt.timedelta(weeks=4)
# A placement is asked about once it is finished.
PLACEMENT_FINISHED = (WorkPlacement.Status.COMPLETED, WorkPlacement.Status.SIGNED_OFF)
COMMENT_MAX_LENGTH = 2000


@dataclass(frozen=True)
class FeedbackSweep:
    created: int
    requested: int


def readiness_feedback_create_due(*, today: dt.date) -> int:
    """Create the rows that are due and missing: finished placements, and job starts with a provider
    that began four weeks ago or more. Idempotent (the OneToOne keys make repeats no-ops)."""
    placements = WorkPlacement.objects.filter(status__in=PLACEMENT_FINISHED, readiness_feedback__isnull=True)
    rows = [
        ReadinessFeedback(provider_id=p.provider_id, placement=p, due_on=min(p.end_date, today))
        for p in placements.only("pk", "provider_id", "end_date")
    ]
    starts = JobStart.objects.filter(
        provider__isnull=False, start_date__lte=today - AFTER_JOB_START, readiness_feedback__isnull=True
    )
    rows += [
        ReadinessFeedback(provider=s.provider, job_start=s, due_on=s.start_date + AFTER_JOB_START)
        for s in starts.select_related("provider").only("pk", "provider", "start_date")
    ]
    if not rows:
        return 0
    before = ReadinessFeedback.objects.count()
    ReadinessFeedback.objects.bulk_create(rows, ignore_conflicts=True)
    return ReadinessFeedback.objects.count() - before


@transaction.atomic
def readiness_feedback_request(*, feedback_id: int, now: dt.datetime | None = None) -> bool:
    """Claim the row and email the provider's users once; False when someone else already claimed it."""
    now = now or timezone.now()
    claimed = ReadinessFeedback.objects.filter(pk=feedback_id, requested_at=None, answered_at=None).update(
        requested_at=now
    )
    if claimed != 1:
        return False
    feedback = ReadinessFeedback.objects.select_related("provider", "placement__candidate", "job_start__candidate").get(
        pk=feedback_id
    )
    recipients = sorted(
        feedback.provider.memberships.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if recipients:
        email_enqueue(
            email_render(
                template_prefix="placements/email/readiness_feedback_request",
                to=recipients,
                context={
                    "feedback": feedback,
                    "provider": feedback.provider,
                    "learner": feedback_learner_name(feedback),
                    "about": feedback_about(feedback),
                    "answer_path": reverse("placements:feedback-answer", kwargs={"public_id": feedback.public_id}),
                },
            )
        )
    audit_log(
        actor=None,
        action="readiness_feedback.request",
        obj=feedback,
        data={"recipients": len(recipients)},
    )
    return True


def readiness_feedback_sweep(*, today: dt.date | None = None, now: dt.datetime | None = None) -> FeedbackSweep:
    """Daily: create what is due, then ask each provider once for each unrequested row."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    created = readiness_feedback_create_due(today=today)
    pending = ReadinessFeedback.objects.filter(requested_at=None, answered_at=None, due_on__lte=today)
    requested = sum(readiness_feedback_request(feedback_id=pk, now=now) for pk in pending.values_list("pk", flat=True))
    return FeedbackSweep(created=created, requested=requested)


def feedback_learner_name(feedback: ReadinessFeedback) -> str:
    # A check constraint sets exactly one of the two.
    subject = feedback.placement if feedback.placement is not None else feedback.job_start
    return subject.candidate.full_name if subject is not None else ""


def feedback_about(feedback: ReadinessFeedback) -> str:
    """What the feedback is about, in words: 'their work placement' or 'their first four weeks in the job'."""
    if feedback.placement is not None:
        p = feedback.placement
        return f"the work placement from {p.start_date:%-d %B} to {p.end_date:%-d %B %Y}"
    start = feedback.job_start
    if start is None:
        return "their work"
    return f"their first four weeks as {start.get_job_role_display().lower()} (started {start.start_date:%-d %B %Y})"


@transaction.atomic
def readiness_feedback_answer(
    *, feedback: ReadinessFeedback, actor: User, rating: int, comment: str
) -> ReadinessFeedback:
    """The provider rates the learner's readiness 1-5 with a comment; answered once, never changed."""
    if rating not in range(1, 6):
        raise ValidationError({"rating": "Choose a rating from 1 to 5."})
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": f"The comment must be {COMMENT_MAX_LENGTH} characters or fewer."})
    answered = ReadinessFeedback.objects.filter(Q(pk=feedback.pk), answered_at=None).update(
        rating=rating, comment=comment, answered_at=timezone.now(), answered_by=actor, updated_at=timezone.now()
    )
    if answered != 1:
        feedback.refresh_from_db()
        when = f" on {timezone.localtime(feedback.answered_at):%-d %B %Y}" if feedback.answered_at else ""
        raise ValidationError(f"This feedback was already given{when}; an answer cannot be changed.")
    feedback.refresh_from_db()
    audit_log(actor=actor, action="readiness_feedback.answer", obj=feedback, data={"rating": rating})
    return feedback
