from __future__ import annotations

import pytest
from django.urls import reverse

from academy.models import AuditEntry, User
from providers.models import Provider

pytestmark = pytest.mark.django_db


def test_manager_adds_a_provider_and_the_change_is_audited(manager: User, client_for) -> None:
    client = client_for("manager")
    response = client.post(
        reverse("providers:provider-create"),
        {"name": "Sunrise Care", "kind": "residential", "postcode": "PL1 2AB", "is_active": "on", "agreement_status": "none"},
    )
    provider = Provider.objects.get(name="Sunrise Care")
    assert response["Location"] == provider.get_absolute_url()
    assert AuditEntry.objects.filter(action="provider.create", object_id=str(provider.pk), actor=manager).exists()


def test_provider_form_errors_name_the_field_and_keep_the_input(manager: User, client_for, provider_a) -> None:
    response = client_for("manager").post(
        reverse("providers:provider-create"), {"name": provider_a.name, "kind": "home_care", "postcode": "LS2 7EW"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Provider with this Name already exists." in body
    assert 'value="LS2 7EW"' in body


def test_update_records_which_fields_changed(manager: User, client_for, provider_a: Provider) -> None:
    client_for("manager").post(
        reverse("providers:provider-update", kwargs={"public_id": provider_a.public_id}),
        {"name": "Provider A", "kind": "nursing", "postcode": "LS1 1AA", "is_active": "on", "agreement_status": "none"},
    )
    entry = AuditEntry.objects.get(action="provider.update")
    assert entry.data == {"changed": ["kind"]}


def test_list_search_and_provider_user_sees_only_own_provider(
    client_for, provider_a: Provider, provider_b: Provider, provider_user: User
) -> None:
    body = client_for("staff").get(reverse("providers:provider-list"), {"q": "Provider B"}).content.decode()
    assert "Provider B" in body
    assert "Provider A" not in body
    home = client_for("provider_user").get(reverse("academy:home")).content.decode()
    assert provider_a.get_absolute_url() in home
    assert provider_b.get_absolute_url() not in home
