"""allauth hooks: new sign-ups are learners, and allauth's emails go through the outbox."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from academy import emails


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Render in the request (the context holds live objects); the outbox sends it after commit.
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
