"""URLs of outcomes, sustained-employment follow-ups and retention (see placements/urls/__init__.py)."""

from django.urls import URLPattern, path

from placements.views import outcomes as views

urlpatterns: list[URLPattern] = [
    path("outcomes/", views.OutcomeListView.as_view(), name="outcome-list"),
    path("outcomes/record/", views.OutcomeCreateView.as_view(), name="outcome-create"),
    path("outcomes/mine/", views.MyOutcomesView.as_view(), name="my-outcomes"),
    path("outcomes/retention/", views.RetentionView.as_view(), name="retention"),
    path("outcomes/<uuid:public_id>/", views.OutcomeDetailView.as_view(), name="outcome-detail"),
    path("outcomes/<uuid:public_id>/edit/", views.OutcomeEditView.as_view(), name="outcome-edit"),
    path("outcomes/<uuid:public_id>/leaving/", views.OutcomeLeaveView.as_view(), name="outcome-leave"),
    path("follow-ups/", views.FollowUpsDueView.as_view(), name="follow-ups-due"),
    path("follow-ups/<uuid:public_id>/", views.FollowUpAnswerView.as_view(), name="follow-up-answer"),
]
