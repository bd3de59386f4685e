"""GOV.UK Notify through its official client, against a fake Notify on loopback: the request it gets,
the token it checks, and what each of its error replies does to the message."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import jwt
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import OutboxMessage
from academy.outbox import FAILED, NOT_CLAIMED, RETRY, SENT, outbox_send, outbox_sweep, outbox_write
from tests.academy.fake_notify import (
    CALLBACK_TOKEN,
    EMAIL_TEMPLATE_ID,
    SERVICE_ID,
    SMS_TEMPLATE_ID,
    FakeNotify,
)
from tests.academy.test_settings import PRODUCTION_ENV, run_manage

Status = OutboxMessage.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_notify(settings) -> Iterator[FakeNotify]:
    with FakeNotify() as server:
        server.use(settings)
        yield server


def _text(phone: str = "07700 900123", **fields) -> OutboxMessage:
    # Written outside quiet hours' reach: the tests that are about them set their own time.
    return outbox_write(
        kind="test_text", channel="sms", to=[phone], subject="Interview", body="Your interview is on Monday.", **fields
    )


def _email() -> OutboxMessage:
    return outbox_write(kind="test_email", to=["lena@example.org"], subject="Your place", body="Hello Lena")


def _noon() -> dt.datetime:
    return timezone.now().astimezone(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)


def test_a_text_reaches_notify_in_its_api_shape_with_a_signed_token(fake_notify: FakeNotify) -> None:
    row = _text(next_attempt_at=_noon() - dt.timedelta(minutes=1))
    assert outbox_send(message_id=row.pk, now=_noon()) == SENT

    [request] = fake_notify.sent("sms")
    assert request["json"] == {
        "phone_number": "07700 900123",
        "template_id": SMS_TEMPLATE_ID,
        "personalisation": {"body": "Your interview is on Monday."},
        "reference": f"outbox-{row.pk}",
    }
    scheme, token = request["authorization"].split(" ")
    assert scheme == "Bearer"
    assert jwt.decode(token, options={"verify_signature": False})["iss"] == SERVICE_ID
    row.refresh_from_db()
    assert (row.status, row.reference, row.to, row.body) == (Status.SENT, request["id"], [], "")


def test_an_email_goes_through_the_generic_template_with_our_subject_and_body(fake_notify: FakeNotify) -> None:
    row = _email()  # sent on commit: the test's transaction is the request's
    outbox_send(message_id=row.pk)
    [request] = fake_notify.sent("email")
    assert request["json"]["template_id"] == EMAIL_TEMPLATE_ID
    assert request["json"]["email_address"] == "lena@example.org"
    assert request["json"]["personalisation"] == {"subject": "Your place", "body": "Hello Lena"}
    row.refresh_from_db()
    assert row.status == Status.SENT and row.reference == request["id"]


def test_a_rate_limit_is_retried_with_growing_waits_then_sent(fake_notify: FakeNotify) -> None:
    fake_notify.state.rate_limited = 2
    now = _noon()
    row = _text(next_attempt_at=now)

    assert outbox_send(message_id=row.pk, now=now) == RETRY
    row.refresh_from_db()
    assert row.status == Status.PENDING and "429" in row.last_error
    assert row.next_attempt_at == now + dt.timedelta(minutes=1)

    assert outbox_send(message_id=row.pk, now=now + dt.timedelta(seconds=30)) == NOT_CLAIMED  # not due yet
    later = now + dt.timedelta(minutes=1)
    assert outbox_send(message_id=row.pk, now=later) == RETRY
    row.refresh_from_db()
    assert row.next_attempt_at == later + dt.timedelta(minutes=2)  # backoff doubles

    outbox_sweep(now=later + dt.timedelta(minutes=2))
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 3
    assert len(fake_notify.sent("sms")) == 1


def test_an_invalid_number_fails_for_good_and_is_never_tried_again(fake_notify: FakeNotify) -> None:
    now = _noon()
    row = _text(phone="01632 960001", next_attempt_at=now)  # a landline: Notify's ValidationError
    assert outbox_send(message_id=row.pk, now=now) == FAILED
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert row.last_error == "GOV.UK Notify rejected it for good (400: phone_number Not a UK mobile number)."
    tries = len(fake_notify.state.requests)

    outbox_sweep(now=now + dt.timedelta(days=1))
    assert outbox_send(message_id=row.pk, now=now + dt.timedelta(days=1)) == NOT_CLAIMED
    assert len(fake_notify.state.requests) == tries
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 1


def test_a_refused_key_is_a_service_problem_the_sweep_stops_at_and_tries_again(fake_notify: FakeNotify) -> None:
    fake_notify.state.auth_failures = 1
    now = _noon()
    first, second = _text(next_attempt_at=now), _text(next_attempt_at=now)

    result = outbox_sweep(now=now)
    assert (result.retry, result.sent) == (1, 0)  # the second was not tried: it would fail the same way
    assert len(fake_notify.state.requests) == 1
    first.refresh_from_db()
    assert first.status == Status.PENDING and "403" in first.last_error

    outbox_sweep(now=now + dt.timedelta(minutes=5))
    assert {m.status for m in OutboxMessage.objects.filter(pk__in=[first.pk, second.pk])} == {Status.SENT}


def _receipt(client: Client, body: dict, token: str | None = CALLBACK_TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        reverse("academy:notify-callback"), data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_delivery_receipts_update_the_status_only_with_notifys_token(fake_notify: FakeNotify) -> None:
    now = _noon()
    delivered, bounced = _text(next_attempt_at=now), _text(next_attempt_at=now)
    outbox_sweep(now=now)
    delivered.refresh_from_db()
    bounced.refresh_from_db()
    client = Client(enforce_csrf_checks=True)  # Notify has no CSRF token: the endpoint must not need one

    assert _receipt(client, {"id": delivered.reference, "status": "delivered"}, token=None).status_code == 403
    assert _receipt(client, {"id": delivered.reference, "status": "delivered"}, token="x" * 40).status_code == 403
    delivered.refresh_from_db()
    assert delivered.status == Status.SENT

    assert _receipt(client, {"id": delivered.reference, "status": "delivered"}).json() == {"recorded": True}
    assert _receipt(client, {"id": bounced.reference, "status": "permanent-failure"}).status_code == 200
    assert _receipt(client, {"id": "no-such-id", "status": "delivered"}).json() == {"recorded": False}
    assert _receipt(client, {"status": "delivered"}).status_code == 400
    assert client.get(reverse("academy:notify-callback")).status_code == 405

    delivered.refresh_from_db()
    bounced.refresh_from_db()
    assert delivered.status == Status.DELIVERED
    assert bounced.status == Status.FAILED and "does not exist" in bounced.last_error


def test_texts_written_at_night_wait_until_eight_in_the_morning(fake_notify: FakeNotify) -> None:
    london = dt.timezone(dt.timedelta(0))  # December: London is on GMT
    night = dt.datetime(2026, 12, 7, 21, 30, tzinfo=london)
    from academy.notifications.quiet_hours import sms_send_time

    row = _text(next_attempt_at=sms_send_time(night))
    assert row.next_attempt_at == dt.datetime(2026, 12, 8, 8, 0, tzinfo=london)
    assert outbox_send(message_id=row.pk, now=night + dt.timedelta(minutes=1)) == NOT_CLAIMED
    assert outbox_sweep(now=dt.datetime(2026, 12, 8, 7, 59, tzinfo=london)).sent == 0
    assert outbox_sweep(now=dt.datetime(2026, 12, 8, 8, 0, tzinfo=london)).sent == 1
    assert len(fake_notify.sent("sms")) == 1


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-12-07 07:59", "2026-12-07 08:00"),
        ("2026-12-07 08:00", "2026-12-07 08:00"),
        ("2026-12-07 19:59", "2026-12-07 19:59"),
        ("2026-12-07 20:00", "2026-12-08 08:00"),
        ("2026-07-07 23:10", "2026-07-08 08:00"),  # summer time: 08:00 in London is 07:00 UTC
    ],
)
def test_quiet_hours_are_london_time(local: str, expected: str) -> None:
    from zoneinfo import ZoneInfo

    from academy.notifications.quiet_hours import sms_send_time

    uk = ZoneInfo("Europe/London")
    at = dt.datetime.fromisoformat(local).replace(tzinfo=uk)
    assert sms_send_time(at) == dt.datetime.fromisoformat(expected).replace(tzinfo=uk)


def test_choosing_notify_without_its_key_stops_start_up_with_a_clear_message() -> None:
    result = run_manage("check", env={**PRODUCTION_ENV, "NOTIFICATIONS_BACKEND": "notify"})
    assert result.returncode != 0
    assert "NOTIFY_API_KEY must be set to a GOV.UK Notify API key" in result.stderr
    result = run_manage("check", env={**PRODUCTION_ENV, "NOTIFICATIONS_BACKEND": "pigeon"})
    assert "NOTIFICATIONS_BACKEND must be 'django' or 'notify'" in result.stderr
    bad_template = {
        **PRODUCTION_ENV,
        "NOTIFICATIONS_BACKEND": "notify",
        "NOTIFY_API_KEY": f"live-{SERVICE_ID}-{SERVICE_ID}",
        "NOTIFY_EMAIL_TEMPLATE_ID": "not-a-uuid",
        "NOTIFY_SMS_TEMPLATE_ID": SMS_TEMPLATE_ID,
    }
    assert "NOTIFY_EMAIL_TEMPLATE_ID must be the id" in run_manage("check", env=bad_template).stderr


def test_messages_listed_on_a_record_outlive_the_outbox_month_and_keep_their_subject(settings) -> None:
    settings.NOTIFICATIONS_KEEP_DAYS = 365
    now = timezone.now()
    plain = outbox_write(kind="x", to=["a@example.org"], subject="Plain", body="b", next_attempt_at=now)
    listed = outbox_write(
        kind="x", to=["a@example.org"], subject="Listed", body="b", on_record=True, next_attempt_at=now
    )
    outbox_sweep(now=now)  # sent by the console backend
    assert list(OutboxMessage.objects.order_by("pk").values_list("subject", "body")) == [("", ""), ("Listed", "")]

    forty_days_ago = now - dt.timedelta(days=40)
    OutboxMessage.objects.update(sent_at=forty_days_ago, updated_at=forty_days_ago)
    outbox_sweep(now=now)
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [listed.pk]
    assert plain.pk != listed.pk

    OutboxMessage.objects.update(sent_at=now - dt.timedelta(days=366), updated_at=now - dt.timedelta(days=366))
    outbox_sweep(now=now)
    assert not OutboxMessage.objects.exists()
