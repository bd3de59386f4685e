"""A provider admin invites colleagues to the same provider; other provider users cannot."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from academy import services as academy_services
from academy.models import AuditEntry, Invitation, User
from providers.models import Provider, ProviderInvitation, ProviderMembership
from providers.services import provider_colleague_invitation_revoke, provider_colleague_invite
from tests.conftest import TOTP_SECRET, sign_in
from tests.factories import ProviderMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_admin(provider_a: Provider) -> User:
    membership = ProviderMembershipFactory.create(
        provider=provider_a, is_admin=True, user__email="admin.a@example.org", user__full_name="Ada Admin"
    )
    TOTP.activate(membership.user, TOTP_SECRET)
    return membership.user


@pytest.fixture
def admin_client(provider_admin: User) -> Client:
    return sign_in(Client(), provider_admin)


def test_admin_invites_a_colleague_who_joins_the_same_provider_not_as_admin(
    provider_admin: User, provider_a: Provider, admin_client
) -> None:
    url = reverse("providers:colleague-invite", kwargs={"public_id": provider_a.public_id})
    response = admin_client.post(url, {"full_name": "Cara Colleague", "email": "Cara@Example.org"})
    assert response["Location"] == reverse("providers:colleague-list", kwargs={"public_id": provider_a.public_id})
    invitation = Invitation.objects.get(email="cara@example.org")
    assert invitation.invited_by == provider_admin
    assert ProviderInvitation.objects.get(invitation=invitation).provider == provider_a
    assert AuditEntry.objects.filter(action="provider.colleague_invite", object_id=str(provider_a.pk)).exists()

    user = academy_services.invitation_accept(invitation=invitation, full_name="Cara Colleague", password="a-long-pass")
    membership = ProviderMembership.objects.get(user=user)
    assert membership.provider == provider_a
    assert not membership.is_admin


def test_a_manager_can_invite_a_provider_admin(manager: User, provider_a: Provider) -> None:
    invitation = academy_services.invitation_create(
        actor=manager, email="lead@example.org", role="provider", provider=provider_a, provider_admin=True
    )
    user = academy_services.invitation_accept(invitation=invitation, full_name="Lead", password="a-long-pass")
    assert ProviderMembership.objects.get(user=user).is_admin


def test_only_provider_users_can_be_provider_admins(manager: User) -> None:
    with pytest.raises(ValidationError, match="Only care provider users can be provider admins"):
        academy_services.invitation_create(actor=manager, email="s@example.org", role="staff", provider_admin=True)


def test_colleague_list_shows_members_and_pending_invitations_only_of_this_provider(
    provider_admin: User, provider_a: Provider, provider_b: Provider, manager: User, admin_client, provider_user: User
) -> None:
    academy_services.invitation_create(actor=manager, email="for.a@example.org", role="provider", provider=provider_a)
    academy_services.invitation_create(actor=manager, email="for.b@example.org", role="provider", provider=provider_b)
    body = admin_client.get(reverse("providers:colleague-list", kwargs={"public_id": provider_a.public_id})).content
    text = body.decode()
    assert "for.a@example.org" in text
    assert "for.b@example.org" not in text
    assert "provider.a@example.org" in text
    assert "Provider admin" in text


def test_invite_form_reshows_errors_and_keeps_the_input(provider_a: Provider, admin_client, provider_user) -> None:
    url = reverse("providers:colleague-invite", kwargs={"public_id": provider_a.public_id})
    response = admin_client.post(url, {"full_name": "Dup", "email": "provider.a@example.org"})
    assert response.status_code == 200
    assert "Someone with this email address already has an account." in response.content.decode()
    assert 'value="Dup"' in response.content.decode()
    response = admin_client.post(url, {"full_name": "", "email": "not-an-email"})
    assert "Enter their full name" in response.content.decode()
    assert "Enter an email address in the correct format" in response.content.decode()
    assert not Invitation.objects.exists()


def test_admin_revokes_a_pending_invitation_after_confirming(
    provider_a: Provider, provider_admin: User, admin_client
) -> None:
    invitation = provider_colleague_invite(
        provider=provider_a, actor=provider_admin, email="x@example.org", full_name="X"
    )
    url = reverse(
        "providers:colleague-invitation-revoke",
        kwargs={"public_id": provider_a.public_id, "invitation_id": invitation.public_id},
    )
    assert "Revoke the invitation for x@example.org?" in admin_client.get(url).content.decode()
    admin_client.post(url)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # Revoked is no longer pending: the page is gone.
    assert admin_client.get(url).status_code == 404


def test_an_admin_cannot_revoke_another_providers_invitation(
    provider_a: Provider, provider_b: Provider, manager: User, provider_admin: User, admin_client
) -> None:
    other = academy_services.invitation_create(
        actor=manager, email="b@example.org", role="provider", provider=provider_b
    )
    url = reverse(
        "providers:colleague-invitation-revoke",
        kwargs={"public_id": provider_a.public_id, "invitation_id": other.public_id},
    )
    assert admin_client.post(url).status_code == 404
    with pytest.raises(ValidationError):
        provider_colleague_invitation_revoke(provider=provider_a, invitation=other, actor=provider_admin)
    other.refresh_from_db()
    assert other.revoked_at is None
    # And their own provider's pages are 404 for other providers' colleagues pages.
    assert (
        admin_client.get(reverse("providers:colleague-list", kwargs={"public_id": provider_b.public_id})).status_code
        == 404
    )


def test_a_non_admin_provider_user_cannot_invite(provider_a: Provider, provider_user: User, client_for) -> None:
    with pytest.raises(PermissionDenied):
        provider_colleague_invite(provider=provider_a, actor=provider_user, email="y@example.org", full_name="Y")
    url = reverse("providers:colleague-invite", kwargs={"public_id": provider_a.public_id})
    assert client_for("provider_user").post(url, {"full_name": "Y", "email": "y@example.org"}).status_code == 403
    assert not Invitation.objects.exists()


def test_an_admin_of_one_provider_is_not_an_admin_of_another(provider_b: Provider, provider_admin: User) -> None:
    with pytest.raises(PermissionDenied):
        provider_colleague_invite(provider=provider_b, actor=provider_admin, email="z@example.org", full_name="Z")


def test_home_page_links_an_admin_to_colleagues(provider_a: Provider, admin_client, client_for, provider_user) -> None:
    colleagues = reverse("providers:colleague-list", kwargs={"public_id": provider_a.public_id})
    assert colleagues in admin_client.get(reverse("academy:home")).content.decode()
    assert colleagues not in client_for("provider_user").get(reverse("academy:home")).content.decode()


def test_colleague_list_queries_do_not_grow_with_colleagues(
    provider_a: Provider, manager: User, admin_client, django_assert_max_num_queries
) -> None:
    url = reverse("providers:colleague-list", kwargs={"public_id": provider_a.public_id})
    admin_client.get(url)

    def add(n: int) -> None:
        for _ in range(n):
            ProviderMembershipFactory.create(provider=provider_a)
            academy_services.invitation_create(
                actor=manager, email=f"c{Invitation.objects.count()}@example.org", role="provider", provider=provider_a
            )

    add(2)
    with django_assert_max_num_queries(30) as few:
        admin_client.get(url)
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = admin_client.get(url).content.decode()
    assert body.count("Revoke<span") == 12


def test_nobody_is_invited_to_an_inactive_provider(provider_a: Provider, provider_admin: User) -> None:
    provider_a.is_active = False
    provider_a.save()
    with pytest.raises(ValidationError, match="not active"):
        provider_colleague_invite(provider=provider_a, actor=provider_admin, email="q@example.org", full_name="Q")
    assert not Invitation.objects.exists()
