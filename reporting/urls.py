"""URLs of the reporting app. Each area keeps its own section; views live in reporting/views/<area>.py."""

from django.urls import URLPattern, path

from reporting.views import figures as figure_views
from reporting.views import reports as report_views

app_name = "reporting"

urlpatterns: list[URLPattern] = []

# --- figures: the manager dashboard, the figures' CSV, the people behind a figure (views/figures.py) ---
urlpatterns += [
    path("reports/", figure_views.DashboardView.as_view(), name="dashboard"),
    path("reports/figures.csv", figure_views.FiguresCsvView.as_view(), name="figures-csv"),
    path("reports/people/<str:key>/", figure_views.FigurePeopleView.as_view(), name="figure-people"),
]

# --- impact reports: versions, status, download; narrative, self-assessment, case studies (views/reports.py) ---
urlpatterns += [
    path("reports/impact/", report_views.ImpactReportListView.as_view(), name="impact-report-list"),
    path("reports/impact/request/", report_views.ImpactReportRequestView.as_view(), name="impact-report-request"),
    path(
        "reports/impact/<uuid:public_id>/", report_views.ImpactReportStatusView.as_view(), name="impact-report-status"
    ),
    path(
        "reports/impact/<uuid:public_id>/download/",
        report_views.ImpactReportDownloadView.as_view(),
        name="impact-report-download",
    ),
    path(
        "reports/impact/narrative/<int:year>/q<int:number>/",
        report_views.NarrativeEditView.as_view(),
        name="narrative-edit",
    ),
    path("reports/self-assessment/", report_views.SelfAssessmentListView.as_view(), name="self-assessment-list"),
    path(
        "reports/self-assessment/new/", report_views.SelfAssessmentCreateView.as_view(), name="self-assessment-create"
    ),
    path(
        "reports/self-assessment/<uuid:public_id>/delete/",
        report_views.SelfAssessmentDeleteView.as_view(),
        name="self-assessment-delete",
    ),
    path("reports/case-studies/", report_views.CaseStudyListView.as_view(), name="case-study-list"),
    path("reports/case-studies/new/", report_views.CaseStudyCreateView.as_view(), name="case-study-create"),
    path(
        "reports/case-studies/<uuid:public_id>/edit/",
        report_views.CaseStudyUpdateView.as_view(),
        name="case-study-update",
    ),
    path(
        "reports/case-studies/<uuid:public_id>/delete/",
        report_views.CaseStudyDeleteView.as_view(),
        name="case-study-delete",
    ),
    path(
        "reports/case-studies/<uuid:public_id>/withdraw-consent/",
        report_views.CaseStudyConsentWithdrawView.as_view(),
        name="case-study-consent-withdraw",
    ),
]
