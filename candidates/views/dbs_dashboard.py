"""The staff DBS dashboard and the managers' DBS policy page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView

from academy.permissions import PermissionRequiredMixin
from academy.tenancy import academy_in_use_id, access_of
from academy.views import PaginatedListMixin
from candidates.forms.dbs_dashboard import DbsDashboardFilterForm, DbsPolicyForm
from candidates.forms.records import add_service_errors
from candidates.models import DbsCheck, DbsPolicy
from candidates.permissions import can_manage_dbs_policy, can_work_on_dbs
from candidates.selectors.dbs_dashboard import (
    RAG_LABELS,
    dbs_dashboard_list,
    dbs_overdue_chases,
    dbs_rechecks_due,
    dbs_renewals_due,
    dbs_status_counts,
    dbs_turnaround,
)
from candidates.services.dbs_policy import dbs_policy_update


class DbsDashboardView(PermissionRequiredMixin, PaginatedListMixin, ListView[DbsCheck]):
    """Counts by status with RAG, the checks to work through, turnaround, chases not sent, renewals."""

    permission = staticmethod(can_work_on_dbs)
    template_name = "candidates/dbs/dashboard.html"
    context_object_name = "checks"

    def get_queryset(self) -> QuerySet[DbsCheck]:
        self.today = timezone.localdate()
        self.policy = DbsPolicy.current(academy_in_use_id(self.actor))
        self.filter_form = DbsDashboardFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        self.academy_id = academy_in_use_id(self.actor)
        return dbs_dashboard_list(
            today=self.today,
            policy=self.policy,
            academy_id=self.academy_id,
            status=data.get("status", ""),
            rag=data.get("rag", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today, policy, academy_id = self.today, self.policy, self.academy_id
        return super().get_context_data(
            today=today,
            policy=policy,
            filter_form=self.filter_form,
            status_counts=dbs_status_counts(today=today, policy=policy, academy_id=academy_id),
            turnaround=dbs_turnaround(today=today, academy_id=academy_id),
            overdue_chases=dbs_overdue_chases(today=today, academy_id=academy_id),
            renewals_due=dbs_renewals_due(today=today, policy=policy, academy_id=academy_id),
            rechecks_due=dbs_rechecks_due(today=today, policy=policy, academy_id=academy_id),
            rag_labels=RAG_LABELS,
            can_manage_policy=can_manage_dbs_policy(self.actor),
            **kwargs,
        )


class DbsPolicyView(PermissionRequiredMixin, FormView[DbsPolicyForm]):
    permission = staticmethod(can_manage_dbs_policy)
    template_name = "candidates/dbs/policy_form.html"
    form_class = DbsPolicyForm

    @cached_property
    def policy(self) -> DbsPolicy:
        return DbsPolicy.objects.select_related("updated_by").get(
            pk=DbsPolicy.current(academy_in_use_id(self.actor)).pk
        )

    def get_initial(self) -> dict[str, Any]:
        return DbsPolicyForm.initial_for(self.policy)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Another academy than the first with no policy of its own: saving gives it its own.
        shared = self.policy.academy_id is None and not access_of(self.actor).in_use_is_first
        return super().get_context_data(policy=self.policy, uses_portal_policy=shared, **kwargs)

    def form_valid(self, form: DbsPolicyForm) -> HttpResponse:
        try:
            dbs_policy_update(
                actor=self.actor,
                data=form.cleaned_data,
                academy_id=academy_in_use_id(self.actor),
                own=not access_of(self.actor).in_use_is_first,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The DBS policy has been saved.")
        return redirect("candidates:dbs-dashboard")
