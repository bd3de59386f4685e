"""The public job board (no sign-in): search, filters, distance from a postcode, and one vacancy's page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views import View
from django.views.generic import ListView

from academy.selectors import querystring_without_page
from placements.forms.vacancies import JobBoardForm
from placements.models import Vacancy
from placements.selectors.board import (
    PAGE_SIZE,
    BoardPaginator,
    BoardResult,
    BoardSearch,
    job_board_open,
    job_board_search,
    with_miles,
)
from placements.selectors.vacancies import cohort_label


def job_apply_url(vacancy: Vacancy) -> str:
    """Where "Apply" goes: the applications area's page when it exists, else sign-in back to this vacancy."""
    try:
        return reverse("placements:job-apply", kwargs={"public_id": vacancy.public_id})
    except NoReverseMatch:
        detail = reverse("placements:job-detail", kwargs={"public_id": vacancy.public_id})
        return f"{reverse('account_login')}?{urlencode({'next': detail})}"


class JobBoardView(ListView[Vacancy]):
    """Open vacancies for everyone; nearest first when a postcode is given."""

    template_name = "placements/job_board.html"
    context_object_name = "vacancies"
    paginate_by = PAGE_SIZE
    paginator_class = BoardPaginator
    result: BoardResult

    def get_queryset(self) -> QuerySet[Vacancy]:
        self.form = JobBoardForm(self.request.GET or None)
        data: dict[str, Any] = {}
        if self.form.is_bound:
            self.form.is_valid()
            # A field in error is left out of the search; the others still apply.
            data = {name: value for name, value in self.form.cleaned_data.items() if name not in self.form.errors}
        search = BoardSearch(
            text=data.get("q") or "",
            kind=data.get("kind") or "",
            job_role=data.get("job_role") or "",
            hours=data.get("hours") or "",
            where=data.get("where") or "",
            radius_miles=data.get("radius"),
        )
        self.result = job_board_search(search)
        return self.result.vacancies

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["vacancies"] = with_miles(context["vacancies"])
        context.update(
            form=self.form,
            result=self.result,
            query_string_without_page=querystring_without_page(self.request.GET),
            searched=bool(self.request.GET.keys() - {"page"}),
        )
        return context


class JobDetailView(View):
    """One published vacancy as the public sees it; anything else is not found."""

    def get(self, request: HttpRequest, public_id: str) -> HttpResponse:
        vacancy = get_object_or_404(
            job_board_open().select_related("provider", "ring_fenced_cohort__course"), public_id=public_id
        )
        context = {
            "vacancy": vacancy,
            "apply_url": job_apply_url(vacancy),
            "cohort_label": cohort_label(vacancy.ring_fenced_cohort) if vacancy.ring_fenced_cohort else "",
        }
        return render(request, "placements/job_detail.html", context)
