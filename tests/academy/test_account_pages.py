"""Sign-in, sign-up and password pages read as the Design System writes: sentence case, one message per field."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from academy.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return response.content.decode()


def test_sign_in_page_words(client: Client) -> None:
    page = _page(client.get(reverse("account_login")))
    assert "<title>Sign in - " in page and ">Sign in</h1>" in page
    assert "Email address" in page and "Keep me signed in on this device" in page
    assert "Create an account" in page and "I have forgotten my password" in page
    for library_words in ("Sign In", "Remember Me", "sign up</a> first"):
        assert library_words not in page


def test_empty_sign_in_says_what_to_enter_for_each_field(client: Client) -> None:
    page = _page(client.post(reverse("account_login"), {}))
    assert "<title>Error: Sign in" in " ".join(page.split())
    assert "Enter your email address" in page and "Enter your password" in page
    assert "This field is required." not in page
    assert 'class="govuk-error-summary"' in page


def test_wrong_password_is_one_plain_message(client: Client, learner: User) -> None:
    page = _page(client.post(reverse("account_login"), {"login": learner.email, "password": "not-" + PASSWORD}))
    assert "Enter a correct email address and password" in page


def test_empty_sign_up_gives_three_different_messages(client: Client) -> None:
    page = _page(client.post(reverse("account_signup"), {}))
    assert ">Create an account</h1>" in page
    assert "Enter your email address" in page and "Create a password" in page
    assert "Enter your password again" in page
    assert "This field is required." not in page


def test_a_malformed_email_is_explained_with_an_example(client: Client) -> None:
    page = _page(client.post(reverse("account_signup"), {"email": "not-an-email"}))
    assert "Enter an email address in the correct format, like name@example.com" in page


def test_password_reset_pages(client: Client) -> None:
    page = _page(client.get(reverse("account_reset_password")))
    assert ">Reset your password</h1>" in page
    assert "Enter the email address you use to sign in" in _page(client.post(reverse("account_reset_password"), {}))
    done = _page(client.post(reverse("account_reset_password"), {"email": "x@example.org"}, follow=True))
    assert ">Check your email</h1>" in done


def test_two_factor_pages_speak_plainly(staff: User) -> None:
    client = Client()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    page = _page(client.get(reverse("mfa_authenticate")))
    assert ">Enter the code from your authenticator app</h1>" in page and "Code from your authenticator app" in page
    assert "Two-Factor Authentication" not in page
    from tests.academy.test_second_factor import _wrong_code

    errors = _page(client.post(reverse("mfa_authenticate"), {"code": _wrong_code()}))
    assert "<title>Error: Enter the code" in errors
    assert "The code is not correct. Check the app and enter the code it shows now" in errors


def test_setting_up_two_factor_says_what_to_do() -> None:
    from tests.factories import UserFactory

    newcomer = UserFactory.create(role="staff")
    client = Client()
    client.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    page = _page(client.get(reverse("mfa_activate_totp")))
    assert ">Set up your authenticator app</h1>" in page and "Or type this key into the app" in page
    assert "Activate Authenticator App" not in page
