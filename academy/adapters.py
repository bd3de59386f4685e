"""allauth hooks: new sign-ups are learners, and allauth's emails go through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
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
