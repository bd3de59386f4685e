"""The permission mixin and decorator every view uses, and the core's own predicates.

Contract (see STYLE.md): anonymous users are sent to sign in; an object outside the user's scope
is a 404 (the view's queryset comes from a `<entities>_visible_to(user)` function); in scope with
too little right is a 403 (a `can_<verb>_<entity>(user, obj)` predicate says no).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.generic.detail import SingleObjectMixin

from academy.models import AuditEntry, Invitation, Role, User
from academy.tenancy import academy_in_use_id, access_of

Predicate = Callable[[User, Any], bool]


class PermissionRequiredMixin(AccessMixin):
    """Declare `permission = staticmethod(can_...)`; single-object views check it on the object."""

    permission: Predicate
    request: HttpRequest

    @property
    def actor(self) -> User:
        """The signed-in user, typed: the mixin has already turned anonymous users away."""
        return cast(User, self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # Views whose URL names an object check it after the scoped lookup (404 before 403).
        if not self._url_names_object(kwargs) and not self.permission(self.actor, None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def _url_names_object(self, kwargs: dict[str, Any]) -> bool:
        return isinstance(self, SingleObjectMixin) and (self.slug_url_kwarg in kwargs or self.pk_url_kwarg in kwargs)

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        obj = super().get_object(queryset)  # type: ignore[misc]
        if not self.permission(self.actor, obj):
            raise PermissionDenied
        return obj


def permission_required(predicate: Predicate) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The function-view twin of PermissionRequiredMixin, for views without an object."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user, None):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def is_signed_in(user: User, obj: Model | None = None) -> bool:
    """Any signed-in user."""
    return bool(user.is_authenticated)


def is_academy_staff(user: User, obj: Model | None = None) -> bool:
    """Academy staff and managers."""
    return bool(user.is_authenticated and user.is_active and user.is_academy_staff)


def is_manager(user: User, obj: Model | None = None) -> bool:
    """Academy managers only."""
    return bool(user.is_authenticated and user.is_active and user.is_manager)


def can_manage_users(user: User, obj: Model | None = None) -> bool:
    """Managers invite, deactivate and reactivate users."""
    return is_manager(user)


def can_view_audit_log(user: User, obj: Model | None = None) -> bool:
    """The full audit log is for managers; staff see entries on the pages they can open."""
    return is_manager(user)


def users_visible_to(user: User) -> QuerySet[User]:
    """Accounts a manager may look up in user management: their academy's staff (and staff of no
    academy yet, to add them to one), its learners, and users of providers it refers to."""
    if not is_manager(user):
        return User.objects.none()
    academy_id = academy_in_use_id(user)
    staff = Q(role__in=[Role.STAFF, Role.MANAGER])
    learners = Q(candidate__academy_id=academy_id) | Q(candidate__isnull=True, home_academy_id=academy_id)
    if access_of(user).in_use_is_first:  # learners who never chose
        learners |= Q(candidate__isnull=True, home_academy__isnull=True)
    providers = Q(provider_membership__provider__academies=academy_id) | Q(
        provider_membership__provider__academies__isnull=True
    )
    return User.objects.filter(
        (staff & (Q(academy_memberships__academy_id=academy_id) | Q(academy_memberships__isnull=True)))
        | (Q(role=Role.LEARNER) & learners)
        | (Q(role=Role.PROVIDER) & providers)
    ).distinct()


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Invitations a manager may see and act on: into their academy (those of no academy, made before
    there were several, into the first), and to users of providers it refers to."""
    if not is_manager(user):
        return Invitation.objects.none()
    academy_id = academy_in_use_id(user)
    into_academy = Q(academy_id=academy_id)
    if access_of(user).in_use_is_first:
        into_academy |= Q(academy__isnull=True, role__in=[Role.STAFF, Role.MANAGER])
    to_provider = Q(role=Role.PROVIDER) & (
        Q(provider_invitation__provider__academies=academy_id)
        | Q(provider_invitation__provider__academies__isnull=True)
    )
    return Invitation.objects.filter(pk__in=Invitation.objects.filter(into_academy | to_provider).values("pk"))


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """Audit entries a manager may list: what their academy's staff and learners did (and, in the
    installation's first academy, what the system and people of no academy yet did)."""
    if not can_view_audit_log(user):
        return AuditEntry.objects.none()
    academy_id = academy_in_use_id(user)
    by_academy = (
        Q(actor__academy_memberships__academy_id=academy_id)
        | Q(actor__candidate__academy_id=academy_id)
        | Q(actor__provider_membership__provider__academies=academy_id)
    )
    if access_of(user).in_use_is_first:
        by_academy |= Q(actor__isnull=True) | Q(
            actor__academy_memberships__isnull=True,
            actor__candidate__isnull=True,
            actor__provider_membership__isnull=True,
        )
    return AuditEntry.objects.filter(pk__in=AuditEntry.objects.filter(by_academy).values("pk"))
