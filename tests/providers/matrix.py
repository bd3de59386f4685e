from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from academy.models import Invitation, Role
from providers.models import ProviderInvitation
from tests.matrix import MANAGER_ONLY, STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of


def objects(fixture: Fixture) -> Objects:
    provider_user = fixture("provider_user")
    fixture("other_provider_user")
    provider_a = fixture("provider_a")
    invitation = Invitation.objects.create(
        email="invited.colleague@example.org",
        role=Role.PROVIDER,
        token_hash="providers-matrix-colleague",
        invited_by=fixture("manager"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    ProviderInvitation.objects.create(invitation=invitation, provider=provider_a)
    return {"provider_a": provider_a, "provider_user": provider_user, "colleague_invitation": invitation}


# Colleagues pages: a provider's admins and managers; a non-admin provider user and staff are refused (403),
# everyone outside the provider gets 404.
COLLEAGUES = expect(404, provider_user=403, staff=403, manager=200)
ENGAGEMENT = expect(404, provider_user=403, staff=200, manager=200)


def _member(objs: Objects) -> dict[str, object]:
    return {"public_id": objs["provider_a"].public_id, "user_id": objs["provider_user"].public_id}


def _invitation(objs: Objects) -> dict[str, object]:
    return {"public_id": objs["provider_a"].public_id, "invitation_id": objs["colleague_invitation"].public_id}


ROWS = {
    "providers:provider-list": Row(no_kwargs, "get", STAFF_ONLY),
    "providers:provider-create": Row(no_kwargs, "get", MANAGER_ONLY),
    "providers:provider-import": Row(no_kwargs, "get", STAFF_ONLY),
    "providers:provider-import-template": Row(no_kwargs, "get", STAFF_ONLY),
    "providers:provider-detail": Row(
        public_id_of("provider_a"), "get", expect(404, provider_user=200, staff=200, manager=200)
    ),
    "providers:provider-update": Row(
        public_id_of("provider_a"), "get", expect(404, provider_user=403, staff=403, manager=200)
    ),
    "providers:provider-admin-set": Row(_member, "post", expect(404, provider_user=403, staff=403, manager=302)),
    "providers:colleague-list": Row(public_id_of("provider_a"), "get", COLLEAGUES),
    "providers:colleague-invite": Row(public_id_of("provider_a"), "get", COLLEAGUES),
    "providers:colleague-invitation-revoke": Row(_invitation, "get", COLLEAGUES),
    # Engagement is academy business: provider A's own user is in scope of its provider (403), others not (404).
    "providers:engagement-list": Row(no_kwargs, "get", STAFF_ONLY),
    "providers:survey-list": Row(no_kwargs, "get", STAFF_ONLY),
    "providers:provider-engagement": Row(public_id_of("provider_a"), "get", ENGAGEMENT),
    "providers:contact-create": Row(public_id_of("provider_a"), "get", ENGAGEMENT),
    "providers:support-create": Row(public_id_of("provider_a"), "get", ENGAGEMENT),
    # Each provider's users answer their own provider's survey; nobody else answers any.
    "providers:survey-answer": Row(no_kwargs, "get", expect(403, provider_user=200, other_provider_user=200)),
}
