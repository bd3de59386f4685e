"""Managers set up courses and their screening questions; staff can read them to plan cohorts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.selectors import audit_entries_for_object
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from courses.forms.catalogue import CourseFilterForm, CourseForm, QuestionForm
from courses.models import Course, ScreeningQuestion
from courses.permissions import can_manage_courses, can_run_cohorts, can_view_course_settings, courses_visible_to
from courses.selectors.catalogue import course_cohorts, course_list, course_questions
from courses.services import catalogue as services


class ObjectFormMixin:
    """A FormView about one object: it is looked up (404, then 403) before the form is built or handled."""

    object: Any

    def get_object(self, queryset: Any = None) -> Any:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)  # type: ignore[misc]


# --- courses -----------------------------------------------------------------------------------


class CourseListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Course]):
    permission = staticmethod(can_view_course_settings)
    template_name = "courses/course_list.html"
    context_object_name = "courses"

    def get_queryset(self) -> QuerySet[Course]:
        self.filter_form = CourseFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return course_list(
            courses=courses_visible_to(self.actor),
            search=data.get("q", "").strip(),
            kind=data.get("kind", ""),
            status=data.get("status", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form,
            is_filtered=bool(self.request.GET.keys() - {"page"}),
            can_create=can_manage_courses(self.actor),
            **kwargs,
        )


class CourseCreateView(PermissionRequiredMixin, FormView[CourseForm]):
    permission = staticmethod(can_manage_courses)
    template_name = "courses/course_form.html"
    form_class = CourseForm

    def get_initial(self) -> dict[str, Any]:
        return CourseForm.initial_for(None)

    def form_valid(self, form: CourseForm) -> HttpResponse:
        try:
            course = services.course_create(actor=self.actor, values=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{course.title} has been added. Now add its screening questions and cohorts.")
        return redirect(course)


class CourseScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Course]):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "course"

    def get_queryset(self) -> QuerySet[Course]:
        return courses_visible_to(self.actor)


class CourseDetailView(CourseScopedMixin, DetailView[Course]):
    permission = staticmethod(can_view_course_settings)
    template_name = "courses/course_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        course = self.object
        can_edit = can_manage_courses(self.actor, course)
        return super().get_context_data(
            questions=course_questions(course),
            cohorts=course_cohorts(course),
            can_edit=can_edit,
            can_plan_cohorts=can_run_cohorts(self.actor) and course.status != Course.Status.ARCHIVED,
            audit_entries=audit_entries_for_object(course),
            **kwargs,
        )


class CourseUpdateView(CourseScopedMixin, ObjectFormMixin, FormView[CourseForm]):
    permission = staticmethod(can_manage_courses)
    template_name = "courses/course_form.html"
    form_class = CourseForm

    def get_initial(self) -> dict[str, Any]:
        return CourseForm.initial_for(self.object)

    def form_valid(self, form: CourseForm) -> HttpResponse:
        try:
            course = services.course_update(course=self.object, actor=self.actor, values=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{course.title} has been updated.")
        return redirect(course)


class CourseDeleteView(CourseScopedMixin, View):
    """GET asks for confirmation (or says why it is not possible); POST deletes."""

    permission = staticmethod(can_manage_courses)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        course = self.get_object()
        return render(
            request,
            "courses/course_delete.html",
            {"course": course, "problem": services.course_delete_problem(course)},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        course = self.get_object()
        try:
            services.course_delete(course=course, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(course)
        messages.success(request, f"{course.title} has been deleted.")
        return redirect("courses:course-list")


# --- screening questions -----------------------------------------------------------------------


class QuestionCreateView(CourseScopedMixin, ObjectFormMixin, FormView[QuestionForm]):
    permission = staticmethod(can_manage_courses)
    template_name = "courses/question_form.html"
    form_class = QuestionForm

    def get_initial(self) -> dict[str, Any]:
        return QuestionForm.initial_for(None)

    def form_valid(self, form: QuestionForm) -> HttpResponse:
        try:
            services.question_create(course=self.object, actor=self.actor, values=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The question has been added.")
        return redirect(self.object.get_absolute_url() + "#questions")


class QuestionScopedMixin(PermissionRequiredMixin, SingleObjectMixin[ScreeningQuestion]):
    permission = staticmethod(can_manage_courses)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "question"

    def get_queryset(self) -> QuerySet[ScreeningQuestion]:
        return ScreeningQuestion.objects.filter(course__in=courses_visible_to(self.actor)).select_related("course")


class QuestionUpdateView(QuestionScopedMixin, ObjectFormMixin, FormView[QuestionForm]):
    template_name = "courses/question_form.html"
    form_class = QuestionForm

    def get_initial(self) -> dict[str, Any]:
        return QuestionForm.initial_for(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(course=self.object.course, **kwargs)

    def form_valid(self, form: QuestionForm) -> HttpResponse:
        try:
            services.question_update(question=self.object, actor=self.actor, values=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The question has been updated.")
        return redirect(self.object.course.get_absolute_url() + "#questions")


class QuestionDeleteView(QuestionScopedMixin, View):
    """GET asks for confirmation (or says why it is not possible); POST removes the question."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        question = self.get_object()
        return render(
            request,
            "courses/question_delete.html",
            {"question": question, "course": question.course, "problem": services.question_delete_problem(question)},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        question = self.get_object()
        try:
            services.question_delete(question=question, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The question has been removed.")
        return redirect(question.course.get_absolute_url() + "#questions")


class QuestionMoveView(QuestionScopedMixin, View):
    """POST `direction=up|down` moves a question one place in the list applicants see."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        question = self.get_object()
        try:
            services.question_move(question=question, actor=self.actor, direction=request.POST.get("direction", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        # Back to the question just moved, so keyboard users can keep moving it.
        return redirect(question.course.get_absolute_url() + f"#question-{question.public_id}")
