"""Invitations: managers invite staff, managers and provider users; the link creates the account."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.models import AuditEntry, Invitation, OutboxMessage, Role, User
from academy.outbox import NOT_CLAIMED, outbox_send, outbox_sweep
from providers.models import Provider, ProviderInvitation
from tests.conftest import TOTP_SECRET, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _link_from_last_email() -> str:
    match = re.search(r"https?://\S+/invitations/accept/(\S+)/", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return reverse("academy:invitation-accept", kwargs={"token": match.group(1)})


def test_manager_invites_provider_user_who_accepts_and_lands_on_provider_home(
    manager: User, provider_a: Provider, client_for
) -> None:
    client = client_for("manager")
    response = client.post(
        reverse("academy:invitation-create"),
        {"full_name": "Rita Care", "email": "Rita@Example.org", "role": "provider", "provider": provider_a.pk},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "rita@example.org"
    assert invitation.sent_at is not None
    assert mail.outbox[-1].to == ["rita@example.org"]
    assert "Provider A" in mail.outbox[-1].body

    newcomer = Client()
    accept_url = _link_from_last_email()
    page = newcomer.get(accept_url)
    assert page.status_code == 200
    assert "rita@example.org" in page.content.decode()
    response = newcomer.post(
        accept_url, {"full_name": "Rita Care", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="rita@example.org")
    assert user.role == Role.PROVIDER
    assert user.provider_membership.provider == provider_a
    assert EmailAddress.objects.get(user=user).verified
    # Provider users see DBS outcomes: like staff, they set up a second factor before anything else, in one
    # flow: straight to the authenticator app, without typing the new password again ("Confirm access").
    assert response["Location"] == reverse("mfa_activate_totp")
    setup = newcomer.get(response["Location"])
    assert setup.status_code == 200, setup.get("Location")
    assert 'name="code"' in setup.content.decode()
    home = newcomer.get(reverse("academy:home"))
    assert home["Location"].startswith(reverse("mfa_activate_totp"))
    TOTP.activate(user, TOTP_SECRET)
    home = sign_in(Client(), user).get(reverse("academy:home"))
    assert "Provider A" in home.content.decode()
    # The link is single use.
    assert Client().get(accept_url).status_code == 410
    assert AuditEntry.objects.filter(action="invitation.accept", actor=user).exists()


def test_accept_form_reshows_errors_and_keeps_the_name(manager: User) -> None:
    services.invitation_create(actor=manager, email="new@example.org", role=Role.STAFF)
    client = Client()
    response = client.post(
        _link_from_last_email(), {"full_name": "Nina New", "password1": "short", "password2": "different"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The passwords do not match." in body
    assert 'value="Nina New"' in body
    assert not User.objects.filter(email="new@example.org").exists()


def test_expired_and_revoked_links_explain_themselves(manager: User) -> None:
    invitation = services.invitation_create(actor=manager, email="late@example.org", role=Role.STAFF)
    url = _link_from_last_email()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(url)
    assert response.status_code == 410
    assert "It has expired" in response.content.decode()

    services.invitation_resend(invitation=invitation, actor=manager)
    new_url = _link_from_last_email()
    assert Client().get(url).status_code == 410, "the old link stops working after a resend"
    assert Client().get(new_url).status_code == 200
    services.invitation_revoke(invitation=invitation, actor=manager)
    response = Client().get(new_url)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_cannot_invite_existing_user_or_twice(manager: User, staff: User) -> None:
    with pytest.raises(ValidationError, match="already has an account"):
        services.invitation_create(actor=manager, email="STAFF@example.org", role=Role.STAFF)
    services.invitation_create(actor=manager, email="once@example.org", role=Role.STAFF)
    with pytest.raises(ValidationError, match="pending invitation"):
        services.invitation_create(actor=manager, email="once@example.org", role=Role.MANAGER)


def test_invitation_form_requires_provider_for_provider_role(manager: User, client_for) -> None:
    response = client_for("manager").post(
        reverse("academy:invitation-create"), {"full_name": "X", "email": "x@example.org", "role": "provider"}
    )
    assert response.status_code == 200
    assert "Choose the provider this person works for." in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_email_is_sent_once_even_if_the_task_runs_twice(manager: User) -> None:
    invitation = services.invitation_create(actor=manager, email="dup@example.org", role=Role.STAFF)
    assert len(mail.outbox) == 1
    assert invitation.email_message_id is not None
    assert outbox_send(message_id=invitation.email_message_id) == NOT_CLAIMED
    assert len(mail.outbox) == 1


def test_an_smtp_failure_leaves_the_invitation_waiting_and_the_sweep_sends_it_once(manager: User) -> None:
    smtp_down = mock.patch("academy.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down"))
    with smtp_down:
        invitation = services.invitation_create(actor=manager, email="retry@example.org", role=Role.STAFF)
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    assert invitation.email_message is not None
    assert invitation.email_message.last_error == "Sending failed, will try again: SMTP down"
    assert mail.outbox == []
    later = timezone.now() + timedelta(minutes=5)
    assert outbox_sweep(now=later).sent == 1
    assert outbox_sweep(now=later).sent == 0
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_a_resend_drops_the_earlier_email_if_it_has_not_gone_yet(manager: User) -> None:
    with mock.patch("academy.outbox._enqueue"):
        invitation = services.invitation_create(actor=manager, email="twice@example.org", role=Role.STAFF)
        first = invitation.email_message_id
        services.invitation_resend(invitation=invitation, actor=manager)
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [invitation.email_message_id]
    assert invitation.email_message_id != first


def test_revoke_needs_confirmation_then_post(manager: User, client_for) -> None:
    invitation = services.invitation_create(actor=manager, email="bye@example.org", role=Role.STAFF)
    client = client_for("manager")
    url = reverse("academy:invitation-revoke", kwargs={"public_id": invitation.public_id})
    assert "Yes, revoke it" in client.get(url).content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    client.post(url)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_the_service_requires_a_provider_for_a_provider_user(manager: User) -> None:
    with pytest.raises(ValidationError, match="Choose the provider"):
        services.invitation_create(actor=manager, email="p@example.org", role=Role.PROVIDER)
    assert not Invitation.objects.exists()


def test_only_provider_users_invitations_keep_a_provider(manager: User, provider_a: Provider, client_for) -> None:
    client_for("manager").post(
        reverse("academy:invitation-create"),
        {"full_name": "Sue", "email": "sue@example.org", "role": "staff", "provider": provider_a.pk},
    )
    invitation = Invitation.objects.get()
    assert invitation.role == Role.STAFF
    assert not ProviderInvitation.objects.exists()
    page = client_for("manager").get(reverse("academy:invitation-list"))
    assert "at Provider A" not in page.content.decode()


def test_the_invitation_list_names_the_provider(manager: User, provider_a: Provider, client_for) -> None:
    services.invitation_create(actor=manager, email="p@example.org", role=Role.PROVIDER, provider=provider_a)
    page = client_for("manager").get(reverse("academy:invitation-list"))
    assert "Care provider user at Provider A" in " ".join(page.content.decode().split())
