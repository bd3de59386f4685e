"""What the views of this area share: the scoped application lookup and the viewer's provider."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.views.generic.detail import SingleObjectMixin

from academy.models import User
from academy.permissions import PermissionRequiredMixin
from placements.models import JobApplication
from placements.permissions import job_applications_visible_to
from placements.selectors.starts import application_scope
from providers.models import Provider


def viewer_provider(user: User) -> Provider | None:
    """The provider a provider user acts for (None for everyone else)."""
    membership = getattr(user, "provider_membership", None) if user.is_provider_user else None
    return membership.provider if membership is not None else None


class ApplicationObjectMixin(PermissionRequiredMixin, SingleObjectMixin[JobApplication]):
    """Looks up a job application by public_id in the user's scope (404 outside it), then checks `permission`."""

    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "application"
    object: JobApplication

    def get_queryset(self) -> QuerySet[JobApplication]:
        return application_scope(job_applications_visible_to(self.actor))

    def base_context(self, **kwargs: Any) -> dict[str, Any]:
        application = self.object
        return {
            "application": application,
            "vacancy": application.vacancy,
            "candidate": application.candidate,
            "is_staff": self.actor.is_academy_staff,
            **kwargs,
        }
