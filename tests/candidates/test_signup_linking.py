"""Signing up with the email of a record staff made earlier: the account takes that record over once
the email is verified (never before), staff are told, and no second record is made."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, ContactLog
from candidates.services.records import ACCOUNT_LINKED_NOTE, candidate_create, candidate_for_learner
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {"email": "Sam.Walker@Example.org", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}


@pytest.fixture
def staff_record(staff: User) -> Candidate:
    """A walk-in staff registered before Sam had an account."""
    return candidate_create(
        actor=staff, data={"first_name": "Sam", "last_name": "Walker", "email": "sam.walker@example.org"}
    )


def sign_up(client: Client, django_capture_on_commit_callbacks) -> EmailAddress:
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("account_signup"), SIGN_UP).status_code == 302
    return EmailAddress.objects.get(email__iexact=SIGN_UP["email"])


def test_an_unverified_sign_up_does_not_take_the_record(
    staff_record: Candidate, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    address = sign_up(client, django_capture_on_commit_callbacks)
    assert not address.verified
    # Signing in is refused until the address is verified, so no learner page can make a record either.
    client.post(reverse("account_login"), {"login": SIGN_UP["email"], "password": SIGN_UP["password1"]})
    assert client.get(reverse("candidates:profile")).status_code == 302
    staff_record.refresh_from_db()
    assert staff_record.user is None
    assert Candidate.objects.count() == 1
    assert not AuditEntry.objects.filter(action="candidate.account_linked").exists()


def test_verifying_the_email_links_the_account_to_the_record_and_tells_staff(
    staff_record: Candidate, staff: User, client_for: Callable[[str], Client], django_capture_on_commit_callbacks
) -> None:
    staff_record.owner = staff
    staff_record.save(update_fields=["owner"])
    client = Client()
    address = sign_up(client, django_capture_on_commit_callbacks)

    response = client.post(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]))
    assert response.status_code == 302

    staff_record.refresh_from_db()
    assert staff_record.user == address.user
    entry = AuditEntry.objects.get(action="candidate.account_linked")
    assert (entry.object_id, entry.actor) == (str(staff_record.pk), address.user)
    note = ContactLog.objects.get(candidate=staff_record)
    assert note.summary == ACCOUNT_LINKED_NOTE
    assert note.follow_up_on == timezone.localdate()  # on the owner's caseload today
    record_page = client_for("staff").get(staff_record.get_absolute_url()).content.decode()
    assert "signed up to the portal with the email address on this record" in record_page
    # The learner's pages use staff's record: no second record.
    profile = client.get(reverse("candidates:profile"))
    assert profile.status_code == 200
    assert Candidate.objects.count() == 1
    assert Candidate.objects.get().user == address.user


def test_records_that_are_not_current_or_have_an_account_are_never_taken(
    staff: User, django_capture_on_commit_callbacks
) -> None:
    someone = UserFactory.create(email="someone@example.org")
    taken = candidate_create(actor=staff, data={"first_name": "A", "last_name": "B", "email": SIGN_UP["email"]})
    Candidate.objects.filter(pk=taken.pk).update(user=someone)
    anonymised = candidate_create(actor=staff, data={"first_name": "C", "last_name": "D", "email": SIGN_UP["email"]})
    Candidate.objects.filter(pk=anonymised.pk).update(anonymised_at=timezone.now())
    client = Client()
    address = sign_up(client, django_capture_on_commit_callbacks)
    client.post(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]))
    assert not Candidate.objects.filter(user=address.user).exists()
    assert not AuditEntry.objects.filter(action="candidate.account_linked").exists()


def test_a_verified_learner_without_a_record_takes_staff_record_on_first_visit(
    staff: User, staff_record: Candidate
) -> None:
    """Staff made the record after the learner had verified their address but before their first visit."""
    user = UserFactory.create(email="sam.walker@example.org")  # verified address
    assert candidate_for_learner(user) == staff_record
    assert Candidate.objects.count() == 1
    assert candidate_for_learner(user) == staff_record
    assert AuditEntry.objects.filter(action="candidate.account_linked", actor=user).count() == 1
