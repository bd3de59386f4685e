"""DBS reminders: the daily sweep that creates what is due, and sending one reminder from a task.

Exactly once, step by step:
- The sweep inserts each due reminder with INSERT ... SELECT ... ON CONFLICT DO NOTHING against
  the reminder's unique constraints (check, kind, recipient or provider, due date). A second
  sweep the same day, or two at once, creates nothing more: the database decides, not a read
  made before the write.
- Pending reminders are queued after commit, SEND_BATCH to a task. Each reminder is claimed with
  a conditional update (pending -> sending, one row or none), so a reminder queued twice (two
  sweeps, a retried or redelivered task, two workers) is sent once.
- A permanent failure (a 5xx reply to this message, or a message that cannot be built) marks that
  reminder failed with the reason, shown to staff in the check's reminder history; the batch goes
  on. A temporary one puts the reminder back to pending: a 4xx reply to this message lets the
  batch go on, a failure of the server itself (connection, login) stops it, since the rest would
  fail too. Either way the task then retries the batch with backoff, and the retry skips what was
  sent or failed (no longer claimable). After MAX_ATTEMPTS tries a reminder is given up (failed);
  one still pending after the task's last retry is queued again by the next daily sweep.
- A worker killed mid-send leaves the reminder "sending". After LEASE the next sweep puts it back
  to pending and queues it again, so it is never skipped. The one case this sends twice is a
  worker that dies after the SMTP server accepted the message and before "sent" was committed:
  no SMTP system can make that step atomic, so it is at-least-once there and exactly-once
  everywhere else.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from academy.celery import enqueue_on_commit
from academy.emails import email_render
from academy.notifications.backends import email_deliver_now
from academy.outbox import failure_note, smtp_failure
from candidates.models import DbsPolicy, DbsReminder
from candidates.selectors.dbs_reminders import (
    REMINDER_COLUMNS,
    ReminderLine,
    dbs_reminder_lines,
    dbs_reminder_still_due,
    dbs_reminders_due,
)

Status = DbsReminder.Status
logger = logging.getLogger(__name__)

# How long a claim lasts. Longer than a send task can run (CELERY_TASK_TIME_LIMIT kills it first),
# so a claim this old belongs to a worker that died: releasing it never races a live send.
LEASE = timedelta(minutes=15)
RELEASED_NOTE = "Sending did not finish (the worker stopped): queued again."

# Reminders per send task: few broker messages for a big sweep (publishing one costs about a
# millisecond with Redis), and a batch still sends well within the task time limit.
SEND_BATCH = 50

SENT, SKIPPED, FAILED, NOT_CLAIMED = "sent", "skipped", "failed", "not claimed"


@dataclass(frozen=True)
class SweepResult:
    today: date
    dry_run: bool
    # Reminders this sweep created (none in a dry run).
    created_ids: list[int] = field(default_factory=list)
    # Dry run only: the reminders it would create.
    planned: list[ReminderLine] = field(default_factory=list)
    # Claims older than LEASE put back to pending (in a dry run: that would be).
    released: int = 0
    # Send tasks queued for new reminders, and for earlier ones not sent yet (dry run: would be).
    queued_new: int = 0
    queued_earlier: int = 0


def _insert_returning_ids(rows: QuerySet[Any]) -> list[int]:
    """INSERT the annotated `rows` (REMINDER_COLUMNS) as reminders in one statement; the new ids.

    ON CONFLICT DO NOTHING (PostgreSQL; SQLite 3.24+) leaves the unique constraints to decide
    between two sweeps at once, and RETURNING (PostgreSQL; SQLite 3.35+) lists only the rows this
    statement created. One statement however many rows, so the sweep's query count is fixed.
    """
    # In key order, so two sweeps at once meet on the same first row and one waits for the other
    # to commit (then inserts nothing), instead of each holding a row the other needs (a deadlock).
    select = rows.order_by("r_check", "r_provider").values_list(*(alias for _, alias in REMINDER_COLUMNS))
    connection = connections[select.db]
    select_sql, params = select.query.get_compiler(connection=connection).as_sql()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column, _ in REMINDER_COLUMNS)
    sql = (
        f"INSERT INTO {quote(DbsReminder._meta.db_table)} ({columns}) {select_sql} "
        f"ON CONFLICT DO NOTHING RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _stuck(now: datetime) -> QuerySet[DbsReminder]:
    return DbsReminder.objects.filter(status=Status.SENDING, claimed_at__lt=now - LEASE)


def _waiting(today: date) -> QuerySet[DbsReminder]:
    return DbsReminder.objects.filter(status=Status.PENDING, due_on__lte=today)


def dbs_reminders_create(*, today: date, now: datetime) -> list[int]:
    """Create the reminders due on `today` that do not exist yet, without queueing them; their ids.

    The sweep's second step (the demo data uses it alone); one INSERT per kind and recipient, for
    each academy's policy (DbsPolicy.scopes).
    """
    return [pk for rows in _due_by_policy(today=today, now=now) for pk in _insert_returning_ids(rows.rows)]


def _due_by_policy(*, today: date, now: datetime) -> list[Any]:
    return [
        due
        for policy, checks_in in DbsPolicy.scopes()
        for due in dbs_reminders_due(today=today, policy=policy, now=now, checks_in=checks_in)
    ]


def dbs_reminders_sweep(*, today: date, dry_run: bool = False, now: datetime | None = None) -> SweepResult:
    """Create the DBS reminders due on `today` and queue every unsent one for sending.

    A fixed number of queries whatever the number of checks: one INSERT ... SELECT per kind and
    recipient, one UPDATE releasing stuck claims, one SELECT of what to send. A dry run reads
    the same rows and writes nothing.
    """
    now = now or timezone.now()
    if dry_run:
        due = _due_by_policy(today=today, now=now)
        planned = [line for rows in due for line in dbs_reminder_lines(rows)]
        return SweepResult(
            today=today,
            dry_run=True,
            planned=planned,
            released=_stuck(now).count(),
            queued_new=sum(line.status == Status.PENDING for line in planned),
            queued_earlier=_waiting(today).count(),
        )
    with transaction.atomic():
        released = _stuck(now).update(status=Status.PENDING, last_error=RELEASED_NOTE)
        created = dbs_reminders_create(today=today, now=now)
        waiting = list(_waiting(today).order_by("due_on", "pk").values_list("pk", flat=True))
        for start in range(0, len(waiting), SEND_BATCH):
            enqueue_on_commit("candidates.tasks.dbs_reminders_send_task", waiting[start : start + SEND_BATCH])
    queued_new = len(set(created).intersection(waiting))
    return SweepResult(
        today=today,
        dry_run=False,
        created_ids=created,
        released=released,
        queued_new=queued_new,
        queued_earlier=len(waiting) - queued_new,
    )


def _email(reminder: DbsReminder, policy: DbsPolicy) -> dict[str, Any]:
    check = reminder.dbs_check
    candidate = check.candidate
    return email_render(
        template_prefix=f"candidates/dbs/email/reminder_{reminder.kind}_{reminder.recipient}",
        to=[reminder.recipient_email],
        context={
            "reminder": reminder,
            "check": check,
            "first_name": candidate.first_name,
            "person": candidate.full_name,
            "policy": policy,
            "has_account": candidate.user_id is not None,
            "my_dbs_url": settings.SITE_URL + reverse("candidates:dbs-my"),
            "check_url": settings.SITE_URL + check.get_absolute_url(),
            "shared_url": settings.SITE_URL + reverse("candidates:dbs-shared-list"),
        },
    )


def dbs_reminder_send(*, reminder_id: int, now: datetime | None = None) -> str:
    """Send one reminder if this call claims it; returns "sent", "skipped", "failed" or "not claimed".

    A temporary SMTP failure (OSError) is re-raised after putting the reminder back to pending, so
    the task retries (see the module's docstring); a permanent one marks it failed with the reason.
    A reminder no longer due (the certificate came, the share stopped) is marked skipped.
    """
    now = now or timezone.now()
    claimed = DbsReminder.objects.filter(pk=reminder_id, status=Status.PENDING).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return NOT_CLAIMED
    # Every later write is conditional on still holding this claim.
    ours = DbsReminder.objects.filter(pk=reminder_id, status=Status.SENDING, claimed_at=now)
    reminder = DbsReminder.objects.select_related("dbs_check__candidate").get(pk=reminder_id)
    policy = DbsPolicy.current(reminder.dbs_check.candidate.academy_id)
    if not dbs_reminder_still_due(reminder, today=timezone.localdate(now), policy=policy):
        ours.update(status=Status.SKIPPED, last_error="No longer due when it came to be sent.")
        return SKIPPED
    try:
        email_deliver_now(_email(reminder, policy))
    except Exception as exc:  # one reminder's failure must not stop the others
        give_up, note = failure_note(smtp_failure(exc), attempts=reminder.attempts)
        if give_up:
            logger.warning("DBS reminder %s failed: %s", reminder_id, note)
            ours.update(status=Status.FAILED, last_error=note)
            return FAILED
        ours.update(status=Status.PENDING, last_error=note)
        raise
    ours.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return SENT


def dbs_reminders_send(*, reminder_ids: list[int]) -> dict[str, int]:
    """Send each reminder in turn (dbs_reminder_send); how many were sent, skipped, failed or not claimed.

    A reminder put off for now (a 4xx reply) does not hold up the rest: its error is re-raised after
    the batch, so the task retries it. A failure of the server itself stops the batch at once.
    """
    outcomes: Counter[str] = Counter()
    put_off: OSError | None = None
    for reminder_id in reminder_ids:
        try:
            outcomes[dbs_reminder_send(reminder_id=reminder_id)] += 1
        except OSError as exc:
            if smtp_failure(exc).server_down:
                raise
            put_off = put_off or exc
    if put_off is not None:
        raise put_off
    return dict(outcomes)
