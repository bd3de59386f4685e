"""URLs for this area of placements (see placements/urls/__init__.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
