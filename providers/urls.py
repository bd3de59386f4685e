from django.urls import path

from providers import views

app_name = "providers"

urlpatterns = [
    path("", views.ProviderListView.as_view(), name="provider-list"),
    path("new/", views.ProviderCreateView.as_view(), name="provider-create"),
    path("import/", views.ProviderImportView.as_view(), name="provider-import"),
    path("import/template.csv", views.ProviderImportTemplateView.as_view(), name="provider-import-template"),
    path("<uuid:public_id>/", views.ProviderDetailView.as_view(), name="provider-detail"),
    path("<uuid:public_id>/edit/", views.ProviderUpdateView.as_view(), name="provider-update"),
    path(
        "<uuid:public_id>/users/<uuid:user_id>/admin/", views.ProviderAdminSetView.as_view(), name="provider-admin-set"
    ),
    path("<uuid:public_id>/colleagues/", views.ColleagueListView.as_view(), name="colleague-list"),
    path("<uuid:public_id>/colleagues/invite/", views.ColleagueInviteView.as_view(), name="colleague-invite"),
    path(
        "<uuid:public_id>/colleagues/invitations/<uuid:invitation_id>/revoke/",
        views.ColleagueInvitationRevokeView.as_view(),
        name="colleague-invitation-revoke",
    ),
]
