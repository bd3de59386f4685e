"""Providers' readiness feedback: what is due, answering once, and the results for staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from placements.forms.work import ReadinessFeedbackForm
from placements.models import ReadinessFeedback
from placements.permissions import (
    can_answer_readiness_feedback,
    can_list_feedback_due,
    can_view_readiness_results,
    is_provider_user,
    readiness_feedback_visible_to,
)
from placements.selectors.feedback import feedback_due_list, readiness_comments, readiness_results
from placements.services.feedback import feedback_about, feedback_learner_name, readiness_feedback_answer


class FeedbackDueListView(PermissionRequiredMixin, PaginatedListMixin, ListView[ReadinessFeedback]):
    """Unanswered readiness feedback: a provider's own; staff see every provider's."""

    permission = staticmethod(can_list_feedback_due)
    template_name = "placements/feedback_due_list.html"
    context_object_name = "due"

    def get_queryset(self) -> QuerySet[ReadinessFeedback]:
        return feedback_due_list(readiness_feedback_visible_to(self.actor))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            can_answer=can_answer_readiness_feedback(self.actor),
            show_provider=not is_provider_user(self.actor),
            **kwargs,
        )


class FeedbackAnswerView(
    PermissionRequiredMixin, SingleObjectMixin[ReadinessFeedback], FormView[ReadinessFeedbackForm]
):
    """The provider rates the learner's readiness 1-5 and comments, once."""

    permission = staticmethod(can_answer_readiness_feedback)
    template_name = "placements/feedback_answer.html"
    form_class = ReadinessFeedbackForm
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "feedback"
    object: ReadinessFeedback

    def get_queryset(self) -> QuerySet[ReadinessFeedback]:
        return readiness_feedback_visible_to(self.actor).select_related(
            "provider", "placement__candidate", "job_start__candidate", "answered_by"
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["learner"] = feedback_learner_name(self.object)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            learner=feedback_learner_name(self.object), about=feedback_about(self.object), **kwargs
        )

    def form_valid(self, form: ReadinessFeedbackForm) -> HttpResponse:
        try:
            readiness_feedback_answer(feedback=self.object, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
                return self.form_invalid(form)
            messages.error(self.request, " ".join(exc.messages))
            return redirect("placements:feedback-answer", public_id=self.object.public_id)
        messages.success(self.request, f"Thank you: your feedback on {feedback_learner_name(self.object)} is sent.")
        return redirect("placements:feedback-due-list")


class ReadinessResultsView(PermissionRequiredMixin, TemplateView):
    """Providers' readiness ratings per course and per cohort, with response rates and distributions."""

    permission = staticmethod(can_view_readiness_results)
    template_name = "placements/readiness_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(results=readiness_results(), comments=readiness_comments(), **kwargs)
