"""Retention of DBS certificate details: purged once the policy's months have passed.

A check is past its retention date the policy's months after its decision (or its withdrawal), or,
when it has neither (abandoned along the way), the policy's other months after its last step.
What stays is the minimal record a decision needs (level, issue date, decision, who decided);
the cleared fields are candidates.services.dbs_privacy.CERTIFICATE_DETAILS_CLEARED.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import DateField, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from academy.audit import audit_log
from candidates.models import DbsCheck, DbsPolicy
from candidates.services.dbs_common import add_months
from candidates.services.dbs_privacy import CERTIFICATE_DETAILS_CLEARED, dbs_certificate_details_clear

BATCH = 500


def dbs_retention_cutoff(*, today: date, policy: DbsPolicy) -> date:
    """Details of a check decided before this day are past their retention date on `today`."""
    return add_months(today, -policy.retention_months_after_decision)


def dbs_abandoned_cutoff(*, today: date, policy: DbsPolicy) -> date:
    """Details of a check with no decision or withdrawal whose last step came before this day go on `today`."""
    return add_months(today, -policy.retention_months_after_last_step)


def _with_last_step(checks: QuerySet[DbsCheck]) -> QuerySet[DbsCheck]:
    # Each missing step counts as the start, because SQLite's GREATEST is NULL when any argument is.
    start = "started_on"
    steps = [Coalesce(name, start, output_field=DateField()) for name in ("id_verified_on", "submitted_on")]
    steps.append(Coalesce("certificate_issued_on", start, output_field=DateField()))
    return checks.annotate(last_step_on=Greatest(start, *steps, output_field=DateField()))


def dbs_purge_certificate_details(*, today: date, now: datetime | None = None) -> int:
    """Purge the certificate details of every check past its retention date; returns how many.

    The retention date is the decision date plus the policy's months (for a check withdrawn
    without a decision, the date it was withdrawn; for one with neither, its last step plus the
    policy's months for abandoned checks). Each purge is logged against its check, so the check's
    own history says when and why its details went; a daily run purges the few checks that reached
    their date that day, in batches under a row lock so two runs at once purge and log each once.
    """
    now = now or timezone.now()
    # Each academy's checks by its own policy (DbsPolicy.scopes): one pass per policy.
    return sum(
        _purge(today=today, now=now, policy=policy, checks_in=checks_in) for policy, checks_in in DbsPolicy.scopes()
    )


def _purge(*, today: date, now: datetime, policy: DbsPolicy, checks_in: Q) -> int:
    cutoff = dbs_retention_cutoff(today=today, policy=policy)
    abandoned = Q(
        decision_on__isnull=True,
        withdrawn_on__isnull=True,
        last_step_on__lt=dbs_abandoned_cutoff(today=today, policy=policy),
    )
    expired = _with_last_step(DbsCheck.objects.filter(checks_in, details_purged_at__isnull=True)).filter(
        Q(decision_on__lt=cutoff) | Q(decision_on__isnull=True, withdrawn_on__lt=cutoff) | abandoned
    )
    purged = 0
    while True:
        with transaction.atomic():
            batch = list(
                expired.select_for_update()
                .order_by("pk")
                .only("pk", "level", "status", "decision_on", "withdrawn_on")[:BATCH]
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
                        **_why(check, policy),
                        "fields": sorted(CERTIFICATE_DETAILS_CLEARED),
                    },
                )
        purged += len(batch)


def _why(check: DbsCheck, policy: DbsPolicy) -> dict[str, object]:
    if check.decision_on is None and check.withdrawn_on is None:
        return {"reason": "abandoned", "retention_months": policy.retention_months_after_last_step}
    return {"reason": "retention", "retention_months": policy.retention_months_after_decision}
