"""Existing provider users' invitations keep their provider when it moves from academy to providers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("academy", "0007_supportpayment_move_to_courses"), ("providers", "0001_provider_membership")]
AFTER = [("academy", "0008_invitation_provider_moves_to_providers")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_invitation_keeps_its_provider() -> None:
    old = _migrate(BEFORE)
    try:
        manager = old.get_model("academy", "User").objects.create(email="m@example.org", role="manager")
        provider = old.get_model("providers", "Provider").objects.create(name="Riverside Home Care")
        Invitation = old.get_model("academy", "Invitation")
        expires = timezone.now() + dt.timedelta(days=7)
        for_provider = Invitation.objects.create(
            email="p@example.org",
            role="provider",
            provider=provider,
            token_hash="a",
            invited_by=manager,
            expires_at=expires,
        )
        Invitation.objects.create(
            email="s@example.org", role="staff", token_hash="b", invited_by=manager, expires_at=expires
        )

        new = _migrate(AFTER)

        links = new.get_model("providers", "ProviderInvitation").objects.all()
        assert [(link.invitation_id, link.provider_id) for link in links] == [(for_provider.pk, provider.pk)]
        columns = [
            c.name for c in connection.introspection.get_table_description(connection.cursor(), "academy_invitation")
        ]
        assert "provider_id" not in columns
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
