"""Outcomes for staff: how each learner's course ended, certificates, a cohort's outcomes, a course's feedback."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from academy.files import private_file_response
from academy.permissions import PermissionRequiredMixin
from academy.selectors import audit_entries_for_object
from candidates.forms.records import add_service_errors
from courses.forms.outcomes import CertificateForm, OutcomeForm
from courses.models import Certificate, Cohort, Course, Enrolment
from courses.permissions import (
    can_download_certificate,
    can_run_cohorts,
    certificates_visible_to,
    cohorts_visible_to,
    courses_visible_to,
    enrolments_visible_to,
)
from courses.selectors import outcomes as selectors
from courses.selectors.delivery import enrolments_with_attendance
from courses.selectors.payments import cohort_payment_totals
from courses.services.feedback import MAX_TOTAL
from courses.services.outcomes import (
    OUTCOMES,
    certificate_create,
    certificate_delete,
    certificate_record_download,
    completion_too_early,
    enrolment_record_outcome,
)


class CohortMixin(PermissionRequiredMixin):
    """Pages under /manage/cohorts/<uuid>/: the cohort comes from the user's scope (else 404), then the
    permission is checked on it (else 403); anonymous users are sent to sign in first."""

    permission = staticmethod(can_run_cohorts)
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.cohort  # noqa: B018  (looked up first, so out of scope is a 404 before any 403)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def cohort(self) -> Cohort:
        cohorts = cohorts_visible_to(self.actor).select_related("course")
        cohort = get_object_or_404(cohorts, public_id=self.kwargs["public_id"])
        if not self.permission(self.actor, cohort):
            raise PermissionDenied
        return cohort


def cohort_outcomes_url(cohort: Cohort, enrolment: Enrolment | None = None) -> str:
    url = reverse("courses:cohort-outcomes", kwargs={"public_id": cohort.public_id})
    return f"{url}#learner-{enrolment.public_id}" if enrolment else url


# --- staff: the cohort's outcomes and a course's feedback ---


class CohortOutcomesView(CohortMixin, TemplateView):
    """Each learner's outcome and certificates, the completion rate, feedback and questionnaire change."""

    template_name = "courses/cohort_outcomes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cohort = self.cohort
        return super().get_context_data(
            cohort=cohort,
            course=cohort.course,
            enrolments=selectors.cohort_outcome_list(cohort),
            completion=selectors.cohort_completion_summary(cohort),
            pause_lapses_after_days=settings.COURSE_PAUSE_LAPSES_AFTER_DAYS,
            feedback=selectors.cohort_feedback_summary(cohort),
            comments=selectors.cohort_feedback_comments(cohort),
            questionnaires=selectors.cohort_questionnaire_change(cohort),
            payments=cohort_payment_totals(cohort),
            is_care_certificate=cohort.course.kind == Course.Kind.CARE_CERTIFICATE,
            max_total=MAX_TOTAL,
            **kwargs,
        )


class CourseFeedbackView(PermissionRequiredMixin, DetailView[Course]):
    """A course's average rating overall and per cohort."""

    permission = staticmethod(can_run_cohorts)
    template_name = "courses/course_feedback.html"
    context_object_name = "course"
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Course]:
        return courses_visible_to(self.actor)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cohorts = [
            (cohort, selectors.cohort_feedback_average(cohort))
            for cohort in selectors.course_cohort_feedback(self.object)
        ]
        return super().get_context_data(
            summary=selectors.course_feedback_summary(self.object), cohort_rows=cohorts, **kwargs
        )


# --- staff: one learner's outcome and certificates ---


class EnrolmentScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Enrolment]):
    permission = staticmethod(can_run_cohorts)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "enrolment"
    object: Enrolment

    def get_queryset(self) -> QuerySet[Enrolment]:
        return enrolments_visible_to(self.actor).select_related("cohort__course", "candidate")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)  # type: ignore[misc]


