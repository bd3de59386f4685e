"""Provider directory for academy staff; a provider user sees their own provider's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from academy.permissions import PermissionRequiredMixin
from academy.selectors import audit_entries_for_object
from academy.views import PaginatedListMixin
from providers import selectors, services
from providers.forms import ProviderFilterForm, ProviderForm
from providers.models import Provider
from providers.permissions import (
    can_list_providers,
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
            providers=providers_visible_to(self.actor), search=data.get("q", ""), kind=data.get("kind", "")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form, can_create=can_manage_providers(self.actor), **kwargs
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
