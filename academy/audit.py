"""The one place that writes the audit log."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from academy.models import AuditEntry, User

# Keys whose values never reach the log, however deeply nested.
SECRET_KEY_PATTERN = re.compile(r"pass(word)?|secret|token|key|otp|code|certificate_number", re.IGNORECASE)
MASK = "********"


def mask_secrets(data: Any) -> Any:
    """Return a copy of `data` with the values of secret-looking keys replaced by a mask."""
    if isinstance(data, dict):
        return {k: MASK if SECRET_KEY_PATTERN.search(str(k)) else mask_secrets(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [mask_secrets(v) for v in data]
    return data


def audit_log(
    *, actor: User | None, action: str, obj: models.Model | None = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Record that `actor` did `action` (a dotted code such as `invitation.create`) on `obj`."""
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor.email if actor is not None and actor.is_authenticated else "system",
        action=action,
        data=mask_secrets(data or {}),
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry
