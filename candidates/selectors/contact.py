"""How a person is contacted: the one rule from their consent to the channels messages use."""

from __future__ import annotations

from academy.notifications.recipients import EMAIL, SMS, Recipient
from academy.validators import is_uk_mobile
from candidates.models import Candidate, ConsentKind
from candidates.selectors.consent import current_consents

# The learner's choice on their contact page, and the consents each means.
CHOICE_EMAIL, CHOICE_TEXT, CHOICE_BOTH = "email", "text", "both"
CHOICE_CONSENTS = {
    CHOICE_EMAIL: {ConsentKind.CONTACT_EMAIL: True, ConsentKind.CONTACT_SMS: False},
    CHOICE_TEXT: {ConsentKind.CONTACT_EMAIL: False, ConsentKind.CONTACT_SMS: True},
    CHOICE_BOTH: {ConsentKind.CONTACT_EMAIL: True, ConsentKind.CONTACT_SMS: True},
}


def candidate_email(candidate: Candidate) -> str:
    """The address messages go to: the record's, else the account's."""
    return candidate.email or (candidate.user.email if candidate.user_id and candidate.user else "")


def contact_choice(candidate: Candidate) -> str:
    """ "email", "text" or "both", from the consents in force (email when texts were never agreed to)."""
    consents = current_consents(candidate)
    sms, email = consents[ConsentKind.CONTACT_SMS], consents[ConsentKind.CONTACT_EMAIL]
    if sms is not None and sms.granted:
        return CHOICE_BOTH if email is None or email.granted else CHOICE_TEXT
    return CHOICE_EMAIL


def candidate_recipient(candidate: Candidate) -> Recipient:
    """Where and how messages reach `candidate`: texts only with consent and a mobile number; email otherwise.

    A message that cannot go by text (no text template, no phone) still goes by email (notify's rule).
    """
    choice = contact_choice(candidate)
    channels: tuple[str, ...] = {CHOICE_EMAIL: (EMAIL,), CHOICE_TEXT: (SMS,), CHOICE_BOTH: (SMS, EMAIL)}[choice]
    phone = candidate.phone if is_uk_mobile(candidate.phone) else ""  # a landline cannot take texts
    return Recipient(email=candidate_email(candidate), phone=phone, channels=channels, on_record=True)
