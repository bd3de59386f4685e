"""Workflows of the core: invitations and user accounts. Each writes an audit entry."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy import emails
from academy.audit import audit_log
from academy.discovery import app_hooks
from academy.models import AcademyMembership, Invitation, OutboxMessage, Role, User
from academy.outbox import outbox_email
from academy.tenancy import academy_in_use_id


def _invitation_hooks(name: str) -> list[Callable[..., None]]:
    """The apps' invitation hooks of that name (e.g. providers.invitations.invitation_accepted)."""
    return cast(list[Callable[..., None]], app_hooks("invitations", name))


def invitation_check_details(*, role: str, details: dict[str, Any]) -> None:
    """Ask each app whether an invitation for `role` has the details it needs; raises ValidationError."""
    for check in _invitation_hooks("invitation_check"):
        check(role=role, details=details)


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_issue_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = invitation_token_hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    return token


def _invitation_email(invitation: Invitation, token: str) -> None:
    """Write the email with the new link to the outbox, in the caller's transaction.

    The link is in the outbox row only until it is sent (then cleared); the broker carries the
    row's id. An earlier email still waiting (its link no longer works) is dropped.
    """
    if invitation.email_message_id is not None:
        OutboxMessage.objects.filter(pk=invitation.email_message_id, status=OutboxMessage.Status.PENDING).delete()
    message = emails.email_render(
        template_prefix="academy/email/invitation",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "accept_url": settings.SITE_URL + reverse("academy:invitation-accept", kwargs={"token": token}),
        },
    )
    invitation.email_message = outbox_email(message)


@transaction.atomic
def invitation_create(*, actor: User, email: str, role: str, full_name: str = "", **details: Any) -> Invitation:
    """Invite someone to join as staff, manager or provider user; the email goes out after commit.

    `details` are what other apps ask for on the form (a provider user's `provider`); each app's
    invitation hooks check and keep them.
    """
    email = email.strip().lower()
    if role == Role.LEARNER:
        raise ValidationError("Learners create their own accounts; they are not invited.")
    invitation_check_details(role=role, details=details)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone with this email address already has an account."})
    if Invitation.objects.pending().filter(email__iexact=email).exists():
        raise ValidationError({"email": "This person already has a pending invitation. Resend it instead."})
    invitation = Invitation(email=email, full_name=full_name, role=role, invited_by=actor)
    if role in (Role.STAFF, Role.MANAGER):
        invitation.academy_id = academy_in_use_id(actor)
    token = _invitation_issue_token(invitation)
    invitation.save()
    for created in _invitation_hooks("invitation_created"):
        created(invitation=invitation, details=details)
    # Rendered once the apps have attached their details (a provider user's provider is in the email).
    _invitation_email(invitation, token)
    invitation.save(update_fields=["email_message", "updated_at"])
    audit_log(actor=actor, action="invitation.create", obj=invitation, data={"email": email, "role": role})
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Issue a fresh link (the old one stops working) with a new expiry, and email it."""
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise ValidationError(f"This invitation is {invitation.get_status_display().lower()} and cannot be resent.")
    _invitation_email(invitation, _invitation_issue_token(invitation))
    invitation.save(update_fields=["token_hash", "expires_at", "email_message", "updated_at"])
    audit_log(actor=actor, action="invitation.resend", obj=invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Stop a pending invitation's link from working."""
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(f"Only pending invitations can be revoked; this one is {invitation.status}.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_log(actor=actor, action="invitation.revoke", obj=invitation)
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link points at, whatever its status, or None for an unknown link."""
    return (
        Invitation.objects.select_related("provider_invitation__provider")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Create the invited user's account with its role (and what other apps attach, such as a provider membership)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(
            f"This invitation is {invitation.get_status_display().lower()}. Ask your academy manager for a new one."
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("An account with this email address already exists. Sign in instead.")
    user = User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name, role=invitation.role
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if invitation.academy_id:
        AcademyMembership.objects.create(user=user, academy_id=invitation.academy_id)
    for accepted in _invitation_hooks("invitation_accepted"):  # e.g. a provider user's membership
        accepted(invitation=invitation, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user", "updated_at"])
    audit_log(actor=user, action="invitation.accept", obj=invitation, data={"role": invitation.role})
    return user


@transaction.atomic
def user_set_active(*, user: User, actor: User, active: bool) -> User:
    """Deactivate (or reactivate) an account; a deactivated user cannot sign in. Nothing is deleted."""
    if user == actor:
        raise ValidationError("You cannot deactivate your own account.")
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_log(actor=actor, action="user.reactivate" if active else "user.deactivate", obj=user)
    return user
