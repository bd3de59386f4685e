"""Django admin for candidates: for emergencies by superusers, and the yardstick of `make bench`.

Its changelist is kept comparable with the staff list (same page size, search, filters and
joins), so the benchmark compares like with like. Equality answers are deliberately absent.
"""

from django.contrib import admin

from candidates.models import Candidate


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin[Candidate]):
    list_display = [
        "last_name",
        "first_name",
        "email",
        "phone",
        "postcode",
        "stage",
        "stage_entered_at",
        "owner",
        "created_at",
    ]
    list_display_links = ["last_name", "first_name"]
    list_filter = ["stage", "source", "owner", "created_at"]
    search_fields = ["first_name", "last_name", "email", "phone_key", "postcode"]
    list_select_related = ["stage", "owner"]
    list_per_page = 25
    raw_id_fields = ["user", "owner"]
    readonly_fields = ["public_id", "phone_key", "merged_into", "anonymised_at", "created_at", "updated_at"]
