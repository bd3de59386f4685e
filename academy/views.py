"""Views of the core: home pages, health, user management, invitations and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from academy import health, selectors, services
from academy.audit_words import audit_lines
from academy.discovery import app_hooks
from academy.forms import AuditFilterForm, InvitationAcceptForm, InvitationForm, UserFilterForm, invitation_extra_fields
from academy.mfa import mfa_required
from academy.models import AuditEntry, Invitation, User
from academy.next_actions import next_actions
from academy.permissions import (
    PermissionRequiredMixin,
    audit_entries_visible_to,
    can_manage_users,
    can_view_audit_log,
    invitations_visible_to,
    is_signed_in,
    users_visible_to,
)

PAGE_SIZE = 25


class PaginatedListMixin:
    """Adds the query string without `page`, so pagination and filters work together."""

    paginate_by: int | None = PAGE_SIZE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["query_string_without_page"] = selectors.querystring_without_page(self.request.GET)  # type: ignore[attr-defined]
        return context


class HomeView(PermissionRequiredMixin, TemplateView):
    """Each role's start page: what needs the person now (next actions), then links to what the role can do."""

    permission = staticmethod(is_signed_in)

    def get_template_names(self) -> list[str]:
        return [f"academy/home_{self.actor.role}.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.actor
        if user.is_provider_user:
            membership = getattr(user, "provider_membership", None)
            context["provider"] = membership.provider if membership else None
        if user.is_manager:
            context["pending_invitations"] = invitations_visible_to(user).pending().count()  # type: ignore[attr-defined]
        # Apps above academy add the figures of their own queues (e.g. courses/home.py).
        for home_context in app_hooks("home", "home_context"):
            context.update(cast(Callable[[User], dict[str, Any]], home_context)(user))
        # What needs this person now, above the links (each app's home.py `next_actions`).
        context["next_actions"] = next_actions(user)
        return context


@never_cache
def health_view(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when database, broker and storage answer, else 503 with the failures."""
    results = health.health_check()
    ok = all(r["ok"] for r in results.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": results}, status=200 if ok else 503)


class AuditEntryListView(PermissionRequiredMixin, PaginatedListMixin, ListView[AuditEntry]):
    permission = staticmethod(can_view_audit_log)
    template_name = "academy/auditentry_list.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[AuditEntry]:
        self.filter_form = AuditFilterForm(self.request.GET or None)
        filters = selectors.AuditFilters()
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            filters = selectors.AuditFilters(
                action=data["action"],
                actor=data["actor"],
                object_id=data["object_id"],
                date_from=data["date_from"],
                date_to=data["date_to"],
            )
        return selectors.audit_entry_list(entries=audit_entries_visible_to(self.actor), filters=filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(filter_form=self.filter_form, **kwargs)
        context["lines"] = audit_lines(context["entries"])
        return context


class UserListView(PermissionRequiredMixin, PaginatedListMixin, ListView[User]):
    permission = staticmethod(can_manage_users)
    template_name = "academy/user_list.html"
    context_object_name = "users"

    def get_queryset(self) -> QuerySet[User]:
        self.filter_form = UserFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.user_list(
            users=users_visible_to(self.actor),
            search=data.get("q", ""),
            role=data.get("role", ""),
            active=data.get("active", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class UserScopedMixin(PermissionRequiredMixin, SingleObjectMixin[User]):
    permission = staticmethod(can_manage_users)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[User]:
        return users_visible_to(self.actor).select_related("provider_membership__provider")


class UserDetailView(UserScopedMixin, DetailView[User]):
    template_name = "academy/user_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["audit_entries"] = selectors.audit_entries_for_object(self.object)
        context["can_change_status"] = self.object != self.actor
        return context


class UserSetActiveView(UserScopedMixin, View):
    """GET asks for confirmation; POST deactivates or reactivates."""

    active: bool = False

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.get_object()
        return render(request, "academy/user_confirm_set_active.html", {"person": person, "active": self.active})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.get_object()
        try:
            services.user_set_active(user=person, actor=self.actor, active=self.active)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            verb = "reactivated" if self.active else "deactivated"
            messages.success(request, f"{person.email} has been {verb}.")
        return redirect("academy:user-detail", public_id=person.public_id)


class InvitationListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Invitation]):
    permission = staticmethod(can_manage_users)
    template_name = "academy/invitation_list.html"
    context_object_name = "invitations"

    def get_queryset(self) -> QuerySet[Invitation]:
        return selectors.invitation_list(
            invitations=invitations_visible_to(self.actor), search=self.request.GET.get("q", "").strip()
        )


class InvitationCreateView(PermissionRequiredMixin, FormView[InvitationForm]):
    permission = staticmethod(can_manage_users)
    template_name = "academy/invitation_form.html"
    form_class = InvitationForm

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for key in ("role", *invitation_extra_fields()):
            if key in self.request.GET:
                initial[key] = self.request.GET[key]
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(valid_days=settings.INVITATION_VALID_DAYS, **kwargs)

    def form_valid(self, form: InvitationForm) -> HttpResponse:
        try:
            invitation = services.invitation_create(actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        days = settings.INVITATION_VALID_DAYS
        messages.success(self.request, f"Invitation sent to {invitation.email}. The link works for {days} days.")
        return redirect("academy:invitation-list")


class InvitationScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Invitation]):
    permission = staticmethod(can_manage_users)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Invitation]:
        return invitations_visible_to(self.actor)


class InvitationRevokeView(InvitationScopedMixin, View):
    """GET asks for confirmation; POST revokes."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, "academy/invitation_confirm_revoke.html", {"invitation": self.get_object()})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = self.get_object()
        try:
            services.invitation_revoke(invitation=invitation, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The invitation for {invitation.email} has been revoked.")
        return redirect("academy:invitation-list")


class InvitationResendView(InvitationScopedMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = self.get_object()
        try:
            services.invitation_resend(invitation=invitation, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"A new invitation link has been sent to {invitation.email}.")
        return redirect("academy:invitation-list")


@method_decorator(never_cache, name="dispatch")
class InvitationAcceptView(FormView[InvitationAcceptForm]):
    """Public: whoever holds the emailed link sets a name and password and is signed in."""

    template_name = "academy/invitation_accept.html"
    form_class = InvitationAcceptForm
    invitation: Invitation

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        invitation = services.invitation_for_token(kwargs["token"])
        if invitation is None or invitation.status != Invitation.Status.PENDING:
            return render(request, "academy/invitation_invalid.html", {"invitation": invitation}, status=410)
        self.invitation = invitation
        if request.user.is_authenticated:
            messages.error(request, "Sign out before accepting an invitation for another account.")
            return redirect("academy:home")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["email"] = self.invitation.email
        kwargs.setdefault("initial", {})["full_name"] = self.invitation.full_name
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(invitation=self.invitation, **kwargs)

    def form_valid(self, form: InvitationAcceptForm) -> HttpResponse:
        try:
            user = services.invitation_accept(
                invitation=self.invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        login(self.request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        # The password was typed a moment ago: tell allauth, so setting up two-factor next does not ask
        # for it again ("Confirm access"). One flow: password, then the authenticator app, then home.
        record_authentication(self.request, user, method="password", email=user.email)
        if mfa_required(user):
            messages.success(
                self.request,
                f"Welcome, {user.get_short_name()}. Your password is set. "
                "Now set up an authenticator app: you will use it with your password each time you sign in.",
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        messages.success(self.request, f"Welcome, {user.get_short_name()}. Your account is ready.")
        return HttpResponseRedirect(reverse("academy:home"))
