from django.urls import path

from providers import views

app_name = "providers"

urlpatterns = [
    path("", views.ProviderListView.as_view(), name="provider-list"),
    path("new/", views.ProviderCreateView.as_view(), name="provider-create"),
    path("<uuid:public_id>/", views.ProviderDetailView.as_view(), name="provider-detail"),
    path("<uuid:public_id>/edit/", views.ProviderUpdateView.as_view(), name="provider-update"),
]
