"""URLs of the reporting app. Each area keeps its own section; views live in reporting/views/<area>.py."""

from django.urls import path

from reporting.views import figures as figure_views

app_name = "reporting"

urlpatterns: list = []

# --- figures: the manager dashboard, the figures' CSV, the people behind a figure (views/figures.py) ---
urlpatterns += [
    path("reports/", figure_views.DashboardView.as_view(), name="dashboard"),
    path("reports/figures.csv", figure_views.FiguresCsvView.as_view(), name="figures-csv"),
    path("reports/people/<str:key>/", figure_views.FigurePeopleView.as_view(), name="figure-people"),
]
