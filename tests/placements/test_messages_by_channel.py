"""Done-when of messages by the learner's own channel, tried as a new user would, through a fake GOV.UK Notify:
a learner who chose texts gets their course offer and interview invitation as texts, another gets emails,
and staff see each message's delivery status on the person's record."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy.models import OutboxMessage, User
from candidates.models import Candidate, CandidateMessage
from courses.models import Application
from courses.services.applications import application_decide
from placements.services.interviews import interview_schedule
from providers.models import Provider
from tests.academy.fake_notify import CALLBACK_TOKEN, FakeNotify
from tests.courses.factories import ApplicationFactory
from tests.placements.factories_starts import application_for

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
NOON = dt.datetime(2026, 12, 8, 12, 0, tzinfo=UK)


@pytest.fixture
def fake_notify(settings, time_machine) -> Iterator[FakeNotify]:
    time_machine.move_to(NOON, tick=False)  # inside the hours texts may be sent
    with FakeNotify() as server:
        server.use(settings)
        yield server


def _choose(client: Client, channel: str) -> None:
    response = client.post(reverse("candidates:contact-channels"), {"channel": channel})
    assert response.status_code == 302, response.content


def _offer_and_invite(
    candidate: Candidate, staff: User, provider_user: User, provider: Provider, on_commit: Callable
) -> None:
    """Staff offer a course place, then the provider invites the learner to an interview (each sent after commit)."""
    application = ApplicationFactory.create(candidate=candidate, status=Application.Status.SHORTLISTED)
    with on_commit(execute=True):
        application_decide(application=application, actor=staff, decision=Application.Status.OFFERED)
    job_application = application_for(provider, candidate, status="shortlisted")
    with on_commit(execute=True):
        interview_schedule(
            application=job_application,
            actor=provider_user,
            starts_at=NOON + dt.timedelta(days=3),
            location="Oak House",
        )


def test_a_learner_who_chose_texts_gets_the_offer_and_the_invitation_as_texts(
    fake_notify: FakeNotify,
    client_for,
    candidate: Candidate,
    staff: User,
    provider_user: User,
    provider_a: Provider,
    django_capture_on_commit_callbacks,
) -> None:
    _choose(client_for("learner"), "text")
    _offer_and_invite(candidate, staff, provider_user, provider_a, django_capture_on_commit_callbacks)

    texts = fake_notify.sent("sms")
    assert [t["json"]["phone_number"] for t in texts] == [candidate.phone, candidate.phone]
    offer, invitation = (t["json"]["personalisation"]["body"] for t in texts)
    assert "offered a place on" in offer and "/respond/" in offer
    assert "invited to an interview with Provider A" in invitation and "Fri 11 Dec at 12:00" in invitation
    # No email reached them by either route; the provider's users still got theirs (with the calendar file).
    assert not [e for e in fake_notify.sent("email") if e["json"]["email_address"] == candidate.email]
    assert [m.to for m in mail.outbox] == [["provider.a@example.org"]]
    sent = OutboxMessage.objects.filter(candidate_link__candidate=candidate)
    assert sorted(sent.values_list("channel", "status")) == [("sms", "sent"), ("sms", "sent")]


def test_a_learner_who_did_not_choose_texts_gets_emails(
    fake_notify: FakeNotify,
    client_for,
    other_candidate: Candidate,
    staff: User,
    provider_user: User,
    provider_a: Provider,
    django_capture_on_commit_callbacks,
) -> None:
    _choose(client_for("other_learner"), "email")
    _offer_and_invite(other_candidate, staff, provider_user, provider_a, django_capture_on_commit_callbacks)

    assert fake_notify.sent("sms") == []
    [offer] = fake_notify.sent("email")  # through Notify's generic email template
    assert offer["json"]["email_address"] == other_candidate.email
    assert offer["json"]["personalisation"]["subject"].startswith("You have been offered a place on")
    # The invitation carries its calendar file, which Notify's generic template cannot: it goes by SMTP.
    [invitation] = [m for m in mail.outbox if m.to == [other_candidate.email]]
    assert invitation.subject.startswith("Interview:")
    assert [part.get_content_type() for part in invitation.message().walk()][-1] == "text/calendar"
    sent = OutboxMessage.objects.filter(candidate_link__candidate=other_candidate)
    assert sorted(sent.values_list("channel", "status")) == [("email", "sent"), ("email", "sent")]


def _receipt(reference: str, status: str) -> None:
    response = Client().post(
        reverse("academy:notify-callback"),
        data=json.dumps({"id": reference, "status": status}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {CALLBACK_TOKEN}",
    )
    assert response.json() == {"recorded": True}


def test_staff_see_each_messages_delivery_status_on_the_persons_record(
    fake_notify: FakeNotify,
    client_for,
    candidate: Candidate,
    staff: User,
    provider_user: User,
    provider_a: Provider,
    django_capture_on_commit_callbacks,
) -> None:
    _choose(client_for("learner"), "both")
    _offer_and_invite(candidate, staff, provider_user, provider_a, django_capture_on_commit_callbacks)
    offer_text, invitation_text = fake_notify.sent("sms")
    _receipt(offer_text["id"], "delivered")
    _receipt(invitation_text["id"], "permanent-failure")

    staff_client = client_for("staff")
    record = staff_client.get(candidate.get_absolute_url()).content.decode()
    url = reverse("candidates:message-list", kwargs={"public_id": candidate.public_id})
    assert url in record
    page = staff_client.get(url).content.decode()
    assert "email and text message" in page  # their choice, as the page says it
    assert page.count("Text message</td>") == 2 and page.count("Email</td>") == 2
    assert page.count("Delivered</strong>") == 1
    assert page.count("Not delivered</strong>") == 1
    assert "the number or address does not exist" in page
    assert "You have been offered a place on" in page  # what each was about stays after sending
    assert "Interview: " in page
    # The learner's own pages are theirs alone: the list is staff's, scoped as the record is.
    assert client_for("learner").get(url).status_code == 403
    assert client_for("provider_user").get(url).status_code == 404


def test_the_messages_page_reads_a_fixed_number_of_queries(
    client_for, candidate: Candidate, django_capture_on_commit_callbacks
) -> None:
    from candidates.services.messages import candidate_notify

    url = reverse("candidates:message-list", kwargs={"public_id": candidate.public_id})
    staff_client = client_for("staff")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    def send(n: int) -> None:
        for _ in range(n):
            candidate_notify(
                candidate=candidate,
                template="candidates/email/candidate_bulk",
                context={"subject": "Hello", "message": "News", "sender": None},
            )

    count()  # the first request of a session writes session bookkeeping
    send(1)
    one = count()
    send(5)
    assert count() == one
    assert CandidateMessage.objects.filter(candidate=candidate).count() == 6
