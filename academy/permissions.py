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
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.generic.detail import SingleObjectMixin

from academy.models import AuditEntry, Invitation, User

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
    """Accounts a user may look up in user management."""
    return User.objects.all() if is_manager(user) else User.objects.none()


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Invitations a user may see and act on."""
    return Invitation.objects.all() if is_manager(user) else Invitation.objects.none()


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """Audit entries a user may list."""
    return AuditEntry.objects.all() if can_view_audit_log(user) else AuditEntry.objects.none()
