"""Pausing an enrolment and rejoining a later cohort of the same course; both enrolments stay on the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from courses.models import Application, Cohort, Enrolment
from courses.selectors.delivery import rejoin_cohort_choices
from courses.services.delivery import enrolment_pause, enrolment_rejoin
from tests.courses.factories import ApplicationFactory, CohortFactory, CourseFactory, EnrolmentFactory
from tests.courses.factories_delivery import running_cohort

pytestmark = pytest.mark.django_db

Status = Enrolment.Status


def _later(course, *, days: int = 30, **kwargs) -> Cohort:
    start = timezone.localdate() + dt.timedelta(days=days)
    return CohortFactory.create(course=course, start_date=start, end_date=start + dt.timedelta(days=13), **kwargs)


def _paused(run_enrolment: Enrolment) -> Enrolment:
    Enrolment.objects.filter(pk=run_enrolment.pk).update(
        status=Status.PAUSED, status_reason="Childcare", ended_at=timezone.now()
    )
    return Enrolment.objects.select_related("cohort__course", "candidate").get(pk=run_enrolment.pk)


# --- pausing ---------------------------------------------------------------------------------------


def test_pause_keeps_the_enrolment_with_its_reason_and_audits(staff: User) -> None:
    run = running_cohort(learners=1, sessions=1)
    enrolment = run.enrolments[0]

    enrolment_pause(enrolment=enrolment, actor=staff, reason="  Childcare fell through  ")

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.status_reason) == (Status.PAUSED, "Childcare fell through")
    assert enrolment.ended_at is not None
    assert AuditEntry.objects.filter(action="enrolment.pause", object_id=str(enrolment.pk)).exists()


def test_pausing_before_the_start_offers_the_seat_to_the_waiting_list(staff: User) -> None:
    cohort = _later(CourseFactory.create(), days=10, capacity=1, status=Cohort.Status.OPEN)
    enrolment = EnrolmentFactory.create(cohort=cohort)
    waiting = ApplicationFactory.create(
        cohort=cohort, status=Application.Status.WAITING_LIST, waiting_since=timezone.now()
    )

    enrolment_pause(enrolment=enrolment, actor=staff, reason="Illness")

    waiting.refresh_from_db()
    assert waiting.status == Application.Status.OFFERED


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        (Status.ENROLLED, "   ", "Enter why the learner is pausing"),
        (Status.COMPLETED, "Illness", "cannot be paused: their enrolment status is “Completed”"),
        (Status.PAUSED, "Illness", "cannot be paused: their enrolment status is “Paused”"),
    ],
)
def test_pause_refusals(staff: User, status: str, reason: str, message: str) -> None:
    enrolment = EnrolmentFactory.create(status=status)
    with pytest.raises(ValidationError, match=message):
        enrolment_pause(enrolment=enrolment, actor=staff, reason=reason)


def test_pause_page_asks_why_then_pauses(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    enrolment = run.enrolments[0]
    url = reverse("courses:enrolment-pause", kwargs={"public_id": enrolment.public_id})
    client = client_for("staff")

    assert "Why are they pausing?" in client.get(url).content.decode()
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "<title>Error: Pause" in empty.content.decode()
    assert "Enter why the learner is pausing, for example illness or childcare" in empty.content.decode()

    response = client.post(url, {"reason": "Illness"})

    assert response.status_code == 302
    assert response["Location"] == run.cohort.get_absolute_url() + "#learners"
    enrolment.refresh_from_db()
    assert enrolment.status == Status.PAUSED


def test_pause_page_for_someone_not_enrolled_goes_back_with_a_message(client_for: Callable[[str], Client]) -> None:
    enrolment = EnrolmentFactory.create(status=Status.COMPLETED)
    client = client_for("staff")
    response = client.get(reverse("courses:enrolment-pause", kwargs={"public_id": enrolment.public_id}), follow=True)
    assert "cannot be paused: their enrolment status is “Completed”" in response.content.decode()


def test_a_learner_cannot_pause_their_own_enrolment(client_for: Callable[[str], Client], candidate) -> None:
    enrolment = EnrolmentFactory.create(candidate=candidate)
    url = reverse("courses:enrolment-pause", kwargs={"public_id": enrolment.public_id})
    assert client_for("learner").get(url).status_code == 403
    assert client_for("learner").post(url, {"reason": "x"}).status_code == 403
    assert client_for("other_learner").post(url, {"reason": "x"}).status_code == 404


# --- rejoining ------------------------------------------------------------------------------------------


def test_rejoin_creates_a_second_enrolment_for_the_same_person_and_emails_them(
    staff: User, django_capture_on_commit_callbacks
) -> None:
    run = running_cohort(learners=1, sessions=1)
    paused = _paused(run.enrolments[0])
    later = _later(run.cohort.course, name="Leeds, March")

    with django_capture_on_commit_callbacks(execute=True):
        rejoined = enrolment_rejoin(enrolment=paused, cohort=later, actor=staff)

    assert (rejoined.cohort, rejoined.candidate, rejoined.status) == (later, paused.candidate, Status.ENROLLED)
    assert set(paused.candidate.enrolments.values_list("status", flat=True)) == {Status.PAUSED, Status.ENROLLED}
    paused.refresh_from_db()
    assert paused.status == Status.PAUSED
    assert AuditEntry.objects.filter(action="enrolment.rejoin", object_id=str(rejoined.pk)).exists()
    assert [m.to for m in mail.outbox] == [[paused.candidate.email]]
    assert "Leeds, March" in mail.outbox[0].body


def test_rejoin_refusals(staff: User) -> None:
    run = running_cohort(learners=2, sessions=1)
    paused = _paused(run.enrolments[0])
    course = run.cohort.course
    other_course = _later(CourseFactory.create())
    earlier = CohortFactory.create(
        course=course,
        start_date=run.cohort.start_date - dt.timedelta(days=60),
        end_date=run.cohort.start_date - dt.timedelta(days=50),
    )
    full = _later(course, capacity=1)
    EnrolmentFactory.create(cohort=full)
    cancelled = _later(course, status=Cohort.Status.CANCELLED)
    already = _later(course)
    EnrolmentFactory.create(cohort=already, candidate=paused.candidate)
    offered = _later(course)
    ApplicationFactory.create(cohort=offered, candidate=paused.candidate, status=Application.Status.OFFERED)

    cases = {
        other_course: "Choose a cohort of",
        earlier: "is not a later cohort",
        cancelled: "is not a later cohort",
        full: "There are no seats left",
        already: "is already on",
        offered: "already has an offer",
    }
    for cohort, message in cases.items():
        with pytest.raises(ValidationError, match=message):
            enrolment_rejoin(enrolment=paused, cohort=cohort, actor=staff)
    with pytest.raises(ValidationError, match="Only a paused learner can rejoin"):
        enrolment_rejoin(enrolment=run.enrolments[1], cohort=_later(course), actor=staff)


def test_rejoin_choices_are_later_cohorts_of_the_course_with_seats(staff: User) -> None:
    run = running_cohort(learners=1, sessions=1)
    paused = _paused(run.enrolments[0])
    course = run.cohort.course
    open_later = _later(course, days=20, status=Cohort.Status.OPEN)
    planned = _later(course, days=60, status=Cohort.Status.PLANNED)
    full = _later(course, days=40, capacity=1)
    ApplicationFactory.create(cohort=full, status=Application.Status.OFFERED)
    _later(course, status=Cohort.Status.CANCELLED)
    _later(CourseFactory.create())

    choices = list(rejoin_cohort_choices(paused, today=timezone.localdate()))

    assert choices == [open_later, planned]
    assert choices[0].seats_taken == 0  # type: ignore[attr-defined]


def test_rejoin_page_lists_cohorts_with_seats_left_and_rejoins(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    paused = _paused(run.enrolments[0])
    later = _later(run.cohort.course, name="Bradford, May", capacity=10)
    EnrolmentFactory.create(cohort=later)
    url = reverse("courses:enrolment-rejoin", kwargs={"public_id": paused.public_id})
    client = client_for("staff")

    page = client.get(url).content.decode()
    assert "Bradford, May" in page and "9 seats left" in page

    missing = client.post(url, {})
    assert "Select the cohort the learner is rejoining" in missing.content.decode()

    response = client.post(url, {"cohort": str(later.public_id)})

    assert response.status_code == 302
    assert response["Location"] == later.get_absolute_url() + "#learners"
    assert Enrolment.objects.filter(cohort=later, candidate=paused.candidate, status=Status.ENROLLED).exists()
    cohort_page = client.get(run.cohort.get_absolute_url()).content.decode()
    assert "Rejoined on Bradford, May" in cohort_page
    assert url not in cohort_page  # no second rejoin offered


def test_rejoin_page_without_later_cohorts_says_so(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    paused = _paused(run.enrolments[0])
    html = client_for("staff").get(reverse("courses:enrolment-rejoin", kwargs={"public_id": paused.public_id}))
    assert "has a free seat" in html.content.decode()
    assert "Rejoin this cohort" not in html.content.decode()


def test_rejoin_page_for_someone_not_paused_goes_back(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    url = reverse("courses:enrolment-rejoin", kwargs={"public_id": run.enrolments[0].public_id})
    response = client_for("staff").get(url)
    assert response.status_code == 302
    assert response["Location"] == run.cohort.get_absolute_url() + "#learners"
