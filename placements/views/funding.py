"""Funding stream pages: staff see streams, their spend, people and rules; managers set them up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.models import FundingStream
from academy.permissions import PermissionRequiredMixin
from academy.selectors import audit_entries_for_object
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from candidates.models import EligibilityRule, StreamAttribution
from candidates.permissions import stream_attributions_visible_to
from candidates.services.funding import eligibility_rule_delete, eligibility_rule_save
from placements.forms.funding import EligibilityRuleForm, LearnerSearchForm, StreamFilterForm, StreamForm
from placements.permissions import (
    can_manage_funding_streams,
    can_view_funding_streams,
    eligibility_rules_visible_to,
    funding_streams_visible_to,
)
from placements.selectors.funding import stream_learners, stream_list, stream_page
from placements.services.funding import stream_budget_after_change, stream_create, stream_update


def stream_url(stream: FundingStream) -> str:
    return reverse("placements:stream-detail", kwargs={"public_id": stream.public_id})


class ObjectFormMixin:
    """A FormView about one object: looked up (404, then 403) before the form is built or handled."""

    object: Any

    def get_object(self, queryset: Any = None) -> Any:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)  # type: ignore[misc]


class StreamListView(PermissionRequiredMixin, PaginatedListMixin, ListView[FundingStream]):
    """Every stream with its dates, budget, spend and the people attributed, searchable."""

    permission = staticmethod(can_view_funding_streams)
    template_name = "placements/stream_list.html"
    context_object_name = "streams"

    def get_queryset(self) -> QuerySet[FundingStream]:
        self.filter_form = StreamFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        scoped = stream_list(search=data.get("q", ""), show=data.get("show", ""))
        return scoped.filter(pk__in=funding_streams_visible_to(self.actor))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form,
            is_filtered=bool(self.request.GET.keys() - {"page"}),
            can_manage=can_manage_funding_streams(self.actor),
            **kwargs,
        )


class StreamCreateView(PermissionRequiredMixin, FormView[StreamForm]):
    permission = staticmethod(can_manage_funding_streams)
    template_name = "placements/stream_form.html"
    form_class = StreamForm

    def get_initial(self) -> dict[str, Any]:
        return StreamForm.initial_for(None)

    def form_valid(self, form: StreamForm) -> HttpResponse:
        try:
            stream = stream_create(actor=self.actor, values=form.service_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{stream.name} has been set up. Now add its eligibility rules.")
        return redirect(stream_url(stream))


class StreamScopedMixin(PermissionRequiredMixin, SingleObjectMixin[FundingStream]):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "stream"

    def get_queryset(self) -> QuerySet[FundingStream]:
        return funding_streams_visible_to(self.actor)


class StreamDetailView(StreamScopedMixin, DetailView[FundingStream]):
    """Budget and spend, people attributed, eligibility rules, cohorts, and the sections other areas offer."""

    permission = staticmethod(can_view_funding_streams)
    template_name = "placements/stream_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            page=stream_page(self.object),
            can_manage=can_manage_funding_streams(self.actor, self.object),
            audit_entries=audit_entries_for_object(self.object),
            **kwargs,
        )


class StreamUpdateView(StreamScopedMixin, ObjectFormMixin, FormView[StreamForm]):
    permission = staticmethod(can_manage_funding_streams)
    template_name = "placements/stream_form.html"
    form_class = StreamForm

    def get_initial(self) -> dict[str, Any]:
        return StreamForm.initial_for(self.object)

    def form_valid(self, form: StreamForm) -> HttpResponse:
        try:
            stream = stream_update(stream=self.object, actor=self.actor, values=form.service_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{stream.name} has been updated.")
        warning = stream_budget_after_change(stream)
        if warning:
            messages.warning(self.request, warning)
        return redirect(stream_url(stream))


class StreamLearnersView(PermissionRequiredMixin, PaginatedListMixin, ListView[StreamAttribution]):
    """The people who count for the stream, one row each, searchable by name or email."""

    permission = staticmethod(can_view_funding_streams)
    template_name = "placements/stream_learners.html"
    context_object_name = "attributions"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            # Out of scope is 404 before the right is checked (403), as for every stream page.
            self.stream = get_object_or_404(funding_streams_visible_to(self.actor), public_id=kwargs["public_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[StreamAttribution]:
        self.search_form = LearnerSearchForm(self.request.GET or None)
        search = self.search_form.cleaned_data["q"] if self.search_form.is_valid() else ""
        return stream_learners(self.stream, attributions=stream_attributions_visible_to(self.actor), search=search)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            stream=self.stream,
            search_form=self.search_form,
            is_filtered=bool(self.request.GET.keys() - {"page"}),
            **kwargs,
        )


# --- eligibility rules -------------------------------------------------------------------------


class RuleCreateView(StreamScopedMixin, ObjectFormMixin, FormView[EligibilityRuleForm]):
    permission = staticmethod(can_manage_funding_streams)
    template_name = "placements/stream_rule_form.html"
    form_class = EligibilityRuleForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(stream=self.object, **kwargs)

    def form_valid(self, form: EligibilityRuleForm) -> HttpResponse:
        try:
            rule = eligibility_rule_save(stream=self.object, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Rule added to {self.object.name}: {rule}.")
        return redirect(stream_url(self.object))


class RuleScopedMixin(PermissionRequiredMixin, SingleObjectMixin[EligibilityRule]):
    permission = staticmethod(can_manage_funding_streams)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "rule"

    def get_queryset(self) -> QuerySet[EligibilityRule]:
        return eligibility_rules_visible_to(self.actor).select_related("stream")


class RuleUpdateView(RuleScopedMixin, ObjectFormMixin, FormView[EligibilityRuleForm]):
    template_name = "placements/stream_rule_form.html"
    form_class = EligibilityRuleForm

    def get_initial(self) -> dict[str, Any]:
        rule = self.object
        return {"field": rule.field, "operator": rule.operator, "value": rule.value}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(stream=self.object.stream, **kwargs)

    def form_valid(self, form: EligibilityRuleForm) -> HttpResponse:
        rule = self.object
        try:
            eligibility_rule_save(stream=rule.stream, actor=self.actor, rule=rule, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Rule changed: {rule}.")
        return redirect(stream_url(rule.stream))


class RuleDeleteView(RuleScopedMixin, View):
    """GET asks for confirmation; POST removes the rule."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rule = self.get_object()
        return render(request, "placements/stream_rule_delete.html", {"rule": rule, "stream": rule.stream})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rule = self.get_object()
        stream, text = rule.stream, str(rule)
        try:
            eligibility_rule_delete(rule=rule, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Rule removed from {stream.name}: {text}.")
        return redirect(stream_url(stream))
