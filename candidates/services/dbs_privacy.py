"""DBS data and a person's data rights: what erasure removes from their checks.

Certificate details are the part of a check that must not outlive its purpose. The same fields
are cleared by the retention purge (past the retention date) and by anonymisation (at once):
CERTIFICATE_DETAILS_CLEARED is the one list of them. What stays is the minimal record aggregate
figures need: level, workforce, who paid, status and step dates, issue date, decision, who decided.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from candidates.models import DbsCheck, DbsReminder

# Field -> cleared value.
CERTIFICATE_DETAILS_CLEARED: dict[str, Any] = {
    "certificate_number": "",
    "disclosure_notes": "",
    "application_reference": "",
    "original_seen_by": None,
    "original_seen_at": None,
}


def dbs_certificate_details_clear(checks: QuerySet[DbsCheck], *, now: datetime | None = None) -> int:
    """Clear the certificate details of `checks` not yet purged and stamp details_purged_at; one query.

    The caller logs it (the retention purge per check, anonymisation with the record).
    """
    return checks.filter(details_purged_at__isnull=True).update(
        **CERTIFICATE_DETAILS_CLEARED, details_purged_at=now or timezone.now(), updated_at=timezone.now()
    )


def dbs_checks_anonymise(checks: QuerySet[DbsCheck]) -> None:
    """Erasure of a person's checks (declared in candidates/privacy.py): purge the certificate
    details and drop the Update Service subscription ID, which identifies the person."""
    dbs_certificate_details_clear(checks)
    checks.exclude(update_service_id="").update(update_service_id="")


def dbs_reminders_anonymise(reminders: QuerySet[DbsReminder]) -> None:
    """Erasure of a person's reminders: those not yet sent are skipped, and the person's address
    (and any mail error that may quote it) goes; staff and provider reminders keep theirs."""
    reminders.filter(status=DbsReminder.Status.PENDING).update(status=DbsReminder.Status.SKIPPED)
    reminders.filter(recipient=DbsReminder.Recipient.LEARNER).update(recipient_email="", last_error="")
