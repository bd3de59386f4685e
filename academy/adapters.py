"""allauth hooks: new sign-ups are learners, and allauth's emails go through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from academy import emails


@dataclass(frozen=True)
class Site:
    """What allauth's templates call `current_site`: the academy's name and address, from settings
    (the sites framework is not installed, and the request's host is not a name)."""

    name: str
    domain: str


def current_site() -> Site:
    return Site(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    # allauth's messages, in the Design System's words.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "Enter a correct email address and password",
        "email_taken": "An account with this email address already exists. Sign in, or reset your password",
        "incorrect_code": "The code is not correct. Check it and try again",
        "incorrect_password": "The password is not correct",
        "invalid_or_expired_key": "This link has expired or has already been used. Ask for a new one",
        "invalid_password_reset": "This link to reset your password has expired or has already been used",
        "too_many_login_attempts": "Too many wrong attempts. Wait a few minutes, then try again",
        "unknown_email": "There is no account with this email address",
        "account_inactive": "This account is not active. Contact your academy",
        "enter_current_password": "Enter your current password",
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Render in the request (the context holds live objects); the outbox sends it after commit.
        # The academy's name wins over any `current_site` allauth passed (a request's host, or nothing).
        context = {
            "email": email,  # some of allauth's templates name the address but are not given it
            **context,
            "current_site": current_site(),
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
        }
        msg = self.render_mail(template_prefix, email, context)
        message: dict[str, Any] = {
            "subject": msg.subject,
            "body": msg.body,
            "to": list(msg.to),
            "from_email": msg.from_email,
            "kind": template_prefix,
        }
        for content, mimetype in getattr(msg, "alternatives", []):
            if mimetype == "text/html":
                message["html"] = content
        emails.email_enqueue(message)


class MfaAdapter(DefaultMFAAdapter):
    """allauth's two-factor messages, in the Design System's words."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The code is not correct. Check the app and enter the code it shows now",
        "unverified_email": "Confirm your email address before you set up two-factor authentication",
    }
