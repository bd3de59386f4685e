"""The staff record page shows the whole journey: courses, support payments, DBS and one timeline."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, DbsCheck, Milestone, PipelineStage
from candidates.selectors.journey import RecordSection, record_sections
from candidates.services.pipeline import candidate_move_to_milestone
from courses.models import Application, Attendance, Enrolment
from courses.services.applications import application_accept, application_decide
from courses.services.outcomes import enrolment_record_outcome
from tests.candidates.factories_dbs_records import at_status
from tests.courses.factories import ApplicationFactory, CohortFactory, EnrolmentFactory
from tests.courses.factories_delivery import mark, running_cohort
from tests.courses.factories_outcomes import SupportPaymentFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


def went_through_a_course(person: Candidate, staff: User, learner: User) -> Enrolment:
    """Applied, offered, accepted, attended 2 of 3 sessions, completed; a bus pass and a DBS check."""
    run = running_cohort(learners=0, sessions=3)
    application = ApplicationFactory.create(cohort=run.cohort, candidate=person)
    application_decide(application=application, actor=staff, decision=Application.Status.OFFERED)
    enrolment = application_accept(application=application, actor=learner)
    for session, value in zip(run.sessions, ["present", "late", "absent"], strict=True):
        mark(session, enrolment, value)
    enrolment_record_outcome(
        enrolment=enrolment,
        actor=staff,
        status=Enrolment.Status.COMPLETED,
        early_reason="Finished the course work early.",
    )
    declined = ApplicationFactory.create(candidate=person, cohort=CohortFactory.create(name="Hull cohort 1"))
    application_decide(application=declined, actor=staff, decision=Application.Status.DECLINED, reason="Clash of dates")
    SupportPaymentFactory.create(candidate=person, cohort=run.cohort, description="Weekly bus pass")
    at_status(DbsCheck.Status.SUBMITTED, candidate=person, started_on=timezone.localdate() - dt.timedelta(days=3))
    return enrolment


def test_the_record_of_a_learner_who_went_through_a_course_shows_the_whole_journey(
    staff_client: Client, staff: User, learner: User, candidate: Candidate
) -> None:
    enrolment = went_through_a_course(candidate, staff, learner)

    page = html(staff_client.get(candidate.get_absolute_url()))

    courses = page[page.index('id="courses"') : page.index('id="support-payments"')]
    assert f"{enrolment.cohort.course.title}: {enrolment.cohort.name}" in courses
    assert "66.7% (2 of 3 sessions)" in courses
    assert "Completed on" in courses
    assert "Place accepted" in courses and "Not offered a place" in courses and "Clash of dates" in courses
    payments = page[page.index('id="support-payments"') : page.index('id="journey"')]
    assert "Weekly bus pass" in payments and "£12.50" in payments
    assert 'href="#courses"' in page and 'href="#journey"' in page

    start = page.index('id="journey"')
    timeline = page[start : page.index("</table>", start)]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", timeline, flags=re.S)
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows[1:]]
    # Newest first: the latest decision, then completion (a stage move and the enrolment), back to the DBS start.
    assert "Hull cohort 1: Not offered a place" in text[0] and "Clash of dates" in text[0]
    assert any(f"{enrolment.cohort}: Completed" in row for row in text[1:4])
    assert any("Moved to Completed course" in row for row in text[1:4])
    assert any(f"{enrolment.cohort}: Place accepted" in row for row in text)
    assert any("Moved to On course" in row for row in text)
    # DBS steps are days, older than everything done today.
    assert [row for row in text if "DBS" in row][-1].startswith(
        f"{(timezone.localdate() - dt.timedelta(days=3)):%-d %b %Y} DBS check DBS check started"
    )
    assert text[-1].startswith(f"{(timezone.localdate() - dt.timedelta(days=3)):%-d %b %Y}")
    # Stage moves, three DBS steps, three application changes (offered, accepted; declined), two enrolment ones.
    assert candidate.stage_changes.count() + 3 + 3 + 2 == len(text)


def test_the_record_page_reads_a_fixed_number_of_queries_however_many_courses(
    staff_client: Client, staff: User, django_assert_num_queries, courses_record_hooks_only: None
) -> None:
    person = CandidateFactory.create()
    url = person.get_absolute_url()
    staff_client.get(url)  # the first request of a staff session writes its idle expiry once

    def add_courses(n: int) -> None:
        for _ in range(n):
            run = running_cohort(learners=0, sessions=2)
            application = ApplicationFactory.create(candidate=person, cohort=run.cohort)
            application_decide(application=application, actor=staff, decision=Application.Status.SHORTLISTED)
            enrolment = EnrolmentFactory.create(candidate=person, cohort=run.cohort, application=application)
            mark(run.sessions[0], enrolment, Attendance.Mark.PRESENT)
            enrolment_record_outcome(
                enrolment=enrolment, actor=staff, status=Enrolment.Status.WITHDRAWN, reason="Moved"
            )
            SupportPaymentFactory.create(candidate=person, cohort=run.cohort)
            at_status(DbsCheck.Status.SUBMITTED, candidate=person)

    add_courses(1)
    # 23: the record page's 16, candidates' funding streams section (attributions and streams: 2),
    # courses' applications, enrolments and payments (3), and the history of the applications and
    # of the enrolments (2).
    with django_assert_num_queries(23):
        assert staff_client.get(url).status_code == 200
    add_courses(4)
    with django_assert_num_queries(23):
        page = html(staff_client.get(url))
    assert page.count("Withdrawn on") == 5


def test_courses_offers_its_sections_through_discovery(
    staff: User, learner: User, courses_record_hooks_only: None
) -> None:
    person = CandidateFactory.create()

    def courses_sections(actor: User) -> list[RecordSection]:
        return [s for s in record_sections(candidate=person, actor=actor) if s.template.startswith("courses/")]

    sections = courses_sections(staff)
    assert [(s.anchor, s.template) for s in sections] == [
        ("courses", "courses/_record_courses.html"),
        ("support-payments", "courses/_record_payments.html"),
    ]
    # Scoped by the actor: a learner who is not this person sees none of their rows.
    SupportPaymentFactory.create(candidate=person)
    ApplicationFactory.create(candidate=person)
    seen_by_learner = courses_sections(learner)
    assert all(rows in ([], False) for s in seen_by_learner for rows in s.context.values())
    counts = {name: rows for s in courses_sections(staff) for name, rows in s.context.items() if name != "can_request"}
    assert {name: len(rows) for name, rows in counts.items()} == {  # type: ignore[arg-type]
        "applications": 1,
        "enrolments": 0,
        "payments": 1,
    }


def test_a_switched_off_stage_and_the_missed_move_show_on_the_record(
    staff_client: Client, manager: User, learner: User, candidate: Candidate
) -> None:
    PipelineStage.objects.filter(milestone=Milestone.ON_COURSE).update(is_active=False)
    application = ApplicationFactory.create(
        candidate=candidate, status=Application.Status.OFFERED, offered_at=timezone.now()
    )
    application_accept(application=application, actor=learner)
    with pytest.raises(ValidationError, match="switched that stage off"):
        candidate_move_to_milestone(candidate=candidate, milestone=Milestone.ON_COURSE, actor=manager)

    page = html(staff_client.get(candidate.get_absolute_url()))
    start = page.index('id="journey"')
    timeline = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start : page.index("</table>", start)]))
    assert "Pipeline stage Not moved on Lena Learner could not be moved to On course" in timeline
