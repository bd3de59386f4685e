"""Public pages: the course finder and a course's page (anyone, signed in or not); a cohort's calendar file."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.models import User
from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from courses.forms.finder import FinderFilterForm
from courses.ics import cohort_calendar
from courses.models import Cohort, Course
from courses.permissions import (
    can_apply_to_cohort,
    can_run_cohorts,
    can_view_cohort_calendar,
    can_view_course_settings,
    cohorts_visible_to,
    courses_visible_to,
    is_anyone,
)
from courses.selectors.catalogue import cohort_sessions
from courses.selectors.finder import course_upcoming_cohorts, finder_cohorts, finder_towns, learner_places


class PublicPageMixin:
    """Pages for visitors too: no sign-in, and the scoping functions decide what a visitor sees."""

    permission = staticmethod(is_anyone)
    request: HttpRequest

    @property
    def viewer(self) -> User:
        # Scoping functions and predicates treat an anonymous user as a visitor.
        return cast(User, self.request.user)


class CourseFinderView(PublicPageMixin, PaginatedListMixin, ListView[Cohort]):
    """Upcoming cohorts with places left, filtered by type of course, place and start date."""

    template_name = "courses/course_finder.html"
    context_object_name = "cohorts"
    paginate_by = 10

    def get_queryset(self) -> QuerySet[Cohort]:
        today = timezone.localdate()
        self.filter_form = FinderFilterForm(self.request.GET or None, towns=finder_towns(today=today))
        return finder_cohorts(filters=self.filter_form.filters(), today=today)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form, is_filtered=bool(self.request.GET.keys() - {"page"}), **kwargs
        )


class CoursePublicView(PublicPageMixin, DetailView[Course]):
    """What a course is, who it is for, and its upcoming cohorts with their sessions and an Apply button."""

    template_name = "courses/course_public.html"
    context_object_name = "course"
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Course]:
        return courses_visible_to(self.viewer)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.viewer
        cohorts = course_upcoming_cohorts(
            course=self.object, cohorts=cohorts_visible_to(user), today=timezone.localdate()
        )
        places = learner_places(user=user, cohorts=cohorts)
        return super().get_context_data(
            cohorts=cohorts,
            applied=places.applied,
            enrolled=places.enrolled,
            # Visitors see the button too: applying asks them to sign in or create an account first.
            show_apply=not user.is_authenticated or can_apply_to_cohort(user),
            is_staff_view=can_view_course_settings(user),
            can_plan_cohorts=can_run_cohorts(user),
            **kwargs,
        )


class CohortCalendarView(PermissionRequiredMixin, SingleObjectMixin[Cohort], View):
    """The cohort's sessions as an .ics file, for staff and learners with a place on it."""

    permission = staticmethod(can_view_cohort_calendar)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Cohort]:
        return cohorts_visible_to(self.actor).select_related("course")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cohort = self.get_object()
        body = cohort_calendar(cohort=cohort, sessions=cohort_sessions(cohort), now=timezone.now())
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        filename = slugify(f"{cohort.course.title} {cohort.name}") or "sessions"
        response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
        response["Cache-Control"] = "private, no-store"
        return response
