"""URLs for this area of placements (see placements/urls/__init__.py): job alerts from board searches."""

from django.urls import URLPattern, path

from placements.views import alerts

urlpatterns: list[URLPattern] = [
    path("jobs/alerts/", alerts.JobAlertListView.as_view(), name="job-alert-list"),
    path("jobs/alerts/new/", alerts.JobAlertCreateView.as_view(), name="job-alert-create"),
    path("jobs/alerts/saved/<str:token>/", alerts.JobAlertUnsubscribeView.as_view(), name="job-alert-unsubscribe"),
]
