"""Applying to a cohort, the learner's applications and offers, and staff review of a cohort's applicants.

The staff screens choose people, so they never show equality data.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.selectors import audit_entries_for_object
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from candidates.models import Candidate
from candidates.services.records import candidate_for_learner
from courses.forms.applications import (
    ApplicationDecideForm,
    ApplicationFilterForm,
    ApplicationForm,
    ApplicationQueueFilterForm,
    ApplicationRespondForm,
    question_field_name,
)
from courses.models import Application, Cohort, ScreeningQuestion
from courses.permissions import (
    applications_visible_to,
    can_apply_to_cohort,
    can_respond_to_application,
    can_run_cohorts,
    cohorts_visible_to,
    courses_visible_to,
)
from courses.selectors.application_profile import (
    PROFILE_STEP,
    application_profile_details,
    application_profile_gaps,
)
from courses.selectors.applications import (
    PENDING,
    application_answers,
    application_detail_queryset,
    application_for_cohort,
    application_list_for_cohort,
    application_queue_cohorts,
    application_queue_for_staff,
    cohort_applications_summary,
    my_application_list,
)
from courses.services.applications import (
    DECISIONS,
    application_accept,
    application_decide,
    application_decline_offer,
    application_submit,
    application_withdraw,
    cohort_application_problem,
)

Status = Application.Status


# --- learner: apply -----------------------------------------------------------------------------


DRAFT_SESSION_KEY = "application_draft:{}"


def _with_next(url: str, next_url: str, anchor: str = "") -> str:
    return f"{url}?{urlencode({'next': next_url})}" + (f"#{anchor}" if anchor else "")


class ApplyStepMixin(PermissionRequiredMixin, SingleObjectMixin[Cohort], View):
    """The steps of applying to a cohort: the questions, "Before you apply" and "Check your answers".

    Answers typed on the form are kept in the session (a draft per cohort) until the application
    is sent from the check page, so no step loses them.
    """

    permission = staticmethod(can_apply_to_cohort)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "cohort"
    object: Cohort

    def get_queryset(self) -> QuerySet[Cohort]:
        # Any cohort of a course the learner can see, so a closed, planned or cancelled date says so
        # instead of looking like a broken link.
        return Cohort.objects.filter(course__in=courses_visible_to(self.actor)).select_related("course")

    @cached_property
    def candidate(self) -> Candidate:
        return candidate_for_learner(self.actor)

    @property
    def draft_key(self) -> str:
        return DRAFT_SESSION_KEY.format(self.object.public_id)

    def draft(self) -> dict[str, str] | None:
        return self.request.session.get(self.draft_key)

    def save_draft(self, form: ApplicationForm) -> None:
        self.request.session[self.draft_key] = {name: str(form.cleaned_data.get(name) or "") for name in form.fields}

    def url(self, name: str) -> str:
        return reverse(f"courses:{name}", kwargs={"public_id": self.object.public_id})

    def _form(self, data: Any = None, initial: dict[str, str] | None = None) -> ApplicationForm:
        questions = list(ScreeningQuestion.objects.filter(course_id=self.object.course_id))
        return ApplicationForm(data, questions=questions, initial=initial)

    def _render_form(self, form: ApplicationForm) -> HttpResponse:
        return render(self.request, "courses/application_create.html", {"cohort": self.object, "form": form})

    def _unavailable(self) -> HttpResponse | None:
        """The page explaining why this learner cannot apply here, or None when they can."""
        existing = application_for_cohort(cohort=self.object, user=self.actor)
        problem = "" if existing else cohort_application_problem(cohort=self.object)
        if not existing and not problem:
            return None
        context = {"cohort": self.object, "existing": existing, "problem": problem}
        return render(self.request, "courses/application_unavailable.html", context)

    def _blocked(self) -> HttpResponse | None:
        """Why the learner cannot go on: the date is not open, or their profile misses details."""
        self.object = self.get_object()
        unavailable = self._unavailable()
        if unavailable:
            return unavailable
        if application_profile_gaps(self.candidate):
            return redirect(self.url("application-profile"))
        return None


class ApplicationCreateView(ApplyStepMixin):
    """A learner applies to a cohort: the course's screening questions, or a page saying why they cannot.

    Visitors without an account are sent to sign in, where they can also create one. A learner whose
    profile lacks what an application needs is asked for it first ("Before you apply"). Valid answers
    go to "Check your answers"; nothing is sent from this page.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._blocked() or self._render_form(self._form(initial=self.draft()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        unavailable = self._unavailable()
        if unavailable:
            return unavailable
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render_form(form)
        self.save_draft(form)
        if application_profile_gaps(self.candidate):
            return redirect(self.url("application-profile"))
        return redirect(self.url("application-check"))


class ApplicationProfileView(ApplyStepMixin):
    """ "Before you apply": the profile details an application needs that are missing, each linking to
    the profile step with a way back to the application."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        unavailable = self._unavailable()
        if unavailable:
            return unavailable
        gaps = application_profile_gaps(self.candidate)
        if not gaps:
            return redirect(self.url("application-create"))
        back = self.url("application-create")
        step_url = reverse("candidates:profile-step", kwargs={"step": PROFILE_STEP})
        context = {
            "cohort": self.object,
            "gaps": [(gap, _with_next(step_url, back, gap.anchor)) for gap in gaps],
            "step_url": _with_next(step_url, back),
            "has_draft": bool(self.draft()),
        }
        return render(request, "courses/application_profile.html", context)


class ApplicationCheckView(ApplyStepMixin):
    """ "Check your answers before sending your application": only this page's button sends it."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        blocked = self._blocked()
        if blocked:
            return blocked
        form = self._draft_form()
        if form is None:
            return redirect(self.url("application-create"))
        if not form.is_valid():
            return self._render_form(form)
        return self._render_check(form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        blocked = self._blocked()
        if blocked:
            return blocked
        form = self._draft_form()
        if form is None:
            messages.error(request, "Your answers were not saved. Answer the questions again, then check them.")
            return redirect(self.url("application-create"))
        if not form.is_valid():
            # The course's questions changed since the answers were typed: ask again, keeping them.
            return self._render_form(form)
        try:
            application_submit(cohort=self.object, candidate=self.candidate, actor=self.actor, answers=form.answers())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self._render_check(form)
        request.session.pop(self.draft_key, None)
        messages.success(
            request,
            f"Your application for {self.object.course.title} ({self.object.name}) has been sent. "
            "We have emailed you a copy and will let you know what happens next.",
        )
        return redirect("courses:my-applications")

    def _draft_form(self) -> ApplicationForm | None:
        draft = self.draft()
        return None if draft is None else self._form(draft)

    def _render_check(self, form: ApplicationForm) -> HttpResponse:
        apply_url = self.url("application-create")
        check_url = self.url("application-check")
        step_url = reverse("candidates:profile-step", kwargs={"step": PROFILE_STEP})
        answers = [
            {
                "question": question,
                "answer": form.cleaned_data.get(question_field_name(question), ""),
                "change_url": f"{apply_url}#{form[question_field_name(question)].auto_id}"
                + ("_1" if question.kind == ScreeningQuestion.Kind.CHOICE else ""),
            }
            for question in form.questions
        ]
        details = [
            (detail, _with_next(step_url, check_url, detail.anchor))
            for detail in application_profile_details(self.candidate)
        ]
        context = {
            "cohort": self.object,
            "form": form,
            "answers": answers,
            "details": details,
            "email": self.candidate.email or self.actor.email,
        }
        return render(self.request, "courses/application_check.html", context)


# --- learner: my applications and answering an offer -----------------------------------------


class MyApplicationListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Application]):
    permission = staticmethod(can_apply_to_cohort)
    template_name = "courses/application_my_list.html"
    context_object_name = "applications"
    paginate_by = 20

    def get_queryset(self) -> QuerySet[Application]:
        return my_application_list(self.actor)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(pending_statuses=PENDING, **kwargs)


class ApplicationRespondView(PermissionRequiredMixin, SingleObjectMixin[Application], View):
    """GET asks; POST accepts or declines an offered place, or withdraws an application without an offer."""

    permission = staticmethod(can_respond_to_application)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    object: Application

    def get_queryset(self) -> QuerySet[Application]:
        return application_detail_queryset(applications_visible_to(self.actor))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self._render(ApplicationRespondForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.object = self.get_object()
        course = application.cohort.course.title
        if request.POST.get("response") == "withdraw":
            try:
                application_withdraw(application=application, actor=self.actor)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request, f"Your application for {course} ({application.cohort.name}) has been withdrawn."
                )
            return redirect("courses:my-applications")
        form = ApplicationRespondForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            if form.cleaned_data["response"] == "accept":
                application_accept(application=application, actor=self.actor)
                done = (
                    f"You have accepted your place on {course} ({application.cohort.name}). "
                    "We look forward to seeing you."
                )
            else:
                application_decline_offer(application=application, actor=self.actor)
                done = f"You have declined your place on {course} ({application.cohort.name})."
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
        return redirect("courses:my-applications")

    def _render(self, form: ApplicationRespondForm) -> HttpResponse:
        context = {"application": self.object, "form": form, "pending_statuses": PENDING}
        return render(self.request, "courses/application_respond.html", context)


# --- staff: review a cohort's applications ------------------------------------------------------


class ApplicationListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Application]):
    """A cohort's applicants with counts per status and the seats left; filter by status."""

    permission = staticmethod(can_run_cohorts)
    template_name = "courses/application_list.html"
    context_object_name = "applications"
    cohort: Cohort

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cohorts = cohorts_visible_to(self.actor).select_related("course")
        self.cohort = get_object_or_404(cohorts, public_id=kwargs["public_id"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Application]:
        self.filter_form = ApplicationFilterForm(self.request.GET or None)
        status = self.filter_form.cleaned_data["status"] if self.filter_form.is_valid() else ""
        return application_list_for_cohort(
            applications=applications_visible_to(self.actor), cohort=self.cohort, status=status
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        summary = cohort_applications_summary(self.cohort)
        status = self.filter_form.cleaned_data["status"] if self.filter_form.is_valid() else ""
        status_counts = [(value, label, summary.counts[value]) for value, label in Status.choices]
        return super().get_context_data(
            cohort=self.cohort,
            summary=summary,
            status_counts=status_counts,
            filter_form=self.filter_form,
            status=status,
            status_label=Status(status).label if status else "",
            **kwargs,
        )


class ApplicationQueueView(PermissionRequiredMixin, PaginatedListMixin, ListView[Application]):
    """New applications on every cohort waiting for a decision, oldest first; filter by course, cohort or status."""

    permission = staticmethod(can_run_cohorts)
    template_name = "courses/application_queue.html"
    context_object_name = "applications"

    def get_queryset(self) -> QuerySet[Application]:
        scope = applications_visible_to(self.actor)
        self.filter_form = ApplicationQueueFilterForm(
            self.request.GET or None, cohorts=application_queue_cohorts(scope)
        )
        self.filter_form.is_valid()
        return application_queue_for_staff(applications=scope, **self.filter_form.filters())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class ApplicationScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Application]):
    permission = staticmethod(can_run_cohorts)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "application"

    def get_queryset(self) -> QuerySet[Application]:
        return application_detail_queryset(applications_visible_to(self.actor))


