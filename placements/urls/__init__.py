"""The placements app's URLs, one module per area (vacancies, job applications, starts, work placements, CV)."""

from placements.urls import alerts, applications, board, cv, funding, outcomes, starts, vacancies, work

app_name = "placements"

urlpatterns = [
    *board.urlpatterns,
    *alerts.urlpatterns,
    *vacancies.urlpatterns,
    *applications.urlpatterns,
    *starts.urlpatterns,
    *work.urlpatterns,
    *cv.urlpatterns,
    *outcomes.urlpatterns,
    *funding.urlpatterns,
]
