"""Staff views of one record: create (with a duplicate warning), the record page, edit, stage, equality."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from academy.tenancy import academy_in_use_id
from candidates.forms.records import (
    CandidateCreateForm,
    CandidateForm,
    CandidateTransferForm,
    StageChangeForm,
    add_service_errors,
)
from candidates.models import Candidate
from candidates.permissions import (
    can_view_candidate,
    can_view_equality,
    can_work_on_candidates,
    candidates_visible_to,
)
from candidates.selectors.duplicates import candidate_duplicates
from candidates.selectors.records import active_stages, candidate_detail, candidate_equality, candidate_scope
from candidates.services.equality import equality_record_view
from candidates.services.pipeline import candidate_move_stage
from candidates.services.records import candidate_create, candidate_set_barriers, candidate_update
from candidates.services.transfers import candidate_transfer, transfer_destinations


class CandidateScopedMixin(PermissionRequiredMixin, SingleObjectMixin[Candidate]):
    """A page about one record: out of the user's scope is 404, in scope without the right is 403."""

    permission = staticmethod(can_work_on_candidates)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "candidate"
    object: Candidate

    def get_queryset(self) -> QuerySet[Candidate]:
        return candidate_scope(candidates_visible_to(self.actor))


class CandidateFormMixin(CandidateScopedMixin):
    """GET and POST of a form about one record: looks the record up (and checks permission) first."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class CandidateCreateView(PermissionRequiredMixin, FormView[CandidateCreateForm]):
    """For someone who phoned or walked in; warns about possible duplicates before creating."""

    permission = staticmethod(can_work_on_candidates)
    template_name = "candidates/candidate_form.html"
    form_class = CandidateCreateForm

    def get_initial(self) -> dict[str, Any]:
        return {"owner": self.actor}

    def form_valid(self, form: CandidateCreateForm) -> HttpResponse:
        data = form.profile_data()
        matches = candidate_duplicates(
            email=data["email"],
            phone=data["phone"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            academy_id=academy_in_use_id(self.actor),
        )
        found = {str(match.candidate.public_id) for match in matches}
        # "Create anyway" only counts for the records the warning listed: a changed email or phone
        # can find someone new, who must be shown too.
        if matches and not (form.cleaned_data["create_anyway"] and found <= form.acknowledged_ids()):
            context = self.get_context_data(form=form, duplicates=matches, acknowledged=",".join(sorted(found)))
            return self.render_to_response(context)
        candidate = candidate_create(actor=self.actor, data=data, barriers=form.cleaned_data["barriers"])
        messages.success(self.request, f"The record for {candidate.full_name} has been created.")
        return redirect(candidate)


class CandidateDetailView(CandidateScopedMixin, DetailView[Candidate]):
    """The record page. Equality answers are never shown here, only a link to their own logged page."""

    permission = staticmethod(can_view_candidate)
    template_name = "candidates/candidate_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        candidate = self.object
        user = self.actor
        today = timezone.localdate()
        detail = candidate_detail(candidate=candidate, today=today, actor=user)
        can_work = can_work_on_candidates(user, candidate)
        return super().get_context_data(
            # Flat names: the shared partials expect documents, consents and audit_entries.
            **{field.name: getattr(detail, field.name) for field in dataclasses.fields(detail)},
            today=today,
            can_edit=can_work,
            can_upload_documents=can_work,
            can_view_equality=can_view_equality(user, candidate),
            **kwargs,
        )


class CandidateUpdateView(CandidateFormMixin, FormView[CandidateForm]):
    template_name = "candidates/candidate_form.html"
    form_class = CandidateForm

    def get_initial(self) -> dict[str, Any]:
        self.barriers = {b.barrier: b.support_needed for b in self.object.barriers.all()}
        return CandidateForm.initial_for(self.object, list(self.barriers))

    def form_valid(self, form: CandidateForm) -> HttpResponse:
        candidate = candidate_update(candidate=self.object, actor=self.actor, data=form.profile_data())
        chosen = form.cleaned_data["barriers"]
        if set(chosen) != set(self.barriers):
            # Keep what support was already recorded for barriers that stay.
            barriers = {code: self.barriers.get(code, "") for code in chosen}
            candidate_set_barriers(candidate=candidate, actor=self.actor, barriers=barriers)
        messages.success(self.request, f"The record for {candidate.full_name} has been updated.")
        return redirect(candidate)


class CandidateStageView(CandidateFormMixin, FormView[StageChangeForm]):
    template_name = "candidates/candidate_stage.html"
    form_class = StageChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "candidate": self.object, "stages": active_stages()}

    def form_valid(self, form: StageChangeForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            candidate = candidate_move_stage(
                candidate=self.object, actor=self.actor, stage=data["stage"], reason=data["reason"], note=data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{candidate.full_name} is now in {candidate.stage.name}.")
        return redirect(candidate.get_absolute_url() + "#stage")


class CandidateTransferView(CandidateFormMixin, FormView[CandidateTransferForm]):
    """Move the record to another academy of the region, with its history."""

    template_name = "candidates/candidate_transfer.html"
    form_class = CandidateTransferForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "destinations": transfer_destinations(self.object)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "has_destinations": bool(transfer_destinations(self.object))}

    def form_valid(self, form: CandidateTransferForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            candidate_transfer(
                candidate=self.object, to_academy=data["to_academy"], actor=self.actor, reason=data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.object.full_name}'s record has moved to {data['to_academy'].name}, with their history.",
        )
        return redirect("candidates:candidate-list")


@method_decorator(never_cache, name="dispatch")
class CandidateEqualityView(CandidateScopedMixin, DetailView[Candidate]):
    """Special category data: staff and managers only, and every view is written to the audit log."""

    permission = staticmethod(can_view_equality)
    template_name = "candidates/equality_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        candidate = self.object
        equality_record_view(actor=self.actor, candidate=candidate, where="staff record page")
        return super().get_context_data(
            equality=candidate_equality(candidate=candidate, today=timezone.localdate()), **kwargs
        )
