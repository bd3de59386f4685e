"""Portable DBS: with the learner's consent, staff share a check's outcome with a care provider.

The provider's users then see the outcome, level and date (candidates.selectors.dbs_sharing),
never the certificate details. A share stops when staff stop it, when the learner withdraws
consent to sharing (candidates.services.consent calls dbs_shares_revoke_for_candidate), when an
Update Service status check finds new information, or when the record is anonymised.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import User
from candidates.models import Candidate, ConsentKind, DbsCheck, DbsShare, DbsStatusCheck
from candidates.selectors.dbs import NEWEST_FIRST, dbs_is_shareable
from candidates.selectors.learner import current_consents
from providers.models import Provider


def _learner_email(candidate: Candidate) -> str:
    return candidate.email or (candidate.user.email if candidate.user_id and candidate.user else "")


def dbs_share_blocker(check: DbsCheck) -> str:
    """Why the check's outcome cannot be shared now, in words for staff; "" if it can be."""
    candidate = check.candidate
    if not candidate.is_current:
        return "This record is no longer in use."
    if not dbs_is_shareable(check):
        return (
            "Only an outcome that lets them work can be shared: a check that is cleared, or a decision "
            "after a risk assessment that they are suitable to work."
        )
    if candidate.dbs_checks.order_by(*NEWEST_FIRST).values_list("pk", flat=True).first() != check.pk:
        return "They have a newer DBS check: share that one when it has an outcome."
    latest_status_check = check.status_checks.order_by("-checked_on", "-pk").first()
    if latest_status_check is not None and latest_status_check.result == DbsStatusCheck.Result.NEW_INFORMATION:
        return "The latest Update Service status check found new information: they need a new DBS check."
    consent = current_consents(candidate)[ConsentKind.SHARE_WITH_PROVIDERS]
    if consent is None or not consent.granted:
        return (
            f"{candidate.full_name} has not agreed to share their details with care providers. "
            "They can give consent on the consent page of their account."
        )
    return ""


@transaction.atomic
def dbs_share_create(*, check: DbsCheck, provider: Provider, actor: User) -> DbsShare:
    """Share the check's outcome with `provider`; needs the learner's consent and a shareable outcome.

    Emails the learner, after commit, who can now see it.
    """
    check = DbsCheck.objects.select_for_update(of=("self",)).select_related("candidate__user").get(pk=check.pk)
    blocker = dbs_share_blocker(check)
    if blocker:
        raise ValidationError(blocker)
    if not provider.is_active:
        raise ValidationError({"provider": f"{provider.name} is no longer active: choose another provider"})
    already = f"The outcome is already shared with {provider.name}"
    if check.shares.filter(provider=provider, revoked_at__isnull=True).exists():
        raise ValidationError({"provider": already})
    try:
        with transaction.atomic():
            share = DbsShare.objects.create(
                dbs_check=check, provider=provider, shared_by=actor, shared_at=timezone.now()
            )
    except IntegrityError as exc:  # shared by someone else at the same moment
        raise ValidationError({"provider": already}) from exc
    audit_log(actor=actor, action="dbs.share", obj=check, data={"provider": str(provider.public_id)})
    recipient = _learner_email(check.candidate)
    if recipient:
        email_enqueue(
            email_render(
                template_prefix="candidates/dbs/email/shared",
                to=[recipient],
                context={
                    "first_name": check.candidate.first_name,
                    "provider_name": provider.name,
                    "my_dbs_url": settings.SITE_URL + reverse("candidates:dbs-my"),
                    "consent_url": settings.SITE_URL + reverse("candidates:consent"),
                },
            )
        )
    return share


def dbs_shares_revoke(*, shares: QuerySet[DbsShare], actor: User | None, reason: str) -> int:
    """Stop every active share in `shares`, logging each against its check; returns how many stopped."""
    active = list(shares.filter(revoked_at__isnull=True).select_related("dbs_check", "provider"))
    now = timezone.now()
    stopped = 0
    for share in active:
        # Conditional on revoked_at: a share stopped twice at once (two clicks, consent withdrawn
        # while staff stop it) is stopped and logged once.
        if DbsShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(revoked_at=now) != 1:
            continue
        stopped += 1
        audit_log(
            actor=actor,
            action="dbs.share_revoke",
            obj=share.dbs_check,
            data={"provider": str(share.provider.public_id), "reason": reason},
        )
    return stopped


@transaction.atomic
def dbs_share_revoke(*, share: DbsShare, actor: User, reason: str = "stopped by staff") -> DbsShare:
    """Stop one share: the provider no longer sees the outcome."""
    if not dbs_shares_revoke(shares=DbsShare.objects.filter(pk=share.pk), actor=actor, reason=reason):
        raise ValidationError("This share had already been stopped.")
    share.refresh_from_db(fields=["revoked_at"])
    return share


def dbs_shares_revoke_for_candidate(*, candidate: Candidate, actor: User | None, reason: str) -> int:
    """Stop every active share of the person's checks (consent withdrawn, record anonymised)."""
    return dbs_shares_revoke(shares=DbsShare.objects.filter(dbs_check__candidate=candidate), actor=actor, reason=reason)
