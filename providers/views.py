"""Provider directory and CQC import for academy staff; a provider user sees their own provider's page,
and a provider admin their colleagues and invitations."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from academy.models import Invitation
from academy.permissions import PermissionRequiredMixin
from academy.selectors import audit_entries_for_object
from academy.views import PaginatedListMixin
from providers import selectors, services
from providers.cqc_csv import COLUMN_HELP, COLUMN_LABELS, COLUMNS, MAX_ROWS, REQUIRED_COLUMNS
from providers.forms import ColleagueInviteForm, ProviderFilterForm, ProviderForm, ProviderImportForm
from providers.models import Provider
from providers.permissions import (
    can_import_providers,
    can_invite_colleagues,
    can_list_providers,
    can_manage_provider_admins,
    can_manage_providers,
    can_view_provider,
    providers_visible_to,
)


class ProviderListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Provider]):
    permission = staticmethod(can_list_providers)
    template_name = "providers/provider_list.html"
    context_object_name = "providers"

    def get_queryset(self) -> QuerySet[Provider]:
        self.filter_form = ProviderFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.provider_list(
            providers=providers_visible_to(self.actor),
            search=data.get("q", ""),
            kind=data.get("kind", ""),
            agreement=data.get("agreement", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form,
            can_create=can_manage_providers(self.actor),
            can_import=can_import_providers(self.actor),
            **kwargs,
        )


class ProviderScopedMixin(PermissionRequiredMixin):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Provider]:
        return providers_visible_to(self.actor)


class ProviderDetailView(ProviderScopedMixin, DetailView[Provider]):
    permission = staticmethod(can_view_provider)
    template_name = "providers/provider_detail.html"
    context_object_name = "provider"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.actor
        can_manage = can_manage_providers(user, self.object)
        return super().get_context_data(
            members=selectors.provider_members(self.object),
            can_edit=can_manage,
            can_invite=can_manage,
            can_see_colleagues=can_invite_colleagues(user, self.object),
            can_set_admins=can_manage_provider_admins(user, self.object),
            show_academy_fields=user.is_academy_staff,
            audit_entries=audit_entries_for_object(self.object) if user.is_academy_staff else [],
            **kwargs,
        )


class ProviderCreateView(PermissionRequiredMixin, CreateView[Provider, ProviderForm]):
    permission = staticmethod(can_manage_providers)
    template_name = "providers/provider_form.html"
    form_class = ProviderForm

    def form_valid(self, form: ProviderForm) -> HttpResponse:
        provider = services.provider_save(provider=form.save(commit=False), actor=self.actor)
        messages.success(self.request, f"{provider.name} has been added.")
        return redirect(provider)


class ProviderUpdateView(ProviderScopedMixin, UpdateView[Provider, ProviderForm]):
    permission = staticmethod(can_manage_providers)
    template_name = "providers/provider_form.html"
    form_class = ProviderForm

    def form_valid(self, form: ProviderForm) -> HttpResponse:
        provider = services.provider_save(provider=form.save(commit=False), actor=self.actor, changed=form.changed_data)
        messages.success(self.request, f"{provider.name} has been updated.")
        return redirect(provider)


class ProviderImportView(PermissionRequiredMixin, FormView[ProviderImportForm]):
    """Upload the CQC care directory as CSV: every row is imported (created or updated by location ID) or none."""

    permission = staticmethod(can_import_providers)
    template_name = "providers/provider_import.html"
    form_class = ProviderImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            columns=[(COLUMN_LABELS[name], name in REQUIRED_COLUMNS, COLUMN_HELP[name]) for name in COLUMNS],
            max_rows=MAX_ROWS,
            max_mb=settings.DOCUMENT_MAX_UPLOAD_MB,
            recent_imports=selectors.provider_imports_recent(),
            **kwargs,
        )

    def form_valid(self, form: ProviderImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            result = services.provider_import_cqc(actor=self.actor, file_name=upload.name, data=upload.read())
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        if not result.imported:
            form.add_error(
                "file",
                f"Nothing was imported: {result.error_lines:,} of {result.rows:,} rows have errors. "
                "Fix them and upload the file again.",
            )
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(
            self.request,
            f"{result.rows:,} rows imported: {result.created:,} providers created, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged.",
        )
        if result.ignored_headers:
            messages.info(self.request, "These columns were not used: " + ", ".join(result.ignored_headers))
        return redirect("providers:provider-list")


class ProviderImportTemplateView(PermissionRequiredMixin, View):
    """A CSV with our column names and one example row (UTF-8 with a mark, so Excel keeps accents)."""

    permission = staticmethod(can_import_providers)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="providers-import-template.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([COLUMN_LABELS[name] for name in COLUMNS])
        writer.writerow(
            ["1-123456789", "Example Care Home", "1 Example Street", "Leeds", "LS1 4AP", "Residential homes", "Good"]
        )
        return response


class ProviderColleaguesMixin(ProviderScopedMixin, SingleObjectMixin[Provider]):
    """A provider's colleagues pages: out-of-scope providers are 404, a non-admin provider user 403."""

    permission = staticmethod(can_invite_colleagues)
    provider: Provider

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.provider = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class ColleagueListView(ProviderColleaguesMixin, View):
    """A provider's users and its pending invitations."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "providers/colleague_list.html",
            {
                "provider": self.provider,
                "members": selectors.provider_members(self.provider),
                "invitations": selectors.provider_pending_invitations(self.provider),
                "valid_days": settings.INVITATION_VALID_DAYS,
            },
        )


class ColleagueInviteView(ProviderColleaguesMixin, FormView[ColleagueInviteForm]):
    template_name = "providers/colleague_invite.html"
    form_class = ColleagueInviteForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(provider=self.provider, valid_days=settings.INVITATION_VALID_DAYS, **kwargs)

    def form_valid(self, form: ColleagueInviteForm) -> HttpResponse:
        try:
            invitation = services.provider_colleague_invite(
                provider=self.provider,
                actor=self.actor,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # errors about the email address go next to it
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Invitation sent to {invitation.email}. The link works for {settings.INVITATION_VALID_DAYS} days.",
        )
        return redirect("providers:colleague-list", public_id=self.provider.public_id)


class ColleagueInvitationRevokeView(ProviderColleaguesMixin, View):
    """GET asks for confirmation; POST revokes a pending invitation to this provider."""

    def _invitation(self) -> Invitation:
        invitation = get_object_or_404(
            selectors.provider_pending_invitations(self.provider), public_id=self.kwargs["invitation_id"]
        )
        return invitation

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "providers/colleague_invitation_revoke.html",
            {"provider": self.provider, "invitation": self._invitation()},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = self._invitation()
        try:
            services.provider_colleague_invitation_revoke(
                provider=self.provider, invitation=invitation, actor=self.actor
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The invitation for {invitation.email} has been revoked.")
        return redirect("providers:colleague-list", public_id=self.provider.public_id)


class ProviderAdminSetView(ProviderScopedMixin, SingleObjectMixin[Provider], View):
    """POST (managers): make one of the provider's users its admin, or stop them being one."""

    permission = staticmethod(can_manage_provider_admins)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider = self.get_object()
        membership = get_object_or_404(selectors.provider_members(provider), user__public_id=self.kwargs["user_id"])
        is_admin = request.POST.get("is_admin") == "1"
        services.provider_admin_set(membership=membership, actor=self.actor, is_admin=is_admin)
        name = membership.user.get_full_name()
        if is_admin:
            messages.success(request, f"{name} is now a provider admin and can invite colleagues.")
        else:
            messages.success(request, f"{name} is no longer a provider admin.")
        return redirect(provider)
