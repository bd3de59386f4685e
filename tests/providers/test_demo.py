from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from academy import demo
from providers import demo as providers_demo
from providers.models import Provider, ProviderMembership
from providers.permissions import is_provider_admin

pytestmark = pytest.mark.django_db


def test_demo_providers_have_their_details_and_an_admin_and_seeding_twice_changes_nothing() -> None:
    now = timezone.now()
    providers_demo.seed_demo(now=now)
    providers_demo.seed_demo(now=now)
    assert Provider.objects.count() == len(demo.DEMO_PROVIDERS)
    riverside = Provider.objects.get(name="Riverside Home Care")
    assert riverside.cqc_location_id == "1-118392047"
    assert riverside.agreement_status == Provider.Agreement.SIGNED
    assert riverside.agreement_signed_on == timezone.localdate(now) - timedelta(days=200)
    oakwood = Provider.objects.get(name="Oakwood Nursing Home")
    assert (oakwood.kind, oakwood.agreement_status, oakwood.agreement_signed_on) == ("nursing", "in_discussion", None)
    for provider in (riverside, oakwood):
        provider.full_clean()  # the demo's CQC IDs, postcodes and agreements pass the form's own rules
    admin = ProviderMembership.objects.get(user__email="provider@demo.academy")
    assert is_provider_admin(admin.user, riverside)
    assert not ProviderMembership.objects.get(user__email="provider.rota@demo.academy").is_admin
