"""URLs for funding streams (see placements/urls/__init__.py)."""

from django.urls import URLPattern, path

from placements.views import funding as views

urlpatterns: list[URLPattern] = [
    path("funding/streams/", views.StreamListView.as_view(), name="stream-list"),
    path("funding/streams/new/", views.StreamCreateView.as_view(), name="stream-create"),
    path("funding/streams/<uuid:public_id>/", views.StreamDetailView.as_view(), name="stream-detail"),
    path("funding/streams/<uuid:public_id>/edit/", views.StreamUpdateView.as_view(), name="stream-update"),
    path("funding/streams/<uuid:public_id>/learners/", views.StreamLearnersView.as_view(), name="stream-learners"),
    path("funding/streams/<uuid:public_id>/rules/new/", views.RuleCreateView.as_view(), name="stream-rule-create"),
    path("funding/rules/<uuid:public_id>/edit/", views.RuleUpdateView.as_view(), name="stream-rule-update"),
    path("funding/rules/<uuid:public_id>/delete/", views.RuleDeleteView.as_view(), name="stream-rule-delete"),
]
