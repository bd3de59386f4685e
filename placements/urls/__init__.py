"""The placements app's URLs, one module per area (vacancies, job applications, starts, work placements, CV)."""

from placements.urls import applications, board, cv, funding, starts, vacancies, work

app_name = "placements"

urlpatterns = [
    *board.urlpatterns,
    *vacancies.urlpatterns,
    *applications.urlpatterns,
    *starts.urlpatterns,
    *work.urlpatterns,
    *cv.urlpatterns,
    *funding.urlpatterns,
]
