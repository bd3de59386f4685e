"""The manager dashboard, the figures' CSV and the list of people behind a figure.

All three read the scope from the same filter form and the figures from report_figures, so the
dashboard, the CSV and the PDF always agree.
"""

from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from academy.audit import audit_log
from academy.permissions import PermissionRequiredMixin
from academy.selectors import querystring_without_page
from candidates.permissions import candidates_visible_to
from candidates.services.candidate_export import csv_safe
from reporting.figures import figure_measure, report_figures, scope_query
from reporting.forms import ReportFilterForm
from reporting.permissions import can_view_figure_people, can_view_reports
from reporting.selectors.dashboard import dashboard_page

PEOPLE_PAGE_SIZE = 25
CSV_COLUMNS = ["section", "key", "label", "value", "unit", "denominator", "denominator label", "shown as"]


def _form(request: HttpRequest, user: Any) -> ReportFilterForm:
    form = ReportFilterForm(request.GET or None, user=user, today=timezone.localdate())
    form.is_valid()
    return form


class DashboardView(PermissionRequiredMixin, View):
    """GET: the chosen period against the period before and the same quarter a year earlier, the funnel
    and trends as charts, each figure linked to its people."""

    permission = staticmethod(can_view_reports)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = _form(request, self.actor)
        page = dashboard_page(form.scope())
        return render(
            request,
            "reporting/dashboard.html",
            {"filter_form": form, "page": page, "csv_query": scope_query(page.scope)},
        )


class FiguresCsvView(PermissionRequiredMixin, View):
    """GET: the same figures as the dashboard, one row per figure (figures, not people); audited."""

    permission = staticmethod(can_view_reports)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = _form(request, self.actor).scope()
        figures = report_figures(scope)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="figures-{scope.start}-to-{scope.end}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for section in figures.sections:
            for figure in section.figures:
                writer.writerow(
                    [
                        csv_safe(section.title),
                        figure.key,
                        csv_safe(figure.label),
                        "" if figure.suppressed or figure.value is None else figure.value,
                        figure.unit.value,
                        "" if figure.denominator is None else figure.denominator,
                        csv_safe(figure.denominator_label),
                        csv_safe(figure.display),
                    ]
                )
        audit_log(
            actor=self.actor,
            action="reporting.figures_csv",
            data={"scope": scope_query(scope)},
        )
        return response


class FigurePeopleView(PermissionRequiredMixin, View):
    """GET: the people counted in one figure, in the figure's scope, paginated (staff and managers)."""

    permission = staticmethod(can_view_figure_people)

    def get(self, request: HttpRequest, key: str, *args: Any, **kwargs: Any) -> HttpResponse:
        form = _form(request, self.actor)
        scope = form.scope()
        measure = figure_measure(key, scope)
        if measure is None:
            raise Http404("No list for this figure.")
        rows = (
            measure.people(scope)
            .filter(pk__in=candidates_visible_to(self.actor).values("pk"))
            .select_related("stage")
            .order_by("last_name", "first_name", "pk")
        )
        page = Paginator(rows, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "reporting/figure_people.html",
            {
                "label": measure.label,
                "scope": scope,
                "page_obj": page,
                "people": page.object_list,
                "query_string_without_page": querystring_without_page(request.GET),
                "dashboard_query": scope_query(scope),
            },
        )
