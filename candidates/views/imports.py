"""CSV import of candidates: upload and check, preview, then import everything or nothing."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin

from academy.permissions import PermissionRequiredMixin
from candidates.forms.import_csv import COLUMNS, REQUIRED_COLUMNS
from candidates.forms.imports import COLUMN_HELP, CandidateImportCommitForm, CandidateImportForm
from candidates.models import CandidateImport
from candidates.permissions import can_work_on_candidates, candidate_imports_visible_to, candidates_visible_to
from candidates.selectors.imports import candidate_import_list, candidate_import_preview
from candidates.services.imports import ROWS_KEPT_FOR, candidate_import_commit, candidate_import_create


class CandidateImportCreateView(PermissionRequiredMixin, FormView[CandidateImportForm]):
    """Upload a CSV file; it is checked and stored for preview, and nothing is imported yet."""

    permission = staticmethod(can_work_on_candidates)
    template_name = "candidates/import_create.html"
    form_class = CandidateImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            columns=[(name, name in REQUIRED_COLUMNS, COLUMN_HELP[name]) for name in COLUMNS],
            recent_imports=candidate_import_list(imports=candidate_imports_visible_to(self.actor)),
            **kwargs,
        )

    def form_valid(self, form: CandidateImportForm) -> HttpResponse:
        table = form.table
        candidate_import = candidate_import_create(
            actor=self.actor, file_name=form.cleaned_data["file"].name, table=table
        )
        if table.ignored_headers:
            messages.warning(
                self.request, "These columns were not recognised and were ignored: " + ", ".join(table.ignored_headers)
            )
        return redirect(candidate_import)


class CandidateImportScopedMixin(PermissionRequiredMixin, SingleObjectMixin[CandidateImport]):
    permission = staticmethod(can_work_on_candidates)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[CandidateImport]:
        return candidate_imports_visible_to(self.actor).select_related("created_by")


class CandidateImportDetailView(CandidateImportScopedMixin, DetailView[CandidateImport]):
    """The preview: counts, the first rows, every error and possible duplicate; or the result once imported."""

    template_name = "candidates/import_detail.html"
    context_object_name = "candidate_import"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        preview = candidate_import_preview(self.object, candidates=candidates_visible_to(self.actor))
        can_commit = self.object.status == CandidateImport.Status.PREVIEW and not preview.expired
        return super().get_context_data(
            preview=preview,
            can_commit=can_commit,
            rows_kept_days=ROWS_KEPT_FOR.days,
            commit_form=(
                CandidateImportCommitForm(duplicate_rows=preview.duplicate_rows, to_import=preview.to_import)
                if can_commit
                else None
            ),
            **kwargs,
        )


class CandidateImportCommitView(CandidateImportScopedMixin, View):
    """POST: import every row of the previewed file, or none, and go back to the import's page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        candidate_import = self.get_object()
        form = CandidateImportCommitForm(request.POST)
        include_duplicates = form.is_valid() and form.cleaned_data["include_duplicates"]
        try:
            candidate_import = candidate_import_commit(
                candidate_import=candidate_import, actor=self.actor, include_duplicates=include_duplicates
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            people = "candidate" if candidate_import.imported_count == 1 else "candidates"
            message = f"{candidate_import.imported_count:,} {people} imported."
            if candidate_import.skipped_count:
                message += f" {candidate_import.skipped_count:,} possible duplicates were left out."
            messages.success(request, message)
        return redirect(candidate_import)


class CandidateImportTemplateView(PermissionRequiredMixin, View):
    """A CSV with the column names, for staff to fill in (UTF-8 with a mark, so Excel keeps accents)."""

    permission = staticmethod(can_work_on_candidates)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="candidates-import-template.csv"'
        response.write("\ufeff")
        csv.writer(response).writerow(COLUMNS)
        return response
