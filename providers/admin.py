from django.contrib import admin

from providers.models import Provider, ProviderMembership


class MembershipInline(admin.TabularInline[ProviderMembership, Provider]):
    model = ProviderMembership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin[Provider]):
    list_display = ["name", "kind", "cqc_location_id", "postcode", "agreement_status", "is_active"]
    list_filter = ["kind", "agreement_status", "size_band", "is_active"]
    search_fields = ["name", "postcode", "cqc_location_id"]
    inlines = [MembershipInline]
