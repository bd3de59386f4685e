"""Vacancy management: the provider posts, edits, submits and closes; staff approve or ask for changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.postcodes import Location
from academy.selectors import audit_entries_for_object
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from placements.forms.vacancies import (
    ProviderVacancyFilterForm,
    StaffVacancyFilterForm,
    VacancyCloseForm,
    VacancyForm,
    VacancyRequestChangesForm,
)
from placements.models import Vacancy
from placements.permissions import (
    can_approve_vacancy,
    can_close_vacancy,
    can_edit_vacancy,
    can_post_vacancy,
    can_view_vacancy,
    vacancies_visible_to,
)
from placements.selectors.vacancies import (
    cohort_label,
    provider_vacancy_list,
    staff_vacancy_list,
    vacancy_approval_queue,
    vacancy_detail_queryset,
)
from placements.services.vacancies import (
    CLOSABLE,
    EDITABLE,
    vacancy_approve,
    vacancy_close,
    vacancy_create,
    vacancy_postcode_location,
    vacancy_request_changes,
    vacancy_submit,
    vacancy_update,
)

Status = Vacancy.Status


def _postcode_warning(request: HttpRequest, vacancy: Vacancy, location: Location | None) -> None:
    """Tell the provider when the postcode could not be placed exactly: distance search then works less well."""
    if location is None:
        messages.warning(
            request,
            f"We could not find {vacancy.postcode} in our postcode list, so people searching by distance will not "
            f"see how far away it is: the job board finds it by its town ({vacancy.place}). Check the postcode.",
        )
    elif not location.is_exact:
        messages.warning(
            request,
            f"We could not find {vacancy.postcode} itself, so distances on the job board are from the middle of "
            f"the {location.label} area. Check the postcode.",
        )


class _VacancyObjectMixin(PermissionRequiredMixin, SingleObjectMixin[Vacancy]):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "vacancy"
    object: Vacancy

    def get_queryset(self) -> QuerySet[Vacancy]:
        return vacancy_detail_queryset(vacancies_visible_to(self.actor))


# --- provider ---------------------------------------------------------------------------------


class ProviderVacancyListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Vacancy]):
    """The provider's own vacancies in every status, with what staff said."""

    permission = staticmethod(can_post_vacancy)
    template_name = "placements/vacancy_provider_list.html"
    context_object_name = "vacancies"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Vacancy]:
        self.filter_form = ProviderVacancyFilterForm(self.request.GET or None)
        status = self.filter_form.cleaned_data["status"] if self.filter_form.is_valid() else ""
        return provider_vacancy_list(vacancies_visible_to(self.actor), status=status)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class VacancyCreateView(PermissionRequiredMixin, View):
    """A provider user posts a vacancy: saved as a draft to check, then submitted for approval."""

    permission = staticmethod(can_post_vacancy)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(VacancyForm(initial=VacancyForm.initial_for(None)))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = VacancyForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            vacancy = vacancy_create(
                provider=self.actor.provider_membership.provider, actor=self.actor, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form)
        messages.success(request, f"{vacancy.title} is saved as a draft. Check it, then submit it for approval.")
        _postcode_warning(request, vacancy, vacancy_postcode_location(vacancy.postcode))
        return redirect("placements:vacancy-detail", public_id=vacancy.public_id)

    def _render(self, form: VacancyForm) -> HttpResponse:
        return render(self.request, "placements/vacancy_form.html", {"form": form, "vacancy": None})