class EnrolmentCompleteView(EnrolmentScopedMixin, FormView[OutcomeForm]):
    """Record completed, withdrawn (with a reason) or did not complete, and Care Certificate standards."""

    template_name = "courses/enrolment_complete.html"
    form_class = OutcomeForm

    def get_queryset(self) -> QuerySet[Enrolment]:
        return enrolments_with_attendance(super().get_queryset())

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["care_certificate"] = self.object.cohort.course.kind == Course.Kind.CARE_CERTIFICATE
        cohort = self.object.cohort
        # Before the start nobody can complete (the service says so); after it, completing early is confirmed.
        if self.object.status != Enrolment.Status.COMPLETED and timezone.localdate() >= cohort.start_date:
            kwargs["early"] = completion_too_early(cohort, now=timezone.now())
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        enrolment = self.object
        return {
            "status": enrolment.status if enrolment.status in OUTCOMES else None,
            "reason": enrolment.status_reason if enrolment.status in OUTCOMES else "",
            "care_certificate_standards": enrolment.care_certificate_standards,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        enrolment = self.object
        return super().get_context_data(
            cohort=enrolment.cohort,
            candidate=enrolment.candidate,
            has_outcome=enrolment.status in OUTCOMES,
            back_url=cohort_outcomes_url(enrolment.cohort, enrolment),
            audit_entries=audit_entries_for_object(enrolment),
            **kwargs,
        )

    def form_valid(self, form: OutcomeForm) -> HttpResponse:
        try:
            result = enrolment_record_outcome(
                enrolment=self.object,
                actor=self.actor,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                care_certificate_standards=form.cleaned_data["care_certificate_standards"],
                early_reason=form.cleaned_data["early_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        enrolment = result.enrolment
        name = enrolment.candidate.full_name
        messages.success(self.request, f"Course outcome recorded for {name}: {enrolment.get_status_display()}.")
        if result.moved_to is not None:
            messages.info(self.request, f"{name} has moved to the {result.moved_to.name} stage.")
        if result.move_problem:
            messages.warning(self.request, result.move_problem)
        if result.offered:
            count = len(result.offered)
            messages.info(
                self.request,
                f"The freed place was offered to {count} {'person' if count == 1 else 'people'} on the waiting list.",
            )
        return redirect(cohort_outcomes_url(enrolment.cohort, enrolment))


class CertificateCreateView(EnrolmentScopedMixin, FormView[CertificateForm]):
    template_name = "courses/certificate_create.html"
    form_class = CertificateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["max_mb"] = settings.DOCUMENT_MAX_UPLOAD_MB
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"title": self.object.cohort.course.title}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            cohort=self.object.cohort,
            candidate=self.object.candidate,
            back_url=cohort_outcomes_url(self.object.cohort, self.object),
            **kwargs,
        )

    def form_valid(self, form: CertificateForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            certificate = certificate_create(
                enrolment=self.object,
                actor=self.actor,
                title=data["title"],
                issued_on=data["issued_on"],
                file=data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{certificate.title} has been added for {self.object.candidate.full_name}.")
        return redirect(cohort_outcomes_url(self.object.cohort, self.object))


class CertificateScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Certificate]):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Certificate]:
        return certificates_visible_to(self.actor).select_related("enrolment__cohort__course", "enrolment__candidate")


class CertificateDownloadView(CertificateScopedMixin, View):
    """Sends the certificate's file as an attachment with its checked type; every download is audited."""

    permission = staticmethod(can_download_certificate)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        certificate = self.get_object()
        response = private_file_response(
            certificate.file,
            filename=certificate.original_name or "certificate",
            content_type=certificate.content_type or "application/octet-stream",
        )
        certificate_record_download(certificate=certificate, actor=self.actor)
        return response


class CertificateDeleteView(CertificateScopedMixin, View):
    """GET asks for confirmation; POST deletes a certificate recorded by mistake, and its file."""

    permission = staticmethod(can_run_cohorts)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        certificate = self.get_object()
        enrolment = certificate.enrolment
        return render(
            request,
            "courses/certificate_delete.html",
            {
                "certificate": certificate,
                "enrolment": enrolment,
                "back_url": cohort_outcomes_url(enrolment.cohort, enrolment),
            },
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        certificate = self.get_object()
        enrolment = certificate.enrolment
        certificate_delete(certificate=certificate, actor=self.actor)
        messages.success(
            request, f"{certificate.title} has been deleted from {enrolment.candidate.full_name}'s record."
        )
        return redirect(cohort_outcomes_url(enrolment.cohort, enrolment))
