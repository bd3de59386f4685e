"""Work placements: the lists (staff, provider, by cohort), arranging one, and each move on it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from candidates.models import Candidate
from courses.models import Cohort
from courses.permissions import cohorts_visible_to
from placements.forms.work import (
    WorkPlacementEndEarlyForm,
    WorkPlacementFilterForm,
    WorkPlacementForm,
    WorkPlacementHoursForm,
    WorkPlacementSignOffForm,
)
from placements.models import WorkPlacement
from placements.permissions import (
    can_list_work_placements,
    can_move_work_placement,
    can_run_placements,
    can_sign_off_work_placement,
    can_view_work_placement,
    is_provider_user,
    work_placements_visible_to,
)
from placements.selectors.work import cohort_work_placements, work_placement_history, work_placement_list
from placements.services import work as services
from providers.permissions import providers_visible_to

Status = WorkPlacement.Status


class WorkPlacementListView(PermissionRequiredMixin, PaginatedListMixin, ListView[WorkPlacement]):
    """Staff: every placement. A provider user: their provider's. Filter by status, search by name."""

    permission = staticmethod(can_list_work_placements)
    template_name = "placements/workplacement_list.html"
    context_object_name = "placements"

    def get_queryset(self) -> QuerySet[WorkPlacement]:
        self.filter_form = WorkPlacementFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return work_placement_list(
            scope=work_placements_visible_to(self.actor), status=data.get("status", ""), search=data.get("q", "")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form, show_provider=not is_provider_user(self.actor), **kwargs
        )


class CohortPlacementMixin(PermissionRequiredMixin):
    """Pages under a cohort: the cohort from the user's scope (else 404), then the permission (else 403)."""

    permission = staticmethod(can_run_placements)
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.cohort  # noqa: B018  (looked up first, so out of scope is a 404 before any 403)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def cohort(self) -> Cohort:
        cohort = get_object_or_404(
            cohorts_visible_to(self.actor).select_related("course"), public_id=self.kwargs["public_id"]
        )
        if not self.permission(self.actor, cohort):
            raise PermissionDenied
        return cohort


class CohortPlacementsView(CohortPlacementMixin, ListView[WorkPlacement]):
    """The cohort's placements, by learner (a cohort has a few dozen learners at most: not paginated)."""

    template_name = "placements/cohort_placements.html"
    context_object_name = "placements"

    def get_queryset(self) -> QuerySet[WorkPlacement]:
        return cohort_work_placements(self.cohort)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, **kwargs)


