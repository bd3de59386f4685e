"""Messaging the whole cohort: who gets it, the check before sending, one email per learner from a worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from academy.models import AuditEntry, User
from candidates.models import Consent, ConsentKind, ContactLog
from courses.models import Enrolment
from courses.selectors.delivery import cohort_message_audience
from courses.services.delivery import cohort_message_send
from tests.courses.factories import EnrolmentFactory
from tests.courses.factories_delivery import RunningCohort, running_cohort
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _cohort_with_everyone() -> tuple[RunningCohort, dict[str, Enrolment]]:
    """A cohort with a learner of each kind the audience cares about."""
    run = running_cohort(learners=2, sessions=1)
    cohort = run.cohort
    people = {
        "on_course": run.enrolments[0],
        "completed": run.enrolments[1],
        "no_email": EnrolmentFactory.create(
            cohort=cohort, candidate=CandidateFactory.create(email="", first_name="Nora", last_name="Noemail")
        ),
        "opted_out": EnrolmentFactory.create(
            cohort=cohort, candidate=CandidateFactory.create(first_name="Otto", last_name="Optout")
        ),
        "opted_back_in": EnrolmentFactory.create(cohort=cohort),
        "paused": EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.PAUSED),
        "withdrawn": EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.WITHDRAWN),
    }
    Enrolment.objects.filter(pk=people["completed"].pk).update(status=Enrolment.Status.COMPLETED)
    earlier = timezone.now() - dt.timedelta(days=1)
    Consent.objects.create(candidate=people["opted_out"].candidate, kind=ConsentKind.CONTACT_EMAIL, granted=False)
    Consent.objects.create(
        candidate=people["opted_back_in"].candidate, kind=ConsentKind.CONTACT_EMAIL, granted=False, recorded_at=earlier
    )
    Consent.objects.create(candidate=people["opted_back_in"].candidate, kind=ConsentKind.CONTACT_EMAIL, granted=True)
    EnrolmentFactory.create()  # someone on another cohort
    return run, people


def test_audience_is_everyone_still_on_the_cohort_who_can_be_emailed(django_assert_num_queries) -> None:
    run, people = _cohort_with_everyone()

    with django_assert_num_queries(1):
        audience = cohort_message_audience(run.cohort)

    assert {c.pk for c, _ in audience.recipients} == {
        people[k].candidate_id for k in ("on_course", "completed", "opted_back_in")
    }
    assert [c.pk for c in audience.no_email] == [people["no_email"].candidate_id]
    assert [c.pk for c in audience.opted_out] == [people["opted_out"].candidate_id]
    assert audience.skipped == 2


def test_learner_without_a_record_email_is_reached_at_their_account_address(learner: User, candidate) -> None:
    run = running_cohort(learners=0, sessions=0)
    candidate.email = ""
    candidate.save(update_fields=["email"])
    EnrolmentFactory.create(cohort=run.cohort, candidate=candidate)

    audience = cohort_message_audience(run.cohort)

    assert [address for _, address in audience.recipients] == [learner.email]


def test_send_emails_each_learner_separately_after_commit_and_logs_it(
    staff: User, django_capture_on_commit_callbacks
) -> None:
    run, _ = _cohort_with_everyone()

    with django_capture_on_commit_callbacks(execute=True):
        audience = cohort_message_send(
            cohort=run.cohort, actor=staff, subject=" Room change ", body="Tomorrow we meet in room 4."
        )

    assert len(audience.recipients) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(address for _, address in audience.recipients)
    assert all(len(m.to) == 1 for m in mail.outbox)
    first = mail.outbox[0]
    assert first.subject == "Room change"
    assert "Tomorrow we meet in room 4." in first.body and "Dear " in first.body
    assert ContactLog.objects.filter(kind=ContactLog.Kind.EMAIL).count() == 3
    entry = AuditEntry.objects.get(action="cohort.message")
    assert entry.data == {"subject": "Room change", "sent": 3, "skipped_no_email": 1, "skipped_opted_out": 1}


def test_send_needs_a_subject_a_message_and_someone_to_send_to(staff: User) -> None:
    run = running_cohort(learners=1, sessions=0)
    with pytest.raises(ValidationError) as exc:
        cohort_message_send(cohort=run.cohort, actor=staff, subject=" ", body="")
    assert exc.value.message_dict == {"subject": ["Enter a subject"], "body": ["Enter a message"]}

    nobody = running_cohort(learners=0, sessions=0)
    with pytest.raises(ValidationError, match="Nobody on this cohort can be emailed"):
        cohort_message_send(cohort=nobody.cohort, actor=staff, subject="Hi", body="Hello")


def test_message_page_checks_recipients_before_sending(
    client_for: Callable[[str], Client], django_capture_on_commit_callbacks
) -> None:
    run, people = _cohort_with_everyone()
    url = reverse("courses:cohort-message", kwargs={"public_id": run.cohort.public_id})
    client = client_for("staff")
    data = {"subject": "Room change", "body": "Tomorrow we meet in room 4."}

    assert client.get(url).status_code == 200
    blank = client.post(url, {"subject": "", "body": ""}).content.decode()
    assert "<title>Error: Message" in blank
    assert "Enter a subject" in blank and "Enter a message" in blank

    check = client.post(url, data)
    html = check.content.decode()
    assert "Check the message before you send it" in html
    assert "3 learners" in html
    assert "Send message to 3 learners" in html
    assert escape(people["no_email"].candidate.full_name) in html
    assert escape(people["opted_out"].candidate.full_name) in html
    assert escape(people["paused"].candidate.full_name) not in html
    assert not mail.outbox

    edit = client.post(url, {**data, "edit": "1"}).content.decode()
    assert 'value="Room change"' in edit and "Error:" not in edit

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**data, "confirm": "1"}, follow=True)

    assert len(mail.outbox) == 3
    page = sent.content.decode()
    assert "is being sent to 3 learners" in page
    assert (
        "Not sent to Nora Noemail (no email address), Otto Optout (asked not to be emailed): tell them another way."
        in page
    )
