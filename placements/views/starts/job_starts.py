"""The ready-to-start checklist, confirming a start, recording one found elsewhere, and the starters' list."""

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
from django.views.generic import ListView

from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from placements.forms.starts import JobStartFilterForm, JobStartForm, JobStartRecordForm, StartDateAgreedForm
from placements.models import JobApplication, JobStart
from placements.permissions import (
    can_confirm_job_start,
    can_list_job_starts,
    can_record_job_start,
    can_work_on_checklist,
    job_starts_visible_to,
)
from placements.selectors.starts import job_start_list, ready_to_start_checklist
from placements.services.starts import (
    CHECKLIST_OPEN,
    checklist_agree_start_date,
    checklist_mark_training,
    job_start_confirm,
    job_start_record,
)
from placements.views.starts.common import ApplicationObjectMixin
from placements.views.starts.folders import CandidateObjectMixin
from providers.permissions import providers_visible_to

Status = JobApplication.Status
# Applications that have a checklist: from the offer to the start.
HAS_CHECKLIST = (Status.OFFERED, Status.ACCEPTED, Status.STARTED)


def _checklist_context(view: ApplicationObjectMixin, **kwargs: Any) -> dict[str, Any]:
    application = view.object
    return view.base_context(
        checklist=ready_to_start_checklist(application=application, viewer=view.actor),
        has_checklist=application.status in HAS_CHECKLIST,
        can_mark=application.status in CHECKLIST_OPEN,
        can_confirm=application.status == Status.ACCEPTED,
        folder_released=getattr(application, "folder_release", None) is not None,
        job_start=getattr(application, "job_start", None) if application.status == Status.STARTED else None,
        **kwargs,
    )


@method_decorator(never_cache, name="dispatch")
class ChecklistView(ApplicationObjectMixin, View):
    """Each item pending or met; the manual ones (training, start date) can be marked here."""

    permission = staticmethod(can_work_on_checklist)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        initial = {"start_date": self.object.start_date_agreed or self.object.offer_start_date}
        context = _checklist_context(self, start_date_form=StartDateAgreedForm(initial=initial))
        return render(request, "placements/checklist.html", context)


class ChecklistTrainingView(ApplicationObjectMixin, View):
    """POST met=1 confirms the mandatory training, met=0 undoes it."""

    permission = staticmethod(can_work_on_checklist)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.object = self.get_object()
        met = request.POST.get("met") == "1"
        try:
            checklist_mark_training(application=application, actor=self.actor, met=met)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, "Mandatory training is marked as done." if met else "Mandatory training is marked as not done."
            )
        return redirect("placements:checklist", public_id=application.public_id)


class ChecklistStartDateView(ApplicationObjectMixin, View):
    """POST the agreed start date; errors re-show the checklist with the date as typed."""

    permission = staticmethod(can_work_on_checklist)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.object = self.get_object()
        form = StartDateAgreedForm(request.POST)
        if form.is_valid():
            try:
                checklist_agree_start_date(
                    application=application, actor=self.actor, start_date=form.cleaned_data["start_date"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The agreed start date has been saved.")
                return redirect("placements:checklist", public_id=application.public_id)
        return render(request, "placements/checklist.html", _checklist_context(self, start_date_form=form))


@method_decorator(never_cache, name="dispatch")
class JobStartConfirmView(ApplicationObjectMixin, View):
    """Confirm the learner has started: employer (the provider), role, hours, contract, start date."""

    permission = staticmethod(can_confirm_job_start)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        vacancy = self.object.vacancy
        initial = {
            "job_role": vacancy.job_role,
            "hours_per_week": vacancy.hours_per_week,
            "contract_type": vacancy.contract_type,
            "start_date": self.object.start_date_agreed or self.object.offer_start_date,
        }
        return self._render(JobStartForm(initial=initial))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = JobStartForm(request.POST)
        if form.is_valid():
            try:
                job_start_confirm(application=self.object, actor=self.actor, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{self.object.candidate.full_name}'s start has been confirmed.")
                return redirect("placements:job-start-list")
        return self._render(form)

    def _render(self, form: JobStartForm) -> HttpResponse:
        return render(self.request, "placements/job_start_confirm.html", _checklist_context(self, form=form))


@method_decorator(never_cache, name="dispatch")
class JobStartCreateView(CandidateObjectMixin, View):
    """Staff record a start with an employer outside the academy's vacancies."""

    permission = staticmethod(can_record_job_start)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(JobStartRecordForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = JobStartRecordForm(request.POST)
        if form.is_valid():
            try:
                job_start_record(candidate=self.object, actor=self.actor, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{self.object.full_name}'s start has been recorded.")
                return redirect(self.object)
        return self._render(form)

    def _render(self, form: JobStartRecordForm) -> HttpResponse:
        return render(self.request, "placements/job_start_create.html", {"candidate": self.object, "form": form})


@method_decorator(never_cache, name="dispatch")
class JobStartListView(PermissionRequiredMixin, PaginatedListMixin, ListView[JobStart]):
    """A provider's starters, or (staff) every start; filter by month started, provider and name."""

    permission = staticmethod(can_list_job_starts)
    template_name = "placements/job_start_list.html"
    context_object_name = "job_starts"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[JobStart]:
        providers = providers_visible_to(self.actor).order_by("name") if self.actor.is_academy_staff else None
        self.filter_form = JobStartFilterForm(self.request.GET or None, providers=providers)
        return job_start_list(starts=job_starts_visible_to(self.actor), **self.filter_form.filters())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, is_staff=self.actor.is_academy_staff, **kwargs)
