from __future__ import annotations

import pytest
from django.urls import reverse

from academy.audit import MASK, audit_log, mask_secrets
from academy.models import AuditEntry, User
from academy.selectors import AuditFilters, audit_entry_list
from providers.models import Provider

pytestmark = pytest.mark.django_db


def test_mask_secrets_hides_secret_looking_keys_at_any_depth() -> None:
    data = {"email": "a@b.org", "password": "hunter2", "nested": [{"api_key": "k", "certificate_number": "0012"}]}
    assert mask_secrets(data) == {
        "email": "a@b.org",
        "password": MASK,
        "nested": [{"api_key": MASK, "certificate_number": MASK}],
    }


def test_audit_log_records_actor_object_and_masked_data(manager: User, provider_a: Provider) -> None:
    entry = audit_log(
        actor=manager, action="provider.update", obj=provider_a, data={"token": "abc", "changed": ["name"]}
    )
    entry.refresh_from_db()
    assert entry.actor == manager
    assert entry.actor_label == manager.email
    assert entry.object_id == str(provider_a.pk)
    assert entry.object_repr == "Provider A"
    assert entry.data == {"token": MASK, "changed": ["name"]}


def test_audit_filters(manager: User, staff: User, provider_a: Provider) -> None:
    audit_log(actor=manager, action="provider.update", obj=provider_a)
    audit_log(actor=staff, action="invitation.create")
    audit_log(actor=None, action="provider.create", obj=provider_a)
    entries = AuditEntry.objects.all()
    assert {e.action for e in audit_entry_list(entries=entries, filters=AuditFilters(action="provider"))} == {
        "provider.update",
        "provider.create",
    }
    by_staff = audit_entry_list(entries=entries, filters=AuditFilters(actor="staff@"))
    assert [e.action for e in by_staff] == ["invitation.create"]
    system = audit_entry_list(entries=entries, filters=AuditFilters(actor="system"))
    assert [e.action for e in system] == ["provider.create"]


def test_audit_list_shows_entries_and_rejects_a_backwards_date_range(manager: User, client_for) -> None:
    audit_log(actor=manager, action="user.deactivate")
    client = client_for("manager")
    body = client.get(reverse("academy:audit-list")).content.decode()
    table = body.split('<tbody class="govuk-table__body">')[1]
    assert "Account deactivated" in table
    assert "user.deactivate" not in table
    body = client.get(
        reverse("academy:audit-list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    ).content.decode()
    assert "The end date must be the same as or after the start date." in body


def test_provider_detail_shows_its_history_to_staff_only(
    manager: User, client_for, provider_a: Provider, provider_user
) -> None:
    audit_log(actor=manager, action="provider.update", obj=provider_a)
    url = provider_a.get_absolute_url()
    assert "Provider details changed" in client_for("staff").get(url).content.decode()
    assert "Provider details changed" not in client_for("provider_user").get(url).content.decode()