class VacancyUpdateView(_VacancyObjectMixin, View):
    """Edit a draft, or a vacancy staff sent back for changes."""

    permission = staticmethod(can_edit_vacancy)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.status not in EDITABLE:
            return self._not_editable()
        form = VacancyForm(initial=VacancyForm.initial_for(self.object), current_cohort=self.object.ring_fenced_cohort)
        return self._render(form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        vacancy = self.object = self.get_object()
        if vacancy.status not in EDITABLE:
            return self._not_editable()
        form = VacancyForm(request.POST, current_cohort=vacancy.ring_fenced_cohort)
        if not form.is_valid():
            return self._render(form)
        try:
            vacancy = vacancy_update(vacancy=vacancy, actor=self.actor, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form)
        messages.success(request, f"Your changes to {vacancy.title} are saved.")
        _postcode_warning(request, vacancy, vacancy_postcode_location(vacancy.postcode))
        return redirect("placements:vacancy-detail", public_id=vacancy.public_id)

    def _not_editable(self) -> HttpResponse:
        messages.error(
            self.request,
            f"The status of this vacancy is “{self.object.get_status_display()}”, so it cannot be changed. "
            "Close it and post a new one if the details are wrong.",
        )
        return redirect("placements:vacancy-detail", public_id=self.object.public_id)

    def _render(self, form: VacancyForm) -> HttpResponse:
        return render(self.request, "placements/vacancy_form.html", {"form": form, "vacancy": self.object})


class VacancySubmitView(_VacancyObjectMixin, View):
    """POST: send the vacancy to staff for approval."""

    permission = staticmethod(can_edit_vacancy)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        vacancy = self.get_object()
        try:
            vacancy_submit(vacancy=vacancy, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"{vacancy.title} is sent to the academy for approval. We will email you when they decide."
            )
        return redirect("placements:vacancy-detail", public_id=vacancy.public_id)


class VacancyCloseView(_VacancyObjectMixin, View):
    """GET asks to confirm; POST withdraws or closes the vacancy (it leaves the job board)."""

    permission = staticmethod(can_close_vacancy)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(VacancyCloseForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        vacancy = self.object = self.get_object()
        form = VacancyCloseForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            vacancy_close(vacancy=vacancy, actor=self.actor, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form)
        messages.success(request, f"{vacancy.title} is closed. It is no longer on the job board.")
        return redirect("placements:vacancy-detail", public_id=vacancy.public_id)

    def _render(self, form: VacancyCloseForm) -> HttpResponse:
        context = {"vacancy": self.object, "form": form, "closable": self.object.status in CLOSABLE}
        return render(self.request, "placements/vacancy_close.html", context)


# --- both ---------------------------------------------------------------------------------------


class VacancyDetailView(_VacancyObjectMixin, View):
    """The vacancy as the provider and staff manage it: details, status, staff's reason, history."""

    permission = staticmethod(can_view_vacancy)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        vacancy = self.object = self.get_object()
        is_provider = self.actor.is_provider_user
        is_staff = can_approve_vacancy(self.actor, vacancy)
        context = {
            "vacancy": vacancy,
            "history": list(vacancy.status_changes.all()),
            "cohort_label": cohort_label(vacancy.ring_fenced_cohort) if vacancy.ring_fenced_cohort else "",
            "can_edit": is_provider and vacancy.status in EDITABLE,
            "can_submit": is_provider and vacancy.status in EDITABLE,
            "can_close": can_close_vacancy(self.actor, vacancy) and vacancy.status in CLOSABLE,
            "can_approve": is_staff and vacancy.status == Status.SUBMITTED,
            "audit_entries": audit_entries_for_object(vacancy) if is_staff else [],
            "on_board": vacancy.status in Vacancy.OPEN,
            # Job applications: staff see them all and refer learners; the provider sees its applicants.
            "applications_url_name": (
                "placements:job-application-list" if is_staff else "placements:provider-application-list"
            ),
            "can_refer": is_staff and vacancy.status in Vacancy.OPEN,
        }
        return render(request, "placements/vacancy_detail.html", context)


# --- staff --------------------------------------------------------------------------------------


class StaffVacancyListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Vacancy]):
    """Every provider's vacancies: search and filters."""

    permission = staticmethod(can_approve_vacancy)
    template_name = "placements/vacancy_list.html"
    context_object_name = "vacancies"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Vacancy]:
        self.filter_form = StaffVacancyFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return staff_vacancy_list(
            vacancies_visible_to(self.actor),
            search=filters.get("q", ""),
            status=filters.get("status", ""),
            provider=filters.get("provider", ""),
            kind=filters.get("kind", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class VacancyApprovalQueueView(PermissionRequiredMixin, PaginatedListMixin, ListView[Vacancy]):
    """Vacancies waiting for approval, longest waiting first."""

    permission = staticmethod(can_approve_vacancy)
    template_name = "placements/vacancy_approval_queue.html"
    context_object_name = "vacancies"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Vacancy]:
        return vacancy_approval_queue(vacancies_visible_to(self.actor))


class VacancyApproveView(_VacancyObjectMixin, View):
    """POST: publish the vacancy on the job board."""

    permission = staticmethod(can_approve_vacancy)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        vacancy = self.get_object()
        try:
            vacancy_approve(vacancy=vacancy, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("placements:vacancy-detail", public_id=vacancy.public_id)
        messages.success(
            request, f"{vacancy.title} ({vacancy.provider.name}) is published on the job board. The provider is told."
        )
        return redirect("placements:vacancy-approval-queue")


class VacancyRequestChangesView(_VacancyObjectMixin, View):
    """GET asks what to change; POST sends the vacancy back to the provider with that reason."""

    permission = staticmethod(can_approve_vacancy)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(VacancyRequestChangesForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        vacancy = self.object = self.get_object()
        form = VacancyRequestChangesForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            vacancy_request_changes(vacancy=vacancy, actor=self.actor, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render(form)
        messages.success(request, f"{vacancy.title} is sent back to {vacancy.provider.name} with your changes.")
        return redirect(reverse("placements:vacancy-approval-queue"))

    def _render(self, form: VacancyRequestChangesForm) -> HttpResponse:
        context = {"vacancy": self.object, "form": form, "submitted": self.object.status == Status.SUBMITTED}
        return render(self.request, "placements/vacancy_request_changes.html", context)
