"""What the core's screens read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from academy.audit_words import AuditLine, audit_lines
from academy.models import AuditEntry, Invitation, User


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_entry_list(*, entries: QuerySet[AuditEntry], filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Audit entries matching the filters, newest first, with actor and type joined."""
    qs = entries.select_related("actor", "content_type")
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.actor:
        qs = qs.filter(actor_label__icontains=filters.actor)
    if filters.object_type:
        app_label, _, model = filters.object_type.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    return qs.order_by("-created_at", "-id")


def audit_entries_for_object(obj: Model, *, limit: int = 20) -> list[AuditLine]:
    """The latest entries about one object in words, for its history panel (academy.audit_words' query contract)."""
    content_type = ContentType.objects.get_for_model(obj)
    entries = (
        AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    return audit_lines(entries, link_objects=False)


def audit_action_choices() -> list[str]:
    """Distinct action codes, for the filter's dropdown."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


def user_list(*, users: QuerySet[User], search: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    """Users for user management, searchable by name or email, with the provider joined."""
    qs = users.select_related("provider_membership__provider")
    if search:
        qs = qs.filter(Q(email__icontains=search) | Q(full_name__icontains=search))
    if role:
        qs = qs.filter(role=role)
    if active in ("yes", "no"):
        qs = qs.filter(is_active=active == "yes")
    return qs.order_by("email")


def invitation_list(*, invitations: QuerySet[Invitation], search: str = "") -> QuerySet[Invitation]:
    """Invitations, newest first, with the inviter, provider and email (sent yet?) joined."""
    qs = invitations.select_related("invited_by", "provider_invitation__provider", "email_message")
    if search:
        qs = qs.filter(email__icontains=search)
    return qs.order_by("-created_at")


def querystring_without_page(params: Any) -> str:
    """The current GET parameters minus `page`, for pagination links."""
    params = params.copy()
    params.pop("page", None)
    return str(params.urlencode())
