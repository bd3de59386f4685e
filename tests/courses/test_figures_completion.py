"""Completion that cannot inflate: paused learners stay in the figure, lapse after a while, and
completing before the course is over needs a confirmed, audited reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from courses.models import Cohort, Enrolment
from courses.selectors.delivery import expected_at_session
from courses.selectors.outcomes import CompletionSummary, cohort_completion_summary
from courses.services.delivery import enrolment_rejoin
from courses.services.outcomes import enrolment_record_outcome
from courses.services.pauses import enrolments_lapse_pauses
from courses.tasks import enrolments_lapse_pauses_task
from tests.courses.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import running_cohort
from tests.courses.factories_outcomes import finished_cohort

pytestmark = pytest.mark.django_db

Status = Enrolment.Status


def _pause(enrolment: Enrolment, *, days_ago: int) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Status.PAUSED, status_reason="Childcare", ended_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def _later_cohort(cohort: Cohort) -> Cohort:
    start = timezone.localdate() + dt.timedelta(days=7)
    return CohortFactory.create(course=cohort.course, start_date=start, end_date=start + dt.timedelta(days=13))


# --- paused learners in the completion rate ---


def test_a_learner_paused_and_never_back_stays_in_the_completion_denominator(staff: User) -> None:
    made = finished_cohort(learners=12)
    for enrolment in made.enrolments[:10]:
        Enrolment.objects.filter(pk=enrolment.pk).update(status=Status.COMPLETED)
    Enrolment.objects.filter(pk=made.enrolments[10].pk).update(status=Status.WITHDRAWN)
    _pause(made.enrolments[11], days_ago=20)

    summary = cohort_completion_summary(made.cohort)

    # Before: the paused learner dropped out, 10 of 11 = 91%.
    assert (summary.completed, summary.counted, summary.rate) == (10, 12, 83)
    assert (summary.paused, summary.rejoined) == (1, 0)


def test_a_learner_who_paused_and_rejoined_counts_once_on_the_later_cohort(staff: User) -> None:
    made = finished_cohort(learners=2)
    Enrolment.objects.filter(pk=made.enrolments[0].pk).update(status=Status.COMPLETED)
    _pause(made.enrolments[1], days_ago=20)
    later = _later_cohort(made.cohort)
    EnrolmentFactory.create(cohort=later, candidate=made.enrolments[1].candidate)

    assert cohort_completion_summary(made.cohort) == CompletionSummary(completed=1, rejoined=1)
    assert cohort_completion_summary(later) == CompletionSummary(in_progress=1)


def test_the_cohort_page_shows_paused_learners_in_the_figure(client_for: Callable[[str], Client]) -> None:
    made = finished_cohort(learners=3)
    Enrolment.objects.filter(pk__in=[e.pk for e in made.enrolments[:2]]).update(status=Status.COMPLETED)
    _pause(made.enrolments[2], days_ago=5)

    page = client_for("staff").get(made.cohort.get_absolute_url()).content.decode()
    outcomes = client_for("staff").get(reverse("courses:cohort-outcomes", kwargs={"public_id": made.cohort.public_id}))

    assert "<strong>67% completion</strong>: 2 of 3 completed" in page
    assert "1 paused and not back yet (counted as not completed)" in page
    assert "After 90 days without rejoining" in outcomes.content.decode()


# --- pauses lapse to "did not complete" ---


@override_settings(COURSE_PAUSE_LAPSES_AFTER_DAYS=90)
def test_a_pause_with_no_rejoin_lapses_to_did_not_complete_once_and_is_audited() -> None:
    made = finished_cohort(learners=4, ended_days_ago=100)
    lapsed, recent, rejoined, enrolled = made.enrolments
    _pause(lapsed, days_ago=91)
    _pause(recent, days_ago=89)
    _pause(rejoined, days_ago=120)
    EnrolmentFactory.create(cohort=_later_cohort(made.cohort), candidate=rejoined.candidate)

    assert enrolments_lapse_pauses_task.delay().get() == 1
    assert enrolments_lapse_pauses() == 0  # a second run (or a retry) changes nothing

    statuses = dict(Enrolment.objects.filter(cohort=made.cohort).values_list("pk", "status"))
    assert statuses == {
        lapsed.pk: Status.DID_NOT_COMPLETE,
        recent.pk: Status.PAUSED,
        rejoined.pk: Status.PAUSED,
        enrolled.pk: Status.ENROLLED,
    }
    lapsed.refresh_from_db()
    assert lapsed.status_reason.startswith("Paused on ") and "within 90 days" in lapsed.status_reason
    assert lapsed.status_reason.endswith("Childcare")
    entry = AuditEntry.objects.get(action="enrolment.pause_lapsed")
    assert (entry.object_id, entry.actor_label, entry.data["after_days"]) == (str(lapsed.pk), "system", 90)


@override_settings(COURSE_PAUSE_LAPSES_AFTER_DAYS=30)
def test_the_lapse_period_comes_from_the_setting_and_a_lapsed_learner_cannot_rejoin(staff: User) -> None:
    made = finished_cohort(learners=1, ended_days_ago=40)
    enrolment = made.enrolments[0]
    _pause(enrolment, days_ago=31)

    assert enrolments_lapse_pauses() == 1
    enrolment.refresh_from_db()
    with pytest.raises(ValidationError, match="Only a paused learner can rejoin"):
        enrolment_rejoin(enrolment=enrolment, cohort=_later_cohort(made.cohort), actor=staff)


def test_a_lapsed_learner_is_not_expected_at_sessions_after_their_pause() -> None:
    run = running_cohort(learners=1, sessions=3)
    enrolment = run.enrolments[0]
    paused_on = timezone.make_aware(dt.datetime.combine(run.sessions[0].date, dt.time(17)))
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Status.DID_NOT_COMPLETE, ended_at=paused_on)

    assert list(expected_at_session(run.sessions[0])) == [enrolment]
    assert list(expected_at_session(run.sessions[1])) == []


# --- completing before the course is over ---


def _mid_course() -> Enrolment:
    """A learner on a cohort that started a week ago and whose last session is in three days."""
    start = timezone.localdate() - dt.timedelta(days=7)
    cohort = CohortFactory.create(
        start_date=start, end_date=start + dt.timedelta(days=13), status=Cohort.Status.RUNNING
    )
    SessionFactory.create(cohort=cohort, date=start)
    SessionFactory.create(cohort=cohort, date=timezone.localdate() + dt.timedelta(days=3))
    return EnrolmentFactory.create(cohort=cohort)


def test_completing_before_the_last_session_needs_a_reason_which_is_audited(staff: User) -> None:
    enrolment = _mid_course()

    with pytest.raises(ValidationError, match=r"last session is on .* has not happened yet"):
        enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Status.COMPLETED)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ENROLLED

    enrolment_record_outcome(
        enrolment=enrolment, actor=staff, status=Status.COMPLETED, early_reason="  Covered the rest one to one  "
    )

    enrolment.refresh_from_db()
    assert enrolment.status == Status.COMPLETED
    entry = AuditEntry.objects.get(action="enrolment.outcome", object_id=str(enrolment.pk))
    assert entry.data["completed_early"] == "Covered the rest one to one"


def test_completing_after_the_last_session_needs_no_reason(staff: User) -> None:
    made = finished_cohort(learners=1)
    SessionFactory.create(cohort=made.cohort, date=made.cohort.end_date)

    enrolment_record_outcome(enrolment=made.enrolments[0], actor=staff, status=Status.COMPLETED)

    assert "completed_early" not in AuditEntry.objects.get(action="enrolment.outcome").data


def test_the_outcome_form_warns_and_asks_for_confirmation_and_a_reason(client_for: Callable[[str], Client]) -> None:
    enrolment = _mid_course()
    client = client_for("staff")
    url = reverse("courses:enrolment-complete", kwargs={"public_id": enrolment.public_id})

    first = client.post(url, {"status": "completed"})

    page = first.content.decode()
    assert first.status_code == 200
    assert "has not happened yet" in page and 'name="confirm_early"' in page and 'name="early_reason"' in page
    assert "Tick to confirm they have completed before the course is over" in page
    assert "Enter why they have completed before the course is over" in page
    assert Enrolment.objects.get(pk=enrolment.pk).status == Status.ENROLLED

    no_tick = client.post(url, {"status": "completed", "early_reason": "Started a job early"})
    assert "Tick to confirm" in no_tick.content.decode()

    done = client.post(url, {"status": "completed", "confirm_early": "on", "early_reason": "Started a job early"})

    assert done.status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).status == Status.COMPLETED
    assert AuditEntry.objects.get(action="enrolment.outcome").data["completed_early"] == "Started a job early"


def test_withdrawing_mid_course_asks_for_no_confirmation(client_for: Callable[[str], Client]) -> None:
    enrolment = _mid_course()
    url = reverse("courses:enrolment-complete", kwargs={"public_id": enrolment.public_id})

    response = client_for("staff").post(url, {"status": "withdrawn", "reason": "Moved away"})

    assert response.status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).status == Status.WITHDRAWN
