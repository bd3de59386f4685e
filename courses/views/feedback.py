"""Learners' own courses: attendance, outcome and certificates, feedback and the before/after questionnaire."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from academy.discovery import app_hooks
from academy.models import User
from academy.permissions import PermissionRequiredMixin
from candidates.forms.records import add_service_errors
from courses.forms.outcomes import FeedbackForm, QuestionnaireForm
from courses.models import Feedback, Questionnaire
from courses.permissions import can_give_feedback
from courses.selectors import outcomes as selectors
from courses.services.feedback import (
    MAX_SCORE_EACH,
    MAX_TOTAL,
    STATEMENTS,
    before_closes_on,
    feedback_problem,
    feedback_submit,
    questionnaire_problem,
    questionnaire_submit,
)
from courses.views.outcomes import EnrolmentScopedMixin


class MyEnrolmentListView(PermissionRequiredMixin, TemplateView):
    """The learner's courses: attendance, outcome, certificates, and links to feedback and questionnaires."""

    permission = staticmethod(can_give_feedback)
    template_name = "courses/enrolment_my_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = selectors.my_enrolment_rows(selectors.my_enrolment_list(self.actor), today=timezone.localdate())
        return super().get_context_data(rows=rows, sections=my_courses_sections(self.actor), **kwargs)


def my_courses_sections(user: User) -> list[tuple[str, dict[str, Any]]]:
    """Sections apps above courses add to the learner's courses page, as (template, context) pairs:
    `<app>/my_courses.py` defines `my_courses_sections(user)` (placements: the learner's work placements)."""
    hooks = cast(
        list[Callable[[User], list[tuple[str, dict[str, Any]]]]], app_hooks("my_courses", "my_courses_sections")
    )
    return [section for hook in hooks for section in hook(user)]


class LearnerEnrolmentMixin(EnrolmentScopedMixin):
    """The learner's own enrolment (anyone else's is a 404); staff may not answer for them (403)."""

    permission = staticmethod(can_give_feedback)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.object.cohort, course=self.object.cohort.course, **kwargs)


class FeedbackCreateView(LearnerEnrolmentMixin, FormView[FeedbackForm]):
    """The learner rates the course 1-5 and comments, once, when it has ended for them."""

    template_name = "courses/feedback_create.html"
    form_class = FeedbackForm

    @cached_property
    def given(self) -> Feedback | None:
        return Feedback.objects.filter(enrolment=self.object).first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        problem = feedback_problem(self.object, given=self.given is not None, today=timezone.localdate())
        return super().get_context_data(problem=problem, given=self.given, **kwargs)

    def form_valid(self, form: FeedbackForm) -> HttpResponse:
        try:
            feedback_submit(
                enrolment=self.object,
                actor=self.actor,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Thank you for your feedback. It helps us improve the course.")
        return redirect("courses:my-enrolments")


class QuestionnaireView(LearnerEnrolmentMixin, FormView[QuestionnaireForm]):
    """The five statements before or after the course, each scored 0-10, once each."""

    template_name = "courses/questionnaire_form.html"
    form_class = QuestionnaireForm

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        if kwargs["when"] not in Questionnaire.When.values:
            raise Http404("There is no such questionnaire.")
        self.when = kwargs["when"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        answered = Questionnaire.objects.filter(enrolment=self.object, when=self.when).first()
        problem = questionnaire_problem(
            self.object, when=self.when, answered=answered is not None, today=timezone.localdate()
        )
        return super().get_context_data(
            when=self.when,
            is_before=self.when == Questionnaire.When.BEFORE,
            answered=answered,
            problem=problem,
            before_closes_on=before_closes_on(self.object),
            max_score_each=MAX_SCORE_EACH,
            max_total=MAX_TOTAL,
            statement_count=len(STATEMENTS),
            **kwargs,
        )

    def form_valid(self, form: QuestionnaireForm) -> HttpResponse:
        try:
            questionnaire_submit(enrolment=self.object, actor=self.actor, when=self.when, answers=form.scores())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Thank you. Your answers have been saved.")
        return redirect("courses:my-enrolments")
