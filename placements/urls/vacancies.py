"""URLs for this area of placements (see placements/urls/__init__.py): posting and approving vacancies."""

from django.urls import URLPattern, path

from placements.views import vacancies as views

urlpatterns: list[URLPattern] = [
    path("provider/vacancies/", views.ProviderVacancyListView.as_view(), name="provider-vacancy-list"),
    path("provider/vacancies/new/", views.VacancyCreateView.as_view(), name="vacancy-create"),
    path("vacancies/", views.StaffVacancyListView.as_view(), name="vacancy-list"),
    path("vacancies/approval/", views.VacancyApprovalQueueView.as_view(), name="vacancy-approval-queue"),
    path("vacancies/<uuid:public_id>/", views.VacancyDetailView.as_view(), name="vacancy-detail"),
    path("vacancies/<uuid:public_id>/edit/", views.VacancyUpdateView.as_view(), name="vacancy-update"),
    path("vacancies/<uuid:public_id>/submit/", views.VacancySubmitView.as_view(), name="vacancy-submit"),
    path("vacancies/<uuid:public_id>/close/", views.VacancyCloseView.as_view(), name="vacancy-close"),
    path("vacancies/<uuid:public_id>/approve/", views.VacancyApproveView.as_view(), name="vacancy-approve"),
    path(
        "vacancies/<uuid:public_id>/request-changes/",
        views.VacancyRequestChangesView.as_view(),
        name="vacancy-request-changes",
    ),
]
