"""URLs for this area of placements (see placements/urls/__init__.py): the public job board."""

from django.urls import URLPattern, path

from placements.views import board

urlpatterns: list[URLPattern] = [
    path("jobs/", board.JobBoardView.as_view(), name="job-board"),
    path("jobs/<uuid:public_id>/", board.JobDetailView.as_view(), name="job-detail"),
]