def _detail_context(application: Application, form: ApplicationDecideForm | None) -> dict[str, Any]:
    return {
        "application": application,
        "cohort": application.cohort,
        "candidate": application.candidate,
        "answers": application_answers(application),
        "decide_form": form,
        "audit_entries": audit_entries_for_object(application),
        "enrolment": getattr(application, "enrolment", None),
    }


def _decide_form(application: Application, data: Any = None) -> ApplicationDecideForm | None:
    decisions = DECISIONS.get(application.status, ())
    if not decisions:
        return None
    return ApplicationDecideForm(data, status=application.status, decisions=decisions)


class ApplicationDetailView(ApplicationScopedMixin, DetailView[Application]):
    """One applicant's answers, the history of decisions and the decision form."""

    template_name = "courses/application_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_detail_context(self.object, _decide_form(self.object)))
        return context


class ApplicationDecideView(ApplicationScopedMixin, View):
    """POST: shortlist, offer a place, waiting list or decline; errors are shown on the application page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = self.get_object()
        form = _decide_form(application, request.POST)
        if form is None:
            messages.error(
                request,
                f"The status of this application is “{application.get_status_display()}”: there is nothing to decide.",
            )
            return redirect("courses:application-detail", public_id=application.public_id)
        if form.is_valid():
            try:
                decided = application_decide(
                    application=application,
                    actor=self.actor,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _decided_message(decided))
                return redirect("courses:application-detail", public_id=application.public_id)
        context = _detail_context(application, form)
        return render(request, "courses/application_detail.html", context)


def _decided_message(application: Application) -> str:
    name = application.candidate.full_name
    return {
        Status.SHORTLISTED: f"{name} has been shortlisted.",
        Status.OFFERED: f"{name} has been offered a place. We have emailed them to accept or decline it.",
        Status.WAITING_LIST: f"{name} is on the waiting list.",
        Status.DECLINED: f"{name}'s application has been declined. We have emailed them the reason.",
    }.get(Status(application.status), "The decision has been saved.")
