"""Applications: applying, staff decisions, capacity, the waiting list, answers to offers and expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, PipelineStage
from courses.models import Application, Cohort, Enrolment
from courses.selectors.applications import (
    application_answers,
    cohort_applications_summary,
    cohort_seats_taken,
    waiting_list_position,
)
from courses.services.applications import (
    application_accept,
    application_decide,
    application_decline_offer,
    application_submit,
    application_withdraw,
    cohort_application_problem,
    cohort_offer_freed_seats,
    offers_expire,
)
from tests.courses.factories import ApplicationFactory, CohortFactory, EnrolmentFactory
from tests.courses.factories_applications import ChoiceQuestionFactory, ScreeningQuestionFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


def stage(slug: str) -> PipelineStage:
    return PipelineStage.objects.get(slug=slug)


def fill(cohort: Cohort, n: int, status: str = Status.ACCEPTED) -> list[Application]:
    """`n` applications holding seats (accepted ones with their enrolment, as accepting makes them)."""
    apps = ApplicationFactory.create_batch(n, cohort=cohort, status=status, offered_at=timezone.now())
    if status == Status.ACCEPTED:
        for app in apps:
            EnrolmentFactory.create(cohort=cohort, candidate=app.candidate, application=app)
    return apps


def waiting(cohort: Cohort, *, minutes_ago: int) -> Application:
    return ApplicationFactory.create(
        cohort=cohort,
        status=Status.WAITING_LIST,
        waiting_since=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


# --- applying -----------------------------------------------------------------------------------


def test_submit_stores_answers_by_question_and_emails_a_copy(
    candidate: Candidate, learner: User, django_capture_on_commit_callbacks
) -> None:
    cohort = CohortFactory.create()
    text = ScreeningQuestionFactory.create(course=cohort.course)
    choice = ChoiceQuestionFactory.create(course=cohort.course)
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(
            cohort=cohort,
            candidate=candidate,
            actor=learner,
            answers={str(text.pk): "  I cared for my dad.  ", str(choice.pk): "Yes"},
        )
    assert application.status == Status.SUBMITTED
    assert application.answers == {str(text.pk): "I cared for my dad.", str(choice.pk): "Yes"}
    assert [(a.question, a.answer) for a in application_answers(application)] == [
        (text.text, "I cared for my dad."),
        (choice.text, "Yes"),
    ]
    assert AuditEntry.objects.filter(action="application.submit", actor=learner).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [candidate.email]
    assert mail.outbox[0].subject == f"We have your application for {cohort.course.title}"
    assert "/me/applications/" in mail.outbox[0].body


def test_missing_required_answer_and_unknown_choice_name_the_question(candidate: Candidate, learner: User) -> None:
    cohort = CohortFactory.create()
    text = ScreeningQuestionFactory.create(course=cohort.course, text="Why care?")
    choice = ChoiceQuestionFactory.create(course=cohort.course)
    ScreeningQuestionFactory.create(course=cohort.course, required=False)
    with pytest.raises(ValidationError) as exc:
        application_submit(cohort=cohort, candidate=candidate, actor=learner, answers={str(choice.pk): "Maybe"})
    assert exc.value.message_dict == {
        f"question_{text.pk}": ["Answer the question: Why care?"],
        f"question_{choice.pk}": [f"Choose one of the answers to: {choice.text}"],
    }
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("status", "days_to_start", "message"),
    [
        (Cohort.Status.CLOSED, 14, "have closed"),
        (Cohort.Status.RUNNING, -1, "have closed"),
        (Cohort.Status.OPEN, -1, "have closed"),  # left open by mistake after it started
        (Cohort.Status.PLANNED, 14, "are not open yet"),
        (Cohort.Status.CANCELLED, 14, "has been cancelled"),
    ],
)
def test_cohorts_not_taking_applications_refuse_with_a_clear_message(
    candidate: Candidate, learner: User, status: str, days_to_start: int, message: str
) -> None:
    start = timezone.localdate() + dt.timedelta(days=days_to_start)
    cohort = CohortFactory.create(status=status, start_date=start, end_date=start + dt.timedelta(days=10))
    assert message in cohort_application_problem(cohort=cohort)
    with pytest.raises(ValidationError, match=message):
        application_submit(cohort=cohort, candidate=candidate, actor=learner, answers={})


def test_a_full_cohort_refuses_applications(candidate: Candidate, learner: User) -> None:
    cohort = CohortFactory.create(capacity=2)
    fill(cohort, 1)
    fill(cohort, 1, status=Status.OFFERED)  # an unanswered offer holds a seat too
    with pytest.raises(ValidationError, match="is full"):
        application_submit(cohort=cohort, candidate=candidate, actor=learner, answers={})


def test_a_second_application_to_the_same_cohort_is_refused(candidate: Candidate, learner: User) -> None:
    cohort = CohortFactory.create()
    application_submit(cohort=cohort, candidate=candidate, actor=learner, answers={})
    with pytest.raises(ValidationError, match="already applied"):
        application_submit(cohort=cohort, candidate=candidate, actor=learner, answers={})
    assert Application.objects.count() == 1


# --- seats ----------------------------------------------------------------------------------------


def test_seats_taken_counts_offers_and_current_enrolments_only() -> None:
    cohort = CohortFactory.create(capacity=10)
    fill(cohort, 2)  # accepted, enrolled: 2
    fill(cohort, 1, status=Status.OFFERED)  # 1
    ApplicationFactory.create(cohort=cohort, status=Status.ACCEPTED)  # accepted, enrolment missing: 1
    EnrolmentFactory.create(cohort=cohort)  # enrolled by staff without an application: 1
    EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.COMPLETED)  # 1
    paused = fill(cohort, 1)[0]
    Enrolment.objects.filter(application=paused).update(status=Enrolment.Status.PAUSED)  # freed
    EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.WITHDRAWN)  # freed
    for status in (Status.SUBMITTED, Status.SHORTLISTED, Status.WAITING_LIST, Status.DECLINED, Status.OFFER_EXPIRED):
        ApplicationFactory.create(cohort=cohort, status=status)
    EnrolmentFactory.create(status=Enrolment.Status.ENROLLED)  # another cohort
    assert cohort_seats_taken(cohort) == 6
    summary = cohort_applications_summary(cohort)
    assert (summary.seats_taken, summary.seats_left, summary.total) == (6, 4, 10)
    assert summary.counts[Status.ACCEPTED] == 4 and summary.counts[Status.LEARNER_DECLINED] == 0


# --- staff decisions ----------------------------------------------------------------------------


def test_offer_a_place_emails_the_learner_with_the_reply_by_date(
    staff: User, django_capture_on_commit_callbacks, settings
) -> None:
    settings.COURSE_OFFER_VALID_DAYS = 5
    application = ApplicationFactory.create(status=Status.SHORTLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        application_decide(application=application, actor=staff, decision=Status.OFFERED)
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (Status.OFFERED, staff)
    assert application.offered_at is not None
    deadline = timezone.localdate(application.offered_at + dt.timedelta(days=5))
    assert f"by {deadline:%-d %B %Y}" in mail.outbox[0].body
    assert f"/me/applications/{application.public_id}/respond/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="application.offered")
    assert entry.data == {"from": "shortlisted", "reason": ""}


def test_offering_when_full_is_refused_and_suggests_the_waiting_list(staff: User) -> None:
    cohort = CohortFactory.create(capacity=1)
    fill(cohort, 1)
    application = ApplicationFactory.create(cohort=cohort)
    with pytest.raises(ValidationError, match=r"no seats left .* waiting list"):
        application_decide(application=application, actor=staff, decision=Status.OFFERED)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


@pytest.mark.parametrize("status", [Cohort.Status.FINISHED, Cohort.Status.CANCELLED, Cohort.Status.PLANNED])
def test_no_offers_on_cohorts_that_are_over_or_not_open(staff: User, status: str) -> None:
    application = ApplicationFactory.create(cohort__status=status)
    with pytest.raises(ValidationError, match="cannot be offered"):
        application_decide(application=application, actor=staff, decision=Status.OFFERED)


def test_decline_needs_a_reason_which_the_learner_is_sent(staff: User, django_capture_on_commit_callbacks) -> None:
    application = ApplicationFactory.create()
    with pytest.raises(ValidationError) as exc:
        application_decide(application=application, actor=staff, decision=Status.DECLINED, reason="  ")
    assert "reason" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        application_decide(
            application=application, actor=staff, decision=Status.DECLINED, reason="You need to be 18 or over."
        )
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (Status.DECLINED, "You need to be 18 or over.")
    assert "You need to be 18 or over." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        (Status.ACCEPTED, Status.DECLINED),
        (Status.DECLINED, Status.OFFERED),
        (Status.WAITING_LIST, Status.SHORTLISTED),
        (Status.OFFERED, Status.OFFERED),
        (Status.SUBMITTED, Status.ACCEPTED),  # only the learner accepts
        (Status.SUBMITTED, "nonsense"),
    ],
)
def test_decisions_not_allowed_from_a_status_are_refused(staff: User, status: str, decision: str) -> None:
    application = ApplicationFactory.create(status=status)
    with pytest.raises(ValidationError, match="cannot be changed"):
        application_decide(application=application, actor=staff, decision=decision, reason="x")


def test_waiting_list_records_when_they_joined(staff: User) -> None:
    application = ApplicationFactory.create()
    application_decide(application=application, actor=staff, decision=Status.WAITING_LIST)
    application.refresh_from_db()
    assert application.waiting_since is not None
    assert waiting_list_position(application) == 1


def test_withdrawing_an_offer_gives_the_seat_to_the_waiting_list(staff: User) -> None:
    cohort = CohortFactory.create(capacity=1)
    offer = fill(cohort, 1, status=Status.OFFERED)[0]
    next_in_line = waiting(cohort, minutes_ago=5)
    application_decide(application=offer, actor=staff, decision=Status.DECLINED, reason="Offered by mistake.")
    next_in_line.refresh_from_db()
    assert next_in_line.status == Status.OFFERED


# --- the waiting list ---------------------------------------------------------------------------


def test_freed_seats_go_to_the_waiting_list_in_order(staff: User, django_capture_on_commit_callbacks) -> None:
    cohort = CohortFactory.create(capacity=4)
    fill(cohort, 2)
    third = waiting(cohort, minutes_ago=10)
    first = waiting(cohort, minutes_ago=30)
    second = waiting(cohort, minutes_ago=20)
    assert [waiting_list_position(a) for a in (first, second, third)] == [1, 2, 3]
    with django_capture_on_commit_callbacks(execute=True):
        offered = cohort_offer_freed_seats(cohort=cohort, actor=staff)
    assert offered == [first, second]
    third.refresh_from_db()
    assert third.status == Status.WAITING_LIST
    assert waiting_list_position(third) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.candidate.email, second.candidate.email])
    assert all("offered a place" in m.subject for m in mail.outbox)
    # Nothing left to offer: a second call changes nothing.
    assert cohort_offer_freed_seats(cohort=cohort, actor=staff) == []


def test_no_automatic_offers_once_the_cohort_has_started(staff: User) -> None:
    today = timezone.localdate()
    cohort = CohortFactory.create(status=Cohort.Status.RUNNING, start_date=today, end_date=today + dt.timedelta(9))
    waiting(cohort, minutes_ago=5)
    assert cohort_offer_freed_seats(cohort=cohort, actor=staff) == []


def test_pausing_an_enrolment_frees_its_seat_for_the_waiting_list(staff: User) -> None:
    cohort = CohortFactory.create(capacity=1)
    accepted = fill(cohort, 1)[0]
    person = waiting(cohort, minutes_ago=5)
    assert cohort_offer_freed_seats(cohort=cohort, actor=staff) == []
    Enrolment.objects.filter(application=accepted).update(status=Enrolment.Status.PAUSED)
    assert cohort_offer_freed_seats(cohort=cohort, actor=staff) == [person]


# --- the learner's answer -----------------------------------------------------------------------


def test_accepting_enrols_and_moves_the_learner_on_course(
    candidate: Candidate, learner: User, django_capture_on_commit_callbacks
) -> None:
    Candidate.objects.filter(pk=candidate.pk).update(stage=stage("screening"))
    candidate.refresh_from_db()
    application = ApplicationFactory.create(candidate=candidate, status=Status.OFFERED, offered_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = application_accept(application=application, actor=learner)
    application.refresh_from_db()
    candidate.refresh_from_db()
    assert application.status == Status.ACCEPTED and application.responded_at is not None
    assert (enrolment.status, enrolment.application, enrolment.cohort) == (
        Enrolment.Status.ENROLLED,
        application,
        application.cohort,
    )
    assert candidate.stage.slug == "on_course"
    assert candidate.stage_changes.filter(to_stage__slug="on_course", changed_by=learner).exists()
    assert "is confirmed" in mail.outbox[0].subject
    # The seat is now held by the enrolment, counted once.
    assert cohort_seats_taken(application.cohort) == 1


def test_accepting_does_not_move_someone_further_on_back(candidate: Candidate, learner: User) -> None:
    Candidate.objects.filter(pk=candidate.pk).update(stage=stage("in_work"))
    application = ApplicationFactory.create(candidate=candidate, status=Status.OFFERED, offered_at=timezone.now())
    application_accept(application=application, actor=learner)
    candidate.refresh_from_db()
    assert candidate.stage.slug == "in_work"


def test_accepting_links_an_enrolment_staff_already_made(candidate: Candidate, learner: User) -> None:
    application = ApplicationFactory.create(candidate=candidate, status=Status.OFFERED, offered_at=timezone.now())
    existing = EnrolmentFactory.create(cohort=application.cohort, candidate=candidate)
    enrolment = application_accept(application=application, actor=learner)
    assert enrolment.pk == existing.pk
    existing.refresh_from_db()
    assert existing.application == application
    assert Enrolment.objects.count() == 1


def test_only_an_offer_can_be_accepted_or_declined(learner: User) -> None:
    application = ApplicationFactory.create(status=Status.WAITING_LIST)
    with pytest.raises(ValidationError, match="only accept a place that has been offered"):
        application_accept(application=application, actor=learner)
    with pytest.raises(ValidationError, match="no offer to decline"):
        application_decline_offer(application=application, actor=learner)


def test_an_offer_on_a_cancelled_cohort_cannot_be_accepted(learner: User) -> None:
    application = ApplicationFactory.create(status=Status.OFFERED, cohort__status=Cohort.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        application_accept(application=application, actor=learner)


def test_declining_an_offer_passes_the_seat_on(learner: User, django_capture_on_commit_callbacks) -> None:
    cohort = CohortFactory.create(capacity=1)
    offer = fill(cohort, 1, status=Status.OFFERED)[0]
    person = waiting(cohort, minutes_ago=5)
    with django_capture_on_commit_callbacks(execute=True):
        application_decline_offer(application=offer, actor=learner)
    offer.refresh_from_db()
    person.refresh_from_db()
    assert offer.status == Status.LEARNER_DECLINED
    assert person.status == Status.OFFERED
    assert {m.subject.split(" on ")[0] for m in mail.outbox} == {
        "You have declined your place",
        "You have been offered a place",
    }


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.SHORTLISTED, Status.WAITING_LIST])
def test_withdraw_an_application_without_an_offer(learner: User, status: str) -> None:
    application = ApplicationFactory.create(status=status)
    application_withdraw(application=application, actor=learner)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


@pytest.mark.parametrize("status", [Status.OFFERED, Status.ACCEPTED, Status.DECLINED])
def test_withdraw_refused_once_there_is_an_offer_or_decision(learner: User, status: str) -> None:
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        application_withdraw(application=ApplicationFactory.create(status=status), actor=learner)


# --- expiry -------------------------------------------------------------------------------------


def test_unanswered_offers_expire_and_the_seat_goes_to_the_waiting_list(
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.COURSE_OFFER_VALID_DAYS = 5
    now = timezone.now()
    cohort = CohortFactory.create(capacity=2)
    stale = ApplicationFactory.create(cohort=cohort, status=Status.OFFERED, offered_at=now - dt.timedelta(days=6))
    fresh = ApplicationFactory.create(cohort=cohort, status=Status.OFFERED, offered_at=now - dt.timedelta(days=4))
    person = waiting(cohort, minutes_ago=60)
    with django_capture_on_commit_callbacks(execute=True):
        assert offers_expire(now=now) == 1
    for app in (stale, fresh, person):
        app.refresh_from_db()
    assert (stale.status, fresh.status, person.status) == (Status.OFFER_EXPIRED, Status.OFFERED, Status.OFFERED)
    assert AuditEntry.objects.filter(action="application.offer_expired", actor=None).count() == 1
    assert sorted(m.subject.split(" on ")[0] for m in mail.outbox) == [
        "You have been offered a place",
        "Your offer of a place",
    ]
    # Idempotent: a second run (or a retry) expires and emails nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert offers_expire(now=now) == 0
    assert mail.outbox == []


def test_the_expiry_task_calls_the_service(settings) -> None:
    from courses.tasks import offers_expire_task

    settings.COURSE_OFFER_VALID_DAYS = 1
    ApplicationFactory.create(status=Status.OFFERED, offered_at=timezone.now() - dt.timedelta(days=2))
    assert offers_expire_task.delay().get() == 1


def test_no_email_for_a_record_without_one(staff: User, django_capture_on_commit_callbacks) -> None:
    application = ApplicationFactory.create(candidate=CandidateFactory.create(email=""))
    with django_capture_on_commit_callbacks(execute=True):
        application_decide(application=application, actor=staff, decision=Status.SHORTLISTED)
    assert mail.outbox == []
