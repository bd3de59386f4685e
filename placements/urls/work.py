"""URLs for work placements and providers' readiness feedback (views/work.py, views/feedback.py)."""

from django.urls import URLPattern, path

from placements.views import feedback, work

urlpatterns: list[URLPattern] = [
    path("placements/", work.WorkPlacementListView.as_view(), name="work-placement-list"),
    path("manage/cohorts/<uuid:public_id>/placements/", work.CohortPlacementsView.as_view(), name="cohort-placements"),
    path(
        "manage/cohorts/<uuid:public_id>/placements/new/",
        work.WorkPlacementCreateView.as_view(),
        name="work-placement-create",
    ),
    path("placements/<uuid:public_id>/", work.WorkPlacementDetailView.as_view(), name="work-placement-detail"),
    path("placements/<uuid:public_id>/edit/", work.WorkPlacementUpdateView.as_view(), name="work-placement-update"),
    path("placements/<uuid:public_id>/start/", work.WorkPlacementStartView.as_view(), name="work-placement-start"),
    path(
        "placements/<uuid:public_id>/complete/",
        work.WorkPlacementCompleteView.as_view(),
        name="work-placement-complete",
    ),
    path("placements/<uuid:public_id>/hours/", work.WorkPlacementHoursView.as_view(), name="work-placement-hours"),
    path(
        "placements/<uuid:public_id>/end-early/",
        work.WorkPlacementEndEarlyView.as_view(),
        name="work-placement-end-early",
    ),
    path(
        "placements/<uuid:public_id>/sign-off/",
        work.WorkPlacementSignOffView.as_view(),
        name="work-placement-sign-off",
    ),
    path("readiness-feedback/", feedback.FeedbackDueListView.as_view(), name="feedback-due-list"),
    path("readiness-feedback/<uuid:public_id>/", feedback.FeedbackAnswerView.as_view(), name="feedback-answer"),
    path("manage/readiness-feedback/", feedback.ReadinessResultsView.as_view(), name="readiness-results"),
]
