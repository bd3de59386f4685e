"""Outreach events: staff plan them and read their figures; at the event staff add people on a phone;
anyone can see the public events and register their interest."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from academy.models import User
from academy.permissions import PermissionRequiredMixin
from academy.rate_limit import rate_limit_hit
from academy.selectors import audit_entries_for_object
from academy.views import PaginatedListMixin
from candidates.forms.outreach import InterestForm, OutreachEventForm, OutreachFilterForm, StallEnquiryForm
from candidates.forms.records import add_service_errors
from candidates.models import EventEnquiry, OutreachEvent
from candidates.permissions import (
    can_work_on_outreach,
    is_anyone,
    outreach_events_visible_to,
    public_events_visible_to,
)
from candidates.selectors.outreach import (
    event_stall_recent,
    outreach_event_detail,
    outreach_event_list,
    outreach_public_list,
)
from candidates.services.outreach import event_enquiry_record, outreach_event_save


class OutreachListView(PermissionRequiredMixin, PaginatedListMixin, ListView[OutreachEvent]):
    permission = staticmethod(can_work_on_outreach)
    template_name = "candidates/outreach_list.html"
    context_object_name = "events"

    def get_queryset(self) -> QuerySet[OutreachEvent]:
        self.filter_form = OutreachFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return outreach_event_list(
            events=outreach_events_visible_to(self.actor),
            today=timezone.localdate(),
            search=data.get("q", ""),
            kind=data.get("kind", ""),
            when=data.get("when", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form, is_filtered=bool(self.request.GET.keys() - {"page"}), **kwargs
        )


class OutreachCreateView(PermissionRequiredMixin, CreateView[OutreachEvent, OutreachEventForm]):
    permission = staticmethod(can_work_on_outreach)
    template_name = "candidates/outreach_form.html"
    form_class = OutreachEventForm

    def form_valid(self, form: OutreachEventForm) -> HttpResponse:
        event = outreach_event_save(
            event=form.save(commit=False),
            actor=self.actor,
            staff_present=form.cleaned_data["staff_present"],
            providers_attending=form.cleaned_data["providers_attending"],
        )
        messages.success(self.request, f"{event.title} has been created.")
        return redirect(event)


class OutreachScopedMixin(PermissionRequiredMixin, SingleObjectMixin[OutreachEvent]):
    permission = staticmethod(can_work_on_outreach)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "event"

    def get_queryset(self) -> QuerySet[OutreachEvent]:
        return outreach_events_visible_to(self.actor)


class OutreachUpdateView(OutreachScopedMixin, UpdateView[OutreachEvent, OutreachEventForm]):
    template_name = "candidates/outreach_form.html"
    form_class = OutreachEventForm

    def form_valid(self, form: OutreachEventForm) -> HttpResponse:
        event = outreach_event_save(
            event=form.save(commit=False),
            actor=self.actor,
            staff_present=form.cleaned_data["staff_present"],
            providers_attending=form.cleaned_data["providers_attending"],
            changed=form.changed_data,
        )
        messages.success(self.request, f"{event.title} has been updated.")
        return redirect(event)


class OutreachDetailView(OutreachScopedMixin, DetailView[OutreachEvent]):
    """The event, who was there, its figures (with their denominators) and the people who enquired."""

    template_name = "candidates/outreach_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            detail=outreach_event_detail(self.object), audit_entries=audit_entries_for_object(self.object), **kwargs
        )


def wants_json(request: HttpRequest) -> bool:
    """The phone form's script asks for JSON; a plain form post (no script) gets the page."""
    return "application/json" in request.headers.get("Accept", "")


class OutreachStallView(OutreachScopedMixin, FormView[StallEnquiryForm]):
    """The short phone form at the event. Works as a plain form; with static/js/outreach-stall.mjs a save
    that fails for want of a network is kept on the phone and sent again (the same submission key, so a
    save that did arrive is not made twice)."""

    template_name = "candidates/outreach_stall.html"
    form_class = StallEnquiryForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(event=self.object, recent=event_stall_recent(self.object), **kwargs)

    def form_invalid(self, form: StallEnquiryForm) -> HttpResponse:
        if wants_json(self.request):
            errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
            return JsonResponse({"saved": False, "errors": errors}, status=400)
        return super().form_invalid(form)

    def form_valid(self, form: StallEnquiryForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            result = event_enquiry_record(
                event=self.object,
                actor=self.actor,
                channel=EventEnquiry.Channel.AT_EVENT,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                contact_consent=data["contact_consent"],
                note=data["note"],
                submission_key=data["submission_key"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        name = result.candidate.full_name
        if result.already_recorded:
            message = f"{name} was already on the list for this event."
        elif result.new_record:
            message = f"{name} added."
        else:
            message = f"{name} was already known to the academy: added to this event on their record."
        if wants_json(self.request):
            return JsonResponse({"saved": True, "message": message})
        messages.success(self.request, message)
        return redirect("candidates:outreach-stall", public_id=self.object.public_id)


# --- public pages ---------------------------------------------------------------------------------


class PublicPageMixin:
    """Pages for visitors too: no sign-in; the scoping function decides which events anyone sees."""

    permission = staticmethod(is_anyone)
    request: HttpRequest

    @property
    def viewer(self) -> User:
        return cast(User, self.request.user)


class OutreachPublicListView(PublicPageMixin, PaginatedListMixin, ListView[OutreachEvent]):
    """Upcoming public events: where and when, who will be there, and a link to register interest."""

    template_name = "candidates/outreach_public_list.html"
    context_object_name = "events"
    paginate_by = 10

    def get_queryset(self) -> QuerySet[OutreachEvent]:
        return outreach_public_list(events=public_events_visible_to(self.viewer, today=timezone.localdate()))


class OutreachInterestView(PublicPageMixin, SingleObjectMixin[OutreachEvent], FormView[InterestForm]):
    """Register interest in a public event. The answer is the same whether or not the academy already knew
    the person (the page must not tell a visitor who is on the academy's books), and one address may send
    it a limited number of times an hour (academy.rate_limit)."""

    template_name = "candidates/outreach_interest.html"
    form_class = InterestForm
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "event"

    def get_queryset(self) -> QuerySet[OutreachEvent]:
        return public_events_visible_to(self.viewer, today=timezone.localdate())

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        if rate_limit_hit(
            request=request, scope="event-interest", limit=settings.PUBLIC_FORM_LIMIT_PER_HOUR, window_seconds=3600
        ):
            form.add_error(
                None,
                "Too many people have registered from this connection in the last hour. Try again later, "
                "or contact the academy.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return self.form_valid(form)

    def form_valid(self, form: InterestForm) -> HttpResponse:
        data = form.cleaned_data
        event_enquiry_record(
            event=self.object,
            actor=None,
            channel=EventEnquiry.Channel.ONLINE,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            contact_consent=data["consent"],
        )
        messages.success(
            self.request,
            f"Thank you, {data['first_name']}. We have your details for {self.object.title} and will be in touch.",
        )
        return redirect(reverse("candidates:outreach-public-list"))
