"""Managers configure the pipeline stages (defaults come from migration 0002)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from candidates.forms.records import add_service_errors
from candidates.forms.stages import StageForm
from candidates.models import PipelineStage
from candidates.permissions import can_manage_stages, stages_visible_to
from candidates.selectors.stages import stage_list
from candidates.services.stages import stage_create, stage_update


class StageListView(PermissionRequiredMixin, ListView[PipelineStage]):
    permission = staticmethod(can_manage_stages)
    template_name = "candidates/stage_list.html"
    context_object_name = "stages"

    def get_queryset(self) -> QuerySet[PipelineStage]:
        return stage_list(stages=stages_visible_to(self.actor))


class StageCreateView(PermissionRequiredMixin, FormView[StageForm]):
    permission = staticmethod(can_manage_stages)
    template_name = "candidates/stage_form.html"
    form_class = StageForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "creating": True}

    def get_initial(self) -> dict[str, Any]:
        last = PipelineStage.objects.order_by("-position").values_list("position", flat=True).first()
        return {"position": (last or 0) + 10}

    def form_valid(self, form: StageForm) -> HttpResponse:
        try:
            stage = stage_create(actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"The stage {stage.name} has been added.")
        return redirect("candidates:stage-list")


class StageUpdateView(PermissionRequiredMixin, SingleObjectMixin[PipelineStage], FormView[StageForm]):
    permission = staticmethod(can_manage_stages)
    template_name = "candidates/stage_form.html"
    form_class = StageForm
    context_object_name = "stage"
    object: PipelineStage

    def get_queryset(self) -> QuerySet[PipelineStage]:
        return stages_visible_to(self.actor)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        stage = self.object
        return {
            "name": stage.name,
            "position": stage.position,
            "is_closed": stage.is_closed,
            "is_active": stage.is_active,
        }

    def form_valid(self, form: StageForm) -> HttpResponse:
        try:
            stage = stage_update(stage=self.object, actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"The stage {stage.name} has been updated.")
        return redirect("candidates:stage-list")
