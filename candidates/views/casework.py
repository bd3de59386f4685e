"""Casework views: contact log and follow-ups, "my caseload", and the skills action plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from candidates.forms.casework import ActionItemForm, ActionReviewForm, ContactForm
from candidates.forms.records import add_service_errors
from candidates.models import ActionPlanItem, ActionPlanReview, Candidate, ContactLog
from candidates.permissions import action_items_visible_to, can_work_on_candidates, contacts_visible_to
from candidates.selectors.casework import action_plan_for, caseload_for, end_of_week, follow_ups_due_for
from candidates.services import casework
from candidates.views.records import CandidateFormMixin


def _redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the button was on (a `next` field on our own site), else to `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


class ContactCreateView(CandidateFormMixin, FormView[ContactForm]):
    template_name = "candidates/contact_form.html"
    form_class = ContactForm

    def get_initial(self) -> dict[str, Any]:
        return {"occurred_on": timezone.localdate()}

    def form_valid(self, form: ContactForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            casework.contact_log_create(
                candidate=self.object,
                actor=self.actor,
                kind=data["kind"],
                summary=data["summary"],
                occurred_at=form.occurred_at(),
                follow_up_on=data["follow_up_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"occurred_at": "occurred_on"})
            return self.form_invalid(form)
        messages.success(self.request, f"The contact with {self.object.full_name} has been logged.")
        return redirect(self.object.get_absolute_url() + "#contacts")


class ContactCompleteView(PermissionRequiredMixin, SingleObjectMixin[ContactLog], View):
    """POST: the follow-up of a contact is done."""

    http_method_names = ["post"]
    permission = staticmethod(can_work_on_candidates)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[ContactLog]:
        return contacts_visible_to(self.actor).select_related("candidate")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        contact = self.get_object()
        try:
            casework.contact_follow_up_done(contact=contact, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The follow-up for {contact.candidate.full_name} is marked as done.")
        return _redirect_back(request, contact.candidate.get_absolute_url() + "#contacts")


class CaseloadView(PermissionRequiredMixin, PaginatedListMixin, ListView[Candidate]):
    """The signed-in member of staff's own records, soonest follow-up first, and what is due this week."""

    permission = staticmethod(can_work_on_candidates)
    template_name = "candidates/caseload.html"
    context_object_name = "candidates"

    def get_queryset(self) -> QuerySet[Candidate]:
        self.today = timezone.localdate()
        return caseload_for(user=self.actor, today=self.today)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        follow_ups = list(follow_ups_due_for(user=self.actor, today=self.today))
        return super().get_context_data(
            today=self.today,
            week_end=end_of_week(self.today),
            overdue=[f for f in follow_ups if f.is_overdue],  # type: ignore[attr-defined]
            due_this_week=[f for f in follow_ups if not f.is_overdue],  # type: ignore[attr-defined]
            **kwargs,
        )


class ActionPlanView(CandidateFormMixin, FormView[ActionItemForm]):
    """The skills action plan; the form on the page adds a goal and action."""

    template_name = "candidates/actionplan.html"
    form_class = ActionItemForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = timezone.localdate()
        return super().get_context_data(plan=action_plan_for(candidate=self.object, today=today), **kwargs)

    def form_valid(self, form: ActionItemForm) -> HttpResponse:
        casework.action_item_create(candidate=self.object, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, "The action has been added to the plan.")
        return redirect("candidates:action-plan", public_id=self.object.public_id)


class ActionItemCompleteView(PermissionRequiredMixin, SingleObjectMixin[ActionPlanItem], View):
    """POST: an action of the plan is done."""

    http_method_names = ["post"]
    permission = staticmethod(can_work_on_candidates)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[ActionPlanItem]:
        return action_items_visible_to(self.actor).select_related("candidate")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        item = self.get_object()
        casework.action_item_complete(item=item, actor=self.actor)
        messages.success(request, f"“{item.action}” is marked as done.")
        return redirect("candidates:action-plan", public_id=item.candidate.public_id)


class ActionReviewCreateView(CandidateFormMixin, FormView[ActionReviewForm]):
    """Plan a review, or record one; `?review=<id>` records a planned review instead of adding one."""

    template_name = "candidates/actionplan_review_form.html"
    form_class = ActionReviewForm

    @cached_property
    def review(self) -> ActionPlanReview | None:
        """The planned review being recorded (from `?review=`), or None when adding a new one."""
        review_id = self.request.GET.get("review", "")
        if not review_id:
            return None
        try:
            return self.object.action_reviews.get(public_id=review_id, reviewed_at__isnull=True)
        except (ActionPlanReview.DoesNotExist, ValidationError) as exc:
            raise Http404("No planned review with that id.") from exc

    def get_initial(self) -> dict[str, Any]:
        if self.review is None:
            return {}
        return {"held": "yes", "review_on": self.review.review_on, "notes": self.review.notes}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(review=self.review, **kwargs)

    def form_valid(self, form: ActionReviewForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            review = casework.action_review_save(
                candidate=self.object,
                actor=self.actor,
                review_on=data["review_on"],
                notes=data["notes"],
                held=data["held"],
                review=self.review,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        if review.reviewed_at:
            messages.success(self.request, "The review has been recorded.")
        else:
            messages.success(self.request, f"A review is planned for {date_format(review.review_on, 'j F Y')}.")
        return redirect("candidates:action-plan", public_id=self.object.public_id)
