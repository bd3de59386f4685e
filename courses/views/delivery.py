"""Running a cohort: the staff cohort page, pausing and rejoining, and messaging the whole cohort."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.selectors import audit_entries_for_object
from candidates.forms.records import add_service_errors
from courses.forms.delivery import CohortMessageForm, EnrolmentPauseForm, EnrolmentRejoinForm
from courses.models import Cohort, Enrolment
from courses.permissions import can_run_cohorts, cohorts_visible_to, enrolments_visible_to
from courses.selectors.cohort_page import cohort_page
from courses.selectors.delivery import cohort_message_audience, rejoin_cohort_choices
from courses.services import delivery


class CohortScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Cohort]):
    permission = staticmethod(can_run_cohorts)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[Cohort]:
        return cohorts_visible_to(self.actor).select_related("course__funding_stream", "funding_stream")


class CohortDetailView(CohortScopedMixin, DetailView[Cohort]):
    """The staff cohort page: learners, attendance grid, completion, feedback and support payments."""

    template_name = "courses/cohort_detail.html"
    context_object_name = "cohort"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            page=cohort_page(self.object, today=timezone.localdate()),
            audit_entries=audit_entries_for_object(self.object),
            **kwargs,
        )


class EnrolmentFormMixin(PermissionRequiredMixin, SingleObjectMixin[Enrolment]):
    """A form about one enrolment: looks it up (scope, then permission) before anything else."""

    permission = staticmethod(can_run_cohorts)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    object: Enrolment

    def get_queryset(self) -> QuerySet[Enrolment]:
        return enrolments_visible_to(self.actor).select_related("candidate", "cohort__course")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def back_to_cohort(self) -> HttpResponse:
        return redirect(self.object.cohort.get_absolute_url() + "#learners")


class EnrolmentPauseView(EnrolmentFormMixin, FormView[EnrolmentPauseForm]):
    """GET asks why; POST pauses the enrolment (the seat goes to the waiting list)."""

    template_name = "courses/enrolment_pause.html"
    form_class = EnrolmentPauseForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.object.status != Enrolment.Status.ENROLLED:
            messages.error(
                request,
                f"{self.object.candidate.full_name} cannot be paused: "
                f"their enrolment status is “{self.object.get_status_display()}”.",
            )
            return self.back_to_cohort()
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: EnrolmentPauseForm) -> HttpResponse:
        try:
            delivery.enrolment_pause(enrolment=self.object, actor=self.actor, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.object.candidate.full_name}'s enrolment is paused. "
            "They can rejoin a later cohort of this course from this page.",
        )
        return self.back_to_cohort()


class EnrolmentRejoinView(EnrolmentFormMixin, FormView[EnrolmentRejoinForm]):
    """GET lists later cohorts of the course with seats; POST enrols the paused learner on the one chosen."""

    template_name = "courses/enrolment_rejoin.html"
    form_class = EnrolmentRejoinForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.object.status != Enrolment.Status.PAUSED:
            messages.error(
                request,
                f"Only a paused learner can rejoin a later cohort: the enrolment status of "
                f"{self.object.candidate.full_name} is “{self.object.get_status_display()}”.",
            )
            return self.back_to_cohort()
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["cohorts"] = rejoin_cohort_choices(self.object, today=timezone.localdate())
        return kwargs

    def form_valid(self, form: EnrolmentRejoinForm) -> HttpResponse:
        cohort = form.cleaned_data["cohort"]
        try:
            delivery.enrolment_rejoin(enrolment=self.object, cohort=cohort, actor=self.actor)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.object.candidate.full_name} has rejoined the course on {cohort.name}, "
            f"starting {cohort.start_date:%-d %B %Y}.",
        )
        return redirect(cohort.get_absolute_url() + "#learners")


class CohortMessageView(CohortScopedMixin, FormView[CohortMessageForm]):
    """Write a message, check who will get it, then send: one email per learner, from a worker."""

    template_name = "courses/cohort_message_form.html"
    form_class = CohortMessageForm
    object: Cohort

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.object, **kwargs)

    def form_valid(self, form: CohortMessageForm) -> HttpResponse:
        data = form.cleaned_data
        if self.request.POST.get("edit"):
            return self.form_invalid(form)
        if not self.request.POST.get("confirm"):
            audience = cohort_message_audience(self.object)
            preview = None
            if audience.recipients:
                candidate, address = audience.recipients[0]
                preview = delivery.cohort_message_render(
                    cohort=self.object,
                    first_name=candidate.first_name,
                    address=address,
                    actor=self.actor,
                    subject=data["subject"],
                    body=data["body"],
                )
            context = {"cohort": self.object, "form": form, "audience": audience, "preview": preview}
            return render(self.request, "courses/cohort_message_confirm.html", context)
        try:
            audience = delivery.cohort_message_send(
                cohort=self.object, actor=self.actor, subject=data["subject"], body=data["body"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        sent = len(audience.recipients)
        messages.success(
            self.request, f"Your message “{data['subject']}” is being sent to {sent} learner{pluralize(sent)}."
        )
        left_out = [f"{c.full_name} (no email address)" for c in audience.no_email] + [
            f"{c.full_name} (asked not to be emailed)" for c in audience.opted_out
        ]
        if left_out:
            messages.warning(self.request, f"Not sent to {', '.join(left_out)}: tell them another way.")
        return redirect(self.object.get_absolute_url())
