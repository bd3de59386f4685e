"""Merging two records of one person: GET compares them side by side, POST merges."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from candidates.forms.merge import CandidateMergeForm
from candidates.models import Candidate
from candidates.permissions import can_work_on_candidates, candidates_visible_to
from candidates.selectors.merge import MergeComparison, candidate_merge_comparison
from candidates.services.merge import candidate_merge


class CandidateMergeView(PermissionRequiredMixin, SingleObjectMixin[Candidate], View):
    """Both records must be current and in the user's scope (else 404); merging is academy staff's work."""

    permission = staticmethod(can_work_on_candidates)
    # As a SingleObjectMixin naming its object in the URL, the mixin leaves the permission check to
    # get_comparison, after the scoped lookups.
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    template_name = "candidates/candidate_merge.html"

    def get_queryset(self) -> QuerySet[Candidate]:
        return candidates_visible_to(self.actor)

    def get_comparison(self) -> MergeComparison:
        if self.kwargs["public_id"] == self.kwargs["other_id"]:
            raise Http404("A record cannot be merged with itself.")
        # Both records are looked up in scope first (404), then the right to merge them is checked (403).
        first, second = (
            get_object_or_404(self.get_queryset(), public_id=self.kwargs[k]) for k in ("public_id", "other_id")
        )
        if not (self.permission(self.actor, first) and self.permission(self.actor, second)):
            raise PermissionDenied
        return candidate_merge_comparison(first, second)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        comparison = self.get_comparison()
        return self.render(comparison, CandidateMergeForm(comparison=comparison))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        comparison = self.get_comparison()
        form = CandidateMergeForm(request.POST, comparison=comparison)
        if form.is_valid():
            arguments = form.merge_arguments()
            try:
                survivor = candidate_merge(actor=self.actor, **arguments)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"Records merged. The history of both is now on {survivor.full_name}'s record; "
                    "the other record is kept, closed as merged.",
                )
                return redirect(survivor)
        return self.render(comparison, form)

    def render(self, comparison: MergeComparison, form: CandidateMergeForm) -> HttpResponse:
        return render(self.request, self.template_name, {"comparison": comparison, "form": form})
