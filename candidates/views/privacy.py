"""A learner's data: what we hold, downloads, asking for deletion; staff completing deletion requests."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.views import PaginatedListMixin
from candidates.forms.learner import DataRequestCompleteForm, DataRequestFilterForm, ErasureRequestForm
from candidates.models import DataRequest
from candidates.permissions import can_manage_data_requests, data_requests_visible_to
from candidates.selectors import learner as selectors
from candidates.services.privacy import data_export_record, data_request_complete, data_request_create
from candidates.views.learner import LearnerRecordMixin


class MyDataView(LearnerRecordMixin, TemplateView):
    template_name = "candidates/learner/my_data.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(open_request=selectors.data_request_open(self.candidate), **kwargs)


class MyDataJsonView(LearnerRecordMixin, View):
    """Everything we hold about the learner, as a JSON file to keep or take elsewhere."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        export = selectors.learner_data_export(self.candidate)
        data_export_record(candidate=self.candidate, actor=self.actor, fmt="json")
        response = HttpResponse(
            json.dumps(export, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


class MyDataHtmlView(LearnerRecordMixin, TemplateView):
    """The same data as the JSON download, as a page to read or print."""

    template_name = "candidates/learner/my_data_download.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        export = selectors.learner_data_export(self.candidate)
        data_export_record(candidate=self.candidate, actor=self.actor, fmt="html")
        return super().get_context_data(sections=selectors.learner_data_sections(export), **kwargs)

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


class ErasureRequestView(LearnerRecordMixin, FormView[ErasureRequestForm]):
    """Explains what deletion means; POST opens a request (one at a time) for staff to complete."""

    template_name = "candidates/learner/erasure_request.html"
    form_class = ErasureRequestForm

    @cached_property
    def open_request(self) -> DataRequest | None:
        return selectors.data_request_open(self.candidate)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(open_request=self.open_request, **kwargs)

    def form_valid(self, form: ErasureRequestForm) -> HttpResponse:
        try:
            data_request_create(candidate=self.candidate, actor=self.actor, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return redirect("candidates:my-data")
        messages.success(self.request, "We have your request to delete your data. We will email you when it is done.")
        return redirect("candidates:my-data")


class DataRequestListView(PermissionRequiredMixin, PaginatedListMixin, ListView[DataRequest]):
    permission = staticmethod(can_manage_data_requests)
    template_name = "candidates/learner/datarequest_list.html"
    context_object_name = "data_requests"

    STATUSES = {"open": DataRequest.Status.OPEN, "completed": DataRequest.Status.COMPLETED, "all": ""}

    def get_queryset(self) -> QuerySet[DataRequest]:
        self.filter_form = DataRequestFilterForm(self.request.GET or {"status": "open"})
        valid = self.filter_form.is_valid()
        self.status = (self.filter_form.cleaned_data.get("status") if valid else "") or "open"
        return selectors.data_request_list(
            requests=data_requests_visible_to(self.actor), status=self.STATUSES[self.status]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(status=self.status, filter_form=self.filter_form, **kwargs)
        today = timezone.localdate()
        rows = []
        for data_request in context["data_requests"]:
            due_by = selectors.data_request_due_by(data_request)
            is_open = data_request.status == DataRequest.Status.OPEN
            rows.append({"request": data_request, "due_by": due_by, "overdue": is_open and due_by < today})
        context["rows"] = rows
        return context


class DataRequestCompleteView(PermissionRequiredMixin, SingleObjectMixin[DataRequest], View):
    """GET shows what anonymising will do; POST does it."""

    permission = staticmethod(can_manage_data_requests)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    template_name = "candidates/learner/datarequest_complete.html"

    def get_queryset(self) -> QuerySet[DataRequest]:
        return data_requests_visible_to(self.actor).select_related("candidate", "resolved_by")

    def _render(self, data_request: DataRequest, form: DataRequestCompleteForm) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "data_request": data_request,
                "candidate": data_request.candidate,
                "form": form,
                "is_open": data_request.status == DataRequest.Status.OPEN,
                "due_by": selectors.data_request_due_by(data_request),
            },
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(self.get_object(), DataRequestCompleteForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data_request = self.get_object()
        form = DataRequestCompleteForm(request.POST)
        if not form.is_valid():
            return self._render(data_request, form)
        try:
            data_request_complete(data_request=data_request, actor=self.actor, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The record has been anonymised and the request is complete.")
        return redirect("candidates:datarequest-list")
