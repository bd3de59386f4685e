"""Quarterly impact reports: the versions and asking for one, a report's status (polled by htmx), the download,
and what managers write for the report (narrative, self-assessments, case studies)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from academy.files import private_file_response
from academy.models import Academy
from academy.periods import Quarter
from academy.permissions import PermissionRequiredMixin
from academy.tenancy import academy_in_use_id
from academy.views import PaginatedListMixin
from candidates.forms.records import add_service_errors
from reporting.impact.forms import CaseStudyForm, NarrativeForm, ReportRequestForm, SelfAssessmentForm, quarters_offered
from reporting.impact.permissions import (
    can_manage_impact_reports,
    can_view_impact_reports,
    case_studies_visible_to,
    impact_reports_visible_to,
    narratives_visible_to,
    self_assessments_visible_to,
)
from reporting.impact.selectors import (
    case_studies_in_force,
    case_studies_with_consent,
    impact_report_list,
    self_assessment_summary,
)
from reporting.impact.services import impact_report_record_download, impact_report_request
from reporting.impact.writing import (
    case_study_consent_withdraw,
    case_study_delete,
    case_study_learner,
    case_study_save,
    narrative_save,
    self_assessment_create,
    self_assessment_delete,
)
from reporting.models import CaseStudy, ImpactReport, SelfAssessment

# The status fragment asks again this often while a report is queued or being built.
POLL_EVERY = "2s"


def _academy_in_use(view: PermissionRequiredMixin) -> Academy:
    academy_id = academy_in_use_id(view.actor)
    academy = Academy.objects.filter(pk=academy_id).first() if academy_id is not None else None
    if academy is None:
        raise Http404("Choose an academy to work in first.")
    return academy


def report_list_url() -> str:
    return reverse("reporting:impact-report-list")


class ImpactReportListView(PermissionRequiredMixin, PaginatedListMixin, ListView[ImpactReport]):
    """Every version of the academy's reports, newest first; managers ask for a new one here."""

    permission = staticmethod(can_view_impact_reports)
    template_name = "reporting/impactreport_list.html"
    context_object_name = "reports"

    def get_queryset(self) -> QuerySet[ImpactReport]:
        self.academy = _academy_in_use(self)
        return impact_report_list(impact_reports_visible_to(self.actor).filter(academy=self.academy))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_manage = can_manage_impact_reports(self.actor)
        return super().get_context_data(
            academy=self.academy,
            can_manage=can_manage,
            form=ReportRequestForm(academy=self.academy) if can_manage else None,
            quarters=quarters_offered()[:4],
            poll_every=POLL_EVERY,
            **kwargs,
        )


