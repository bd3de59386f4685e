"""The account emails (allauth's, in our words) name the academy, are plain, and have a text and an HTML part."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from academy.models import OutboxMessage, User
from academy.outbox import outbox_send

pytestmark = pytest.mark.django_db

# What an email must never say: the library's wording, or a placeholder rendered empty.
EMPTY_PLACEHOLDERS = re.compile(r"from !|using !|\{\{|\}\}|None\b|\s{3,}\S|^\s*!", re.MULTILINE)


def _sent() -> list[mail.EmailMultiAlternatives]:
    for message in OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING):
        outbox_send(message_id=message.pk)
    return list(mail.outbox)  # type: ignore[arg-type]


def _check(message: mail.EmailMultiAlternatives) -> str:
    body = str(message.body)
    assert settings.SITE_NAME in body, body
    assert not EMPTY_PLACEHOLDERS.search(body), body
    assert "Hello from" not in body and "Thank you for using" not in body
    assert message.subject.startswith(f"[{settings.SITE_NAME}] ")
    words = message.subject.removeprefix(f"[{settings.SITE_NAME}] ").split()
    assert all(not word[0].isupper() for word in words[1:]), f"sentence case: {message.subject}"
    ((html, kind),) = message.alternatives
    assert kind == "text/html" and settings.SITE_NAME in str(html) and "<p" in str(html)
    return body


def test_sign_up_sends_a_plain_confirmation_with_both_parts(client: Client) -> None:
    client.post(
        reverse("account_signup"),
        {"email": "new.person@example.org", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
    )
    (message,) = _sent()
    body = _check(message)
    assert message.subject.endswith("Confirm your email address")
    assert "http://" in body and "/accounts/confirm-email/" in body
    ((html, _),) = message.alternatives
    assert '<a href="http' in str(html)  # the link is clickable in the HTML part


def test_password_reset_for_an_account(client: Client, learner: User) -> None:
    client.post(reverse("account_reset_password"), {"email": learner.email})
    (message,) = _sent()
    body = _check(message)
    assert message.subject.endswith("Reset your password")
    assert "/accounts/password/reset/key/" in body


def test_password_reset_for_an_unknown_address_says_there_is_no_account(client: Client) -> None:
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    (message,) = _sent()
    body = _check(message)
    assert "there is no account" in body and "nobody@example.org" in body


def test_every_outbox_email_gets_an_html_part_from_its_text() -> None:
    from academy.outbox import outbox_email

    row = outbox_email(
        {
            "subject": "Your course starts Monday",
            "body": "Hello Ada,\n\nSee https://x.org/c?a=1&b=2 <now>.",
            "to": ["a@x.org"],
        }
    )
    assert "<p" in row.html and settings.SITE_NAME in row.html
    assert '<a href="https://x.org/c?a=1&amp;b=2"' in row.html and "&lt;now&gt;" in row.html
