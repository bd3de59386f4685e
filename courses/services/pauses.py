"""Pauses that never end: a learner paused and not back within COURSE_PAUSE_LAPSES_AFTER_DAYS did not complete.

Without this, someone who paused and never returned would stay "paused" for ever, outside every
outcome; recording them as "did not complete" keeps the completion figures honest
(courses.selectors.outcomes.CompletionSummary). Run daily by enrolments_lapse_pauses_task.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone

from academy.audit import audit_log
from courses.models import Enrolment
from courses.selectors.outcomes import later_enrolments

Status = Enrolment.Status


def enrolments_lapse_pauses(*, now: dt.datetime | None = None) -> int:
    """Record as "did not complete" every pause older than COURSE_PAUSE_LAPSES_AFTER_DAYS with no rejoin.

    Idempotent (the daily task may run twice or be retried): each enrolment is locked and checked
    again before it changes. Returns how many were recorded.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.COURSE_PAUSE_LAPSES_AFTER_DAYS)
    stale = (
        Enrolment.objects.filter(status=Status.PAUSED, ended_at__lt=cutoff)
        .exclude(Exists(later_enrolments()))
        .order_by("ended_at", "pk")
    )
    return sum(enrolment_lapse_pause(enrolment=enrolment, now=now) for enrolment in list(stale))


@transaction.atomic
def enrolment_lapse_pause(*, enrolment: Enrolment, now: dt.datetime) -> bool:
    """Record one lapsed pause as "did not complete" (audited, by the schedule); False if it no longer applies.

    The paused row is locked as enrolment_rejoin (courses.services.delivery) locks it, so a rejoin
    and a lapse never both happen.
    """
    days = settings.COURSE_PAUSE_LAPSES_AFTER_DAYS
    locked = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .filter(pk=enrolment.pk, status=Status.PAUSED, ended_at__lt=now - dt.timedelta(days=days))
        .first()
    )
    if locked is None or locked.ended_at is None:
        return False
    enrolment = locked
    rejoined = Enrolment.objects.filter(
        candidate_id=enrolment.candidate_id,
        cohort__course_id=enrolment.cohort.course_id,
        cohort__start_date__gt=enrolment.cohort.start_date,
    )
    if rejoined.exists():
        return False
    paused_on = timezone.localtime(enrolment.ended_at)
    note = f"Paused on {paused_on:%-d %B %Y} and did not rejoin a later cohort within {days} days."
    enrolment.status = Status.DID_NOT_COMPLETE
    enrolment.status_reason = f"{note} {enrolment.status_reason}".strip()
    # ended_at stays the day they paused: they were not on the course after it.
    enrolment.save(update_fields=["status", "status_reason", "updated_at"])
    audit_log(
        actor=None,
        action="enrolment.pause_lapsed",
        obj=enrolment,
        data={"paused_on": paused_on.date().isoformat(), "after_days": days},
    )
    return True
