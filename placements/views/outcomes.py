"""Outcomes, sustained-employment follow-ups and retention: staff pages, the provider's one-click answer,
and the learner's own outcomes."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.selectors import querystring_without_page
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from candidates.models import Candidate
from candidates.permissions import candidates_visible_to
from placements.forms.outcomes import (
    FollowUpLeftForm,
    LearnerSearchForm,
    LeavingForm,
    OutcomeEditForm,
    OutcomeFilterForm,
    OutcomeForm,
    RetentionForm,
    StreamFilterForm,
)
from placements.models import FollowUp, Outcome
from placements.permissions import (
    can_answer_follow_up,
    can_view_own_outcomes,
    can_work_on_outcomes,
    follow_ups_visible_to,
    outcomes_visible_to,
)
from placements.selectors.outcomes import (
    RETENTION_WEEKS,
    follow_up_for_answer,
    follow_ups_due,
    learner_outcomes,
    outcome_detail,
    outcome_follow_ups,
    outcome_list,
    outcome_reminders,
    retention,
    week_bounds,
)
from placements.services.outcomes import (
    EDITABLE,
    follow_up_answer,
    outcome_record,
    outcome_record_leaving,
    outcome_update,
)

LEARNER_MATCHES = 20


class OutcomeListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Outcome]):
    """Every outcome, newest start first, searchable by learner or employer, filtered by kind and stream."""

    permission = staticmethod(can_work_on_outcomes)
    template_name = "placements/outcome_list.html"
    context_object_name = "outcomes"

    def get_queryset(self) -> QuerySet[Outcome]:
        self.filter_form = OutcomeFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return outcome_list(
            outcomes_visible_to(self.actor),
            search=data.get("q", ""),
            kind=data.get("kind", ""),
            stream=data.get("stream"),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class OutcomeCreateView(PermissionRequiredMixin, FormView[OutcomeForm]):
    """Find the learner (by name or email), then record what they went on to."""

    permission = staticmethod(can_work_on_outcomes)
    template_name = "placements/outcome_form.html"
    form_class = OutcomeForm
    candidate: Candidate | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.GET.get("candidate", "")
        if raw and request.user.is_authenticated and can_work_on_outcomes(request.user):
            try:
                public_id = uuid.UUID(raw)
            except ValueError as exc:
                raise Http404("No such learner") from exc
            self.candidate = candidates_visible_to(request.user).current().filter(public_id=public_id).first()
            if self.candidate is None:
                raise Http404("No such learner")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.candidate is None:
            search = LearnerSearchForm(request.GET or None)
            query = search.cleaned_data["q"].strip() if search.is_valid() else ""
            matches: list[Candidate] = []
            if query:
                found = candidates_visible_to(self.actor).current()
                for word in query.split():
                    found = found.filter(
                        Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
                    )
                matches = list(found.order_by("last_name", "first_name", "pk")[:LEARNER_MATCHES])
            return self.render_to_response(
                {"search_form": search, "query": query, "matches": matches, "match_limit": LEARNER_MATCHES}
            )
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.candidate is None:
            raise Http404("Choose the learner first")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(candidate=self.candidate, **kwargs)

    def form_valid(self, form: OutcomeForm) -> HttpResponse:
        if self.candidate is None:
            raise Http404("Choose the learner first")
        data = form.cleaned_data
        try:
            outcome = outcome_record(
                candidate=self.candidate,
                actor=self.actor,
                kind=data["kind"],
                start_date=data["start_date"],
                evidence=data["evidence"],
                provider=data["provider"],
                employer_name=data["employer_name"],
                role=data["role"],
                hours_per_week=data["hours_per_week"],
                contract_type=data["contract_type"],
                levy_status=data["levy_status"],
                co_investment_percent=data["co_investment_percent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        planned = outcome.follow_ups.count()
        note = f" {planned} follow-up{'s' if planned != 1 else ''} planned." if planned else ""
        messages.success(self.request, f"{outcome.get_kind_display()} recorded for {self.candidate.full_name}.{note}")
        return redirect("placements:outcome-detail", public_id=outcome.public_id)


class OutcomeScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Outcome]):
    permission = staticmethod(can_work_on_outcomes)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "outcome"
    object: Outcome

    def get_queryset(self) -> QuerySet[Outcome]:
        return outcome_detail(outcomes_visible_to(self.actor))


class OutcomeDetailView(OutcomeScopedMixin, DetailView[Outcome]):
    """One outcome: what, where, since when, leaving; each stream's follow-ups and the reminders sent."""

    template_name = "placements/outcome_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            follow_ups=outcome_follow_ups(self.object),
            reminders=outcome_reminders(self.object),
            today=timezone.localdate(),
            **kwargs,
        )


