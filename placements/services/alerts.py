"""Job alerts: saving a search, stopping it, and the daily run that sends each alert's new vacancies once.

The run (`job_alerts_sweep`, from beat each morning) claims each due alert by a conditional update of
`last_run_on` and, in the same transaction, records the vacancies it lists (unique per alert and vacancy)
and writes one message to the outbox by the learner's channels. Nothing new: nothing is sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate
from candidates.services.messages import candidate_notify
from placements.models import JobAlert, JobAlertVacancy
from placements.selectors.alerts import (
    job_alert_board_query,
    job_alert_new_vacancies,
    job_alert_unsubscribe_token,
    job_alerts_due_q,
)
from placements.selectors.board import BoardSearch, with_miles

TEMPLATE = "placements/email/job_alert"
# Vacancies one message lists; the rest are one click away on the board (and are not marked as sent).
MAX_LISTED = 10
# Active alerts one learner may keep.
MAX_ALERTS = 10


@transaction.atomic
def job_alert_create(*, candidate: Candidate, actor: User, search: BoardSearch, frequency: str) -> JobAlert:
    """Save a board search as an alert for `candidate`, checked daily or weekly from tomorrow morning."""
    if frequency not in JobAlert.Frequency.values:
        raise ValidationError({"frequency": "Select how often you want job alerts"})
    if JobAlert.objects.filter(candidate=candidate, stopped_at__isnull=True).count() >= MAX_ALERTS:
        raise ValidationError(f"You already have {MAX_ALERTS} job alerts. Stop one before adding another.")
    alert = JobAlert.objects.create(
        candidate=candidate,
        text=search.text.strip(),
        job_role=search.job_role,
        hours=search.hours,
        where=search.where.strip(),
        radius_miles=search.radius_miles,
        frequency=frequency,
    )
    audit_log(actor=actor, action="job_alert.create", obj=alert, data={"frequency": frequency})
    return alert


@transaction.atomic
def job_alert_stop(*, alert: JobAlert, actor: User | None) -> JobAlert:
    """Stop an alert (from the learner's list or the signed link in a message); stopping twice changes nothing."""
    now = timezone.now()
    if JobAlert.objects.filter(pk=alert.pk, stopped_at__isnull=True).update(stopped_at=now, updated_at=now):
        alert.stopped_at = now
        audit_log(actor=actor, action="job_alert.stop", obj=alert)
    else:
        alert.refresh_from_db(fields=["stopped_at"])
    return alert


NOT_CLAIMED = -1


@transaction.atomic
def job_alert_run(*, alert_id: int, today: dt.date, now: dt.datetime | None = None) -> int:
    """Run one alert if this call claims it for `today`: returns how many vacancies it listed (0: nothing new,
    nothing sent), or NOT_CLAIMED when it was not due (already run, stopped)."""
    if not _claim(alert_id, today):
        return NOT_CLAIMED
    alert = JobAlert.objects.select_related("candidate__user").get(pk=alert_id)
    if not alert.candidate.is_current:
        return 0
    vacancies = with_miles(job_alert_new_vacancies(alert, today=today)[:MAX_LISTED])
    if not vacancies:
        return 0
    # The unique constraint makes a vacancy listed twice by one alert impossible, whatever else goes wrong.
    JobAlertVacancy.objects.bulk_create(JobAlertVacancy(alert=alert, vacancy=v, sent_on=today) for v in vacancies)
    unsubscribe_path = reverse("placements:job-alert-unsubscribe", kwargs={"token": job_alert_unsubscribe_token(alert)})
    query = job_alert_board_query(alert)
    candidate_notify(
        candidate=alert.candidate,
        template=TEMPLATE,
        context={
            "alert": alert,
            "vacancies": vacancies,
            "count": len(vacancies),
            "board_path": reverse("placements:job-board") + (f"?{query}" if query else ""),
            "unsubscribe_path": unsubscribe_path,
        },
        now=now,
    )
    return len(vacancies)


def _claim(alert_id: int, today: dt.date) -> bool:
    """Take the alert's run for `today` if it is due: one conditional update, so one caller wins."""
    return JobAlert.objects.filter(job_alerts_due_q(today), pk=alert_id).update(last_run_on=today) == 1


@dataclass(frozen=True)
class JobAlertSweepResult:
    due: int
    sent: int
    vacancies: int


def job_alerts_sweep(*, today: dt.date | None = None, now: dt.datetime | None = None) -> JobAlertSweepResult:
    """Run every alert due today, each in its own transaction (a failure leaves the others sent)."""
    today = today or timezone.localdate()
    due = list(JobAlert.objects.filter(job_alerts_due_q(today)).order_by("pk").values_list("pk", flat=True))
    listed = [job_alert_run(alert_id=pk, today=today, now=now) for pk in due]
    return JobAlertSweepResult(due=len(due), sent=sum(n > 0 for n in listed), vacancies=sum(max(n, 0) for n in listed))
