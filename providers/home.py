"""What providers adds to the home page: whether a provider user may invite colleagues (found by academy.discovery)."""

from __future__ import annotations

from typing import Any

from academy.models import User
from providers.permissions import is_provider_admin


def home_context(user: User) -> dict[str, Any]:
    """`can_invite_colleagues` for a provider admin, so their home page links to the colleagues page."""
    membership = getattr(user, "provider_membership", None) if user.is_provider_user else None
    return {"can_invite_colleagues": membership is not None and is_provider_admin(user, membership.provider)}
