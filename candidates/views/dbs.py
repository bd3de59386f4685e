"""Staff views of DBS checks: start one, its page (every view logged), and recording each step."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from candidates.forms.dbs import STEP_FORMS, DbsCheckStartForm, DbsStepForm
from candidates.forms.records import add_service_errors
from candidates.models import DbsCheck
from candidates.permissions import can_view_dbs_check, can_work_on_dbs, dbs_checks_visible_to
from candidates.selectors.dbs import IN_PROGRESS_STATUSES, dbs_check_detail, dbs_check_scope, dbs_checks_for_candidate
from candidates.services.dbs import STEPS, DbsStep, dbs_check_start, dbs_check_view, dbs_steps_available
from candidates.views.records import CandidateFormMixin


class DbsCheckScopedMixin(PermissionRequiredMixin, SingleObjectMixin[DbsCheck]):
    """A page about one check: out of the user's scope is 404, in scope without the right is 403."""

    permission = staticmethod(can_work_on_dbs)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "check"
    object: DbsCheck

    def get_queryset(self) -> QuerySet[DbsCheck]:
        return dbs_check_scope(dbs_checks_visible_to(self.actor))


class DbsCheckFormMixin(DbsCheckScopedMixin):
    """GET and POST of a form about one check: looks the check up (and checks permission) first."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(candidate=self.object.candidate, **kwargs)

    def back_to_check(self, anchor: str = "") -> HttpResponse:
        return redirect(self.object.get_absolute_url() + anchor)


@method_decorator(never_cache, name="dispatch")
class DbsCheckCreateView(CandidateFormMixin, FormView[DbsCheckStartForm]):
    """Start a check for someone; warns (and the service refuses) if one is already under way."""

    permission = staticmethod(can_work_on_dbs)
    template_name = "candidates/dbs/check_form.html"
    form_class = DbsCheckStartForm

    def get_initial(self) -> dict[str, Any]:
        return {
            "started_on": timezone.localdate(),
            "level": DbsCheck.Level.ENHANCED_ADULTS,
            "workforce": DbsCheck.Workforce.ADULT,
            "paid_by": DbsCheck.PaidBy.ACADEMY,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        checks = dbs_checks_for_candidate(self.object)
        current = checks[0] if checks else None
        in_progress = current if current is not None and current.status in IN_PROGRESS_STATUSES else None
        return super().get_context_data(in_progress=in_progress, **kwargs)

    def form_valid(self, form: DbsCheckStartForm) -> HttpResponse:
        try:
            check = dbs_check_start(candidate=self.object, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"A DBS check has been started for {self.object.full_name}. Level: {check.get_level_display()}.",
        )
        return redirect(check)


@method_decorator(never_cache, name="dispatch")
class DbsCheckDetailView(DbsCheckScopedMixin, DetailView[DbsCheck]):
    """Special category data: staff and managers only, and every view is written to the audit log."""

    permission = staticmethod(can_view_dbs_check)
    template_name = "candidates/dbs/check_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        check = self.object
        dbs_check_view(actor=self.actor, check=check, where="staff DBS page")
        detail = dbs_check_detail(check=check)
        can_edit = can_work_on_dbs(self.actor, check)
        return super().get_context_data(
            **{field.name: getattr(detail, field.name) for field in dataclasses.fields(detail)},
            candidate=check.candidate,
            next_steps=dbs_steps_available(check) if can_edit else [],
            can_edit=can_edit,
            today=timezone.localdate(),
            **kwargs,
        )


# Step pages that show certificate details (the number to compare, what was disclosed): each GET is
# a view of DBS details, logged like the check's page.
STEPS_SHOWING_DETAILS = {"original-seen", "risk-assessment"}


@method_decorator(never_cache, name="dispatch")
class DbsStepView(DbsCheckFormMixin, FormView[DbsStepForm]):
    """Record the next step: `?step=<slug>` shows its form; without one, the steps available now."""

    template_name = "candidates/dbs/check_step.html"

    @cached_property
    def step(self) -> DbsStep | None:
        step = STEPS.get(self.request.GET.get("step", ""))
        return step if step is not None and step in dbs_steps_available(self.object) else None

    def _step(self) -> DbsStep:
        if self.step is None:  # get() and post() answer with the list of steps before any form is made
            raise Http404("No such step.")
        return self.step

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.step is None:
            return self._choose()
        if self.step.slug in STEPS_SHOWING_DETAILS:
            dbs_check_view(actor=self.actor, check=self.object, where=f"{self.step.label} step")
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.step is None:
            # Usually someone else recorded this step a moment ago: show where the check is now.
            return self._choose(status=409)
        return super().post(request, *args, **kwargs)

    def _choose(self, status: int = 200) -> HttpResponse:
        requested = self.request.GET.get("step", "")
        context = {
            "check": self.object,
            "candidate": self.object.candidate,
            "steps": dbs_steps_available(self.object),
            "unavailable": STEPS.get(requested),
            "unknown": bool(requested) and requested not in STEPS,
        }
        return TemplateResponse(self.request, "candidates/dbs/check_step_choose.html", context, status=status)

    def get_form_class(self) -> type[DbsStepForm]:
        return STEP_FORMS[self._step().slug]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "check": self.object}

    def get_initial(self) -> dict[str, Any]:
        # Dates start at today, and whoever records a decision is offered as the one who made it.
        return {**self.get_form_class().initial_dates(timezone.localdate()), "decision_by": self.actor.pk}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(step=self.step, **kwargs)

    def form_valid(self, form: DbsStepForm) -> HttpResponse:
        step = self._step()
        try:
            check = step.service(check=self.object, actor=self.actor, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        status = check.get_status_display()
        moved = "" if status == step.label else f" The check is now at “{status}”."
        messages.success(
            self.request, f"“{step.label}” is recorded on the DBS check for {check.candidate.full_name}.{moved}"
        )
        return self.back_to_check()
