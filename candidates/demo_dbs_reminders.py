"""Demo data: the reminder history of the demo's DBS checks, and details purged past retention.

Run after the demo's checks exist (candidates.demo_dbs.seed_dbs). Idempotent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from candidates.models import DbsReminder
from candidates.services.dbs_reminders import dbs_reminders_create
from candidates.services.dbs_retention import dbs_purge_certificate_details


@transaction.atomic
def seed_dbs_reminders(*, today: date) -> None:
    """Create the reminders due by `today` that the demo's checks lack, as the daily sweep would.

    Nothing is sent. Of those created here, the ones due before yesterday are recorded as sent
    that morning (history); the newest stay waiting, like the chases seed_dbs leaves waiting (the
    dashboard's overdue chases, which the next sweep sends). Certificate details past their
    retention date are purged, as the nightly task would have done.
    """
    created = dbs_reminders_create(today=today, now=timezone.now())
    earlier = DbsReminder.objects.filter(
        pk__in=created, status=DbsReminder.Status.PENDING, due_on__lt=today - timedelta(days=1)
    )
    for reminder in earlier:
        reminder.status = DbsReminder.Status.SENT
        reminder.sent_at = timezone.make_aware(datetime.combine(reminder.due_on, time(8, 0)))
        reminder.attempts = 1
        reminder.save(update_fields=["status", "sent_at", "attempts"])
    dbs_purge_certificate_details(today=today)
