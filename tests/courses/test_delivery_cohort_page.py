"""The staff cohort page: learners, attendance grid and flags, completion, rating, support payments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from academy.discovery import app_hooks
from courses.models import Attendance, Cohort, Enrolment, Feedback, SupportPayment
from courses.selectors.cohort_page import NOT_EXPECTED, cohort_page
from tests.courses.factories import SessionFactory
from tests.courses.factories_delivery import mark, running_cohort

pytestmark = pytest.mark.django_db

Mark = Attendance.Mark


def _url(cohort: Cohort) -> str:
    return reverse("courses:cohort-detail", kwargs={"public_id": cohort.public_id})


def test_cohort_page_shows_83_percent_completion_and_the_average_rating(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=12, sessions=2)
    completed, withdrawn, not_completed = run.enrolments[:10], run.enrolments[10], run.enrolments[11]
    Enrolment.objects.filter(pk__in=[e.pk for e in completed]).update(status=Enrolment.Status.COMPLETED)
    Enrolment.objects.filter(pk=withdrawn.pk).update(status=Enrolment.Status.WITHDRAWN, status_reason="Found a job")
    Enrolment.objects.filter(pk=not_completed.pk).update(status=Enrolment.Status.DID_NOT_COMPLETE)
    for enrolment, rating in zip(completed, [5, 5, 4, 4, 4, 5, 3, 4, 5, 4], strict=True):
        Feedback.objects.create(enrolment=enrolment, rating=rating)
    SupportPayment.objects.create(
        candidate=withdrawn.candidate, cohort=run.cohort, kind="transport", amount=Decimal("12.50"), status="paid"
    )
    SupportPayment.objects.create(
        candidate=withdrawn.candidate, cohort=run.cohort, kind="lunch", amount=Decimal("99"), status="requested"
    )

    response = client_for("staff").get(_url(run.cohort))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>83% completion</strong>: 10 of 12 completed" in html
    assert "1 withdrew." in html and "1 did not complete." in html
    assert "<strong>4.3 out of 5</strong> from 10 learners" in html
    assert "£12.50 approved or paid" in html
    assert "Found a job" in html


@override_settings(ATTENDANCE_FLAG_BELOW_PERCENT=80)
def test_learners_below_the_threshold_are_flagged_and_the_grid_shows_each_mark(
    client_for: Callable[[str], Client],
) -> None:
    run = running_cohort(learners=3, sessions=5)
    keen, patchy, left = run.enrolments
    for session in run.sessions:
        mark(session, keen, Mark.PRESENT)
    for session, value in zip(
        run.sessions, [Mark.PRESENT, Mark.LATE, Mark.ABSENT, Mark.ABSENT_REASON, Mark.PRESENT], strict=True
    ):
        mark(session, patchy, value)
    mark(run.sessions[0], left, Mark.ABSENT)
    first_day = timezone.make_aware(dt.datetime.combine(run.sessions[0].date, dt.time(17)))
    Enrolment.objects.filter(pk=left.pk).update(status=Enrolment.Status.WITHDRAWN, ended_at=first_day)

    page = cohort_page(Cohort.objects.get(pk=run.cohort.pk), today=timezone.localdate())
    rows = {row.enrolment.pk: row for row in page.learners}
    assert (rows[keen.pk].percent, rows[keen.pk].flagged) == (Decimal("100.0"), False)
    assert (rows[patchy.pk].percent, rows[patchy.pk].flagged) == (Decimal("60.0"), True)
    # Someone who has left is not flagged: there is nothing to follow up on the course.
    assert (rows[left.pk].percent, rows[left.pk].flagged) == (Decimal("0.0"), False)
    assert rows[patchy.pk].marks == ["present", "late", "absent", "absent_reason", "present"]
    assert rows[left.pk].marks == ["absent", *[NOT_EXPECTED] * 4]
    assert page.flagged_count == 1

    html = client_for("staff").get(_url(run.cohort)).content.decode()
    assert "1 learner still on the course is below 80% attendance" in html
    assert "60%" in html and "Below 80%" in html
    assert '<span aria-hidden="true">AR</span><span class="govuk-visually-hidden">Absent with reason</span>' in html
    register = reverse("courses:attendance-register", kwargs={"public_id": run.sessions[0].public_id})
    assert f'href="{register}"' in html


def test_actions_match_each_learners_status(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=2, sessions=1)
    enrolled, paused = run.enrolments
    Enrolment.objects.filter(pk=paused.pk).update(status=Enrolment.Status.PAUSED, status_reason="Illness")

    html = client_for("staff").get(_url(run.cohort)).content.decode()

    assert reverse("courses:enrolment-pause", kwargs={"public_id": enrolled.public_id}) in html
    assert reverse("courses:enrolment-pause", kwargs={"public_id": paused.public_id}) not in html
    assert reverse("courses:enrolment-rejoin", kwargs={"public_id": paused.public_id}) in html
    assert reverse("courses:enrolment-rejoin", kwargs={"public_id": enrolled.public_id}) not in html
    assert reverse("courses:cohort-message", kwargs={"public_id": run.cohort.public_id}) in html
    assert "Take today\u2019s register" in html  # the last session is today


def test_future_sessions_say_when_the_register_opens(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    later = SessionFactory.create(cohort=run.cohort, date=timezone.localdate() + dt.timedelta(days=3))

    html = client_for("staff").get(_url(run.cohort)).content.decode()

    assert "Opens on the day" in html
    assert reverse("courses:attendance-register", kwargs={"public_id": later.public_id}) not in html


def test_empty_cohort_has_helpful_empty_states(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=0, sessions=0)
    html = client_for("staff").get(_url(run.cohort)).content.decode()
    assert "Nobody is enrolled yet." in html
    assert "No sessions yet." in html
    assert "No learners yet" in html
    assert "No feedback yet" in html


def test_cohort_page_query_count_does_not_grow_with_learners_and_sessions(
    client_for: Callable[[str], Client], django_assert_num_queries
) -> None:
    client = client_for("staff")
    counts = []
    for size in (2, 20):
        run = running_cohort(learners=size, sessions=size)
        for session in run.sessions:
            for enrolment in run.enrolments:
                mark(session, enrolment, Mark.PRESENT)
        client.get(_url(run.cohort))  # the first request of a staff session writes its idle expiry once
        ContentType.objects.get_for_model(run.cohort)
        # Courses' own 11, plus one for each column an app above adds (placements: the work placement).
        with django_assert_num_queries(11 + len(app_hooks("cohort_page", "learner_columns"))) as captured:
            assert client.get(_url(run.cohort)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
