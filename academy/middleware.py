"""Cross-cutting request handling: security headers, staff idle sign-out and required MFA."""

from collections.abc import Callable
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

Handler = Callable[[HttpRequest], HttpResponse]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """No inline scripts or styles anywhere: the GOV.UK `js-enabled` snippet is a static file."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


SESSION_REFRESH_SECONDS = 60


class StaffSessionIdleMiddleware:
    """Staff and managers see special-category data, so their sessions end after inactivity."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_academy_staff:
            # A sliding window: push the absolute expiry forward, but write the session at most
            # once a minute rather than on every request.
            idle = settings.STAFF_SESSION_IDLE_SECONDS
            if not idle - SESSION_REFRESH_SECONDS < request.session.get_expiry_age() <= idle:
                request.session.set_expiry(timezone.now() + timedelta(seconds=idle))
        return self.get_response(request)


# Paths a user without MFA may still reach: setting MFA up, signing out, static files, health.
MFA_EXEMPT_URL_NAMES = ("mfa_activate_totp", "mfa_index", "account_logout", "account_reauthenticate")


class MfaRequiredMiddleware:
    """Sends staff and managers to TOTP set-up until they have it (allauth has no such switch)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.role in settings.MFA_REQUIRED_ROLES
            and not self._is_exempt(request.path)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        exempt = [reverse(name) for name in MFA_EXEMPT_URL_NAMES]
        return path in exempt or path.startswith((settings.STATIC_URL, "/health/"))
