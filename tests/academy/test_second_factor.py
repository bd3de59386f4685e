"""Every way into a staff, manager or provider session passes the second factor, and codes are limited."""

from __future__ import annotations

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client
from django.urls import reverse

from academy.models import AuditEntry, Role, User
from tests.conftest import AUTH_BACKEND, TOTP_SECRET, has_totp
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STAFF_PAGE = "providers:provider-list"


def _current_code(secret: str = TOTP_SECRET) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _wrong_codes(count: int) -> list[str]:
    """Codes that no counter in the accepted time window produces."""
    valid = {format_hotp_value(hotp_value(TOTP_SECRET, c)) for c in yield_hotp_counters_from_time()}
    return [code for code in (f"{n:06d}" for n in range(count + len(valid))) if code not in valid][:count]


def _wrong_code() -> str:
    return _wrong_codes(1)[0]


def _password_step(client: Client, user: User) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


# --- the Django admin login ---------------------------------------------------------------------


def test_admin_login_with_the_password_alone_reaches_no_staff_page() -> None:
    superuser = User.objects.create_superuser("root@example.org", PASSWORD)
    Authenticator.objects.create(user=superuser, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    response = client.post(
        reverse("admin:login") + "?next=/django-admin/", {"username": superuser.email, "password": PASSWORD}
    )
    # The admin's own form never signs anyone in: it sends people to the portal's sign-in.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse(STAFF_PAGE)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_password_only_session_of_a_staff_member_is_signed_out() -> None:
    """Defence in depth: a session made by any route that skipped the code is refused."""
    staff = UserFactory.create(role=Role.STAFF)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(staff, backend=AUTH_BACKEND)
    response = client.get(reverse(STAFF_PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_sign_in_with_the_code_reaches_staff_pages_and_the_admin(staff: User) -> None:
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    client = Client()
    _password_step(client, staff)
    client.post(reverse("mfa_authenticate"), {"code": _current_code()})
    assert client.get(reverse(STAFF_PAGE)).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


# --- provider users need TOTP too ---------------------------------------------------------------


def test_provider_user_without_totp_is_sent_to_set_it_up(provider_a) -> None:
    from tests.factories import ProviderMembershipFactory

    user = ProviderMembershipFactory.create(provider=provider_a).user
    assert not has_totp(user)
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.get(reverse("academy:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_provider_sign_in_asks_for_the_code(provider_user: User) -> None:
    assert has_totp(provider_user)
    client = Client()
    _password_step(client, provider_user)
    assert client.get(reverse("academy:home")).status_code == 302
    client.post(reverse("mfa_authenticate"), {"code": _current_code()})
    assert client.get(reverse("academy:home")).status_code == 200


# --- wrong codes are limited --------------------------------------------------------------------


def test_wrong_codes_lock_the_account_and_the_right_code_is_refused_while_locked(settings, staff: User) -> None:
    settings.MFA_FAILURE_LIMIT = 5
    settings.MFA_LOCKOUT_MINUTES = 15
    client = Client()
    _password_step(client, staff)
    for _ in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": _wrong_code()})
        assert response.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code()})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse(STAFF_PAGE)).status_code == 302
    entries = AuditEntry.objects.filter(action="mfa.lockout", object_id=str(staff.pk))
    assert entries.count() == 1
    assert entries.get().data["failures"] == 5


@pytest.fixture
def clock_driven_cache(settings) -> None:
    """Redis expires keys by its own clock, which time_machine cannot move: these tests use a local cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mfa"}}


@pytest.mark.usefixtures("clock_driven_cache")
def test_a_flood_of_wrong_codes_is_not_answered_and_the_lock_ends_after_its_time(settings, staff: User) -> None:
    settings.MFA_FAILURE_LIMIT = 5
    settings.MFA_LOCKOUT_MINUTES = 15
    with time_machine.travel("2026-12-01 10:00:00Z", tick=False) as traveller:
        client = Client()
        _password_step(client, staff)
        answers = [client.post(reverse("mfa_authenticate"), {"code": code}) for code in _wrong_codes(60)]
        locked = [r for r in answers if "Too many wrong codes" in r.content.decode()]
        assert len(locked) == 56
        assert AuditEntry.objects.filter(action="mfa.lockout").count() == 1
        traveller.shift(16 * 60)
        client = Client()
        _password_step(client, staff)
        response = client.post(reverse("mfa_authenticate"), {"code": _current_code()})
        assert response.status_code == 302
        assert client.get(reverse(STAFF_PAGE)).status_code == 200


def test_wrong_recovery_codes_count_too(settings, staff: User) -> None:
    settings.MFA_FAILURE_LIMIT = 3
    recovery = RecoveryCodes.activate(staff)
    client = Client()
    _password_step(client, staff)
    for _ in range(3):
        client.post(reverse("mfa_authenticate"), {"code": "12345678"})
    response = client.post(reverse("mfa_authenticate"), {"code": recovery.get_unused_codes()[0]})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse(STAFF_PAGE)).status_code == 302


@pytest.mark.usefixtures("clock_driven_cache")
def test_failures_outside_the_window_do_not_add_up(settings, staff: User) -> None:
    settings.MFA_FAILURE_LIMIT = 3
    settings.MFA_FAILURE_WINDOW_MINUTES = 5
    with time_machine.travel("2026-12-01 10:00:00Z", tick=False) as traveller:
        client = Client()
        _password_step(client, staff)
        for _ in range(2):
            client.post(reverse("mfa_authenticate"), {"code": _wrong_code()})
        traveller.shift(6 * 60)
        client.post(reverse("mfa_authenticate"), {"code": _wrong_code()})
        response = client.post(reverse("mfa_authenticate"), {"code": _current_code()})
        assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="mfa.lockout").exists()


def test_wrong_codes_when_asked_again_before_a_security_change_count_too(settings, client_for, staff: User) -> None:
    settings.MFA_FAILURE_LIMIT = 3
    client = client_for("staff")
    for code in _wrong_codes(3):
        assert client.post(reverse("mfa_reauthenticate"), {"code": code}).status_code == 200
    response = client.post(reverse("mfa_reauthenticate"), {"code": _current_code()})
    assert "Too many wrong codes" in response.content.decode()
    assert AuditEntry.objects.filter(action="mfa.lockout", object_id=str(staff.pk)).exists()
