"""Equality monitoring (optional, prefer not to say) and consent as history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, Consent, ConsentKind, EqualityMonitoring
from candidates.models.choices import AgeBand
from candidates.selectors.learner import age_band, current_consents
from candidates.services.consent import consent_record
from tests.candidates.factories_learner import checked_values, input_values

pytestmark = pytest.mark.django_db


# --- equality ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "band"),
    [(None, ""), (15, ""), (16, "16_24"), (24, "16_24"), (25, "25_34"), (49, "35_49"), (50, "50_64"), (70, "65_plus")],
)
def test_age_bands(age: int | None, band: str) -> None:
    assert AgeBand.for_age(age) == band


@time_machine.travel(date(2026, 6, 1))
def test_equality_page_shows_age_band_from_date_of_birth(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    candidate.date_of_birth = date(1970, 1, 1)
    candidate.save()
    assert age_band(candidate) == "50 to 64"
    page = client_for("learner").get(reverse("candidates:equality")).content.decode()
    assert "Your age group is <strong>50 to 64</strong>" in page
    assert "age_band" not in page  # derived, never asked
    assert "Only academy staff can see them" in page


def test_equality_every_question_is_optional(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    response = client_for("learner").post(reverse("candidates:equality"), {})
    assert response.status_code == 302
    record = EqualityMonitoring.objects.get(candidate=candidate)
    assert record.sex == "" and record.ethnicity == ""


def test_equality_prefer_not_to_say_on_every_question(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    client = client_for("learner")
    page = client.get(reverse("candidates:equality")).content.decode()
    questions = [
        "sex",
        "gender_same_as_birth",
        "ethnicity",
        "disability",
        "religion",
        "sexual_orientation",
        "care_leaver",
        "armed_forces",
        "refugee",
        "career_returner",
        "carer",
    ]
    for name in questions:
        assert input_values(page, name)[-1] == "prefer_not", name

    client.post(reverse("candidates:equality"), {name: "prefer_not" for name in questions})
    record = EqualityMonitoring.objects.get(candidate=candidate)
    assert all(getattr(record, name) == "prefer_not" for name in questions)
    # Coming back shows the saved answers.
    page = client.get(reverse("candidates:equality")).content.decode()
    assert checked_values(page, "ethnicity") == ["prefer_not"]


def test_equality_save_audits_questions_answered_not_answers(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    client_for("learner").post(reverse("candidates:equality"), {"sex": "female", "ethnicity": "white_irish"})
    entry = AuditEntry.objects.get(action="equality.save", object_id=str(candidate.pk))
    assert entry.data == {"answered": ["ethnicity", "sex"]}
    assert "white_irish" not in str(entry.data)


def test_learner_viewing_own_equality_is_not_logged_as_a_staff_view(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    client_for("learner").get(reverse("candidates:equality"))
    assert not AuditEntry.objects.filter(action="equality.view").exists()


def test_invalid_equality_answer_is_refused(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    response = client_for("learner").post(reverse("candidates:equality"), {"sex": "robot"})
    assert response.status_code == 200
    assert "<title>Error:" in response.content.decode()
    assert not EqualityMonitoring.objects.filter(candidate=candidate).exists()


# --- consent ----------------------------------------------------------------------------------


def test_consent_history_and_current(candidate: Candidate, learner: User, staff: User) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        consent_record(candidate=candidate, actor=learner, kind=ConsentKind.CONTACT_EMAIL, granted=True)
    withdrawn = consent_record(candidate=candidate, actor=learner, kind=ConsentKind.CONTACT_EMAIL, granted=False)
    kept = consent_record(
        candidate=candidate, actor=staff, kind=ConsentKind.DATA_RETENTION, granted=True, retention_months=24
    )
    current = current_consents(candidate)
    assert list(current) == list(ConsentKind)
    assert current[ConsentKind.CONTACT_EMAIL] == withdrawn and not withdrawn.granted
    assert current[ConsentKind.DATA_RETENTION] == kept and kept.retention_months == 24
    assert current[ConsentKind.CONTACT_SMS] is None
    assert Consent.objects.filter(candidate=candidate, kind=ConsentKind.CONTACT_EMAIL).count() == 2
    actions = list(AuditEntry.objects.filter(action__startswith="consent.").values_list("action", flat=True))
    assert sorted(actions) == ["consent.give", "consent.give", "consent.withdraw"]


def test_current_consents_is_one_query(candidate: Candidate, learner: User, django_assert_num_queries) -> None:
    for granted in (True, False, True):
        for kind in ConsentKind:
            months = 12 if kind == ConsentKind.DATA_RETENTION else None
            consent_record(candidate=candidate, actor=learner, kind=kind, granted=granted, retention_months=months)
    with django_assert_num_queries(1):
        current = current_consents(candidate)
    assert all(c is not None and c.granted for c in current.values())


def test_recording_the_same_answer_again_adds_nothing(candidate: Candidate, learner: User) -> None:
    first = consent_record(candidate=candidate, actor=learner, kind=ConsentKind.CONTACT_SMS, granted=True)
    again = consent_record(candidate=candidate, actor=learner, kind=ConsentKind.CONTACT_SMS, granted=True)
    assert again == first
    assert Consent.objects.filter(candidate=candidate).count() == 1


def test_consent_for_another_candidate_does_not_leak(
    candidate: Candidate, other_candidate: Candidate, other_learner: User
) -> None:
    consent_record(candidate=other_candidate, actor=other_learner, kind=ConsentKind.CONTACT_SMS, granted=True)
    assert current_consents(candidate)[ConsentKind.CONTACT_SMS] is None


@pytest.mark.parametrize("months", [None, 0, 5, 120])
def test_keeping_data_needs_an_offered_number_of_months(
    candidate: Candidate, learner: User, months: int | None
) -> None:
    with pytest.raises(ValidationError, match="how long"):
        consent_record(
            candidate=candidate, actor=learner, kind=ConsentKind.DATA_RETENTION, granted=True, retention_months=months
        )


def test_withdrawn_retention_has_no_months(candidate: Candidate, learner: User) -> None:
    consent = consent_record(
        candidate=candidate, actor=learner, kind=ConsentKind.DATA_RETENTION, granted=False, retention_months=12
    )
    assert consent.retention_months is None


def test_unknown_consent_kind_is_refused(candidate: Candidate, learner: User) -> None:
    with pytest.raises(ValidationError):
        consent_record(candidate=candidate, actor=learner, kind="telepathy", granted=True)


def test_give_then_withdraw_on_the_consent_page(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    client = client_for("learner")
    url = reverse("candidates:consent")
    response = client.post(
        url, {"share_with_providers": "yes", "contact_email": "yes", "contact_sms": "no", "data_retention": "12"}
    )
    assert response.status_code == 302
    current = current_consents(candidate)
    assert current[ConsentKind.SHARE_WITH_PROVIDERS].granted  # type: ignore[union-attr]
    assert current[ConsentKind.DATA_RETENTION].retention_months == 12  # type: ignore[union-attr]

    # Withdrawing is the same single step as giving.
    client.post(
        url, {"share_with_providers": "no", "contact_email": "yes", "contact_sms": "no", "data_retention": "no"}
    )
    current = current_consents(candidate)
    assert not current[ConsentKind.SHARE_WITH_PROVIDERS].granted  # type: ignore[union-attr]
    assert not current[ConsentKind.DATA_RETENTION].granted  # type: ignore[union-attr]
    # Unchanged answers add no rows: 4 given, then 2 withdrawn.
    assert Consent.objects.filter(candidate=candidate).count() == 6

    page = client.get(url).content.decode()
    assert checked_values(page, "share_with_providers") == ["no"]
    assert checked_values(page, "data_retention") == ["no"]
    assert page.count("Withdrawn") >= 2 and "Given" in page  # history with both
    assert "History of your choices" in page


def test_unanswered_consent_is_not_recorded(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    client_for("learner").post(reverse("candidates:consent"), {"contact_email": "yes"})
    assert list(Consent.objects.filter(candidate=candidate).values_list("kind", flat=True)) == ["contact_email"]


def test_consent_partial_for_staff_detail_page(candidate: Candidate, learner: User) -> None:
    from django.template.loader import render_to_string

    consent_record(candidate=candidate, actor=learner, kind=ConsentKind.CONTACT_EMAIL, granted=False)
    html = render_to_string("candidates/_detail_consent.html", {"consents": current_consents(candidate)})
    assert "Contact me by email" in html and "Withdrawn" in html
    assert html.count("Not asked yet") == len(ConsentKind) - 1  # every kind but the one answered
