"""What the DBS pages read: a person's checks, one check's page, and which check is current.

A person's newest check (by start date, then when it was recorded) is their current one; older
checks are history. Dashboards and reminders look at current checks of current records only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from academy.audit_words import AuditLine
from academy.selectors import audit_entries_for_object
from candidates.models import (
    Candidate,
    Consent,
    ConsentKind,
    DbsCheck,
    DbsReminder,
    DbsShare,
    DbsStatusCheck,
    current_q,
)
from candidates.selectors.consent import current_consents

Status = DbsCheck.Status

# Statuses of a check still under way: chased by reminders, aged on the dashboard, can be withdrawn.
IN_PROGRESS_STATUSES = (
    Status.NOT_STARTED,
    Status.ID_VERIFIED,
    Status.SUBMITTED,
    Status.CERTIFICATE_ISSUED,
    Status.DISCLOSED,
    Status.RISK_ASSESSMENT,
)
NEWEST_FIRST = ("-started_on", "-created_at", "-pk")


# A check whose outcome can travel to a provider (portable DBS): nothing disclosed, or a decision
# after a risk assessment that the person is suitable. Adverse outcomes are never shared.
def shareable_outcome(prefix: str = "") -> Q:
    """Filter for checks with a shareable outcome; `prefix` such as "dbs_check__" from a related model."""
    return Q(**{f"{prefix}status": Status.CLEARED}) | Q(
        **{f"{prefix}status": Status.DECISION_MADE, f"{prefix}decision": DbsCheck.Decision.SUITABLE}
    )


def dbs_outcome_label(check: DbsCheck) -> str:
    """The outcome in the words a provider or learner reads: "DBS cleared", "Suitable to work", ..."""
    if check.status == Status.CLEARED:
        return "DBS cleared"
    if check.status == Status.DECISION_MADE:
        return check.get_decision_display()
    return check.get_status_display()


def dbs_is_shareable(check: DbsCheck) -> bool:
    """True if the check's outcome may be shared with a provider (the same rule as shareable_outcome)."""
    return check.status == Status.CLEARED or (
        check.status == Status.DECISION_MADE and check.decision == DbsCheck.Decision.SUITABLE
    )


def dbs_current_checks(academy_id: int | None = None) -> QuerySet[DbsCheck]:
    """Each current record's newest check (one subquery on the candidate/started_on index), of one
    academy's people (None: every academy's, for the reminder sweeps)."""
    newest = DbsCheck.objects.filter(candidate=OuterRef("candidate")).order_by(*NEWEST_FIRST).values("pk")[:1]
    checks = DbsCheck.objects.filter(current_q("candidate"), pk=Subquery(newest))
    return checks if academy_id is None else checks.filter(candidate__academy_id=academy_id)


def dbs_check_scope(checks: QuerySet[DbsCheck]) -> QuerySet[DbsCheck]:
    """The checks a DBS page looks one up in, with the person and the people named on it joined."""
    return checks.select_related("candidate", "decision_by", "original_seen_by")


def dbs_checks_for_candidate(candidate: Candidate) -> list[DbsCheck]:
    """A person's checks, newest (current) first, for the record page and the learner's page; one query."""
    return list(candidate.dbs_checks.order_by(*NEWEST_FIRST))


@dataclass(frozen=True)
class DbsCheckDetail:
    check: DbsCheck
    is_current: bool
    # The person's other checks, newest first (history, or the newer current one).
    other_checks: list[DbsCheck]
    status_checks: list[DbsStatusCheck]
    shares: list[DbsShare]
    # For templates/candidates/dbs/_reminders.html (the reminders area's partial).
    reminders: list[DbsReminder]
    share_consent: Consent | None
    audit_entries: list[AuditLine]
    outcome: str
    is_shareable: bool


def dbs_check_detail(*, check: DbsCheck) -> DbsCheckDetail:
    """Everything the staff page of one check shows, in a fixed number of queries.

    `check` must come from dbs_check_scope. Callers must log the view (dbs_check_view).
    """
    checks = dbs_checks_for_candidate(check.candidate)
    return DbsCheckDetail(
        check=check,
        is_current=bool(checks) and checks[0].pk == check.pk,
        other_checks=[c for c in checks if c.pk != check.pk],
        status_checks=list(check.status_checks.select_related("checked_by")),
        shares=list(check.shares.select_related("provider", "shared_by").order_by("-shared_at")),
        reminders=list(check.reminders.order_by("-due_on", "kind")),
        share_consent=current_consents(check.candidate)[ConsentKind.SHARE_WITH_PROVIDERS],
        audit_entries=audit_entries_for_object(check),
        outcome=dbs_outcome_label(check),
        is_shareable=dbs_is_shareable(check),
    )


@dataclass(frozen=True)
class LearnerDbsCheck:
    check: DbsCheck
    outcome: str
    # Providers that can see the outcome now (active shares), by name.
    shared_with: list[str]


def dbs_checks_for_learner(candidate: Candidate) -> list[LearnerDbsCheck]:
    """The learner's own checks, newest first, with who can see each outcome; two queries.

    Carries the check for its status and dates only: templates must not show certificate details.
    """
    active = DbsShare.objects.filter(revoked_at__isnull=True).select_related("provider").order_by("provider__name")
    checks = candidate.dbs_checks.order_by(*NEWEST_FIRST).prefetch_related(
        Prefetch("shares", queryset=active, to_attr="active_shares")
    )
    return [
        LearnerDbsCheck(
            check=check,
            outcome=dbs_outcome_label(check),
            shared_with=[share.provider.name for share in check.active_shares],
        )
        for check in checks
    ]
