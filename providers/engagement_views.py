"""Provider engagement for academy staff (contacts, support offered, recruitment need, who needs a call),
and the quarterly survey: provider users answer it for their own provider, staff read the answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.periods import quarter_label, quarter_of
from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from providers import selectors, services
from providers.forms import (
    EngagementFilterForm,
    ProviderContactForm,
    ProviderSupportForm,
    ProviderSurveyForm,
    SurveyFilterForm,
)
from providers.models import Provider, ProviderSurvey
from providers.permissions import (
    can_answer_survey,
    can_record_engagement,
    can_view_engagement,
    providers_visible_to,
    survey_answers_visible_to,
)


def _add_service_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class EngagementListView(PermissionRequiredMixin, PaginatedListMixin, ListView[Provider]):
    """Every active provider with its last contact, support, open places and reported turnover; filters find
    those not contacted in N months and those rated "requires improvement" or worse."""

    permission = staticmethod(can_view_engagement)
    template_name = "providers/engagement_list.html"
    context_object_name = "providers"

    def get_queryset(self) -> QuerySet[Provider]:
        self.filter_form = EngagementFilterForm(self.request.GET or None)
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.provider_engagement_list(
            providers=providers_visible_to(self.actor),
            today=timezone.localdate(),
            not_contacted_months=data.get("not_contacted"),
            weak_rating_only=data.get("rating") == "weak",
            search=data.get("q", ""),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(filter_form=self.filter_form, **kwargs)
        page = list(context["providers"])
        places = selectors.open_vacancy_places(provider.pk for provider in page)
        context["rows"] = [(provider, places.get(provider.pk, 0)) for provider in page]
        context["is_filtered"] = bool(self.request.GET.keys() - {"page"})
        return context


class EngagementScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Provider]):
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "provider"
    provider: Provider

    def get_queryset(self) -> QuerySet[Provider]:
        return providers_visible_to(self.actor)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.provider = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class ProviderEngagementView(EngagementScopedMixin, DetailView[Provider]):
    permission = staticmethod(can_view_engagement)
    template_name = "providers/engagement_detail.html"

    def get_object(self, queryset: QuerySet[Provider] | None = None) -> Provider:
        return getattr(self, "provider", None) or super().get_object(queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            engagement=selectors.provider_engagement_detail(self.provider),
            can_record=can_record_engagement(self.actor, self.provider),
            **kwargs,
        )


class ProviderContactCreateView(EngagementScopedMixin, FormView[ProviderContactForm]):
    permission = staticmethod(can_record_engagement)
    template_name = "providers/contact_form.html"
    form_class = ProviderContactForm

    def form_valid(self, form: ProviderContactForm) -> HttpResponse:
        try:
            services.provider_contact_record(provider=self.provider, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Contact with {self.provider.name} recorded.")
        return redirect("providers:provider-engagement", public_id=self.provider.public_id)


class ProviderSupportCreateView(EngagementScopedMixin, FormView[ProviderSupportForm]):
    permission = staticmethod(can_record_engagement)
    template_name = "providers/support_form.html"
    form_class = ProviderSupportForm

    def form_valid(self, form: ProviderSupportForm) -> HttpResponse:
        try:
            services.provider_support_record(provider=self.provider, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Support offered to {self.provider.name} recorded.")
        return redirect("providers:provider-engagement", public_id=self.provider.public_id)


class SurveyAnswerView(PermissionRequiredMixin, FormView[ProviderSurveyForm]):
    """The provider user's survey for this quarter: a first answer, or a change to this quarter's."""

    permission = staticmethod(can_answer_survey)
    template_name = "providers/survey_form.html"
    form_class = ProviderSurveyForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            membership = getattr(request.user, "provider_membership", None)
            if membership is None or not can_answer_survey(self.actor, membership.provider):
                raise PermissionDenied
            self.provider = membership.provider
            self.today = timezone.localdate()
            self.quarter_start, self.quarter_end = quarter_of(self.today)
            self.answer = (
                survey_answers_visible_to(self.actor)
                .filter(provider=self.provider, quarter_start=self.quarter_start)
                .first()
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        if self.answer is None:
            return {}
        return {name: getattr(self.answer, name) for name in (*ProviderSurvey.SCORES, "turnover_percent", "comments")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            provider=self.provider,
            answer=self.answer,
            quarter=quarter_label(self.quarter_start),
            quarter_end=self.quarter_end,
            **kwargs,
        )

    def form_valid(self, form: ProviderSurveyForm) -> HttpResponse:
        try:
            services.provider_survey_answer(
                provider=self.provider, actor=self.actor, data=form.cleaned_data, today=self.today
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Thank you. Your answers for {quarter_label(self.quarter_start)} have been sent to the academy.",
        )
        return redirect("providers:survey-answer")


class SurveyListView(PermissionRequiredMixin, PaginatedListMixin, ListView[ProviderSurvey]):
    """Staff read the survey answers of a quarter (or the last four), with the averages and response counts."""

    permission = staticmethod(can_view_engagement)
    template_name = "providers/survey_list.html"
    context_object_name = "answers"

    def get_queryset(self) -> QuerySet[ProviderSurvey]:
        today = timezone.localdate()
        self.filter_form = SurveyFilterForm(self.request.GET or None, today=today)
        self.start, self.end = self.filter_form.period(today)
        return selectors.survey_answer_list(
            answers=survey_answers_visible_to(self.actor), start=self.start, end=self.end
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filter_form=self.filter_form,
            figures=selectors.survey_figures(start=self.start, end=self.end),
            period=quarter_label(self.start)
            if self.start == self.end
            else f"{quarter_label(self.start)} to {quarter_label(self.end)}",
            **kwargs,
        )
