from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from academy.models import AuditEntry, Invitation, User


def _admin_login_when_signed_in(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    return redirect("admin:index")


# The admin's own login form checks the password alone. Everyone signs in through the portal's sign-in,
# which asks for the second factor; an admin user already signed in goes straight to the index.
admin.site.login = secure_admin_login(_admin_login_when_signed_in)  # type: ignore[method-assign]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "role")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "role", "provider", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    exclude = ["token_hash"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the audit log is never edited."""

    list_display = ["created_at", "actor_label", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "object_id"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
