"""The second factor: who needs it, which sessions passed it, and a lockout after repeated wrong codes.

allauth checks the codes; it has no "MFA required" switch and (with `login_failed` switched off so that
django-axes owns password lockout) no limit on wrong codes. Both live here. The counters are in the
cache, which is Redis shared by every web node in production.
"""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY, record_authentication
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from academy.audit import audit_log
from academy.models import User


def mfa_required(user: Any) -> bool:
    """Whether this signed-in user must use a second factor: their role sees special-category data, or admin."""
    return bool(
        user.is_authenticated and (user.role in settings.MFA_REQUIRED_ROLES or user.is_staff or user.is_superuser)
    )


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether this session's user gave a code (or set up their authenticator) when signing in."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class VerifiedActivateTOTPForm(ActivateTOTPForm):
    """Setting up TOTP proves a code, so the session counts as having passed the second factor.

    allauth records a code given at sign-in but not one given while activating. Recorded once the
    code is checked: the view then activates that same secret, and until it has, the user has no
    authenticator and is still sent to set one up whatever the session says.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code_field_in_plain_words(self.fields["code"])
        self.fields["code"].help_text = "The 6-digit code the app shows after you scan the QR code."

    def clean_code(self) -> str:
        code: str = super().clean_code()
        record_authentication(context.request, self.user, "mfa", type=Authenticator.Type.TOTP, activated=True)
        return code


# --- lockout after wrong codes --------------------------------------------------------------------


def _failures_key(user: User) -> str:
    return f"academy:mfa:failures:{user.public_id}"


def _lock_key(user: User) -> str:
    return f"academy:mfa:locked:{user.public_id}"


def mfa_is_locked(user: User) -> bool:
    return bool(cache.get(_lock_key(user)))


def mfa_failure_record(*, user: User) -> bool:
    """Count a wrong code; lock the account once the limit is reached within the window. True if now locked.

    The count runs from the first failure for MFA_FAILURE_WINDOW_MINUTES. The lock is taken with an atomic
    add, so the lockout is audited once even when several web nodes see the last failures together.
    """
    key = _failures_key(user)
    cache.add(key, 0, timeout=settings.MFA_FAILURE_WINDOW_MINUTES * 60)
    try:
        failures = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=settings.MFA_FAILURE_WINDOW_MINUTES * 60)
        failures = 1
    if failures < settings.MFA_FAILURE_LIMIT:
        return False
    if cache.add(_lock_key(user), True, timeout=settings.MFA_LOCKOUT_MINUTES * 60):
        cache.delete(key)
        audit_log(
            actor=None,
            action="mfa.lockout",
            obj=user,
            data={"failures": failures, "lockout_minutes": settings.MFA_LOCKOUT_MINUTES},
        )
    return True


def mfa_failures_clear(*, user: User) -> None:
    cache.delete(_failures_key(user))


def locked_message() -> str:
    minutes = settings.MFA_LOCKOUT_MINUTES
    return (
        f"Too many wrong codes. For your security, signing in with a code is locked for {minutes} minutes. "
        "Try again later, or ask an academy manager for help."
    )


def code_field_in_plain_words(field: Any) -> None:
    """The code box as the Design System would word it, for sign-in, re-checks and set-up alike."""
    field.label = "Code from your authenticator app"
    field.help_text = "The 6-digit code the app shows now, or one of your recovery codes when signing in."
    field.error_messages["required"] = "Enter the code from your authenticator app"
    field.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})
    field.widget.attrs.pop("placeholder", None)


class LimitedCodeMixin:
    """Refuses every code, right or wrong, while the account is locked; counts wrong ones."""

    user: User

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code_field_in_plain_words(self.fields["code"])  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        if mfa_is_locked(self.user):
            raise ValidationError(locked_message())
        try:
            code: str = super().clean_code()  # type: ignore[misc]
        except ValidationError:
            if mfa_failure_record(user=self.user):
                raise ValidationError(locked_message()) from None
            raise
        mfa_failures_clear(user=self.user)
        return code


class LimitedAuthenticateForm(LimitedCodeMixin, AuthenticateForm):
    """The code asked for at sign-in (TOTP or a recovery code)."""


class LimitedReauthenticateForm(LimitedCodeMixin, ReauthenticateForm):
    """The code asked for again before a security change."""


def password_counts_as_recent(sender: Any, request: Any, method: str, user: Any, **extra: Any) -> None:
    """A password typed to sign in (or to create the account from an invitation) counts as a recent
    authentication, as a re-entered one does: setting up two-factor straight after does not ask for the
    password again ("Confirm access"). Later sensitive changes still ask once REAUTHENTICATION_TIMEOUT
    (allauth's, five minutes) has passed. Connected in academy.apps to allauth's authentication_step_completed.
    """
    if method != "password" or extra.get("reauthenticated"):
        return
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if isinstance(records, list) and records and records[-1].get("method") == "password":
        records[-1] = {**records[-1], "reauthenticated": True}
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
