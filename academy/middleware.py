"""Cross-cutting request handling: security headers, staff idle sign-out and required MFA."""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from academy.mfa import has_totp, mfa_required, session_passed_mfa
from academy.tenancy import access_for_session

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


# Paths a user without an authenticator may still reach: setting one up, signing out.
MFA_SETUP_URL_NAMES = ("mfa_activate_totp", "mfa_index", "account_logout", "account_reauthenticate")


class MfaRequiredMiddleware:
    """Staff, managers, provider users and admin users need the second factor for every request.

    Without an authenticator they are sent to set one up (allauth has no such switch). With one, a
    session that did not pass it at sign-in (the Django admin's form, or any other route that checks
    the password alone) is signed out and sent to the portal's sign-in, which asks for the code.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not mfa_required(user) or self._is_always_open(request.path):
            return self.get_response(request)
        if not has_totp(user):  # type: ignore[arg-type]
            if request.path in [reverse(name) for name in MFA_SETUP_URL_NAMES]:
                return self.get_response(request)
            return redirect(reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()}))
        if session_passed_mfa(request):
            return self.get_response(request)
        logout(request)
        return redirect(reverse("account_login") + "?" + urlencode({"next": request.get_full_path()}))

    @staticmethod
    def _is_always_open(path: str) -> bool:
        return path == reverse("account_logout") or path.startswith((settings.STATIC_URL, "/health/"))


class RequestBodyLimitMiddleware:
    """Refuses a body larger than any upload allows by its Content-Length, before anything reads it.

    Django would otherwise stream a 300 MB upload to a temporary file before the form says it is too
    big. A body sent without a Content-Length (chunked) is not read by Django at all.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BODY_BYTES:
            return render(request, "academy/request_too_large.html", {"max_mb": settings.UPLOAD_MAX_MB}, status=413)
        return self.get_response(request)


# Changes a read-only (regional) view may still make: switching academy, signing out, own account.
READ_ONLY_OPEN_URL_NAMES = ("academy:academy-switch", "account_logout")


class AcademyInUseMiddleware:
    """Puts the academy a member of staff works in on the user, from the session (no query), and
    refuses any change while they look at an academy of their region that is not theirs."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_academy_staff:
            access = access_for_session(user, request.session)
            user.academy_access = access
            if not access.writable and request.method not in ("GET", "HEAD", "OPTIONS") and not self._is_open(request):
                return render(request, "academy/read_only.html", {"academy_access": access}, status=403)
        return self.get_response(request)

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        return request.path in [reverse(name) for name in READ_ONLY_OPEN_URL_NAMES] or request.path.startswith(
            "/accounts/"
        )