class ImpactReportRequestView(PermissionRequiredMixin, View):
    """POST: ask for a new version of a quarter's report; then watch it being built."""

    permission = staticmethod(can_manage_impact_reports)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        academy = _academy_in_use(self)
        form = ReportRequestForm(request.POST, academy=academy)
        if form.is_valid():
            try:
                report = impact_report_request(
                    actor=self.actor, academy=academy, quarter=form.chosen_quarter(), stream=form.cleaned_data["stream"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"The report for {report.quarter_label} is being made.")
                return redirect("reporting:impact-report-status", public_id=report.public_id)
        reports = impact_report_list(impact_reports_visible_to(self.actor).filter(academy=academy))[:10]
        context = {
            "academy": academy,
            "can_manage": True,
            "form": form,
            "reports": reports,
            "quarters": quarters_offered()[:4],
            "poll_every": POLL_EVERY,
        }
        return render(request, "reporting/impactreport_list.html", context, status=400)


class ImpactReportScopedMixin(PermissionRequiredMixin, SingleObjectMixin[ImpactReport]):
    permission = staticmethod(can_view_impact_reports)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "report"

    def get_queryset(self) -> QuerySet[ImpactReport]:
        return impact_reports_visible_to(self.actor).select_related("requested_by", "academy")


class ImpactReportStatusView(ImpactReportScopedMixin, DetailView[ImpactReport]):
    """A report's status: a page without JavaScript (refresh to update), a fragment htmx swaps every 2 seconds."""

    template_name = "reporting/impactreport_detail.html"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["reporting/_impactreport_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(poll_every=POLL_EVERY, **kwargs)


class ImpactReportDownloadView(ImpactReportScopedMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        report = self.get_object()
        if report.status != ImpactReport.Status.READY:
            raise Http404("This report is not ready.")
        response = private_file_response(report.file, filename=report.filename, content_type="application/pdf")
        impact_report_record_download(report=report, actor=self.actor)
        return response


# --- narrative ----------------------------------------------------------------------------------


class NarrativeEditView(PermissionRequiredMixin, FormView[NarrativeForm]):
    """The quarter's narrative: highlights, chosen case studies, sector challenges, next quarter's plans."""

    permission = staticmethod(can_manage_impact_reports)
    template_name = "reporting/reportnarrative_form.html"
    form_class = NarrativeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.quarter = Quarter.numbered(kwargs["year"], kwargs["number"])
        except ValueError as exc:
            raise Http404("There is no such quarter.") from exc
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        self.academy = _academy_in_use(self)
        self.narrative = narratives_visible_to(self.actor).filter(period_start=self.quarter.start).first()
        studies = case_studies_in_force(case_studies_visible_to(self.actor))
        return {**super().get_form_kwargs(), "case_studies": studies.order_by("title")}

    def get_initial(self) -> dict[str, Any]:
        if self.narrative is None:
            return {}
        return {
            "highlights": self.narrative.highlights,
            "sector_challenges": self.narrative.sector_challenges,
            "next_quarter_plans": self.narrative.next_quarter_plans,
            "case_studies": list(self.narrative.case_studies.values_list("pk", flat=True)),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(quarter=self.quarter, **kwargs)  # builds the form (and self.narrative)
        context["narrative"] = self.narrative
        return context

    def form_valid(self, form: NarrativeForm) -> HttpResponse:
        try:
            narrative_save(
                academy=self.academy,
                quarter=self.quarter,
                actor=self.actor,
                highlights=form.cleaned_data["highlights"],
                sector_challenges=form.cleaned_data["sector_challenges"],
                next_quarter_plans=form.cleaned_data["next_quarter_plans"],
                case_studies=form.cleaned_data["case_studies"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"The narrative for {self.quarter.label} has been saved.")
        return redirect(report_list_url())


# --- self-assessment ----------------------------------------------------------------------------


class SelfAssessmentListView(PermissionRequiredMixin, PaginatedListMixin, ListView[SelfAssessment]):
    """The latest level of each area, and every assessment recorded, newest first."""

    permission = staticmethod(can_manage_impact_reports)
    template_name = "reporting/selfassessment_list.html"
    context_object_name = "assessments"

    def get_queryset(self) -> QuerySet[SelfAssessment]:
        return self_assessments_visible_to(self.actor).select_related("level", "target_level", "assessed_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        summary = self_assessment_summary(academy_id=academy_in_use_id(self.actor), as_of=timezone.localdate())
        return super().get_context_data(summary=summary, **kwargs)


class SelfAssessmentCreateView(PermissionRequiredMixin, FormView[SelfAssessmentForm]):
    permission = staticmethod(can_manage_impact_reports)
    template_name = "reporting/selfassessment_form.html"
    form_class = SelfAssessmentForm

    def form_valid(self, form: SelfAssessmentForm) -> HttpResponse:
        try:
            assessment = self_assessment_create(academy=_academy_in_use(self), actor=self.actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Assessment saved: {assessment}.")
        return redirect("reporting:self-assessment-list")


class SelfAssessmentDeleteView(PermissionRequiredMixin, SingleObjectMixin[SelfAssessment], View):
    """GET asks for confirmation; POST removes the assessment."""

    permission = staticmethod(can_manage_impact_reports)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def get_queryset(self) -> QuerySet[SelfAssessment]:
        return self_assessments_visible_to(self.actor).select_related("level")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, "reporting/selfassessment_delete.html", {"assessment": self.get_object()})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assessment = self.get_object()
        text = str(assessment)
        self_assessment_delete(assessment=assessment, actor=self.actor)
        messages.success(request, f"Assessment removed: {text}.")
        return redirect("reporting:self-assessment-list")


# --- case studies -------------------------------------------------------------------------------


class CaseStudyListView(PermissionRequiredMixin, PaginatedListMixin, ListView[CaseStudy]):
    permission = staticmethod(can_manage_impact_reports)
    template_name = "reporting/casestudy_list.html"
    context_object_name = "studies"

    def get_queryset(self) -> QuerySet[CaseStudy]:
        return case_studies_with_consent(case_studies_visible_to(self.actor)).order_by("-created_at", "-id")


class CaseStudyCreateView(PermissionRequiredMixin, FormView[CaseStudyForm]):
    permission = staticmethod(can_manage_impact_reports)
    template_name = "reporting/casestudy_form.html"
    form_class = CaseStudyForm

    def form_valid(self, form: CaseStudyForm) -> HttpResponse:
        academy = _academy_in_use(self)
        data = form.cleaned_data
        try:
            candidate = case_study_learner(academy=academy, email=data["learner_email"])
            study = case_study_save(
                academy=academy,
                actor=self.actor,
                candidate=candidate,
                consent_given=data["consent_given"],
                title=data["title"],
                display_name=data["display_name"],
                story=data["story"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Case study saved: {study.title}. The learner's agreement is recorded.")
        return redirect("reporting:case-study-list")


class CaseStudyScopedMixin(PermissionRequiredMixin, SingleObjectMixin[CaseStudy]):
    permission = staticmethod(can_manage_impact_reports)
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    context_object_name = "study"

    def get_queryset(self) -> QuerySet[CaseStudy]:
        return case_studies_visible_to(self.actor).select_related("candidate")


class CaseStudyUpdateView(CaseStudyScopedMixin, FormView[CaseStudyForm]):
    template_name = "reporting/casestudy_form.html"
    form_class = CaseStudyForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.object = self.get_object()  # 404 outside scope, then 403 without the right
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "editing": True}

    def get_initial(self) -> dict[str, Any]:
        study = self.object
        return {"title": study.title, "display_name": study.display_name, "story": study.story}

    def form_valid(self, form: CaseStudyForm) -> HttpResponse:
        study = case_study_save(academy=self.object.academy, actor=self.actor, study=self.object, **form.cleaned_data)
        messages.success(self.request, f"Case study saved: {study.title}.")
        return redirect("reporting:case-study-list")


class CaseStudyDeleteView(CaseStudyScopedMixin, View):
    """GET asks for confirmation; POST deletes the case study."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, "reporting/casestudy_delete.html", {"study": self.get_object()})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        study = self.get_object()
        title = study.title
        case_study_delete(study=study, actor=self.actor)
        messages.success(request, f"Case study deleted: {title}.")
        return redirect("reporting:case-study-list")


class CaseStudyConsentWithdrawView(CaseStudyScopedMixin, View):
    """POST: the learner told us they withdraw their agreement; later reports leave their stories out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        study = case_study_consent_withdraw(study=self.get_object(), actor=self.actor)
        messages.success(
            request,
            f"Withdrawal recorded: {study.display_name}'s stories will be left out of reports made from now on.",
        )
        return redirect("reporting:case-study-list")
