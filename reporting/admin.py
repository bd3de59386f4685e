"""Maturity levels are reference data: the admin is where an installation changes the scale."""

from django.contrib import admin

from reporting.models import MaturityLevel


@admin.register(MaturityLevel)
class MaturityLevelAdmin(admin.ModelAdmin[MaturityLevel]):
    list_display = ("rank", "name", "description")
    ordering = ("rank",)
