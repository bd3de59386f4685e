from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from academy import file_job_views, views

academy_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health_view, name="health"),
    path("audit/", views.AuditEntryListView.as_view(), name="audit-list"),
    path("users/", views.UserListView.as_view(), name="user-list"),
    path("users/<uuid:public_id>/", views.UserDetailView.as_view(), name="user-detail"),
    path("users/<uuid:public_id>/deactivate/", views.UserSetActiveView.as_view(active=False), name="user-deactivate"),
    path("users/<uuid:public_id>/reactivate/", views.UserSetActiveView.as_view(active=True), name="user-reactivate"),
    path("invitations/", views.InvitationListView.as_view(), name="invitation-list"),
    path("invitations/new/", views.InvitationCreateView.as_view(), name="invitation-create"),
    path("invitations/<uuid:public_id>/revoke/", views.InvitationRevokeView.as_view(), name="invitation-revoke"),
    path("invitations/<uuid:public_id>/resend/", views.InvitationResendView.as_view(), name="invitation-resend"),
    path("invitations/accept/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("downloads/", file_job_views.FileJobListView.as_view(), name="file-job-list"),
    path("downloads/<uuid:public_id>/", file_job_views.FileJobDetailView.as_view(), name="file-job-detail"),
    path("downloads/<uuid:public_id>/file/", file_job_views.FileJobDownloadView.as_view(), name="file-job-download"),
]

urlpatterns = [
    path("", include((academy_patterns, "academy"))),
    path("providers/", include("providers.urls")),
    path("", include("candidates.urls")),
    path("", include("courses.urls")),
    path("", include("placements.urls")),
    path("", include("reporting.urls")),
    path("accounts/", include("allauth.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler500 = "academy.errors.server_error"
