"""Retention of DBS certificate details: purged once the policy's months after the decision have passed.

What stays is the minimal record a decision needs (level, issue date, decision, who decided);
the cleared fields are candidates.services.dbs_privacy.CERTIFICATE_DETAILS_CLEARED.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from academy.audit import audit_log
from candidates.models import DbsCheck, DbsPolicy
from candidates.services.dbs_common import add_months
from candidates.services.dbs_privacy import CERTIFICATE_DETAILS_CLEARED, dbs_certificate_details_clear

BATCH = 500


def dbs_retention_cutoff(*, today: date, policy: DbsPolicy) -> date:
    """Details of a check decided before this day are past their retention date on `today`."""
    return add_months(today, -policy.retention_months_after_decision)


def dbs_purge_certificate_details(*, today: date, now: datetime | None = None) -> int:
    """Purge the certificate details of every check past its retention date; returns how many.

    The retention date is the decision date plus the policy's months (for a check withdrawn
    without a decision, the date it was withdrawn). Each purge is logged against its check, so
    the check's own history says when and why its details went; a daily run purges the few
    checks that reached their date that day, in batches under a row lock so two runs at once
    purge and log each check once.
    """
    now = now or timezone.now()
    policy = DbsPolicy.current()
    cutoff = dbs_retention_cutoff(today=today, policy=policy)
    expired = DbsCheck.objects.filter(details_purged_at__isnull=True).filter(
        Q(decision_on__lt=cutoff) | Q(decision_on__isnull=True, withdrawn_on__lt=cutoff)
    )
    purged = 0
    while True:
        with transaction.atomic():
            batch = list(
                expired.select_for_update().order_by("pk").only("pk", "level", "status", "decision_on")[:BATCH]
            )
            if not batch:
                return purged
            dbs_certificate_details_clear(DbsCheck.objects.filter(pk__in=[c.pk for c in batch]), now=now)
            for check in batch:
                audit_log(
                    actor=None,
                    action="dbs.details_purged",
                    obj=check,
                    data={
                        "reason": "retention",
                        "retention_months": policy.retention_months_after_decision,
                        "fields": sorted(CERTIFICATE_DETAILS_CLEARED),
                    },
                )
        purged += len(batch)
