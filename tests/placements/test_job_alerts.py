"""Job alerts: a learner saves a board search; each morning's run sends one message listing the new matching
vacancies, nothing when none are new, never a vacancy twice; the signed link in it stops the alert."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import OutboxMessage
from candidates.models import Candidate
from placements.models import JobAlert, JobAlertVacancy, JobRole
from placements.services.alerts import NOT_CLAIMED, job_alert_run, job_alerts_sweep
from tests.placements.factories_vacancies import VacancyFactory, postcode_centroids  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postcode_centroids")]
TEMPLATE = "placements/email/job_alert"


def _alert_messages() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=TEMPLATE).order_by("pk"))


def _save_search(client: Client, **search: str) -> JobAlert:
    form = client.get(reverse("placements:job-alert-create"), search)
    assert form.status_code == 200
    assert f'value="{search.get("where", "")}"' in form.content.decode()  # the board's search comes along
    response = client.post(reverse("placements:job-alert-create"), {**search, "frequency": "daily"})
    assert response.status_code == 302, response.content
    return JobAlert.objects.get()


def _matching(**extra) -> object:
    """A care worker job near LS9 8AB, part time, published now (after the alert was saved)."""
    fields = {"job_role": JobRole.CARE_WORKER, "hours_per_week": Decimal("20"), "easting": 432300, "northing": 433400}
    return VacancyFactory.create(**{**fields, **extra})


@pytest.fixture
def saved_alert(client_for, candidate: Candidate) -> JobAlert:
    VacancyFactory.create(
        title="Posted before the search was saved", published_at=timezone.now() - dt.timedelta(days=2)
    )
    return _save_search(
        client_for("learner"), q="", where="LS9 8AB", radius="5", job_role=JobRole.CARE_WORKER, hours="part_time"
    )


def test_one_alert_lists_the_new_vacancies_and_nothing_is_sent_the_next_day_when_none_are_new(
    saved_alert: JobAlert,
) -> None:
    assert (saved_alert.where, saved_alert.radius_miles, saved_alert.hours) == ("LS9 8AB", 5, "part_time")
    _matching(title="Home carer, Harehills")
    _matching(title="Night carer, Gipton")
    _matching(title="Full time carer", hours_per_week=Decimal("37.5"))  # not part time
    _matching(title="Far away carer", easting=532300, northing=433400)  # 62 miles east
    _matching(title="Cook at Oak House", job_role=JobRole.OTHER)
    today = timezone.localdate() + dt.timedelta(days=1)

    result = job_alerts_sweep(today=today)
    assert (result.due, result.sent, result.vacancies) == (1, 1, 2)
    [message] = _alert_messages()
    assert message.subject == "2 new jobs matching your search"
    assert message.channel == "email" and message.to == [saved_alert.candidate.email]
    assert "Home carer, Harehills" in message.body and "Night carer, Gipton" in message.body
    for not_listed in ("Posted before", "Full time carer", "Far away carer", "Cook at Oak House"):
        assert not_listed not in message.body
    assert set(JobAlertVacancy.objects.values_list("vacancy__title", flat=True)) == {
        "Home carer, Harehills",
        "Night carer, Gipton",
    }

    # The same morning again (a second beat, a retry): nothing.
    assert job_alerts_sweep(today=today).due == 0
    # The next day, nothing new: nothing sent.
    assert job_alerts_sweep(today=today + dt.timedelta(days=1)) == type(result)(due=1, sent=0, vacancies=0)
    assert len(_alert_messages()) == 1
    # The day after, one new vacancy: a message listing it alone.
    _matching(title="Day centre carer")
    job_alerts_sweep(today=today + dt.timedelta(days=2))
    latest = _alert_messages()[-1]
    assert latest.subject == "1 new job matching your search"
    assert "Day centre carer" in latest.body and "Home carer" not in latest.body


def test_a_run_is_claimed_once_per_day_and_weekly_alerts_wait_a_week(saved_alert: JobAlert) -> None:
    _matching(title="Home carer")
    today = timezone.localdate()
    assert job_alert_run(alert_id=saved_alert.pk, today=today) == 1
    assert job_alert_run(alert_id=saved_alert.pk, today=today) == NOT_CLAIMED
    JobAlert.objects.filter(pk=saved_alert.pk).update(frequency=JobAlert.Frequency.WEEKLY)
    _matching(title="Another carer")
    assert job_alert_run(alert_id=saved_alert.pk, today=today + dt.timedelta(days=6)) == NOT_CLAIMED
    assert job_alert_run(alert_id=saved_alert.pk, today=today + dt.timedelta(days=7)) == 1
    assert len(_alert_messages()) == 2


def test_the_signed_link_in_the_message_stops_the_alert_without_signing_in(saved_alert: JobAlert) -> None:
    _matching(title="Home carer")
    today = timezone.localdate()
    job_alerts_sweep(today=today)
    [message] = _alert_messages()
    path = re.search(r"https?://[^/\s]+(/jobs/alerts/saved/\S+/)", message.body).group(1)  # type: ignore[union-attr]

    anonymous = Client(enforce_csrf_checks=False)
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Home carer" in page.content.decode()  # the jobs it sent, one click from a text too
    assert "Stop this job alert" in page.content.decode()
    saved_alert.refresh_from_db()
    assert saved_alert.stopped_at is None  # looking (or a mail scanner) stops nothing

    assert anonymous.post(path).status_code == 200
    saved_alert.refresh_from_db()
    assert saved_alert.stopped_at is not None
    _matching(title="Yet another carer")
    assert job_alerts_sweep(today=today + dt.timedelta(days=1)).due == 0
    assert len(_alert_messages()) == 1

    tampered = path.replace("/saved/", "/saved/x")
    assert anonymous.get(tampered).status_code == 410
    assert anonymous.post(tampered).status_code == 410


def test_a_learner_who_chose_texts_gets_the_alert_as_a_text(saved_alert: JobAlert, client_for) -> None:
    client_for("learner").post(reverse("candidates:contact-channels"), {"channel": "text"})
    _matching(title="Home carer")
    job_alerts_sweep(today=timezone.localdate())
    [message] = _alert_messages()
    assert message.channel == "sms" and message.to == [saved_alert.candidate.phone]
    assert message.body.startswith("Care Career Academy: 1 new job matches your saved search.")
    assert "/jobs/alerts/saved/" in message.body
