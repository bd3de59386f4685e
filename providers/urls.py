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

# --- engagement and the quarterly survey (engagement_views.py) ---
from providers import engagement_views  # noqa: E402

urlpatterns += [
    path("engagement/", engagement_views.EngagementListView.as_view(), name="engagement-list"),
    path("survey/", engagement_views.SurveyAnswerView.as_view(), name="survey-answer"),
    path("survey/answers/", engagement_views.SurveyListView.as_view(), name="survey-list"),
    path("<uuid:public_id>/engagement/", engagement_views.ProviderEngagementView.as_view(), name="provider-engagement"),
    path("<uuid:public_id>/contacts/new/", engagement_views.ProviderContactCreateView.as_view(), name="contact-create"),
    path("<uuid:public_id>/support/new/", engagement_views.ProviderSupportCreateView.as_view(), name="support-create"),
]
