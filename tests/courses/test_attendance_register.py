"""The attendance register: service rules and the register page (one save, bad rows reported, htmx rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from academy.models import AuditEntry, User
from courses.models import Attendance, Cohort, Enrolment
from courses.services.attendance import NOT_ON_REGISTER, RowMark, attendance_register_save
from tests.courses.factories import EnrolmentFactory, SessionFactory
from tests.courses.factories_delivery import mark, register_data, running_cohort

pytestmark = pytest.mark.django_db

Mark = Attendance.Mark


def _url(session) -> str:
    return reverse("courses:attendance-register", kwargs={"public_id": session.public_id})


def _marks(session) -> dict[int, str]:
    return dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "mark"))


# --- the service ----------------------------------------------------------------------------------


def test_save_records_each_row_and_audits_once(staff: User) -> None:
    run = running_cohort(learners=3, sessions=1)
    session = run.sessions[0]
    a, b, c = run.enrolments

    result = attendance_register_save(
        session=session,
        rows=[
            RowMark(a.public_id, Mark.PRESENT),
            RowMark(b.public_id, Mark.LATE, "  Bus was late  "),
            RowMark(c.public_id, Mark.ABSENT_REASON, "Doctor"),
        ],
        actor=staff,
    )

    assert result.errors == {}
    assert result.counts == {Mark.PRESENT: 1, Mark.LATE: 1, Mark.ABSENT_REASON: 1}
    assert _marks(session) == {a.pk: Mark.PRESENT, b.pk: Mark.LATE, c.pk: Mark.ABSENT_REASON}
    late = Attendance.objects.get(session=session, enrolment=b)
    assert (late.note, late.recorded_by) == ("Bus was late", staff)
    entry = AuditEntry.objects.get(action="attendance.register")
    assert entry.object_id == str(session.pk)
    assert entry.data["marks"] == {
        str(a.public_id): "present",
        str(b.public_id): "late",
        str(c.public_id): "absent_reason",
    }


def test_a_bad_row_is_reported_while_the_others_are_saved(staff: User) -> None:
    run = running_cohort(learners=3, sessions=1)
    session = run.sessions[0]
    a, b, c = run.enrolments

    result = attendance_register_save(
        session=session,
        rows=[
            RowMark(a.public_id, Mark.PRESENT),
            RowMark(b.public_id, "asleep"),
            RowMark(c.public_id, Mark.ABSENT, "x" * 201),
        ],
        actor=staff,
    )

    assert _marks(session) == {a.pk: Mark.PRESENT}
    assert result.errors == {
        b.public_id: f"Select present, late, absent with reason or absent without reason for {b.candidate.full_name}",
        c.public_id: f"The note for {c.candidate.full_name} must be 200 characters or fewer",
    }


def test_attendance_for_a_learner_not_in_the_cohort_is_refused(staff: User) -> None:
    run = running_cohort(learners=1, sessions=1)
    session = run.sessions[0]
    outsider = EnrolmentFactory.create()  # enrolled on another cohort

    result = attendance_register_save(
        session=session,
        rows=[RowMark(run.enrolments[0].public_id, Mark.PRESENT), RowMark(outsider.public_id, Mark.PRESENT)],
        actor=staff,
    )

    assert result.errors == {outsider.public_id: NOT_ON_REGISTER}
    assert not Attendance.objects.filter(enrolment=outsider).exists()
    assert _marks(session) == {run.enrolments[0].pk: Mark.PRESENT}


def test_learner_who_paused_before_the_session_is_not_on_its_register(staff: User) -> None:
    run = running_cohort(learners=2, sessions=2)
    first, second = run.sessions
    stays, paused = run.enrolments
    Enrolment.objects.filter(pk=paused.pk).update(
        status=Enrolment.Status.PAUSED, ended_at=timezone.now() - dt.timedelta(days=1)
    )
    mark(first, paused, Mark.PRESENT)  # marked before pausing: kept, and still shown on that register
    second.date = timezone.localdate()
    second.save()
    first.date = timezone.localdate() - dt.timedelta(days=3)
    first.save()

    result = attendance_register_save(
        session=second,
        rows=[RowMark(stays.public_id, Mark.PRESENT), RowMark(paused.public_id, Mark.PRESENT)],
        actor=staff,
    )

    assert result.errors == {paused.public_id: NOT_ON_REGISTER}
    again = attendance_register_save(session=first, rows=[RowMark(paused.public_id, Mark.LATE)], actor=staff)
    assert again.errors == {}
    assert _marks(first) == {paused.pk: Mark.LATE}


def test_unchanged_rows_are_left_alone(staff: User, manager: User) -> None:
    run = running_cohort(learners=2, sessions=1)
    session = run.sessions[0]
    a, b = run.enrolments
    attendance_register_save(
        session=session, rows=[RowMark(a.public_id, Mark.PRESENT), RowMark(b.public_id, Mark.LATE)], actor=staff
    )

    result = attendance_register_save(
        session=session, rows=[RowMark(a.public_id, Mark.PRESENT), RowMark(b.public_id, Mark.PRESENT)], actor=manager
    )

    assert (len(result.saved), result.unchanged) == (1, 1)
    assert Attendance.objects.get(enrolment=a).recorded_by == staff
    changed = Attendance.objects.get(enrolment=b)
    assert (changed.mark, changed.recorded_by) == (Mark.PRESENT, manager)
    assert Attendance.objects.count() == 2


def test_register_cannot_be_taken_before_the_session_or_on_a_cancelled_cohort(staff: User) -> None:
    run = running_cohort(learners=1, sessions=1)
    future = SessionFactory.create(cohort=run.cohort, date=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="The register opens on the day of the session"):
        attendance_register_save(session=future, rows=[RowMark(run.enrolments[0].public_id, Mark.PRESENT)], actor=staff)

    Cohort.objects.filter(pk=run.cohort.pk).update(status=Cohort.Status.CANCELLED)
    run.sessions[0].cohort.refresh_from_db()
    with pytest.raises(ValidationError, match="cancelled"):
        attendance_register_save(
            session=run.sessions[0], rows=[RowMark(run.enrolments[0].public_id, Mark.PRESENT)], actor=staff
        )
    assert not Attendance.objects.exists()


# --- the page ---------------------------------------------------------------------------------------


def test_staff_take_attendance_for_12_learners_on_a_session_in_one_save(
    client_for: Callable[[str], Client],
) -> None:
    run = running_cohort(learners=12, sessions=1)
    session = run.sessions[0]
    client = client_for("staff")
    page = client.get(_url(session))
    assert page.status_code == 200
    html = page.content.decode()
    for enrolment in run.enrolments:
        assert escape(enrolment.candidate.full_name) in html
        assert f'name="{enrolment.public_id}-mark"' in html
    marks = {e: Mark.PRESENT for e in run.enrolments[:10]}
    marks[run.enrolments[10]] = Mark.LATE
    marks[run.enrolments[11]] = Mark.ABSENT_REASON

    response = client.post(_url(session), register_data(marks, {run.enrolments[11]: "Hospital appointment"}))

    assert response.status_code == 302
    assert response["Location"] == run.cohort.get_absolute_url() + "#attendance"
    assert Attendance.objects.filter(session=session).count() == 12
    assert Attendance.objects.get(enrolment=run.enrolments[11]).note == "Hospital appointment"
    cohort_page = client.get(response["Location"])
    assert (
        "The register for" in cohort_page.content.decode()
        and "12 learners marked (10 present, 1 late, 1 absent with reason)" in cohort_page.content.decode()
    )


def test_a_bad_row_is_shown_with_its_error_and_the_good_rows_are_saved(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=3, sessions=1)
    session = run.sessions[0]
    good, bad, noted = run.enrolments
    data = register_data({good: Mark.PRESENT, bad: "maybe"})
    data[f"{noted.public_id}-note"] = "Phoned in"  # a note without a mark

    response = client_for("staff").post(_url(session), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Register for" in html
    assert "There is a problem" in html
    assert f"Select present, late, absent with reason or absent without reason for {bad.candidate.full_name}" in html
    assert f'href="#id_{bad.public_id}-mark_0"' in html
    assert f"Select present, late or absent for {noted.candidate.full_name}, or clear the note" in html
    assert "Marks for 1 other learner are saved. Fix the rows below and save again." in html
    assert _marks(session) == {good.pk: Mark.PRESENT}
    assert 'value="Phoned in"' in html  # what was typed is kept


def test_a_mark_posted_for_someone_from_another_cohort_is_refused(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=2, sessions=1)
    session = run.sessions[0]
    outsider = EnrolmentFactory.create()
    data = register_data({run.enrolments[0]: Mark.PRESENT, run.enrolments[1]: Mark.LATE, outsider: Mark.PRESENT})

    response = client_for("staff").post(_url(session), data)

    assert response.status_code == 200
    assert "Attendance for someone who is not on this register was refused" in response.content.decode()
    assert escape(outsider.candidate.full_name) not in response.content.decode()
    assert not Attendance.objects.filter(enrolment=outsider).exists()
    assert len(_marks(session)) == 2


def test_save_marking_everyone_not_marked_as_present(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=4, sessions=1)
    session = run.sessions[0]
    absent = run.enrolments[2]
    data = {**register_data({absent: Mark.ABSENT}), "rest_present": "1"}

    response = client_for("staff").post(_url(session), data)

    assert response.status_code == 302
    expected = {e.pk: Mark.PRESENT for e in run.enrolments}
    expected[absent.pk] = Mark.ABSENT
    assert _marks(session) == expected


def test_saving_with_nobody_marked_is_an_error(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=2, sessions=1)

    response = client_for("staff").post(_url(run.sessions[0]), {})

    assert response.status_code == 200
    assert "Select present, late or absent for at least one learner" in response.content.decode()
    assert not Attendance.objects.exists()


def test_existing_marks_are_shown_checked(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    enrolment = run.enrolments[0]
    mark(run.sessions[0], enrolment, Mark.LATE, note="Traffic")

    html = client_for("staff").get(_url(run.sessions[0])).content.decode()

    assert f'id="id_{enrolment.public_id}-mark_1"\n                   name="{enrolment.public_id}-mark"' in html
    checked = html.split(f'id="id_{enrolment.public_id}-mark_1"')[1].split(">")[0]
    assert "checked" in checked
    assert 'value="Traffic"' in html
    assert "Attendance so far 100%" in html


def test_future_session_shows_when_the_register_opens(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    future = SessionFactory.create(cohort=run.cohort, date=timezone.localdate() + dt.timedelta(days=2))
    client = client_for("staff")

    page = client.get(_url(future))
    assert "The register opens on the day of the session" in page.content.decode()
    assert "Save register" not in page.content.decode()

    response = client.post(_url(future), register_data({run.enrolments[0]: Mark.PRESENT}))
    assert response.status_code == 302 and response["Location"] == _url(future)
    assert not Attendance.objects.exists()


# --- htmx: one row at a time --------------------------------------------------------------------------


def test_htmx_row_save_saves_only_that_row_and_returns_it(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=3, sessions=1)
    session = run.sessions[0]
    chosen, other, _ = run.enrolments
    data = {**register_data({chosen: Mark.LATE, other: Mark.PRESENT}), "row": str(chosen.public_id)}

    response = client_for("staff").post(_url(session), data, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="row-{chosen.public_id}"' in html
    assert f'id="row-{other.public_id}"' not in html
    assert "<html" not in html
    assert f"Saved: {chosen.candidate.full_name}, late." in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert _marks(session) == {chosen.pk: Mark.LATE}


def test_htmx_row_without_a_mark_waits_quietly(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    enrolment = run.enrolments[0]
    data = {
        f"{enrolment.public_id}-mark": "",
        f"{enrolment.public_id}-note": "Said she'd be late",
        "row": str(enrolment.public_id),
    }

    response = client_for("staff").post(_url(run.sessions[0]), data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-message" not in html
    assert "Said she&#x27;d be late" in html
    assert not Attendance.objects.exists()


def test_htmx_row_for_someone_not_on_the_register_is_refused(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    outsider = EnrolmentFactory.create()
    data = {**register_data({outsider: Mark.PRESENT}), "row": str(outsider.public_id)}

    response = client_for("staff").post(_url(run.sessions[0]), data, headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_register_page_loads_htmx_and_works_without_it(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    html = client_for("staff").get(_url(run.sessions[0])).content.decode()
    assert "build/js/htmx.min.js" in html
    assert '<form method="post" novalidate id="register">' in html
    assert 'type="submit"' in html  # the save button posts the whole form without JavaScript
    assert "<script>" not in html  # no inline script (CSP)


# --- query counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_register_query_count_does_not_grow_with_learners(
    method: str, client_for: Callable[[str], Client], django_assert_num_queries
) -> None:
    client = client_for("staff")
    counts = []
    for learners in (2, 20):
        run = running_cohort(learners=learners, sessions=3)
        session = run.sessions[1]
        for enrolment in run.enrolments:  # some history, so percentages have something to count
            mark(run.sessions[0], enrolment, Mark.PRESENT)
        client.get(_url(session))  # the first request of a staff session writes its idle expiry once
        ContentType.objects.get_for_model(session)  # the audit log's content type, cached per process
        data = register_data({e: Mark.PRESENT for e in run.enrolments})
        with django_assert_num_queries(7 if method == "get" else 14) as captured:
            response = client.get(_url(session)) if method == "get" else client.post(_url(session), data)
        assert response.status_code == (200 if method == "get" else 302)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_unknown_row_id_that_is_not_a_uuid_is_refused(client_for: Callable[[str], Client]) -> None:
    run = running_cohort(learners=1, sessions=1)
    data = {**register_data({run.enrolments[0]: Mark.PRESENT}), "not-a-uuid-mark": "present"}
    response = client_for("staff").post(_url(run.sessions[0]), data)
    assert response.status_code == 200
    assert "was refused" in response.content.decode()
    assert len(_marks(run.sessions[0])) == 1
