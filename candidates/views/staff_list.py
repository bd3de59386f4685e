"""The staff candidate list, its CSV export and the bulk actions on the candidates ticked in it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from academy.audit import audit_log
from academy.file_jobs import file_job_request
from academy.models import User
from academy.permissions import PermissionRequiredMixin
from academy.tenancy import academy_in_use_id
from candidates.file_jobs import CANDIDATE_LIST
from candidates.forms.candidate_list import CandidateBulkForm, CandidateFilterForm
from candidates.models import Candidate
from candidates.permissions import (
    can_export_equality,
    can_view_equality,
    can_work_on_candidates,
    can_work_on_dbs,
    candidates_visible_to,
)
from candidates.selectors.candidate_list import (
    DEFAULT_SORT,
    CandidateListOptions,
    candidate_email_audience,
    candidate_list_for_staff,
    candidate_list_options,
    list_hook,
)
from candidates.selectors.list_pages import CandidatePaginator
from candidates.services import bulk

PAGE_SIZE = 25
# Sortable columns: (sort key, header, direction of the first click). Dates and durations start
# with the newest or longest, which is what people look for first.
SORTABLE_COLUMNS = [
    ("name", "Name", ""),
    ("stage", "Stage", ""),
    ("time_in_stage", "Time in stage", "-"),
    ("registered", "Registered", "-"),
]
# Parameters that belong to one page view and are not part of the saved filters.
TRANSIENT_PARAMS = ("page", "select")


def _params_without(params: QueryDict, *keys: str) -> QueryDict:
    params = params.copy()
    for key in keys:
        params.pop(key, None)
    return params


def _parse_filters(
    request: HttpRequest, actor: User, options: CandidateListOptions, *, where: str
) -> CandidateFilterForm:
    """Bind the filter form to the query string and record any use of an equality-based filter."""
    form = CandidateFilterForm(
        request.GET,
        options=options,
        actor=actor,
        can_filter_equality=can_view_equality(actor),
        can_filter_dbs=can_work_on_dbs(actor),
    )
    form.is_valid()
    filters = form.filters()
    if filters.groups:
        # Filtering by group reads special category data, so each use is logged (once, not per row).
        audit_log(actor=actor, action="equality.filter", data={"groups": list(filters.groups), "where": where})
    if filters.dbs_status:
        # A DBS status (e.g. "information disclosed") is criminal-record data: each use is logged too.
        audit_log(actor=actor, action="dbs.filter", data={"status": filters.dbs_status, "where": where})
    return form


def _list_url(query: str = "") -> str:
    url = reverse("candidates:candidate-list")
    return f"{url}?{query}" if query else url


class CandidateListView(PermissionRequiredMixin, ListView[Candidate]):
    """Search, filter, sort and page through candidates; tick some and act on them in bulk."""

    permission = staticmethod(can_work_on_candidates)
    template_name = "candidates/candidate_list.html"
    context_object_name = "candidates"
    paginate_by = PAGE_SIZE
    paginator_class = CandidatePaginator

    def get_queryset(self) -> QuerySet[Candidate]:
        self.list_options = candidate_list_options(self.actor)
        self.filter_form = _parse_filters(self.request, self.actor, self.list_options, where="candidate list")
        self.filters = self.filter_form.filters()
        return candidate_list_for_staff(
            candidates=candidates_visible_to(self.actor), filters=self.filters, academy_id=academy_in_use_id(self.actor)
        )

    def get_paginator(self, queryset: Any, per_page: int, *args: Any, **kwargs: Any) -> Paginator[Any]:
        return CandidatePaginator(
            queryset, per_page, *args, stages=self.list_options.stages, searching=bool(self.filters.search), **kwargs
        )

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Paginator[Any], Page[Any], Any, bool]:
        # A saved link may name a page that no longer exists once records move: show the nearest
        # page instead of a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        filters_query = _params_without(params, *TRANSIENT_PARAMS)
        select_query = _params_without(params, "select")
        select_query["select"] = "page"
        sort_only = QueryDict(mutable=True)
        if self.filters.sort != DEFAULT_SORT:
            sort_only["sort"] = self.filters.sort
        context = super().get_context_data(
            filter_form=self.filter_form,
            filters=self.filters,
            active_filters=self.filter_form.active_filters(),
            clear_filters_query=sort_only.urlencode(),
            sort_param=sort_only.get("sort", ""),
            sort_headers=self._sort_headers(filters_query),
            query_string_without_page=filters_query.urlencode(),
            return_query=_params_without(params, "select").urlencode(),
            select_all=params.get("select") == "page",
            select_all_query=select_query.urlencode(),
            clear_selection_query=_params_without(params, "select").urlencode(),
            export_url=f"{reverse('candidates:candidate-export')}?{filters_query.urlencode()}".rstrip("?"),
            can_export_equality=can_export_equality(self.actor),
            bulk_form=CandidateBulkForm(candidates=Candidate.objects.none(), options=self.list_options),
            **kwargs,
        )
        return context

    def _sort_headers(self, filters_query: QueryDict) -> dict[str, dict[str, str]]:
        """For each sortable column: the link that sorts by it (or reverses it) and its aria-sort value."""
        current = self.filters.sort
        headers = {}
        for key, label, first_direction in SORTABLE_COLUMNS:
            if current.lstrip("-") == key:
                descending = current.startswith("-")
                aria_sort = "descending" if descending else "ascending"
                next_sort = key if descending else f"-{key}"
            else:
                aria_sort = "none"
                next_sort = f"{first_direction}{key}"
            query = filters_query.copy()
            query["sort"] = next_sort
            headers[key] = {"label": label, "aria_sort": aria_sort, "query": query.urlencode()}
        return headers


class CandidateExportView(PermissionRequiredMixin, View):
    """GET: what the export will hold, with a button; POST: ask for it, built in the background (any size,
    never cut off by a web worker's timeout), then follow its progress on the download's page."""

    permission = staticmethod(can_work_on_candidates)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = _parse_filters(request, self.actor, candidate_list_options(self.actor), where="candidate export")
        filters = form.filters()
        count = candidate_list_for_staff(
            candidates=candidates_visible_to(self.actor), filters=filters, academy_id=academy_in_use_id(self.actor)
        ).count()
        return render(
            request,
            "candidates/candidate_export.html",
            {
                "count": count,
                "active_filters": form.active_filters(),
                "include_equality": can_export_equality(self.actor),
                "list_url": _list_url(_params_without(request.GET, *TRANSIENT_PARAMS).urlencode()),
            },
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        query = _params_without(request.GET, *TRANSIENT_PARAMS)
        job = file_job_request(kind=CANDIDATE_LIST, params=dict(query.lists()), actor=self.actor)
        return redirect("academy:file-job-detail", public_id=job.public_id)


class CandidateBulkView(PermissionRequiredMixin, View):
    """POST only: move stage, assign an owner, email (after a preview) or add to a cohort the ticked candidates."""

    permission = staticmethod(can_work_on_candidates)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.list_options = candidate_list_options(self.actor)
        scope = candidates_visible_to(self.actor).current().select_related("stage", "owner")
        form = CandidateBulkForm(request.POST, candidates=scope, options=self.list_options)
        list_url = _list_url(form.return_query())
        if not form.is_valid():
            if form.has_selection_errors:
                messages.error(request, f"{form.errors['candidates'][0]}, then choose what to do.")
                return redirect(list_url)
            return self._render_form(form, list_url)
        data = form.cleaned_data
        selected: QuerySet[Candidate] = data["candidates"]
        try:
            if data["action"] == form.STAGE:
                return self._move_stage(form, selected, list_url)
            if data["action"] == form.OWNER:
                return self._assign_owner(form, selected, list_url)
            if data["action"] == form.COHORT:
                return self._add_to_cohort(form, selected, list_url)
            return self._email(form, selected, list_url)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self._render_form(form, list_url)

    def _move_stage(self, form: CandidateBulkForm, selected: QuerySet[Candidate], list_url: str) -> HttpResponse:
        stage = form.cleaned_data["stage_obj"]
        result = bulk.candidates_bulk_move_stage(
            candidates=list(selected), actor=self.actor, stage=stage, reason=form.cleaned_data["reason"]
        )
        text = f"{result.changed} candidate{pluralize(result.changed)} moved to {stage.name}."
        if result.unchanged:
            text += f" {result.unchanged} {pluralize(result.unchanged, 'was,were')} already in {stage.name}."
        messages.success(self.request, text)
        return redirect(list_url)

    def _assign_owner(self, form: CandidateBulkForm, selected: QuerySet[Candidate], list_url: str) -> HttpResponse:
        owner = form.cleaned_data["owner_obj"]
        result = bulk.candidates_bulk_assign_owner(candidates=list(selected), actor=self.actor, owner=owner)
        records = f"{result.changed} candidate{pluralize(result.changed)}"
        text = f"{records} assigned to {owner.get_full_name()}." if owner else f"Owner removed from {records}."
        if result.unchanged:
            text += f" {result.unchanged} {pluralize(result.unchanged, 'was,were')} already " + (
                f"assigned to {owner.get_full_name()}." if owner else "unassigned."
            )
        messages.success(self.request, text)
        return redirect(list_url)

    def _add_to_cohort(self, form: CandidateBulkForm, selected: QuerySet[Candidate], list_url: str) -> HttpResponse:
        add_to_cohort = list_hook("candidate_list_add_to_cohort")
        if add_to_cohort is None:  # the form offers the action only when the courses app does
            raise ValidationError("People cannot be added to cohorts here.")
        outcome = add_to_cohort(
            candidates=list(selected.order_by("last_name", "first_name", "id")),
            cohort=form.cleaned_data["cohort"],
            actor=self.actor,
        )
        if outcome.added:
            names = ", ".join(c.full_name or "(no name)" for c in outcome.added)
            count = len(outcome.added)
            messages.success(
                self.request, f"{count} candidate{pluralize(count)} added to {outcome.cohort_name}: {names}."
            )
        for candidate, reason in outcome.not_added:
            messages.warning(self.request, f"{candidate.full_name or '(no name)'} was not added. {reason}")
        return redirect(list_url)

    def _email(self, form: CandidateBulkForm, selected: QuerySet[Candidate], list_url: str) -> HttpResponse:
        data = form.cleaned_data
        if self.request.POST.get("edit"):
            return self._render_form(form, list_url)
        if not data["confirm"]:
            audience = candidate_email_audience(selected)
            preview = (
                bulk.candidate_bulk_email_render(
                    candidate=audience.recipients[0], actor=self.actor, subject=data["subject"], message=data["message"]
                )
                if audience.recipients
                else None
            )
            context = {"form": form, "audience": audience, "preview": preview, "list_url": list_url}
            return render(self.request, "candidates/candidate_bulk_email_confirm.html", context)
        audience = bulk.candidates_bulk_email(
            candidates=selected, actor=self.actor, subject=data["subject"], message=data["message"]
        )
        sent = len(audience.recipients)
        messages.success(self.request, f"Email sent to {sent} candidate{pluralize(sent)}.")
        if audience.skipped:
            reasons = []
            if audience.no_consent:
                count = len(audience.no_consent)
                reasons.append(f"{count} {pluralize(count, 'has,have')} not agreed to be contacted by email")
            if audience.no_email:
                count = len(audience.no_email)
                reasons.append(f"{count} {pluralize(count, 'has,have')} no email address")
            messages.warning(
                self.request,
                f"{audience.skipped} candidate{pluralize(audience.skipped)} not emailed: {', '.join(reasons)}.",
            )
        return redirect(list_url)

    def _render_form(self, form: CandidateBulkForm, list_url: str) -> HttpResponse:
        selected = form.cleaned_data.get("candidates") if hasattr(form, "cleaned_data") else None
        context = {
            "form": form,
            "selected": list(selected) if selected is not None else [],
            "list_url": list_url,
        }
        return render(self.request, "candidates/candidate_bulk.html", context)
