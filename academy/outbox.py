"""The transactional outbox: every email and text the portal sends is a row written with the change it tells about.

Rows come from `outbox_email` (an email rendered by academy.emails) and from academy.notifications
(a message by the person's channel). `academy.notifications.backends.deliver` hands a claimed row to
SMTP, GOV.UK Notify or the log; Notify's answers are classified like SMTP's (`smtp_failure`), and its
delivery receipts later mark a sent row delivered or failed. A text is never due at night (quiet hours).

Step by step:
- `outbox_email` inserts the rendered message in the caller's transaction, so the email exists
  exactly when the change does (a rolled-back change sends nothing). After commit the send task
  is queued with the row's id (academy.celery.enqueue_on_commit); if the broker is down that is
  logged and the row waits for the sweep.
- `outbox_send` claims a row with a conditional update (pending -> sending, one row or none), so
  the task, a redelivery and the sweep never send one message twice. A temporary failure (a 4xx
  reply, a dropped connection) puts it back to pending with a later `next_attempt_at` (backoff);
  a permanent one (a 5xx reply, a message that cannot be built) marks it failed with the reason.
- `outbox_sweep` runs every minute from beat: it releases claims older than LEASE (a worker died
  mid-send), sends what is due, and deletes rows kept longer than KEEP.
As with the DBS reminders, the one case that sends twice is a worker that dies after the SMTP
server accepted the message and before "sent" was committed.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from academy.celery import enqueue_on_commit
from academy.mail import html_from_text
from academy.models import OutboxMessage
from academy.notifications.backends import DeliveryError, deliver
from academy.notifications.quiet_hours import sms_send_time

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status

# Longer than a send task may run (CELERY_TASK_TIME_LIMIT), so an older claim belongs to a dead worker.
LEASE = timedelta(minutes=15)
# Tries before a message that keeps being put off is given up: with the backoff, about eight hours.
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=4)
# Messages one sweep sends at most: well inside the task time limit, the rest wait a minute.
SWEEP_BATCH = 200
# Sent and failed rows (content already cleared from sent ones) are deleted after this long.
KEEP = timedelta(days=30)

SENT, FAILED, RETRY, NOT_CLAIMED = "sent", "failed", "retry", "not claimed"


@dataclass(frozen=True)
class SmtpFailure:
    """What an error while sending one message means for it and for the messages after it."""

    permanent: bool  # never try this message again
    server_down: bool  # the next messages would fail too: stop the batch
    reason: str
    rejected: bool = True  # the server answered about this message (not a local or connection error)
    server: str = "The mail server"  # who answered, as staff read it


def smtp_failure(exc: Exception) -> SmtpFailure:
    """Classify an error raised while sending one message (RFC 5321: 5xx is final, 4xx is for now).

    Rejections of the message (recipients, sender, data) are about this message alone. Failures of
    the connection, greeting or login are about the server, so they are temporary whatever the code:
    a wrong password is fixed by an operator and must not fail every message meanwhile.
    """
    if isinstance(exc, DeliveryError):  # GOV.UK Notify's answer (academy.notifications.backends)
        return SmtpFailure(exc.permanent, exc.server_down, exc.reason, rejected=exc.permanent, server="GOV.UK Notify")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        code, text = replies[0] if replies else (550, b"")
        return SmtpFailure(all(c >= 500 for c, _ in replies), False, _reply(code, text))
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return SmtpFailure(exc.smtp_code >= 500, False, _reply(exc.smtp_code, exc.smtp_error))
    if isinstance(exc, smtplib.SMTPResponseException):
        return SmtpFailure(False, True, _reply(exc.smtp_code, exc.smtp_error), rejected=False)
    if isinstance(exc, OSError):
        return SmtpFailure(False, True, str(exc) or type(exc).__name__, rejected=False)
    # Not a mail server's answer: the message itself cannot be built (e.g. a newline in an address).
    return SmtpFailure(True, False, f"{type(exc).__name__}: {exc}", rejected=False)


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}".strip()


def failure_note(failure: SmtpFailure, *, attempts: int) -> tuple[bool, str]:
    """(give up?, the note staff read) for a failed try; a message put off MAX_ATTEMPTS times is given up."""
    if failure.permanent and failure.rejected:
        return True, f"{failure.server} rejected it for good ({failure.reason})."[:300]
    if failure.permanent:
        return True, f"Could not be sent: {failure.reason}"[:300]
    if attempts >= MAX_ATTEMPTS:
        return True, f"Gave up after {attempts} tries ({failure.reason})."[:300]
    return False, f"Sending failed, will try again: {failure.reason}"[:300]


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4, 8 ... minutes, at most LONGEST_WAIT."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _enqueue(message_id: int) -> None:
    enqueue_on_commit("academy.tasks.outbox_send_task", message_id)


def outbox_write(**fields: Any) -> OutboxMessage:
    """Insert one message (OutboxMessage's fields) in the caller's transaction; queued after commit when due.

    A message due later (a text held through the night) is sent by the sweep when its time comes.
    """
    row = OutboxMessage.objects.create(**fields)
    if row.next_attempt_at <= timezone.now():
        _enqueue(row.pk)
    return row


def outbox_email(message: dict[str, Any]) -> OutboxMessage:
    """Write a rendered email (academy.emails.email_render's dict) to the outbox; sent after commit.

    Call it inside the transaction that makes the change the email tells about.
    """
    return outbox_write(
        kind=str(message.get("kind") or "email")[:120],
        to=list(message["to"]),
        from_email=message.get("from_email") or "",
        subject=message["subject"],
        body=message["body"],
        html=message.get("html") or html_from_text(subject=message["subject"], body=message["body"]),
        attachments=list(message.get("attachments") or []),
    )


def outbox_send(*, message_id: int, now: datetime | None = None) -> str:
    """Send one outbox message if this call claims it: "sent", "failed", "retry" or "not claimed".

    Never raises for a mail server's failure: the row records it (see the module docstring).
    """
    return _send(message_id, now or timezone.now())[0]


def _send(message_id: int, now: datetime) -> tuple[str, SmtpFailure | None]:
    # Not before its time: a text held for the morning is not sent by a task queued at night.
    claimed = OutboxMessage.objects.filter(pk=message_id, status=Status.PENDING, next_attempt_at__lte=now).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return NOT_CLAIMED, None
    ours = OutboxMessage.objects.filter(pk=message_id, status=Status.SENDING, claimed_at=now)
    row = OutboxMessage.objects.get(pk=message_id)
    try:
        reference = deliver(row)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row and decided below
        failure = smtp_failure(exc)
        give_up, note = failure_note(failure, attempts=row.attempts)
        if give_up:
            logger.warning("Outbox message %s failed: %s", message_id, note)
            ours.update(status=Status.FAILED, last_error=note, body="", html="", attachments=[])
            return FAILED, failure
        retry_at = now + retry_delay(row.attempts)
        if row.channel == OutboxMessage.Channel.SMS:
            retry_at = sms_send_time(retry_at)
        ours.update(status=Status.PENDING, last_error=note, next_attempt_at=retry_at)
        return RETRY, failure
    # Sent: what it said and to whom is no longer needed here; a person's record keeps what it was about.
    ours.update(
        status=Status.SENT,
        sent_at=timezone.now(),
        reference=reference,
        last_error="",
        to=[],
        subject=row.subject if row.on_record else "",
        body="",
        html="",
        attachments=[],
    )
    return SENT, None


@dataclass(frozen=True)
class OutboxSweepResult:
    released: int
    sent: int
    failed: int
    retry: int
    deleted: int


def outbox_sweep(*, now: datetime | None = None) -> OutboxSweepResult:
    """Release dead claims, send what is due (oldest first, SWEEP_BATCH at most), delete old rows.

    Stops sending at the first failure of the server itself (it would fail the rest too).
    """
    now = now or timezone.now()
    released = OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=now - LEASE).update(
        status=Status.PENDING, last_error="Sending did not finish (the worker stopped): queued again."
    )
    due = OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    outcomes = {SENT: 0, FAILED: 0, RETRY: 0, NOT_CLAIMED: 0}
    for message_id in list(due.values_list("pk", flat=True)[:SWEEP_BATCH]):
        # Never earlier than the sweep's own time: what it found due must be due to the claim too.
        outcome, failure = _send(message_id, max(timezone.now(), now))
        outcomes[outcome] += 1
        if failure is not None and failure.server_down:
            break
    finished = Q(status__in=[Status.SENT, Status.DELIVERED], sent_at__lt=now - KEEP) | Q(
        status=Status.FAILED, updated_at__lt=now - KEEP
    )
    on_record_since = now - timedelta(days=settings.NOTIFICATIONS_KEEP_DAYS)
    deleted, _ = (
        OutboxMessage.objects.filter(finished).exclude(on_record=True, updated_at__gte=on_record_since).delete()
    )
    return OutboxSweepResult(
        released=released, sent=outcomes[SENT], failed=outcomes[FAILED], retry=outcomes[RETRY], deleted=deleted
    )
