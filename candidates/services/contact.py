"""The learner's choice of channels, recorded as the consents it means (history kept by consent_record)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from academy.models import User
from academy.validators import is_uk_mobile
from candidates.models import Candidate
from candidates.selectors.consent import current_consents
from candidates.selectors.contact import CHOICE_CONSENTS
from candidates.services.consent import consent_record


@transaction.atomic
def contact_channels_set(*, candidate: Candidate, actor: User, choice: str) -> bool:
    """Record "email", "text" or "both" as email and text consents; returns whether anything changed."""
    if choice not in CHOICE_CONSENTS:
        raise ValidationError("Select how we should contact you.")
    if choice != "email" and not is_uk_mobile(candidate.phone):
        raise ValidationError("Add your mobile phone number to your profile before choosing text messages.")
    before = current_consents(candidate)
    changed = False
    for kind, granted in CHOICE_CONSENTS[choice].items():
        after = consent_record(candidate=candidate, actor=actor, kind=kind, granted=granted)
        changed = changed or after != before[kind]
    return changed
