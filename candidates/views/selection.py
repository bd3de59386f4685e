"""Screening and selection events. These screens choose people, so they never show equality data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from candidates.forms.selection import SelectionAddForm, SelectionEventForm, SelectionResultForm
from candidates.models import CandidateQuerySet, SelectionEvent, SelectionResult
from candidates.permissions import can_work_on_candidates, candidates_visible_to, selection_events_visible_to
from candidates.selectors.selection import (
    selection_add_choices,
    selection_event_detail,
    selection_event_list,
    selection_next_stage,
    selection_result_for,
)
from candidates.services.selection import selection_add_candidates, selection_event_create, selection_result_record


def _addable(user: Any) -> CandidateQuerySet:
    """Records that may be added to an event: the current ones the user can see."""
    return candidates_visible_to(user).current()


class SelectionListView(PermissionRequiredMixin, PaginatedListMixin, ListView[SelectionEvent]):
    permission = staticmethod(can_work_on_candidates)
    template_name = "candidates/selection_list.html"
    context_object_name = "events"

    def get_queryset(self) -> QuerySet[SelectionEvent]:
        return selection_event_list(events=selection_events_visible_to(self.actor))


class SelectionCreateView(PermissionRequiredMixin, FormView[SelectionEventForm]):
    permission = staticmethod(can_work_on_candidates)
    template_name = "candidates/selection_form.html"
    form_class = SelectionEventForm

    def form_valid(self, form: SelectionEventForm) -> HttpResponse:
        event = selection_event_create(actor=self.actor, **form.cleaned_data)
        messages.success(self.request, f"{event.title} has been created. Now add the people taking part.")
        return redirect(event)


class SelectionScopedMixin(PermissionRequiredMixin, SingleObjectMixin[SelectionEvent]):
    permission = staticmethod(can_work_on_candidates)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "event"

    def get_queryset(self) -> QuerySet[SelectionEvent]:
        return selection_events_visible_to(self.actor)


class SelectionDetailView(SelectionScopedMixin, DetailView[SelectionEvent]):
    """Results and the outcome split; below them, people to add (screening stage, or a search)."""

    template_name = "candidates/selection_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        search = self.request.GET.get("q", "").strip()
        return super().get_context_data(
            detail=selection_event_detail(self.object),
            search=search,
            choices=selection_add_choices(event=self.object, candidates=_addable(self.actor), search=search),
            **kwargs,
        )


class SelectionAddView(SelectionScopedMixin, View):
    """POST: add the ticked people to the event."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        event = self.get_object()
        form = SelectionAddForm(request.POST, candidates=_addable(self.actor))
        if not form.is_valid():
            messages.error(request, " ".join(str(error) for error in form.errors["candidates"]))
            return redirect(event)
        added = selection_add_candidates(event=event, actor=self.actor, candidates=form.cleaned_data["candidates"])
        count = len(added)
        if count:
            messages.success(request, f"{count} {'person' if count == 1 else 'people'} added to {event.title}.")
        else:
            messages.info(request, "Everyone selected was already taking part.")
        return redirect(reverse("candidates:selection-detail", kwargs={"public_id": event.public_id}) + "#results")


class SelectionResultView(PermissionRequiredMixin, FormView[SelectionResultForm]):
    """One person's results at an event."""

    permission = staticmethod(can_work_on_candidates)
    template_name = "candidates/selection_result_form.html"
    form_class = SelectionResultForm
    result: SelectionResult

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.result = self._get_result()
        return super().dispatch(request, *args, **kwargs)

    def _get_result(self) -> SelectionResult:
        event = get_object_or_404(selection_events_visible_to(self.actor), public_id=self.kwargs["public_id"])
        result = (
            selection_result_for(event=event, candidate_public_id=self.kwargs["candidate_id"])
            .filter(candidate__in=candidates_visible_to(self.actor))
            .first()
        )
        if result is None:
            raise Http404("That person is not taking part in this event.")
        if not self.permission(self.actor, result):
            raise PermissionDenied
        return result

    def get_form_kwargs(self) -> dict[str, Any]:
        candidate = self.result.candidate
        self.next_stage = selection_next_stage(candidate)
        return {**super().get_form_kwargs(), "candidate": candidate, "next_stage": self.next_stage}

    def get_initial(self) -> dict[str, Any]:
        return SelectionResultForm.initial_for(self.result)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            result=self.result, event=self.result.event, candidate=self.result.candidate, **kwargs
        )

    def form_valid(self, form: SelectionResultForm) -> HttpResponse:
        try:
            result = selection_result_record(
                result=self.result,
                actor=self.actor,
                data=form.result_data(),
                move_to_next_stage=form.cleaned_data.get("move_to_next_stage", False),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        name = result.candidate.full_name
        messages.success(self.request, f"Results saved for {name}.")
        if result.outcome == SelectionResult.Outcome.NOT_ACCEPTED and result.feedback_sent_at is None:
            messages.warning(self.request, f"{name} has no email address: give them the feedback by phone or letter.")
        return redirect(
            reverse("candidates:selection-detail", kwargs={"public_id": result.event.public_id}) + "#results"
        )
