"""Status history of applications and enrolments: written by the services, rebuilt from the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate
from candidates.services.privacy import candidate_anonymise
from courses.history_backfill import backfill_application_history, backfill_enrolment_history
from courses.models import Application, ApplicationStatusChange, Enrolment, EnrolmentStatusChange
from courses.services.applications import (
    application_accept,
    application_decide,
    application_decline_offer,
    application_submit,
    application_withdraw,
    offers_expire,
)
from courses.services.delivery import enrolment_add, enrolment_pause, enrolment_rejoin
from courses.services.outcomes import enrolment_record_outcome
from tests.courses.factories import ApplicationFactory, CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


def steps(rows) -> list[tuple[str, str, str, int | None]]:
    return [(r.from_status, r.to_status, r.reason, r.changed_by_id) for r in rows.order_by("changed_at", "pk")]


def a_journey(staff: User, learner: User) -> tuple[list[Application], list[Enrolment]]:
    """Three applicants for one seat, then a pause, a rejoin and a withdrawal, all through the services."""
    cohort = CohortFactory.create(capacity=1)
    first, second, third = (
        application_submit(cohort=cohort, candidate=CandidateFactory.create(), actor=learner, answers={})
        for _ in range(3)
    )
    application_decide(application=first, actor=staff, decision=Status.SHORTLISTED)
    application_decide(application=first, actor=staff, decision=Status.OFFERED)
    application_decide(application=second, actor=staff, decision=Status.WAITING_LIST)
    enrolment = application_accept(application=first, actor=learner)
    application_withdraw(application=third, actor=learner)
    # Pausing frees the seat, which the waiting list gets; the second applicant turns it down.
    enrolment_pause(enrolment=enrolment, actor=staff, reason="Childcare fell through")
    second.refresh_from_db()
    application_decline_offer(application=second, actor=learner)
    later = CohortFactory.create(course=cohort.course, start_date=cohort.start_date + dt.timedelta(days=28))
    rejoined = enrolment_rejoin(enrolment=enrolment, cohort=later, actor=staff)
    enrolment_record_outcome(enrolment=rejoined, actor=staff, status=Enrolment.Status.WITHDRAWN, reason="Moved away")
    added = enrolment_add(cohort=later, candidate=CandidateFactory.create(), actor=staff)
    return [first, second, third], [enrolment, rejoined, added]


def test_every_status_change_is_recorded_by_the_service_that_makes_it(staff: User, learner: User) -> None:
    (first, second, third), (paused, rejoined, added) = a_journey(staff, learner)

    assert steps(first.status_changes.all()) == [
        ("", "submitted", "", learner.pk),
        ("submitted", "shortlisted", "", staff.pk),
        ("shortlisted", "offered", "", staff.pk),
        ("offered", "accepted", "", learner.pk),
    ]
    assert steps(second.status_changes.all()) == [
        ("", "submitted", "", learner.pk),
        ("submitted", "waiting_list", "", staff.pk),
        ("waiting_list", "offered", "", staff.pk),
        ("offered", "learner_declined", "", learner.pk),
    ]
    assert steps(third.status_changes.all()) == [
        ("", "submitted", "", learner.pk),
        ("submitted", "withdrawn", "", learner.pk),
    ]
    assert steps(paused.status_changes.all()) == [
        ("", "enrolled", "", learner.pk),
        ("enrolled", "paused", "Childcare fell through", staff.pk),
    ]
    assert steps(rejoined.status_changes.all()) == [
        ("", "enrolled", "", staff.pk),
        ("enrolled", "withdrawn", "Moved away", staff.pk),
    ]
    assert steps(added.status_changes.all()) == [("", "enrolled", "", staff.pk)]
    paused.refresh_from_db()
    assert paused.status_changes.all()[0].changed_at == paused.ended_at  # newest first, when it ended


def test_declining_keeps_the_reason_and_correcting_an_outcome_reason_is_not_a_status_change(staff: User) -> None:
    application = ApplicationFactory.create()
    application_decide(application=application, actor=staff, decision=Status.DECLINED, reason="No right to work")
    assert steps(application.status_changes.all()) == [("submitted", "declined", "No right to work", staff.pk)]

    enrolment = EnrolmentFactory.create()
    enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Enrolment.Status.WITHDRAWN, reason="Ill")
    enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Enrolment.Status.WITHDRAWN, reason="Ill health")
    assert steps(enrolment.status_changes.all()) == [("enrolled", "withdrawn", "Ill", staff.pk)]


def test_an_expired_offer_is_recorded_without_an_actor(settings) -> None:
    now = timezone.now()
    application = ApplicationFactory.create(status=Status.OFFERED, offered_at=now - dt.timedelta(days=30))
    assert offers_expire(now=now) == 1
    change = application.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by, change.changed_at) == (
        "offered",
        "offer_expired",
        None,
        now,
    )


def snapshot() -> tuple[list[tuple[object, ...]], list[dt.datetime]]:
    rows = [
        *ApplicationStatusChange.objects.order_by("application_id", "changed_at", "pk").values_list(
            "application_id", "from_status", "to_status", "reason", "changed_by_id", "changed_at"
        ),
        *EnrolmentStatusChange.objects.order_by("enrolment_id", "changed_at", "pk").values_list(
            "enrolment_id", "from_status", "to_status", "reason", "changed_by_id", "changed_at"
        ),
    ]
    return [row[:-1] for row in rows], [row[-1] for row in rows]


def test_the_backfill_rebuilds_from_the_audit_log_what_the_services_write(staff: User, learner: User) -> None:
    a_journey(staff, learner)
    written, written_at = snapshot()
    ApplicationStatusChange.objects.all().delete()
    EnrolmentStatusChange.objects.all().delete()

    created = backfill_application_history(apps) + backfill_enrolment_history(apps)

    rebuilt, rebuilt_at = snapshot()
    assert created == len(written) == 15
    assert rebuilt == written
    # The audit entry is written a moment after the row's own timestamp.
    assert all(abs(a - b) < dt.timedelta(seconds=2) for a, b in zip(rebuilt_at, written_at, strict=True))


def test_the_backfill_starts_records_without_audit_entries_and_runs_once(staff: User) -> None:
    enrolment = EnrolmentFactory.create()
    application = ApplicationFactory.create(status=Status.SHORTLISTED)
    already = ApplicationFactory.create()
    ApplicationStatusChange.objects.create(application=already, to_status="submitted")

    assert backfill_application_history(apps) == 1
    assert backfill_enrolment_history(apps) == 1
    assert steps(application.status_changes.all()) == [("", "submitted", "", None)]
    assert application.status_changes.get().changed_at == application.created_at
    assert enrolment.status_changes.get().changed_at == enrolment.created_at
    assert backfill_application_history(apps) == backfill_enrolment_history(apps) == 0
    assert already.status_changes.count() == 1


def test_anonymising_clears_the_reasons_in_the_history(staff: User) -> None:
    candidate: Candidate = CandidateFactory.create()
    enrolment = EnrolmentFactory.create(candidate=candidate)
    enrolment_record_outcome(enrolment=enrolment, actor=staff, status=Enrolment.Status.WITHDRAWN, reason="Divorce")
    application = ApplicationFactory.create(candidate=candidate)
    application_decide(application=application, actor=staff, decision=Status.DECLINED, reason="Divorce")

    candidate_anonymise(candidate=candidate, actor=staff)

    assert enrolment.status_changes.get().reason == application.status_changes.get().reason == ""
    assert enrolment.status_changes.get().to_status == "withdrawn"


def test_the_demo_tells_each_application_and_enrolment_story_in_its_history(staff: User) -> None:
    from courses.demo_history import seed_status_history

    now = timezone.now()
    expired = ApplicationFactory.create(
        created_at=now - dt.timedelta(days=10),
        status=Status.OFFER_EXPIRED,
        offered_at=now - dt.timedelta(days=9),
        responded_at=now - dt.timedelta(days=2),
    )
    waiting = ApplicationFactory.create(
        created_at=now - dt.timedelta(days=1), status=Status.WAITING_LIST, waiting_since=now, decided_by=staff
    )
    ended = EnrolmentFactory.create(
        created_at=now - dt.timedelta(days=5), status=Enrolment.Status.WITHDRAWN, status_reason="Moved", ended_at=now
    )

    assert seed_status_history() == 3 + 2 + 2
    assert steps(expired.status_changes.all()) == [
        ("", "submitted", "", None),
        ("submitted", "offered", "", None),
        ("offered", "offer_expired", "", None),
    ]
    assert steps(waiting.status_changes.all())[-1] == ("submitted", "waiting_list", "", staff.pk)
    assert steps(ended.status_changes.all()) == [("", "enrolled", "", None), ("enrolled", "withdrawn", "Moved", None)]
    assert seed_status_history() == 0
