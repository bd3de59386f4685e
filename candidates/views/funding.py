"""Staff attribute a person to a funding stream from their record, or undo a mistaken attribution."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView

from candidates.forms.funding import StreamAttributeForm, StreamAttributionRemoveForm
from candidates.forms.records import add_service_errors
from candidates.permissions import can_attribute_to_streams, stream_attributions_visible_to
from candidates.selectors.eligibility import candidate_eligibility
from candidates.selectors.streams import attributable_streams
from candidates.services.funding import stream_attribute, stream_attribution_remove
from candidates.views.records import CandidateFormMixin


def _record_url(candidate: Any) -> str:
    return reverse("candidates:candidate-detail", kwargs={"public_id": candidate.public_id}) + "#funding-streams"


class StreamAttributeView(CandidateFormMixin, FormView[StreamAttributeForm]):
    """Choose an open stream the person does not count for yet; each option says whether they are eligible."""

    permission = staticmethod(can_attribute_to_streams)
    template_name = "candidates/stream_attribute.html"
    form_class = StreamAttributeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        streams = attributable_streams(self.object)
        self.verdicts = candidate_eligibility(self.object, streams=list(streams))
        return {
            **super().get_form_kwargs(),
            "streams": streams,
            "verdicts": {verdict.stream.pk: verdict.summary for verdict in self.verdicts},
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(candidate=self.object, record_url=_record_url(self.object), **kwargs)

    def form_valid(self, form: StreamAttributeForm) -> HttpResponse:
        try:
            attribution = stream_attribute(
                candidate=self.object,
                stream=form.cleaned_data["stream"],
                actor=self.actor,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.object.full_name} now counts for {attribution.stream.name}.")
        return redirect(_record_url(self.object))


class StreamAttributionRemoveView(CandidateFormMixin, FormView[StreamAttributionRemoveForm]):
    """Ask why, then stop counting the person for the stream (the reason goes in the audit log)."""

    permission = staticmethod(can_attribute_to_streams)
    template_name = "candidates/stream_attribution_remove.html"
    form_class = StreamAttributionRemoveForm

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            # The person first (404 out of scope, 403 without the right), then their attribution (404).
            self.object = self.get_object()
            self.attribution = get_object_or_404(
                stream_attributions_visible_to(self.actor).select_related("candidate", "stream"),
                candidate=self.object,
                stream__public_id=kwargs["stream_id"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(attribution=self.attribution, record_url=_record_url(self.object), **kwargs)

    def form_valid(self, form: StreamAttributionRemoveForm) -> HttpResponse:
        attribution = self.attribution
        try:
            stream_attribution_remove(attribution=attribution, actor=self.actor, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, f"{attribution.candidate.full_name} no longer counts for {attribution.stream.name}."
        )
        return redirect(_record_url(attribution.candidate))
