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
