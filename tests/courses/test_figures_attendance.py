"""Attendance that cannot inflate: sessions held and never marked count, and hold the bursary back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, SupportPayment, User
from courses.models import Attendance, Cohort, Enrolment
from courses.selectors.attendance import enrolments_with_attendance
from courses.selectors.cohort_page import MISSING, NOT_EXPECTED, cohort_page
from courses.selectors.payments import bursary_held_back, bursary_qualifiers, cohort_bursary_rows
from courses.services.payments import cohort_record_bursaries
from tests.courses.factories import CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import mark
from tests.courses.factories_outcomes import finished_cohort

pytestmark = pytest.mark.django_db

Mark = Attendance.Mark


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _figures(enrolment: Enrolment, now: dt.datetime | None = None) -> tuple[int, int, int, Decimal | None]:
    row = enrolments_with_attendance(Enrolment.objects.filter(pk=enrolment.pk), now=now).get()
    return row.attended_count, row.missing_count, row.counted_sessions, row.attendance_percent  # type: ignore[attr-defined]


def _past_cohort(sessions: int = 3) -> tuple[Cohort, list]:
    start = timezone.localdate() - dt.timedelta(days=10)
    cohort = CohortFactory.create(
        start_date=start, end_date=start + dt.timedelta(days=20), status=Cohort.Status.RUNNING
    )
    made = [SessionFactory.create(cohort=cohort, date=start + dt.timedelta(days=i)) for i in range(sessions)]
    return cohort, made


def test_two_sessions_held_and_never_marked_count_as_missing_not_as_100_percent() -> None:
    cohort, sessions = _past_cohort(3)
    learner = EnrolmentFactory.create(cohort=cohort)
    nobody_marked = EnrolmentFactory.create(cohort=cohort)
    mark(sessions[0], learner, Mark.PRESENT)

    # 1 attended of 3 sessions held: before, the two never marked were left out and this was 100%.
    assert _figures(learner) == (1, 2, 3, Decimal("33.3"))
    assert _figures(nobody_marked) == (0, 3, 3, Decimal("0.0"))


def test_only_sessions_held_while_the_learner_was_on_the_course_count() -> None:
    cohort, sessions = _past_cohort(3)
    SessionFactory.create(cohort=cohort, date=timezone.localdate() + dt.timedelta(days=2))  # not held yet
    paused = EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.PAUSED, ended_at=_at(sessions[0].date, 17))
    mark(sessions[0], paused, Mark.PRESENT)
    cancelled = CohortFactory.create(
        start_date=cohort.start_date, end_date=cohort.end_date, status=Cohort.Status.CANCELLED
    )
    SessionFactory.create(cohort=cancelled, date=sessions[0].date)
    on_cancelled = EnrolmentFactory.create(cohort=cancelled)

    assert _figures(paused) == (1, 0, 1, Decimal("100.0"))
    assert _figures(on_cancelled) == (0, 0, 0, None)


def test_a_session_counts_once_it_has_ended() -> None:
    today = timezone.localdate()
    cohort = CohortFactory.create(start_date=today, status=Cohort.Status.RUNNING)
    SessionFactory.create(cohort=cohort, date=today, start_time=dt.time(9, 30), end_time=dt.time(15, 0))
    learner = EnrolmentFactory.create(cohort=cohort)

    assert _figures(learner, now=_at(today, 14, 59)) == (0, 0, 0, None)
    assert _figures(learner, now=_at(today, 15, 0)) == (0, 1, 1, Decimal("0.0"))


def test_the_cohort_page_shows_missing_marks_per_learner_session_and_in_total(
    client_for: Callable[[str], Client],
) -> None:
    cohort, sessions = _past_cohort(3)
    keen, patchy = EnrolmentFactory.create_batch(2, cohort=cohort)
    for session in sessions:
        mark(session, keen, Mark.PRESENT)
    mark(sessions[0], patchy, Mark.LATE)
    left = EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.WITHDRAWN, ended_at=_at(sessions[0].date, 18))

    page = cohort_page(cohort, today=timezone.localdate())
    rows = {row.enrolment.pk: row for row in page.learners}
    assert rows[patchy.pk].marks == [Mark.LATE, MISSING, MISSING]
    assert rows[left.pk].marks == [MISSING, NOT_EXPECTED, NOT_EXPECTED]
    assert (rows[patchy.pk].missing, rows[left.pk].missing, rows[keen.pk].missing) == (2, 1, 0)
    assert (page.missing_count, page.learners_missing) == (3, 2)
    assert [missing for _, missing in page.session_rows] == [1, 1, 1]

    html = client_for("staff").get(cohort.get_absolute_url()).content.decode()
    assert "3 marks missing</a> for 2 of 3 learners" in html
    assert "2 missing</strong>" in html
    assert "Missing: held, never marked" in html


# --- the bursary waits for a complete register ---


def bursary_cohort_with_gaps() -> tuple[Cohort, Enrolment, Enrolment]:
    """A finished cohort of 10 sessions, bursary at 80%: one learner marked for all 10 (8 present),
    one marked present for 8 and never marked for the other 2."""
    course = CourseFactory.create(attendance_bursary_amount=Decimal("60.00"), attendance_bursary_threshold=80)
    made = finished_cohort(learners=2, course=course)
    cohort = made.cohort
    sessions = [SessionFactory.create(cohort=cohort, date=cohort.start_date + dt.timedelta(days=i)) for i in range(10)]
    complete, gaps = made.enrolments
    for i, session in enumerate(sessions):
        mark(session, complete, Mark.PRESENT if i < 8 else Mark.ABSENT)
        if i < 8:
            mark(session, gaps, Mark.PRESENT)
    return cohort, complete, gaps


def test_a_learner_whose_register_is_incomplete_is_held_back_from_the_bursary(staff: User) -> None:
    cohort, complete, gaps = bursary_cohort_with_gaps()

    rows = {row.pk: row for row in cohort_bursary_rows(cohort)}
    assert (rows[gaps.pk].attendance_percent, rows[gaps.pk].missing_count) == (Decimal("80.0"), 2)  # type: ignore[attr-defined]
    assert list(bursary_qualifiers(cohort)) == [complete]
    assert list(bursary_held_back(cohort)) == [gaps]

    created = cohort_record_bursaries(cohort=cohort, actor=staff)

    assert [payment.candidate for payment in created] == [complete.candidate]
    assert not SupportPayment.objects.filter(candidate=gaps.candidate).exists()


def test_a_manager_confirms_a_held_back_bursary_with_a_reason_that_is_audited(staff: User, manager: User) -> None:
    cohort, _, gaps = bursary_cohort_with_gaps()

    with pytest.raises(ValidationError, match="Only a manager"):
        cohort_record_bursaries(cohort=cohort, actor=staff, confirm_incomplete=[gaps], reason="Paper register")
    with pytest.raises(ValidationError, match="Enter why"):
        cohort_record_bursaries(cohort=cohort, actor=manager, confirm_incomplete=[gaps], reason="  ")
    assert not SupportPayment.objects.exists()

    created = cohort_record_bursaries(
        cohort=cohort, actor=manager, confirm_incomplete=[gaps], reason="Tutor's paper register shows she attended"
    )

    # The learner with a complete register is recorded too; only the held-back one needs the reason.
    assert len(created) == 2 and gaps.candidate in {payment.candidate for payment in created}
    payment = SupportPayment.objects.get(candidate=gaps.candidate)
    confirmed = AuditEntry.objects.get(action="payment.bursary", object_id=str(payment.pk))
    assert confirmed.data["register_incomplete"] == 2
    assert confirmed.data["confirmed_by_manager"] == "Tutor's paper register shows she attended"
    assert AuditEntry.objects.filter(action="payment.bursary", data__has_key="confirmed_by_manager").count() == 1


def test_a_learner_whose_missing_marks_would_lift_them_over_the_threshold_could_qualify() -> None:
    course = CourseFactory.create(attendance_bursary_amount=Decimal("60.00"), attendance_bursary_threshold=90)
    cohort = finished_cohort(learners=1, course=course).cohort
    learner = cohort.enrolments.get()
    sessions = [SessionFactory.create(cohort=cohort, date=cohort.start_date + dt.timedelta(days=i)) for i in range(10)]
    for session in sessions[:7]:
        mark(session, learner, Mark.PRESENT)

    row = cohort_bursary_rows(cohort).get()

    assert (row.attendance_percent, row.qualifies, row.could_qualify) == (Decimal("70.0"), False, True)  # type: ignore[attr-defined]


def _confirm_url(cohort: Cohort) -> str:
    return reverse("courses:bursary-confirm", kwargs={"public_id": cohort.public_id})


def test_the_bursary_page_shows_missing_marks_and_a_manager_confirms_with_a_reason(
    client_for: Callable[[str], Client],
) -> None:
    staff_client, manager_client = client_for("staff"), client_for("manager")
    cohort, _, gaps = bursary_cohort_with_gaps()
    list_url = reverse("courses:bursary-list", kwargs={"public_id": cohort.public_id})

    staff_page = staff_client.get(list_url).content.decode()
    assert "2 missing</strong>" in staff_page and "Register incomplete" in staff_page
    assert "Record 1 bursary" in staff_page
    assert _confirm_url(cohort) not in staff_page  # staff ask a manager
    assert staff_client.post(_confirm_url(cohort), {"learners": [gaps.public_id], "reason": "x"}).status_code == 403

    manager_page = manager_client.get(list_url).content.decode()
    assert _confirm_url(cohort) in manager_page

    no_reason = manager_client.post(_confirm_url(cohort), {"learners": [gaps.public_id], "reason": ""})
    assert no_reason.status_code == 200
    assert "Enter why the bursary can be recorded before the register is complete" in no_reason.content.decode()
    assert not SupportPayment.objects.exists()

    done = manager_client.post(_confirm_url(cohort), {"learners": [gaps.public_id], "reason": "Paper register"})
    assert done.status_code == 302
    assert SupportPayment.objects.filter(candidate=gaps.candidate, status=SupportPayment.Status.APPROVED).exists()
