"""Portable DBS: staff share an outcome with a provider and stop it; providers list what is shared."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.audit import audit_log
from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from candidates.forms.dbs_sharing import DbsShareForm
from candidates.forms.records import add_service_errors
from candidates.models import DbsShare
from candidates.permissions import can_view_shared_dbs, can_work_on_dbs, dbs_shares_visible_to
from candidates.selectors.dbs import dbs_outcome_label
from candidates.selectors.dbs_sharing import dbs_share_providers, dbs_shared_with_provider
from candidates.services.dbs_sharing import dbs_share_blocker, dbs_share_create, dbs_share_revoke
from candidates.views.dbs import DbsCheckFormMixin
from providers.models import Provider


@method_decorator(never_cache, name="dispatch")
class DbsShareView(DbsCheckFormMixin, FormView[DbsShareForm]):
    """Choose a provider; if the outcome cannot be shared, the page says why instead of a form."""

    template_name = "candidates/dbs/share_form.html"
    form_class = DbsShareForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "providers": dbs_share_providers(self.object)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            blocker=dbs_share_blocker(self.object), outcome=dbs_outcome_label(self.object), **kwargs
        )

    def form_valid(self, form: DbsShareForm) -> HttpResponse:
        provider = form.cleaned_data["provider"]
        try:
            dbs_share_create(check=self.object, provider=provider, actor=self.actor)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{provider.name} can now see the outcome of this check.")
        return self.back_to_check("#sharing")


class DbsShareRevokeView(PermissionRequiredMixin, SingleObjectMixin[DbsShare], View):
    """GET asks for confirmation; POST stops the share."""

    permission = staticmethod(can_work_on_dbs)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[DbsShare]:
        return dbs_shares_visible_to(self.actor).select_related("provider", "dbs_check__candidate")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        share = self.get_object()
        if share.revoked_at is not None:
            messages.info(request, f"Sharing with {share.provider.name} had already been stopped.")
            return redirect(share.dbs_check.get_absolute_url() + "#sharing")
        return render(
            request,
            "candidates/dbs/share_confirm_revoke.html",
            {"share": share, "check": share.dbs_check, "candidate": share.dbs_check.candidate},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        share = self.get_object()
        try:
            dbs_share_revoke(share=share, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{share.provider.name} can no longer see the outcome of this check.")
        return redirect(share.dbs_check.get_absolute_url() + "#sharing")


@method_decorator(never_cache, name="dispatch")
class DbsSharedListView(PermissionRequiredMixin, PaginatedListMixin, ListView[DbsShare]):
    """For provider users: the DBS outcomes shared with their provider, and nothing else about them."""

    permission = staticmethod(can_view_shared_dbs)
    template_name = "candidates/dbs/shared_list.html"
    context_object_name = "shares"

    def provider(self) -> Provider | None:
        membership = getattr(self.actor, "provider_membership", None)
        return membership.provider if membership is not None else None

    def get_queryset(self) -> QuerySet[DbsShare]:
        return dbs_shared_with_provider(self.provider())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shares = list(context["shares"])
        provider = self.provider()
        if shares:
            # Outcomes of criminal-record checks: who saw which is logged, as for staff.
            audit_log(
                actor=self.actor,
                action="dbs.view_shared",
                obj=provider,
                data={"checks": [str(share.dbs_check.public_id) for share in shares]},
            )
        context["rows"] = [(share, dbs_outcome_label(share.dbs_check)) for share in shares]
        context["provider"] = provider
        return context
