"""The learner's one page for how we contact them: email, text or both, kept as consent history."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from academy.models import AuditEntry
from academy.notifications.recipients import EMAIL, SMS
from candidates.models import Candidate, Consent, ConsentKind
from candidates.selectors.contact import candidate_recipient

pytestmark = pytest.mark.django_db
URL = "candidates:contact-channels"


def test_choosing_texts_records_the_consents_and_changes_the_channel(client_for, candidate: Candidate) -> None:
    client = client_for("learner")
    assert candidate_recipient(candidate).channels == (EMAIL,)  # never asked: email
    response = client.post(reverse(URL), {"channel": "text"})
    assert response.status_code == 302
    assert candidate_recipient(candidate).channels == (SMS,)
    current = {c.kind: c.granted for c in Consent.objects.filter(candidate=candidate)}
    assert current == {ConsentKind.CONTACT_SMS: True, ConsentKind.CONTACT_EMAIL: False}
    assert AuditEntry.objects.filter(action="consent.give", data__kind="contact_sms").exists()

    client.post(reverse(URL), {"channel": "both"})
    assert candidate_recipient(candidate).channels == (SMS, EMAIL)
    page = client.get(reverse(URL)).content.decode()
    assert re.search(r'value="both"\s+checked="checked"', page)
    assert len(re.findall(r'checked="checked"', page)) == 1
    # The history keeps every change: texts given once, email withdrawn then given again.
    assert page.count("Contact me by email,") == 2 and page.count("Contact me by text message,") == 1


@pytest.mark.parametrize("phone", ["", "0113 496 0000"])  # none, or a landline: neither takes texts
def test_texts_need_a_mobile_number(client_for, candidate: Candidate, phone: str) -> None:
    Candidate.objects.filter(pk=candidate.pk).update(phone=phone)
    response = client_for("learner").post(reverse(URL), {"channel": "text"})
    assert response.status_code == 200
    assert "Add your mobile phone number to your profile" in response.content.decode()
    assert not Consent.objects.filter(candidate=candidate).exists()


def test_withdrawing_text_consent_elsewhere_stops_texts(client_for, candidate: Candidate) -> None:
    client = client_for("learner")
    client.post(reverse(URL), {"channel": "text"})
    client.post(reverse("candidates:consent"), {ConsentKind.CONTACT_SMS: "no"})
    assert candidate_recipient(candidate).channels == (EMAIL,)


def test_messages_on_the_record_go_with_an_erasure_and_move_with_a_merge(
    candidate: Candidate, walk_in: Candidate, staff
) -> None:
    from academy.models import OutboxMessage
    from candidates.models import CandidateMessage
    from candidates.services.merge import candidate_merge
    from candidates.services.messages import candidate_notify
    from candidates.services.privacy import candidate_anonymise

    context = {"subject": "Hello", "message": "News"}
    [to_walk_in] = candidate_notify(candidate=walk_in, template="candidates/email/candidate_bulk", context=context)
    candidate_notify(candidate=candidate, template="candidates/email/candidate_bulk", context=context)
    candidate_merge(survivor=candidate, duplicate=walk_in, actor=staff, field_choices={})
    assert CandidateMessage.objects.get(message=to_walk_in).candidate == candidate

    candidate_anonymise(candidate=candidate, actor=staff)
    assert not CandidateMessage.objects.exists()
    assert not OutboxMessage.objects.filter(kind="candidates/email/candidate_bulk").exists()
