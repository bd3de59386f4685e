from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from academy.models import AuditEntry, User
from providers.models import Provider, ProviderMembership
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def test_manager_adds_a_provider_and_the_change_is_audited(manager: User, client_for) -> None:
    client = client_for("manager")
    response = client.post(
        reverse("providers:provider-create"),
        {
            "name": "Sunrise Care",
            "kind": "residential",
            "postcode": "PL1 2AB",
            "is_active": "on",
            "agreement_status": "none",
        },
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


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Sunrise Care",
        "kind": "pa_employer",
        "size_band": "small",
        "cqc_location_id": " 1-123456789 ",
        "cqc_rating": "good",
        "cqc_service_types": "Homecare agencies",
        "address": "1 High Street\nLeeds",
        "postcode": "ls11aa",
        "contact_name": "Priya Shah",
        "contact_email": "priya@sunrise.example",
        "contact_phone": "0113 496 0000",
        "agreement_status": "signed",
        "agreement_signed_on_0": "3",
        "agreement_signed_on_1": "2",
        "agreement_signed_on_2": "2026",
        "notes": "Keen to take two learners a cohort.",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_manager_records_every_provider_detail(manager: User, client_for) -> None:
    response = client_for("manager").post(reverse("providers:provider-create"), _form())
    provider = Provider.objects.get(name="Sunrise Care")
    assert response.status_code == 302
    assert provider.kind == Provider.Kind.PERSONAL_ASSISTANT_EMPLOYER
    assert provider.cqc_location_id == "1-123456789"
    assert provider.postcode == "LS1 1AA"
    assert provider.agreement_status == Provider.Agreement.SIGNED
    assert provider.agreement_signed_on == date(2026, 2, 3)
    assert (provider.contact_name, provider.size_band, provider.cqc_rating) == ("Priya Shah", "small", "good")
    body = client_for("staff").get(provider.get_absolute_url()).content.decode()
    assert "Personal assistant employer" in body
    assert "Signed, on 3 February 2026" in body
    assert "Keen to take two learners a cohort." in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"agreement_signed_on_0": "", "agreement_signed_on_1": "", "agreement_signed_on_2": ""},
            "agreement_signed_on",
            "Enter the date the agreement was signed",
        ),
        ({"agreement_status": "in_discussion"}, "agreement_signed_on", "Only give a signed date when the agreement"),
        ({"agreement_signed_on_2": "2999"}, "agreement_signed_on", "must be today or in the past"),
        ({"cqc_location_id": "123456789"}, "cqc_location_id", "Enter a CQC location ID like 1-123456789"),
        ({"postcode": "NOT A CODE"}, "postcode", "Enter a real UK postcode"),
    ],
)
def test_provider_form_refuses_bad_details(manager: User, client_for, overrides, field, message) -> None:
    response = client_for("manager").post(reverse("providers:provider-create"), _form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Provider.objects.filter(name="Sunrise Care").exists()
    assert 'value="Priya Shah"' in response.content.decode()


def test_a_cqc_location_id_belongs_to_one_provider(manager: User, client_for, provider_a: Provider) -> None:
    provider_a.cqc_location_id = "1-123456789"
    provider_a.save()
    response = client_for("manager").post(reverse("providers:provider-create"), _form())
    assert "Another provider already has this CQC location ID" in response.content.decode()
    # Blank IDs are not "the same ID": two providers without one are fine.
    client_for("manager").post(reverse("providers:provider-create"), _form(name="Other Care", cqc_location_id=""))
    client_for("manager").post(reverse("providers:provider-create"), _form(name="Third Care", cqc_location_id=""))
    assert Provider.objects.filter(cqc_location_id="").count() == 2


def test_the_database_refuses_a_repeated_cqc_id_and_a_signed_date_without_signature(provider_a: Provider) -> None:
    provider_a.cqc_location_id = "1-111111111"
    provider_a.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProviderFactory.create(cqc_location_id="1-111111111")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProviderFactory.create(agreement_status=Provider.Agreement.IN_DISCUSSION, agreement_signed_on=date(2026, 1, 1))


def test_list_searches_by_postcode_and_cqc_id_and_filters_by_type_and_agreement(client_for, staff: User) -> None:
    ProviderFactory.create(name="Alpha Care", postcode="LS9 8AB", cqc_location_id="1-100000001")
    ProviderFactory.create(
        name="Beta Nursing", kind=Provider.Kind.NURSING, postcode="PL4 6QT", agreement_status="in_discussion"
    )
    client = client_for("staff")
    url = reverse("providers:provider-list")

    def names(**params: str) -> list[str]:
        return [p.name for p in client.get(url, params).context["providers"]]

    assert names(q="ls98ab") == ["Alpha Care"]
    assert names(q="1-100000001") == ["Alpha Care"]
    assert names(kind="nursing") == ["Beta Nursing"]
    assert names(agreement="in_discussion") == ["Beta Nursing"]
    assert names(agreement="signed") == []
    assert "No providers match your search." in client.get(url, {"agreement": "signed"}).content.decode()


def test_notes_are_for_the_academy_only(client_for, provider_a: Provider, provider_user: User) -> None:
    provider_a.notes = "Slow to reply to referrals"
    provider_a.save()
    assert (
        "Slow to reply to referrals"
        not in client_for("provider_user").get(provider_a.get_absolute_url()).content.decode()
    )
    assert "Slow to reply to referrals" in client_for("staff").get(provider_a.get_absolute_url()).content.decode()


def test_manager_makes_a_provider_user_an_admin_and_back(
    manager: User, client_for, provider_a: Provider, provider_user: User
) -> None:
    url = reverse(
        "providers:provider-admin-set", kwargs={"public_id": provider_a.public_id, "user_id": provider_user.public_id}
    )
    client = client_for("manager")
    client.post(url, {"is_admin": "1"})
    assert ProviderMembership.objects.get(user=provider_user).is_admin
    assert AuditEntry.objects.filter(action="provider.admin_grant", object_id=str(provider_a.pk)).exists()
    client.post(url, {"is_admin": "0"})
    assert not ProviderMembership.objects.get(user=provider_user).is_admin
    assert AuditEntry.objects.filter(action="provider.admin_revoke").exists()


def test_admin_set_finds_only_the_providers_own_users(
    manager: User, client_for, provider_a: Provider, other_provider_user: User
) -> None:
    url = reverse(
        "providers:provider-admin-set",
        kwargs={"public_id": provider_a.public_id, "user_id": other_provider_user.public_id},
    )
    assert client_for("manager").post(url, {"is_admin": "1"}).status_code == 404
    assert not ProviderMembership.objects.get(user=other_provider_user).is_admin
