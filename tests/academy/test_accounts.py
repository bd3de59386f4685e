"""Sign-up, sign-in, lockout, required two-factor authentication and staff idle sessions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import Role, User
from tests.conftest import TOTP_SECRET, has_totp
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_learner_signs_up_verifies_email_and_sees_learner_home(django_capture_on_commit_callbacks) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "newlearner@example.org", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="newlearner@example.org")
    assert user.role == Role.LEARNER
    # Mandatory verification: no home page until the emailed link is followed.
    assert client.get(reverse("academy:home")).status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    client.post(link.group(1))
    home = client.get(reverse("academy:home"))
    assert home.status_code == 200
    assert "academy/home_learner.html" in [t.name for t in home.templates]


def test_signup_form_errors_are_shown_and_nothing_is_created() -> None:
    response = Client().post(reverse("account_signup"), {"email": "not-an-email", "password1": "x", "password2": "y"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not User.objects.exists()


def test_repeated_failures_lock_the_account_even_with_the_right_password(learner: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": learner.email, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "temporarily locked" in response.content.decode()
    assert client.get(reverse("academy:home")).status_code == 302


def test_staff_without_totp_must_set_it_up_before_anything_else() -> None:
    staff = UserFactory.create(role=Role.STAFF)
    client = Client()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    response = client.get(reverse("providers:provider-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # The password was typed moments ago, so the QR code shows straight away (no "Confirm access").
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert has_totp(staff)
    assert client.get(reverse("providers:provider-list")).status_code == 200


def test_learners_are_not_forced_into_mfa(learner: User, client_for) -> None:
    assert client_for("learner").get(reverse("academy:home")).status_code == 200


def test_staff_sign_in_asks_for_the_totp_code(staff: User) -> None:
    client = Client()
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("academy:home")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get(reverse("academy:home")).status_code == 200


def test_staff_sessions_expire_after_inactivity_but_learners_do_not(settings, client_for) -> None:
    settings.STAFF_SESSION_IDLE_SECONDS = 900
    staff_client = client_for("staff")
    staff_client.get(reverse("academy:home"))
    assert 890 < staff_client.session.get_expiry_age() <= 900
    learner_client = client_for("learner")
    learner_client.get(reverse("academy:home"))
    assert learner_client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_deactivated_user_is_signed_out(learner: User, client_for) -> None:
    client = client_for("learner")
    learner.is_active = False
    learner.save()
    assert client.get(reverse("academy:home")).status_code == 302


def test_password_reset_email_lets_the_user_choose_a_new_password(
    learner: User, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": learner.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.redirect_chain[-1][0], {"password1": "brand-new-pass-phrase", "password2": "brand-new-pass-phrase"}
    )
    learner.refresh_from_db()
    assert learner.check_password("brand-new-pass-phrase")


def test_failures_for_one_learner_do_not_lock_another_learner_at_the_same_address(
    learner: User, other_learner: User
) -> None:
    """A college or a library shares one address: a lockout is about the account, not the building."""
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": learner.email, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": other_learner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert Client().get(reverse("academy:home")).status_code == 302
    assert client.get(reverse("academy:home")).status_code == 200


def test_a_new_address_does_not_lift_a_lockout(learner: User) -> None:
    for n in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            reverse("account_login"), {"login": learner.email, "password": "wrong-password"}
        )
    response = Client(REMOTE_ADDR="192.0.2.1").post(
        reverse("account_login"), {"login": learner.email, "password": PASSWORD}
    )
    assert response.status_code == 429


def test_a_security_change_long_after_sign_in_asks_for_the_password_again() -> None:
    staff = UserFactory.create(role=Role.STAFF)
    client = Client()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.get(reverse("mfa_activate_totp"))
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        client.post(response["Location"], {"password": PASSWORD})
        assert client.get(reverse("mfa_activate_totp")).status_code == 200
