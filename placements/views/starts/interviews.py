"""Interviews: the provider's and staff's lists, arranging, the page with its .ics, changes and outcomes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.selectors import querystring_without_page
from candidates.forms.records import add_service_errors
from placements.forms.starts import InterviewCancelForm, InterviewForm, InterviewOutcomeForm
from placements.ics import REQUEST, interview_calendar
from placements.models import Interview
from placements.permissions import (
    can_list_interviews,
    can_manage_interview,
    can_schedule_interview,
    can_view_interview,
    interviews_visible_to,
)
from placements.selectors.starts import interview_lists, interview_scope
from placements.services.interviews import (
    INTERVIEWABLE,
    interview_cancel,
    interview_record_outcome,
    interview_reschedule,
    interview_schedule,
)
from placements.views.starts.common import ApplicationObjectMixin

Outcome = Interview.Outcome


@method_decorator(never_cache, name="dispatch")
class InterviewListView(PermissionRequiredMixin, TemplateView):
    """This week's interviews first, then later ones (paginated), then past ones still waiting for an outcome."""

    permission = staticmethod(can_list_interviews)
    template_name = "placements/interview_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        lists = interview_lists(interviews=interviews_visible_to(self.actor), now=timezone.now())
        page = Paginator(lists.later, 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            this_week=lists.this_week,
            page_obj=page,
            later=list(page.object_list),
            is_paginated=page.has_other_pages(),
            awaiting_outcome=lists.awaiting_outcome,
            query_string_without_page=querystring_without_page(self.request.GET),
            is_staff=self.actor.is_academy_staff,
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class InterviewCreateView(ApplicationObjectMixin, View):
    """Arrange an interview for one of the provider's applicants (or any, for staff)."""

    permission = staticmethod(can_schedule_interview)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(InterviewForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = InterviewForm(request.POST)
        if form.is_valid():
            try:
                interview = interview_schedule(application=self.object, actor=self.actor, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"The interview is arranged. {self.object.candidate.full_name} and your colleagues have been "
                    "emailed an invitation with a calendar file.",
                )
                return redirect("placements:interview-detail", public_id=interview.public_id)
        return self._render(form)

    def _render(self, form: InterviewForm) -> HttpResponse:
        context = self.base_context(form=form, can_schedule=self.object.status in INTERVIEWABLE)
        return render(self.request, "placements/interview_form.html", context)


class InterviewObjectMixin(PermissionRequiredMixin, SingleObjectMixin[Interview]):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "interview"
    object: Interview

    def get_queryset(self) -> QuerySet[Interview]:
        return interview_scope(interviews_visible_to(self.actor))

    def base_context(self, **kwargs: Any) -> dict[str, Any]:
        interview = self.object
        return {
            "interview": interview,
            "application": interview.application,
            "vacancy": interview.application.vacancy,
            "candidate": interview.application.candidate,
            "starts_at": timezone.localtime(interview.starts_at),
            **kwargs,
        }


@method_decorator(never_cache, name="dispatch")
class InterviewDetailView(InterviewObjectMixin, View):
    permission = staticmethod(can_view_interview)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        can_manage = can_manage_interview(self.actor, self.object)
        pending = self.object.outcome == Outcome.PENDING
        context = self.base_context(
            can_manage=can_manage,
            can_change=can_manage and pending,
            can_record_outcome=can_manage and pending and self.object.starts_at <= timezone.now(),
            is_staff=self.actor.is_academy_staff,
        )
        return render(request, "placements/interview_detail.html", context)


class InterviewCalendarView(InterviewObjectMixin, View):
    """The interview as an .ics file (METHOD:CANCEL once cancelled), for the learner and the provider."""

    permission = staticmethod(can_view_interview)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        interview = self.object = self.get_object()
        body = interview_calendar(interview=interview, method=REQUEST, now=timezone.now())
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="interview.ics"'
        response["Cache-Control"] = "private, no-store"
        return response


@method_decorator(never_cache, name="dispatch")
class InterviewUpdateView(InterviewObjectMixin, View):
    """Reschedule or change where; both sides get the updated invitation."""

    permission = staticmethod(can_manage_interview)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(InterviewForm(initial=InterviewForm.initial_for(self.object)))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = InterviewForm(request.POST)
        form.submit_label = "Send the new invitation"
        if form.is_valid() and self.object.outcome == Outcome.PENDING:
            try:
                interview_reschedule(interview=self.object, actor=self.actor, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The interview has been changed and the new invitation sent.")
                return redirect("placements:interview-detail", public_id=self.object.public_id)
        return self._render(form)

    def _render(self, form: InterviewForm) -> HttpResponse:
        form.submit_label = "Send the new invitation"
        context = self.base_context(form=form, changing=True, can_schedule=self.object.outcome == Outcome.PENDING)
        return render(self.request, "placements/interview_form.html", context)


@method_decorator(never_cache, name="dispatch")
class InterviewCancelView(InterviewObjectMixin, View):
    """GET asks for confirmation; POST cancels and sends the calendar cancellation."""

    permission = staticmethod(can_manage_interview)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(InterviewCancelForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = InterviewCancelForm(request.POST)
        if form.is_valid():
            try:
                interview_cancel(interview=self.object, actor=self.actor, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "The interview has been cancelled. Both sides have been told.")
            return redirect("placements:interview-detail", public_id=self.object.public_id)
        return self._render(form)

    def _render(self, form: InterviewCancelForm) -> HttpResponse:
        return render(self.request, "placements/interview_cancel.html", self.base_context(form=form))


@method_decorator(never_cache, name="dispatch")
class InterviewOutcomeView(InterviewObjectMixin, View):
    permission = staticmethod(can_manage_interview)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(InterviewOutcomeForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = InterviewOutcomeForm(request.POST)
        if form.is_valid():
            try:
                interview_record_outcome(interview=self.object, actor=self.actor, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The outcome has been saved.")
                return redirect("placements:interview-detail", public_id=self.object.public_id)
        return self._render(form)

    def _render(self, form: InterviewOutcomeForm) -> HttpResponse:
        return render(self.request, "placements/interview_outcome.html", self.base_context(form=form))