class WorkPlacementCreateView(CohortPlacementMixin, FormView[WorkPlacementForm]):
    """Staff arrange a placement for one of the cohort's learners with a provider."""

    template_name = "placements/workplacement_form.html"
    form_class = WorkPlacementForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["learners"] = Candidate.objects.filter(enrolments__cohort=self.cohort).order_by(
            "last_name", "first_name", "pk"
        )
        kwargs["providers"] = providers_visible_to(self.actor).order_by("name", "pk")
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"start_date": max(self.cohort.start_date, self.cohort.end_date)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, **kwargs)

    def form_valid(self, form: WorkPlacementForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            placement = services.work_placement_create(actor=self.actor, cohort=self.cohort, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Placement arranged for {placement.candidate.full_name}.")
        return redirect("placements:work-placement-detail", public_id=placement.public_id)


class PlacementScopedMixin(PermissionRequiredMixin, SingleObjectMixin[WorkPlacement]):
    """One placement from the user's scope (404 outside it), then the view's permission (403)."""

    permission = staticmethod(can_view_work_placement)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "placement"
    object: WorkPlacement

    def get_queryset(self) -> QuerySet[WorkPlacement]:
        return work_placements_visible_to(self.actor).select_related("candidate", "provider", "cohort__course")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def back(self) -> HttpResponse:
        return redirect("placements:work-placement-detail", public_id=self.object.public_id)


class WorkPlacementDetailView(PlacementScopedMixin, DetailView[WorkPlacement]):
    template_name = "placements/workplacement_detail.html"

    def get_object(self, queryset: QuerySet[WorkPlacement] | None = None) -> WorkPlacement:
        return getattr(self, "object", None) or super().get_object(queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        placement = self.object
        can_move = can_move_work_placement(self.actor, placement)
        return super().get_context_data(
            history=work_placement_history(placement),
            can_start=can_move and placement.status == Status.PLANNED,
            can_complete=can_move and placement.status == Status.IN_PROGRESS,
            can_end_early=can_move and placement.status in services.LIVE,
            can_record_hours=can_move and placement.status in (Status.IN_PROGRESS, Status.COMPLETED),
            can_sign_off=can_sign_off_work_placement(self.actor, placement) and placement.status == Status.COMPLETED,
            is_staff_view=can_run_placements(self.actor),
            can_list=can_list_work_placements(self.actor),
            max_hours=services.placement_max_worked_hours(placement),
            **kwargs,
        )


class _PlacementActionView(PlacementScopedMixin, View):
    """POST only: one move on the placement; its refusal comes back as a message on the placement page."""

    permission = staticmethod(can_move_work_placement)
    http_method_names = ["post"]
    done: str

    def act(self) -> WorkPlacement:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.act()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, self.done)
        return self.back()


class WorkPlacementStartView(_PlacementActionView):
    done = "The placement is now in progress."

    def act(self) -> WorkPlacement:
        return services.work_placement_start(placement=self.object, actor=self.actor)


class WorkPlacementCompleteView(_PlacementActionView):
    done = "The placement is completed. The provider can now sign it off."

    def act(self) -> WorkPlacement:
        return services.work_placement_complete(placement=self.object, actor=self.actor)


class _PlacementFormView(PlacementScopedMixin, FormView[Any]):
    """A form about the placement; a service refusal re-shows the form with what was typed."""

    allowed: tuple[str, ...]
    done: str
    service: Callable[..., WorkPlacement]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.object.status not in self.allowed:
            messages.error(
                request,
                f"The status of this placement is “{self.object.get_status_display()}”: there is nothing to do here.",
            )
            return self.back()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(placement=self.object, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.service(placement=self.object, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return self.back()


class WorkPlacementUpdateView(_PlacementFormView):
    """Staff change a planned or in-progress placement's provider, dates, hours or supervisor."""

    permission = staticmethod(can_run_placements)
    template_name = "placements/workplacement_form.html"
    form_class = WorkPlacementForm
    allowed = services.LIVE
    done = "Placement changed."
    service = staticmethod(services.work_placement_update)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(
            learners=Candidate.objects.filter(pk=self.object.candidate_id),
            providers=providers_visible_to(self.actor).order_by("name", "pk"),
            editing=True,
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        fields = ("provider", "start_date", "end_date", "planned_hours", "supervisor_name", "supervisor_phone")
        return {name: getattr(self.object, name) for name in fields}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.object.cohort, **kwargs)


class WorkPlacementHoursView(_PlacementFormView):
    permission = staticmethod(can_move_work_placement)
    template_name = "placements/workplacement_hours.html"
    form_class = WorkPlacementHoursForm
    allowed = (Status.IN_PROGRESS, Status.COMPLETED)
    done = "Hours worked saved."
    service = staticmethod(services.work_placement_record_hours)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(placement=self.object, most=services.placement_max_worked_hours(self.object))
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"worked_hours": self.object.worked_hours}


class WorkPlacementEndEarlyView(_PlacementFormView):
    permission = staticmethod(can_move_work_placement)
    template_name = "placements/workplacement_end_early.html"
    form_class = WorkPlacementEndEarlyForm
    allowed = services.LIVE
    done = "The placement is recorded as ended early."
    service = staticmethod(services.work_placement_end_early)


class WorkPlacementSignOffView(_PlacementFormView):
    permission = staticmethod(can_sign_off_work_placement)
    template_name = "placements/workplacement_sign_off.html"
    form_class = WorkPlacementSignOffForm
    allowed = (Status.COMPLETED,)
    done = "The placement is signed off. Thank you."
    service = staticmethod(services.work_placement_sign_off)


def cohort_placements_url(cohort: Cohort) -> str:
    return reverse("placements:cohort-placements", kwargs={"public_id": cohort.public_id})
