"""A learner's DBS data for their "My data" download: checks, Update Service status checks, sharing.

Declared as sections of the download in candidates/privacy.py.
Values are what the learner would read (labels, not codes). The certificate number is included
while the academy holds it; once purged the download says when it was removed. What was
disclosed and the risk assessment are the academy's working notes and stay out (the learner
may ask for them through a subject access request). Three queries, however many checks.
"""

from __future__ import annotations

from typing import Any

from academy.models import User
from academy.personal_data import who
from candidates.models import Candidate, DbsCheck, DbsShare, DbsStatusCheck
from candidates.selectors.dbs import dbs_outcome_label


def _check(check: DbsCheck, you: User | None) -> dict[str, Any]:
    return {
        "level": check.get_level_display(),
        "workforce": check.get_workforce_display(),
        "paid_by": check.get_paid_by_display(),
        "status": check.get_status_display(),
        "started": check.started_on,
        "id_verified": check.id_verified_on,
        "application_submitted": check.submitted_on,
        "application_reference": check.application_reference,
        "certificate_issued": check.certificate_issued_on,
        "certificate_number": check.certificate_number if check.details_purged_at is None else "",
        "certificate_details_removed": check.details_purged_at,
        "outcome": dbs_outcome_label(check) if check.decision else "",
        "decision_date": check.decision_on,
        "decision_by": who(check.decision_by, you) if check.decision else "",
        "recheck_due": check.recheck_due_on,
        "withdrawn": check.withdrawn_on,
        "update_service_subscription": check.update_service_id,
        "update_service_subscribed": check.update_service_subscribed_on,
        "update_service_renewal_due": check.update_service_renewal_due_on,
        "you_agreed_to_status_checks": check.status_check_consent,
    }


def learner_dbs_checks(candidate: Candidate, you: User | None = None) -> list[dict[str, Any]]:
    """The candidate's DBS checks, oldest first; one query."""
    checks = DbsCheck.objects.filter(candidate=candidate).select_related("decision_by").order_by("started_on", "pk")
    return [_check(check, you) for check in checks]


def learner_dbs_status_checks(candidate: Candidate, you: User | None = None) -> list[dict[str, Any]]:
    """Update Service status checks of the candidate's DBS checks, oldest first; one query."""
    status_checks = (
        DbsStatusCheck.objects.filter(dbs_check__candidate=candidate)
        .select_related("dbs_check")
        .order_by("checked_on", "pk")
    )
    return [
        {"date": s.checked_on, "result": s.get_result_display(), "check_started": s.dbs_check.started_on}
        for s in status_checks
    ]


def learner_dbs_shares(candidate: Candidate, you: User | None = None) -> list[dict[str, Any]]:
    """Providers the candidate's DBS outcome was shared with, oldest first; one query."""
    shares = (
        DbsShare.objects.filter(dbs_check__candidate=candidate)
        .select_related("provider", "dbs_check")
        .order_by("shared_at", "pk")
    )
    return [
        {
            "provider": share.provider.name,
            "check_level": share.dbs_check.get_level_display(),
            "shared": share.shared_at,
            "stopped": share.revoked_at,
        }
        for share in shares
    ]
