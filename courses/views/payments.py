"""Learner support payments for a cohort, and its attendance bursaries."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.selectors import audit_entries_for_object
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from candidates.models import Candidate
from candidates.permissions import candidates_visible_to
from courses.forms.payments import (
    BursaryConfirmForm,
    PaymentDecideForm,
    PaymentFilterForm,
    PaymentRequestForm,
    StreamPaymentRequestForm,
)
from courses.models import Enrolment, SupportPayment
from courses.permissions import can_approve_payments, can_run_cohorts, payments_visible_to
from courses.selectors.payments import (
    bursary_held_back,
    cohort_bursary_rows,
    cohort_payment_list,
    cohort_payment_totals,
    cohort_stream,
    over_budget_message,
    payment_for_action,
    payment_totals,
    payments_awaiting_approval,
    stream_budget,
    streams_for_support,
)
from courses.services.payments import (
    OverBudget,
    cohort_record_bursaries,
    payment_decide,
    payment_mark_paid,
    payment_request,
    payment_request_on_stream,
)
from courses.views.outcomes import CohortMixin

Status = SupportPayment.Status


# ?from=approvals on the decide page: the manager came from the approvals queue and goes back to it.
FROM_APPROVALS = "approvals"


def payment_list_url(payment: SupportPayment) -> str:
    if payment.cohort is None:  # support outside a cohort is listed on the person's record
        return record_payments_url(payment.candidate)
    return reverse("courses:payment-list", kwargs={"public_id": payment.cohort.public_id})


def record_payments_url(candidate: Candidate) -> str:
    return reverse("candidates:candidate-detail", kwargs={"public_id": candidate.public_id}) + "#support-payments"


class PaymentListView(CohortMixin, PaginatedListMixin, ListView[SupportPayment]):
    """The cohort's support payments with totals by status (Decimal), filtered by status."""

    template_name = "courses/payment_list.html"
    context_object_name = "payments"

    def get_queryset(self) -> QuerySet[SupportPayment]:
        self.filter_form = PaymentFilterForm(self.request.GET or None)
        status = self.filter_form.cleaned_data["status"] if self.filter_form.is_valid() else ""
        return cohort_payment_list(cohort=self.cohort, status=status)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            cohort=self.cohort,
            totals=cohort_payment_totals(self.cohort),
            filter_form=self.filter_form,
            can_request=can_run_cohorts(self.actor, self.cohort),
            can_decide=can_approve_payments(self.actor),
            can_pay=can_run_cohorts(self.actor),
            **kwargs,
        )


