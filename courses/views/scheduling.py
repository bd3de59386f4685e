"""Staff plan cohorts of a course and their sessions (the cohort's own page belongs to the delivery area)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from courses.forms.scheduling import CohortFilterForm, CohortForm, SessionForm
from courses.models import Cohort, Session
from courses.permissions import can_run_cohorts, cohorts_visible_to
from courses.selectors.catalogue import (
    CohortFilters,
    Show,
    cohort_last_session,
    cohort_list,
    cohort_sessions,
    course_choices,
    with_seats,
)
from courses.services import scheduling as services
from courses.views.catalogue import ObjectFormMixin


def sessions_url(cohort: Cohort) -> str:
    return reverse("courses:session-list", kwargs={"public_id": cohort.public_id})


# --- cohorts -----------------------------------------------------------------------------------


class CohortListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Cohort]):
    permission = staticmethod(can_run_cohorts)
    template_name = "courses/cohort_list.html"
    context_object_name = "cohorts"

    def get_queryset(self) -> QuerySet[Cohort]:
        self.filter_form = CohortFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        filters = CohortFilters(
            course=data.get("course", ""),
            status=data.get("status", ""),
            town=data.get("town", "").strip(),
            starts_from=data.get("starts_from"),
            starts_to=data.get("starts_to"),
            show=data.get("show") or Show.CURRENT,
        )
        return cohort_list(cohorts=cohorts_visible_to(self.actor), filters=filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form,
            is_filtered=bool(self.request.GET.keys() - {"page"}),
            can_create=can_run_cohorts(self.actor),
            **kwargs,
        )


class CohortCreateView(PermissionRequiredMixin, FormView[CohortForm]):
    """Plan a cohort; `?course=<public_id>` chooses the course (from its page's "Add a cohort" link)."""

    permission = staticmethod(can_run_cohorts)
    template_name = "courses/cohort_form.html"
    form_class = CohortForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "courses": course_choices()}

    def get_initial(self) -> dict[str, Any]:
        course = None
        wanted = self.request.GET.get("course", "")
        if wanted:
            course = course_choices().filter(public_id__in=[wanted] if _is_uuid(wanted) else []).first()
        return CohortForm.initial_for(None, course)

    def form_valid(self, form: CohortForm) -> HttpResponse:
        try:
            cohort = services.cohort_create(actor=self.actor, values=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{cohort.name} has been added. Now add its sessions.")
        return redirect(sessions_url(cohort))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class CohortScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Cohort]):
    permission = staticmethod(can_run_cohorts)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "cohort"

    def get_queryset(self) -> QuerySet[Cohort]:
        return cohorts_visible_to(self.actor).select_related("course")


class CohortUpdateView(CohortScopedMixin, ObjectFormMixin, FormView[CohortForm]):
    template_name = "courses/cohort_form.html"
    form_class = CohortForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "courses": course_choices(include=self.object.course)}

    def get_initial(self) -> dict[str, Any]:
        return CohortForm.initial_for(self.object)

    def form_valid(self, form: CohortForm) -> HttpResponse:
        try:
            cohort = services.cohort_update(cohort=self.object, actor=self.actor, values=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{cohort.name} has been updated.")
        return redirect(cohort)


class CohortDeleteView(CohortScopedMixin, View):
    """GET asks for confirmation (or says why it is not possible); POST deletes the cohort and its sessions."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cohort = self.get_object()
        context = {
            "cohort": cohort,
            "session_count": cohort.sessions.count(),
            "problem": services.cohort_delete_problem(cohort),
        }
        return render(request, "courses/cohort_delete.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cohort = self.get_object()
        try:
            services.cohort_delete(cohort=cohort, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(cohort)
        messages.success(request, f"{cohort.name} has been deleted.")
        return redirect("courses:cohort-list")


# --- sessions ----------------------------------------------------------------------------------


class SessionListView(CohortScopedMixin, DetailView[Cohort]):
    """A cohort's sessions with links to change them; not paginated (a cohort has tens of sessions at most)."""

    template_name = "courses/session_list.html"

    def get_queryset(self) -> QuerySet[Cohort]:
        return with_seats(super().get_queryset())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(sessions=list(cohort_sessions(self.object)), **kwargs)


class SessionCreateView(CohortScopedMixin, ObjectFormMixin, FormView[SessionForm]):
    template_name = "courses/session_form.html"
    form_class = SessionForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.object, "creating": True}

    def get_initial(self) -> dict[str, Any]:
        return SessionForm.initial_for_new(self.object, cohort_last_session(self.object))

    def form_valid(self, form: SessionForm) -> HttpResponse:
        try:
            sessions = services.session_create(
                cohort=self.object, actor=self.actor, values=form.session_values(), repeat_weekdays=form.repeat_days()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        added = "1 session has" if len(sessions) == 1 else f"{len(sessions)} sessions have"
        messages.success(self.request, f"{added} been added to {self.object.name}.")
        return redirect(sessions_url(self.object))


class SessionScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Session]):
    permission = staticmethod(can_run_cohorts)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "session"

    def get_queryset(self) -> QuerySet[Session]:
        return Session.objects.filter(cohort__in=cohorts_visible_to(self.actor)).select_related("cohort__course")


class SessionUpdateView(SessionScopedMixin, ObjectFormMixin, FormView[SessionForm]):
    template_name = "courses/session_form.html"
    form_class = SessionForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cohort": self.object.cohort, "creating": False}

    def get_initial(self) -> dict[str, Any]:
        return SessionForm.initial_for(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.object.cohort, **kwargs)

    def form_valid(self, form: SessionForm) -> HttpResponse:
        try:
            services.session_update(session=self.object, actor=self.actor, values=form.session_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"The session on {self.object.date:%-d %B %Y} has been updated.")
        return redirect(sessions_url(self.object.cohort))


class SessionDeleteView(SessionScopedMixin, View):
    """GET asks for confirmation (or says why it is not possible); POST deletes the session."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.get_object()
        context = {"session": session, "cohort": session.cohort, "problem": services.session_delete_problem(session)}
        return render(request, "courses/session_delete.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.get_object()
        try:
            services.session_delete(session=session, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The session on {session.date:%-d %B %Y} has been deleted.")
        return redirect(sessions_url(session.cohort))
