"""Receivers of third-party signals, each a thin call to one service (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from candidates.services.records import candidate_link_verified_account


def link_account_on_email_confirmed(sender: Any, email_address: EmailAddress, **kwargs: Any) -> None:
    """allauth sends email_confirmed on every route that verifies an address (the emailed link or
    code, an admin marking it verified): the account may now take over staff's record of that address."""
    candidate_link_verified_account(user=email_address.user, email=email_address.email)
