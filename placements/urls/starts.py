"""URLs of interviews, offers, the personnel folder, the ready-to-start checklist and job starts."""

from django.urls import URLPattern, path

from placements.views.starts import folders, interviews, job_starts, offers

urlpatterns: list[URLPattern] = [
    path("job-interviews/", interviews.InterviewListView.as_view(), name="interview-list"),
    path(
        "job-applications/<uuid:public_id>/interviews/new/",
        interviews.InterviewCreateView.as_view(),
        name="interview-create",
    ),
    path("job-interviews/<uuid:public_id>/", interviews.InterviewDetailView.as_view(), name="interview-detail"),
    path("job-interviews/<uuid:public_id>/change/", interviews.InterviewUpdateView.as_view(), name="interview-update"),
    path("job-interviews/<uuid:public_id>/cancel/", interviews.InterviewCancelView.as_view(), name="interview-cancel"),
    path(
        "job-interviews/<uuid:public_id>/outcome/", interviews.InterviewOutcomeView.as_view(), name="interview-outcome"
    ),
    path(
        "job-interviews/<uuid:public_id>/interview.ics",
        interviews.InterviewCalendarView.as_view(),
        name="interview-ics",
    ),
    path("job-applications/<uuid:public_id>/offer/", offers.OfferCreateView.as_view(), name="offer-create"),
    path("job-applications/<uuid:public_id>/offer/answer/", offers.OfferRespondView.as_view(), name="offer-respond"),
    path("job-applications/<uuid:public_id>/folder/", folders.FolderDetailView.as_view(), name="folder-detail"),
    path("people/<uuid:public_id>/personnel-folder/", folders.FolderEditView.as_view(), name="folder-edit"),
    path(
        "people/<uuid:public_id>/personnel-folder/references/new/",
        folders.ReferenceFormView.as_view(),
        name="reference-create",
    ),
    path(
        "people/<uuid:public_id>/personnel-folder/references/<int:number>/",
        folders.ReferenceFormView.as_view(),
        name="reference-update",
    ),
    path("job-applications/<uuid:public_id>/checklist/", job_starts.ChecklistView.as_view(), name="checklist"),
    path(
        "job-applications/<uuid:public_id>/checklist/training/",
        job_starts.ChecklistTrainingView.as_view(),
        name="checklist-training",
    ),
    path(
        "job-applications/<uuid:public_id>/checklist/start-date/",
        job_starts.ChecklistStartDateView.as_view(),
        name="checklist-start-date",
    ),
    path(
        "job-applications/<uuid:public_id>/start/", job_starts.JobStartConfirmView.as_view(), name="job-start-confirm"
    ),
    path("people/<uuid:public_id>/job-starts/new/", job_starts.JobStartCreateView.as_view(), name="job-start-create"),
    path("job-starts/", job_starts.JobStartListView.as_view(), name="job-start-list"),
]