class PaymentCreateView(CohortMixin, FormView[PaymentRequestForm]):
    """Ask for a support payment in two steps: fill in the form, then check and confirm it."""

    template_name = "courses/payment_create.html"
    form_class = PaymentRequestForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["enrolments"] = (
            Enrolment.objects.filter(cohort=self.cohort)
            .select_related("candidate")
            .order_by("candidate__last_name", "candidate__first_name", "id")
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        # A learner's "Ask for a payment" link names them: ?enrolment=<public id>.
        try:
            public_id = uuid.UUID(self.request.GET.get("enrolment", ""))
        except ValueError:
            return {}
        return {"enrolment": Enrolment.objects.filter(cohort=self.cohort, public_id=public_id).first()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cohort=self.cohort, **kwargs)

    def form_valid(self, form: PaymentRequestForm) -> HttpResponse:
        if "change" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        if "confirm" not in self.request.POST:
            return render(
                self.request,
                "courses/payment_create_check.html",
                {"cohort": self.cohort, "form": form, "data": form.cleaned_data, "stream": cohort_stream(self.cohort)},
            )
        data = form.cleaned_data
        try:
            payment = payment_request(
                cohort=self.cohort,
                enrolment=data["enrolment"],
                actor=self.actor,
                kind=data["kind"],
                amount=data["amount"],
                description=data["description"],
                may_affect_benefits=data["may_affect_benefits"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{payment.get_kind_display()} of £{payment.amount:,} for {payment.candidate.full_name} "
            "is waiting for a manager's approval.",
        )
        return redirect("courses:payment-list", public_id=self.cohort.public_id)


class PaymentApprovalListView(PermissionRequiredMixin, PaginatedListMixin, ListView[SupportPayment]):
    """Managers' queue: payments waiting for approval on every cohort, oldest first."""

    permission = staticmethod(can_approve_payments)
    template_name = "courses/payment_approval_list.html"
    context_object_name = "payments"

    def get_queryset(self) -> QuerySet[SupportPayment]:
        return payments_awaiting_approval(payments_visible_to(self.actor))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        waiting = payment_totals(payments_visible_to(self.actor)).requested
        return super().get_context_data(total_waiting=waiting, **kwargs)


class PaymentScopedMixin(PermissionRequiredMixin, SingleObjectMixin[SupportPayment]):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "payment"
    object: SupportPayment

    def get_queryset(self) -> QuerySet[SupportPayment]:
        return payment_for_action(payments_visible_to(self.actor))


class PaymentDecideView(PaymentScopedMixin, FormView[PaymentDecideForm]):
    """A manager sees the payment's details and history, then approves or rejects it."""

    permission = staticmethod(can_approve_payments)
    template_name = "courses/payment_decide.html"
    form_class = PaymentDecideForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "over_budget": bool(self.over_budget_warning())}

    def over_budget_warning(self) -> str:
        if self.object.status != Status.REQUESTED:
            return ""
        return over_budget_message(self.object.funding_stream, self.object.amount)

    def back_url(self) -> str:
        if self.request.GET.get("from") == FROM_APPROVALS:
            return reverse("courses:payment-approvals")
        return payment_list_url(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        payment = self.object
        return super().get_context_data(
            back_url=self.back_url(),
            from_approvals=self.request.GET.get("from") == FROM_APPROVALS,
            is_open=payment.status == Status.REQUESTED,
            own_request=payment.requested_by_id == self.actor.pk,
            stream_budget=stream_budget(payment.funding_stream) if payment.funding_stream else None,
            over_budget_warning=self.over_budget_warning(),
            audit_entries=audit_entries_for_object(payment),
            **kwargs,
        )

    def form_valid(self, form: PaymentDecideForm) -> HttpResponse:
        was_open = self.object.status == Status.REQUESTED
        try:
            payment = payment_decide(
                payment=self.object,
                actor=self.actor,
                approve=form.approve,
                reason=form.cleaned_data["reason"],
                confirm_over_budget=form.cleaned_data["confirm_over_budget"],
            )
        except OverBudget as exc:
            # The budget moved since the page was shown: show the warning and the box to confirm.
            form = self.get_form_class()(self.request.POST, over_budget=True)
            form.is_valid()
            form.add_error("confirm_over_budget", " ".join(exc.messages))
            return self.form_invalid(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        verb = "approved" if payment.status == Status.APPROVED else "rejected"
        what = f"{payment.get_kind_display()} of £{payment.amount:,} for {payment.candidate.full_name}"
        if was_open:
            messages.success(self.request, f"{what} {verb}.")
        else:
            # The same decision posted again (a double-click): nothing changed, so say it stands.
            by = payment.decided_by.get_full_name() if payment.decided_by else "a manager"
            on = f" on {timezone.localtime(payment.decided_at):%-d %B %Y}" if payment.decided_at else ""
            messages.success(self.request, f"{what} was already {verb} by {by}{on}.")
        return redirect(self.back_url())


class PaymentPaidView(PaymentScopedMixin, View):
    """GET asks to confirm the amount and the learner; POST records the approved payment as paid."""

    permission = staticmethod(can_run_cohorts)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        payment = self.get_object()
        context = {
            "payment": payment,
            "back_url": payment_list_url(payment),
            "can_pay": payment.status == Status.APPROVED,
        }
        return render(request, "courses/payment_paid.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        payment = self.get_object()
        try:
            payment_mark_paid(payment=payment, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"£{payment.amount:,} to {payment.candidate.full_name} has been recorded as paid."
            )
        return redirect(payment_list_url(payment))


# --- attendance bursaries ---


class BursaryListView(CohortMixin, TemplateView):
    """Who on the cohort qualifies for the course's attendance bursary; the button records them all.

    Learners whose register is incomplete are listed apart; a manager can confirm them with a reason.
    """

    template_name = "courses/bursary_list.html"
    confirm_form: BursaryConfirmForm | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cohort, course = self.cohort, self.cohort.course
        rows = list(cohort_bursary_rows(cohort))
        to_record = len([row for row in rows if row.to_record])  # type: ignore[attr-defined]
        held_back = [row for row in rows if row.held_back]  # type: ignore[attr-defined]
        amount = course.attendance_bursary_amount or Decimal("0.00")
        can_confirm = bool(held_back) and can_approve_payments(self.actor, cohort)
        if self.confirm_form is None and can_confirm:
            self.confirm_form = BursaryConfirmForm(held_back=bursary_held_back(cohort))
        return super().get_context_data(
            cohort=cohort,
            course=course,
            rows=rows,
            has_bursary=course.attendance_bursary_amount is not None,
            to_record_count=to_record,
            to_record_total=amount * to_record,
            held_back=held_back,
            missing_total=sum(row.missing_count for row in rows),  # type: ignore[attr-defined]
            can_record_yet=timezone.localdate() >= cohort.end_date,
            can_confirm=can_confirm,
            form=self.confirm_form,
            **kwargs,
        )


def _recorded_message(request: HttpRequest, created: list[SupportPayment]) -> None:
    total = sum((payment.amount for payment in created), start=Decimal("0.00"))
    count = len(created)
    messages.success(
        request,
        f"{count} attendance {'bursary' if count == 1 else 'bursaries'} of "
        f"£{created[0].amount:,} recorded (£{total:,} in total). Record each one as paid when it is paid.",
    )


class BursaryRecordView(CohortMixin, View):
    """POST only: record the bursary for everyone who qualifies with a complete register and has none yet."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            created = cohort_record_bursaries(cohort=self.cohort, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("courses:bursary-list", public_id=self.cohort.public_id)
        held_back = bursary_held_back(self.cohort).count()
        if created:
            _recorded_message(request, created)
        elif not held_back:
            messages.info(request, "Nothing to record: everyone who qualifies already has their bursary recorded.")
        if held_back:
            messages.warning(
                request,
                f"{held_back} learner{'' if held_back == 1 else 's'} who qualif{'ies' if held_back == 1 else 'y'} "
                "still have sessions that were never marked: complete the register first, "
                "or a manager can confirm their bursary with a reason.",
            )
            return redirect("courses:bursary-list", public_id=self.cohort.public_id)
        return redirect("courses:payment-list", public_id=self.cohort.public_id)


class BursaryConfirmView(BursaryListView):
    """POST only: a manager records bursaries for learners whose register is incomplete, with a reason (audited)."""

    permission = staticmethod(can_approve_payments)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = BursaryConfirmForm(request.POST, held_back=bursary_held_back(self.cohort))
        if form.is_valid():
            try:
                created = cohort_record_bursaries(
                    cohort=self.cohort,
                    actor=self.actor,
                    confirm_incomplete=list(form.cleaned_data["learners"]),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if created:
                    _recorded_message(request, created)
                return redirect("courses:payment-list", public_id=self.cohort.public_id)
        self.confirm_form = form
        return self.render_to_response(self.get_context_data())


class LearnerPaymentCreateView(PermissionRequiredMixin, FormView[StreamPaymentRequestForm]):
    """Ask for support outside a cohort for one person, charged to an open stream they count for."""

    permission = staticmethod(can_run_cohorts)
    template_name = "courses/payment_create_for_learner.html"
    form_class = StreamPaymentRequestForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            # The person comes from the user's scope first: out of scope is a 404 before any 403.
            self.candidate = get_object_or_404(candidates_visible_to(self.actor), public_id=kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "streams": streams_for_support(self.candidate)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            candidate=self.candidate, back_url=record_payments_url(self.candidate), **kwargs
        )

    def form_valid(self, form: StreamPaymentRequestForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            payment = payment_request_on_stream(
                candidate=self.candidate,
                stream=data["funding_stream"],
                actor=self.actor,
                kind=data["kind"],
                amount=data["amount"],
                description=data["description"],
                may_affect_benefits=data["may_affect_benefits"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{payment.get_kind_display()} of £{payment.amount:,} for {self.candidate.full_name}, charged to "
            f"{data['funding_stream'].name}, is waiting for a manager's approval.",
        )
        return redirect(record_payments_url(self.candidate))