class OutcomeEditView(OutcomeScopedMixin, FormView[OutcomeEditForm]):
    """Correct an outcome's employer, role, hours, contract, evidence or apprenticeship terms."""

    template_name = "placements/outcome_edit.html"
    form_class = OutcomeEditForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        outcome = self.object
        return {field: getattr(outcome, field) for field in EDITABLE} | {
            "provider": outcome.provider.public_id if outcome.provider else None
        }

    def form_valid(self, form: OutcomeEditForm) -> HttpResponse:
        try:
            outcome = outcome_update(outcome=self.object, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Outcome updated.")
        return redirect("placements:outcome-detail", public_id=outcome.public_id)


class OutcomeLeaveView(OutcomeScopedMixin, FormView[LeavingForm]):
    """Record that the person left this job (date and reason)."""

    template_name = "placements/outcome_leave.html"
    form_class = LeavingForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: LeavingForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            outcome = outcome_record_leaving(
                outcome=self.object,
                actor=self.actor,
                left_on=data["left_on"],
                reason=data["leaving_reason"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"reason": "leaving_reason"})
            return self.form_invalid(form)
        messages.success(
            self.request, f"Recorded that {outcome.candidate.full_name} left on {outcome.left_on:%-d %B %Y}."
        )
        return redirect("placements:outcome-detail", public_id=outcome.public_id)


class FollowUpsDueView(PermissionRequiredMixin, PaginatedListMixin, ListView[FollowUp]):
    """Follow-ups due this week and overdue, oldest first, by stream; providers see their own starters'."""

    permission = staticmethod(can_answer_follow_up)
    template_name = "placements/follow_up_due_list.html"
    context_object_name = "follow_ups"

    def get_queryset(self) -> QuerySet[FollowUp]:
        self.filter_form = StreamFilterForm(self.request.GET or None)
        stream = self.filter_form.cleaned_data["stream"] if self.filter_form.is_valid() else None
        self.today = timezone.localdate()
        return follow_ups_due(follow_ups_visible_to(self.actor), today=self.today, stream=stream)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        monday, sunday = week_bounds(self.today)
        return super().get_context_data(
            filter_form=self.filter_form, today=self.today, week_start=monday, week_end=sunday, **kwargs
        )


class FollowUpAnswerView(PermissionRequiredMixin, SingleObjectMixin[FollowUp], FormView[FollowUpLeftForm]):
    """The employer (or staff) answers a due follow-up: "still employed" in one click, or "left" with a date."""

    permission = staticmethod(can_answer_follow_up)
    template_name = "placements/follow_up_answer.html"
    form_class = FollowUpLeftForm
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "follow_up"
    object: FollowUp

    def get_queryset(self) -> QuerySet[FollowUp]:
        return follow_up_for_answer(follow_ups_visible_to(self.actor))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if "still_employed" in request.POST:
            return self._answer(still_employed=True, form=self.get_form_class()())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        follow_up = self.object
        return super().get_context_data(
            is_open=follow_up.result in (FollowUp.Result.PENDING, FollowUp.Result.UNKNOWN),
            is_due=follow_up.due_on <= timezone.localdate(),
            **kwargs,
        )

    def form_valid(self, form: FollowUpLeftForm) -> HttpResponse:
        return self._answer(still_employed=False, form=form)

    def _answer(self, *, still_employed: bool, form: FollowUpLeftForm) -> HttpResponse:
        data = form.cleaned_data if not still_employed else {}
        try:
            follow_up = follow_up_answer(
                follow_up=self.object,
                actor=self.actor,
                still_employed=still_employed,
                left_on=data.get("left_on"),
                leaving_reason=data.get("leaving_reason", ""),
            )
        except ValidationError as exc:
            if still_employed:
                messages.error(self.request, " ".join(exc.messages))
                return redirect("placements:follow-up-answer", public_id=self.object.public_id)
            add_service_errors(form, exc, rename={"reason": "leaving_reason"})
            return self.form_invalid(form)
        person = follow_up.outcome.candidate.full_name
        if follow_up.result == FollowUp.Result.STILL_EMPLOYED and still_employed:
            messages.success(self.request, f"Thank you: {person} is recorded as still employed.")
        else:
            messages.success(self.request, f"Thank you: {person}'s leaving is recorded.")
        return redirect("placements:follow-ups-due")


class RetentionView(PermissionRequiredMixin, TemplateView):
    """Of people who started paid work, how many were still in work 4, 13 and 26 weeks later, by group."""

    permission = staticmethod(can_work_on_outcomes)
    template_name = "placements/retention.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = RetentionForm(self.request.GET or None)
        by = (form.cleaned_data["by"] if form.is_valid() else "") or "cohort"
        figures = retention(
            outcomes=outcomes_visible_to(self.actor),
            by=by,
            today=timezone.localdate(),
            page=self.request.GET.get("page", 1),
        )
        return super().get_context_data(
            filter_form=form,
            figures=figures,
            weeks=RETENTION_WEEKS,
            page_obj=figures.page,
            by=by,
            query_string_without_page=querystring_without_page(self.request.GET),
            **kwargs,
        )


class MyOutcomesView(PermissionRequiredMixin, TemplateView):
    """The learner's own outcomes: jobs, training and volunteering the academy recorded for them."""

    permission = staticmethod(can_view_own_outcomes)
    template_name = "placements/outcome_my_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        candidate = candidates_visible_to(self.actor).first()
        return super().get_context_data(outcomes=learner_outcomes(candidate), **kwargs)
