"""Demo DBS checks for `seed_demo`: every status, chases not sent, a purged check and a shared one.

Call after the demo learners and candidates exist (seed_candidates). Idempotent: a person who
already has a DBS check is left alone, so a second run changes nothing. Dates are relative to
`today`; the reminder rows stand in for what the daily sweep would have created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from academy import demo
from academy.models import User
from candidates.models import Candidate, ConsentKind, DbsCheck, DbsReminder, DbsShare, DbsStatusCheck, Milestone
from candidates.selectors.learner import current_consents
from candidates.services.dbs_common import add_months
from candidates.services.dbs_privacy import CERTIFICATE_DETAILS_CLEARED
from providers.models import Provider

Status = DbsCheck.Status
Kind = DbsReminder.Kind

# The provider whose demo users see a shared outcome (academy.demo.DEMO_PROVIDERS).
SHARED_WITH = "Riverside Home Care"
# Later milestones: the seed people who would have a DBS check by now.
DBS_MILESTONES = [Milestone.DBS, Milestone.PLACED, Milestone.JOB_READY, Milestone.IN_WORK, Milestone.SUSTAINED]


@dataclass(frozen=True)
class Spec:
    status: str
    # Days before today the check started, and each later step (None: not reached).
    started: int
    steps: tuple[int | None, ...] = ()  # id verified, submitted, certificate issued, decision
    decision: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # (kind, recipient, days before today it was due, status) reminders.
    reminders: tuple[tuple[str, str, int, str], ...] = ()
    share: bool = False
    purged: bool = False


SPECS: list[Spec] = [
    # Jordan Lee (learner@demo.academy): cleared, on the Update Service, shared with Riverside.
    Spec(
        Status.CLEARED,
        60,
        (59, 58, 35, 33),
        DbsCheck.Decision.SUITABLE,
        extra={"update_service_id": "C0000000001", "status_check_consent": True},
        share=True,
    ),
    Spec(
        Status.SUBMITTED,
        22,
        (21, 20),
        reminders=((Kind.CERTIFICATE_FIRST_CHASE, "learner", 6, "sent"),),
    ),
    Spec(Status.NOT_STARTED, 8, reminders=((Kind.APPLICATION_INCOMPLETE, "learner", 3, "pending"),)),
    Spec(Status.CERTIFICATE_ISSUED, 40, (39, 38, 3)),
    Spec(Status.ID_VERIFIED, 3, (2,)),
    Spec(
        Status.SUBMITTED,
        36,
        (35, 34),
        reminders=(
            (Kind.CERTIFICATE_FIRST_CHASE, "learner", 20, "sent"),
            (Kind.CERTIFICATE_SECOND_CHASE, "learner", 6, "pending"),
            (Kind.CERTIFICATE_SECOND_CHASE, "staff", 6, "pending"),
        ),
    ),
    Spec(
        Status.DISCLOSED,
        50,
        (49, 48, 10),
        extra={"disclosure_notes": "A caution from 2011 for a public order offence."},
    ),
    Spec(
        Status.RISK_ASSESSMENT,
        55,
        (54, 53, 15),
        extra={"disclosure_notes": "A conviction from 2008 for theft.\n\nRisk assessment: low risk, discussed openly."},
    ),
    Spec(Status.DECISION_MADE, 120, (119, 100, 80, 70), DbsCheck.Decision.SUITABLE),
    Spec(Status.DECISION_MADE, 130, (129, 110, 85, 75), DbsCheck.Decision.NOT_SUITABLE),
    Spec(Status.WITHDRAWN, 45, (44,), extra={"withdrawn_on_days": 30}),
    # Cleared eight months ago: past the six months' retention, so its details are gone.
    Spec(Status.CLEARED, 280, (279, 275, 250, 245), DbsCheck.Decision.SUITABLE, purged=True),
    # Cleared nearly three years ago: recheck and Update Service renewal due soon.
    Spec(
        Status.CLEARED,
        1110,
        (1109, 1105, 1080, 1070),
        DbsCheck.Decision.SUITABLE,
        extra={"update_service_id": "C0000000002", "status_check_consent": True, "subscribed_days": 345},
        purged=True,
    ),
]


def _people() -> list[Candidate]:
    """Demo learners first (they can sign in and see their page), then seed people in later stages."""
    learners = list(Candidate.objects.current().filter(user__email__endswith="@demo.academy").order_by("user__email"))
    others = list(
        Candidate.objects.current()
        .filter(user__isnull=True, stage__milestone__in=DBS_MILESTONES, email__endswith="@example.org")
        .order_by("email")
    )
    return learners + others


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11, 0)))


def _turnaround_specs(today: date) -> list[Spec]:
    """Cleared checks whose certificates came in the last full quarter, so the dashboard has turnaround."""
    quarter_end = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    specs = []
    for n, turnaround in enumerate((12, 16, 19, 23, 30, 41)):
        issued = (today - quarter_end).days + 10 + 7 * n  # days ago
        steps = (issued + turnaround + 1, issued + turnaround, issued, issued - 2)
        specs.append(Spec(Status.CLEARED, issued + turnaround + 2, steps, DbsCheck.Decision.SUITABLE))
    return specs


@transaction.atomic
def seed_dbs(*, today: date) -> int:
    """Create the demo checks; returns how many were created (0 on a second run)."""
    staff = User.objects.filter(email=demo.DEMO_STAFF[1][0], is_active=True).first()
    provider = Provider.objects.filter(name=SHARED_WITH).first()
    created = 0
    for spec, person in zip([*SPECS, *_turnaround_specs(today)], _people(), strict=False):
        if person.dbs_checks.exists():
            continue
        _create(spec, person, today=today, staff=staff, provider=provider)
        created += 1
    return created


def _create(spec: Spec, person: Candidate, *, today: date, staff: User | None, provider: Provider | None) -> None:
    def day(days_ago: int | None) -> date | None:
        return None if days_ago is None else today - timedelta(days=days_ago)

    steps = [*spec.steps, None, None, None, None][:4]
    extra = dict(spec.extra)
    fields: dict[str, Any] = {
        "candidate": person,
        "level": DbsCheck.Level.ENHANCED_ADULTS,
        "status": spec.status,
        "started_on": day(spec.started),
        "id_verified_on": day(steps[0]),
        "submitted_on": day(steps[1]),
        "certificate_issued_on": day(steps[2]),
    }
    if steps[1] is not None:
        fields["application_reference"] = f"E{person.pk:010d}"
    if steps[2] is not None:
        fields["certificate_number"] = f"{person.pk:012d}"
        if spec.status != Status.CERTIFICATE_ISSUED:
            fields.update(original_seen_by=staff, original_seen_at=_moment(day(steps[2]) or today))
    if spec.decision:
        decided = day(steps[3]) or today
        fields.update(decision=spec.decision, decision_on=decided, decision_by=staff)
        if spec.decision == DbsCheck.Decision.SUITABLE:
            fields["recheck_due_on"] = add_months(decided, 36)
    if "withdrawn_on_days" in extra:
        fields["withdrawn_on"] = day(extra.pop("withdrawn_on_days"))
    if "update_service_id" in extra:
        subscribed = day(extra.pop("subscribed_days", spec.started - 5)) or today
        fields.update(
            update_service_subscribed_on=subscribed,
            update_service_renewal_due_on=add_months(subscribed, 12),
            status_check_consent_at=_moment(subscribed),
        )
    fields.update(extra)
    if spec.purged:
        fields.update(CERTIFICATE_DETAILS_CLEARED, details_purged_at=_moment(add_months(fields["decision_on"], 6)))
    check = DbsCheck.objects.create(**fields)
    if check.update_service_id:
        DbsStatusCheck.objects.create(
            dbs_check=check, checked_on=today - timedelta(days=7), checked_by=staff, result="no_new_info"
        )
    for kind, recipient, days_ago, status in spec.reminders:
        DbsReminder.objects.create(
            dbs_check=check,
            kind=kind,
            recipient=recipient,
            due_on=today - timedelta(days=days_ago),
            recipient_email=(person.email or "") if recipient == "learner" else (staff.email if staff else ""),
            status=status,
            sent_at=_moment(today - timedelta(days=days_ago)) if status == "sent" else None,
            attempts=1 if status == "sent" else 0,
        )
    if spec.share and provider is not None:
        _share(check, provider, staff=staff, today=today)


def _share(check: DbsCheck, provider: Provider, *, staff: User | None, today: date) -> None:
    consent = current_consents(check.candidate)[ConsentKind.SHARE_WITH_PROVIDERS]
    if consent is None or not consent.granted:
        check.candidate.consents.create(
            kind=ConsentKind.SHARE_WITH_PROVIDERS, granted=True, recorded_at=_moment(today - timedelta(days=40))
        )
    DbsShare.objects.get_or_create(
        dbs_check=check,
        provider=provider,
        revoked_at=None,
        defaults={"shared_by": staff, "shared_at": _moment(today - timedelta(days=30))},
    )
