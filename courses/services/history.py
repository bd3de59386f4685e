"""Status history of course applications and enrolments, written beside each audit entry.

Every service that changes an application's or an enrolment's status calls one of these in the
same transaction as its audit entry, so time-in-status and conversion come from rows.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from academy.models import User
from courses.models import Application, ApplicationStatusChange, Enrolment, EnrolmentStatusChange


def application_history_record(
    *,
    application: Application,
    from_status: str,
    actor: User | None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> ApplicationStatusChange:
    """Record that `application` moved from `from_status` ("" when new) to its current status."""
    return ApplicationStatusChange.objects.create(
        application=application,
        from_status=from_status,
        to_status=application.status,
        reason=reason,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=at or timezone.now(),
    )


def enrolment_history_record(
    *,
    enrolment: Enrolment,
    from_status: str,
    actor: User | None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> EnrolmentStatusChange:
    """Record that `enrolment` moved from `from_status` ("" when new) to its current status."""
    return EnrolmentStatusChange.objects.create(
        enrolment=enrolment,
        from_status=from_status,
        to_status=enrolment.status,
        reason=reason,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=at or timezone.now(),
    )
