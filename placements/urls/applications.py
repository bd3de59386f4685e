"""URLs for job applications and referrals (see placements/urls/__init__.py)."""

from django.urls import path

from placements.views import job_applications as views

urlpatterns = [
    path("jobs/<uuid:public_id>/apply/", views.JobApplyView.as_view(), name="job-apply"),
    path("my/job-applications/", views.MyJobApplicationListView.as_view(), name="my-job-applications"),
    path(
        "my/job-applications/<uuid:public_id>/",
        views.MyJobApplicationDetailView.as_view(),
        name="my-job-application-detail",
    ),
    path(
        "my/job-applications/<uuid:public_id>/respond/",
        views.JobReferralRespondView.as_view(),
        name="job-referral-respond",
    ),
    path(
        "my/job-applications/<uuid:public_id>/withdraw/",
        views.JobApplicationWithdrawView.as_view(),
        name="job-application-withdraw",
    ),
    path("vacancies/<uuid:public_id>/refer/", views.JobReferView.as_view(), name="job-refer"),
    path("provider/applicants/", views.ProviderApplicationListView.as_view(), name="provider-application-list"),
    path(
        "provider/applicants/<uuid:public_id>/",
        views.ProviderApplicationDetailView.as_view(),
        name="provider-application-detail",
    ),
    path(
        "job-applications/<uuid:public_id>/shortlist/",
        views.JobApplicationShortlistView.as_view(),
        name="job-application-shortlist",
    ),
    path(
        "job-applications/<uuid:public_id>/not-progressed/",
        views.JobApplicationNotProgressedView.as_view(),
        name="job-application-not-progressed",
    ),
    path("job-applications/", views.JobApplicationListView.as_view(), name="job-application-list"),
    path("job-applications/<uuid:public_id>/", views.JobApplicationDetailView.as_view(), name="job-application-detail"),
    path("interviews-due/", views.InterviewsDueView.as_view(), name="interviews-due"),
]
