from __future__ import annotations

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core.management import CommandError, call_command

from academy import demo
from academy.models import Role, User
from candidates.demo import STAGE_COUNTS
from candidates.models import Candidate, StageChange
from providers.models import Provider, ProviderMembership
from tests.conftest import has_totp

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_covers_every_role(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    expected_users = len(demo.DEMO_STAFF) + len(demo.DEMO_LEARNERS) + sum(len(p["users"]) for p in demo.DEMO_PROVIDERS)
    assert User.objects.count() == expected_users
    assert Provider.objects.count() == len(demo.DEMO_PROVIDERS)
    assert set(User.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert ProviderMembership.objects.count() == sum(len(p["users"]) for p in demo.DEMO_PROVIDERS)
    assert Candidate.objects.count() == sum(STAGE_COUNTS.values()) + len(demo.DEMO_LEARNERS)
    assert Candidate.objects.filter(user__email="learner@demo.academy").exists()
    in_work = Candidate.objects.filter(stage__milestone="in_work").first()
    assert in_work is not None
    # Their history walks through every earlier stage (including "Completed course"), so
    # time-in-stage reports have data.
    assert StageChange.objects.filter(candidate=in_work).count() == 8
    manager = User.objects.get(email="manager@demo.academy")
    assert manager.check_password(demo.DEMO_PASSWORD)
    assert has_totp(manager)
    # Provider users see DBS outcomes, so they need the second factor too.
    for spec in demo.DEMO_PROVIDERS:
        for email, _ in spec["users"]:
            assert has_totp(User.objects.get(email=email)), email


def test_seed_demo_refuses_to_run_in_production(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_logins_prints_a_working_totp_code(capsys) -> None:
    # Frozen clock: the code changes every 30 seconds.
    with time_machine.travel("2026-11-26 10:00:05Z", tick=False):
        call_command("demo_logins")
        out = capsys.readouterr().out
        assert demo.demo_totp_code() in out
        assert validate_totp_code(demo.DEMO_TOTP_SECRET, demo.demo_totp_code())
    assert "manager@demo.academy" in out
    assert "Staff, managers and provider users need a two-factor code" in out
