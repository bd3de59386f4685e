"""Job alerts: which are due today, what each would list, and reading an unsubscribe link."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

from django.core import signing
from django.db.models import Q, QuerySet
from django.http import QueryDict

from candidates.models import Candidate
from placements.models import JobAlert, Vacancy
from placements.selectors.board import BoardSearch, job_board_open, job_board_search

UNSUBSCRIBE_SALT = "placements.job-alert.unsubscribe"
WEEK = dt.timedelta(days=7)


def job_alert_search(alert: JobAlert) -> BoardSearch:
    return BoardSearch(
        text=alert.text, job_role=alert.job_role, hours=alert.hours, where=alert.where, radius_miles=alert.radius_miles
    )


def job_alert_board_query(alert: JobAlert) -> str:
    """The board's query string for the alert's search, so "see them all" opens the same search."""
    query = QueryDict(mutable=True)
    for name, value in {
        "q": alert.text,
        "job_role": alert.job_role,
        "hours": alert.hours,
        "where": alert.where,
        "radius": alert.radius_miles or "",
    }.items():
        if value:
            query[name] = str(value)
    return query.urlencode()


def job_alerts_due_q(today: dt.date) -> Q:
    """Alerts to run on `today`: active, and not run today (daily) or in the last week (weekly)."""
    never_run = Q(last_run_on__isnull=True)
    daily = Q(frequency=JobAlert.Frequency.DAILY, last_run_on__lt=today)
    weekly = Q(frequency=JobAlert.Frequency.WEEKLY, last_run_on__lte=today - WEEK)
    return Q(stopped_at__isnull=True) & (never_run | daily | weekly)


def job_alert_new_vacancies(alert: JobAlert, *, today: dt.date) -> QuerySet[Vacancy]:
    """Open vacancies matching the alert, published since it was saved, that it has not listed yet (nearest first)."""
    return (
        job_board_search(job_alert_search(alert), today=today)
        .vacancies.filter(published_at__gte=alert.created_at)
        .exclude(pk__in=alert.sent_vacancies.values("vacancy_id"))
    )


def job_alerts_of(candidate: Candidate) -> QuerySet[JobAlert]:
    """The learner's active alerts, newest first."""
    return JobAlert.objects.filter(candidate=candidate, stopped_at__isnull=True).order_by("-created_at")


def job_alert_unsubscribe_token(alert: JobAlert) -> str:
    """The alert's id signed with the secret key: short enough for a text, impossible to guess or alter."""
    short_id = base64.urlsafe_b64encode(alert.public_id.bytes).decode().rstrip("=")
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(short_id)


def job_alert_from_token(token: str) -> JobAlert | None:
    """The alert a signed link names, or None for a link that was altered or made up."""
    try:
        short_id = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
        public_id = uuid.UUID(bytes=base64.urlsafe_b64decode(short_id + "=="))
    except (signing.BadSignature, ValueError):
        return None
    return JobAlert.objects.filter(public_id=public_id).first()


def job_alert_listed(alert: JobAlert, *, today: dt.date | None = None) -> list[Vacancy]:
    """The vacancies the alert listed that are still open, newest listing first (at most 20; two queries)."""
    open_ids = job_board_open(today=today).values("pk")
    listed = (
        alert.sent_vacancies.filter(vacancy__in=open_ids)
        .select_related("vacancy__provider")
        .order_by("-sent_on", "-pk")[:20]
    )
    return [row.vacancy for row in listed]
