"""Who may see and change care providers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from academy.models import User
from academy.permissions import is_academy_staff, is_manager
from academy.tenancy import academy_in_use_id
from providers.models import Provider, ProviderMembership, ProviderSurvey


def referred_by_academy(academy_id: int | None, provider: str = "") -> Q:
    """Providers that take referrals from the academy: those that chose it, and those that chose none."""
    prefix = f"{provider}__" if provider else ""
    return Q(**{f"{prefix}academies": academy_id}) | Q(**{f"{prefix}academies__isnull": True})


def providers_visible_to(user: User) -> QuerySet[Provider]:
    """Academy staff see the providers that take referrals from their academy (one that has not chosen
    takes them from every academy); a provider user sees only their own."""
    if is_academy_staff(user):
        return Provider.objects.filter(referred_by_academy(academy_in_use_id(user)))
    if user.is_authenticated and user.is_provider_user:
        return Provider.objects.filter(memberships__user=user)
    return Provider.objects.none()


def can_list_providers(user: User, obj: Provider | None = None) -> bool:
    """The provider directory is for academy staff."""
    return is_academy_staff(user)


def can_view_provider(user: User, obj: Provider | None = None) -> bool:
    """Anyone who can see the provider (scoping decides) may open its page."""
    return bool(user.is_authenticated and user.is_active)


def can_manage_providers(user: User, obj: Provider | None = None) -> bool:
    """Managers add and edit providers."""
    return is_manager(user)


def can_import_providers(user: User, obj: Provider | None = None) -> bool:
    """Academy staff and managers import providers from the CQC care directory."""
    return is_academy_staff(user)


def is_provider_admin(user: User, provider: Provider | None) -> bool:
    """An active provider user who is an admin of this provider."""
    if provider is None or not (user.is_authenticated and user.is_active and user.is_provider_user):
        return False
    membership: ProviderMembership | None = getattr(user, "provider_membership", None)
    return bool(membership and membership.is_admin and membership.provider_id == provider.pk)


def can_invite_colleagues(user: User, obj: Provider | None = None) -> bool:
    """A provider's admins (and managers, who invite anyone) see its colleagues and invite more."""
    return is_manager(user) or is_provider_admin(user, obj)


def can_manage_provider_admins(user: User, obj: Provider | None = None) -> bool:
    """Managers decide who is a provider admin."""
    return is_manager(user)


# --- engagement: contacts, support, the quarterly survey ---


def can_view_engagement(user: User, obj: Provider | None = None) -> bool:
    """Provider engagement (contacts, support, recruitment need, survey answers) is academy staff business."""
    return is_academy_staff(user)


def can_record_engagement(user: User, obj: Provider | None = None) -> bool:
    """Academy staff record contacts with providers and the support offered to them."""
    return is_academy_staff(user)


def can_answer_survey(user: User, obj: Provider | None = None) -> bool:
    """The provider's own users answer its quarterly survey (academy staff read the answers, never write them)."""
    if not (user.is_authenticated and user.is_active and user.is_provider_user):
        return False
    membership: ProviderMembership | None = getattr(user, "provider_membership", None)
    return membership is not None and (obj is None or membership.provider_id == obj.pk)


def survey_answers_visible_to(user: User) -> QuerySet[ProviderSurvey]:
    """Staff read every provider's answers; a provider user only their own provider's."""
    if is_academy_staff(user):
        return ProviderSurvey.objects.all()
    if user.is_authenticated and user.is_provider_user:
        return ProviderSurvey.objects.filter(provider__memberships__user=user)
    return ProviderSurvey.objects.none()
