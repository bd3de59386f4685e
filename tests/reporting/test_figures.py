"""report_figures on known data sets: every figure, and the edge cases funders' numbers depend on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from academy.models import Academy, FundingStream, Role
from candidates.models import DbsCheck, EqualityMonitoring, SelectionEvent, SelectionResult
from candidates.services.privacy import candidate_anonymise
from courses.models import Attendance, Course, Enrolment, Feedback, SupportPayment
from placements.models import FollowUp, Interview, Outcome, WorkPlacement
from reporting.figures import figure_people, report_figures
from reporting.figures.trends import funnel, trends
from reporting.scope import ReportScope
from tests.courses.factories import CourseFactory, SessionFactory
from tests.factories import ProviderFactory, UserFactory
from tests.placements.factories_outcomes import FundingStreamFactory
from tests.placements.factories_starts import JobApplicationFactory
from tests.reporting.figures_data import at, attribute, cohort, equality, move, outcome, person, place

pytestmark = pytest.mark.django_db

Q_START, Q_END = dt.date(2025, 7, 1), dt.date(2025, 9, 30)
QUARTER = ReportScope(Q_START, Q_END)
Status = Enrolment.Status


def values(scope: ReportScope = QUARTER) -> dict[str, object]:
    return {f.key: ("suppressed" if f.suppressed else f.value) for f in report_figures(scope).flat()}


@pytest.fixture
def known() -> dict[str, object]:
    """A quarter's worth of people, courses, DBS checks, jobs and money, every figure known."""
    streams = [
        FundingStreamFactory.create(
            code="S1", start_date=dt.date(2025, 4, 1), end_date=dt.date(2026, 3, 31), target_job_starts=10
        ),
        FundingStreamFactory.create(code="S2", start_date=dt.date(2025, 4, 1), end_date=dt.date(2026, 3, 31)),
    ]
    # Six people registered in the quarter; five men, two care leavers.
    people = [person(at(dt.date(2025, 7, 2 + n)), source="jobcentre" if n < 4 else "website") for n in range(6)]
    for p in people[:5]:
        equality(p, sex="male")
    for p in people[:2]:
        equality_row = p.equality
        equality_row.care_leaver = "yes"
        equality_row.save()
    # Registered the evening before the quarter, and in the last half hour of it (local time).
    person(at(dt.date(2025, 6, 30), 23, 30))
    late = person(at(dt.date(2025, 9, 30), 23, 30))
    first, second, third, fourth, fifth, sixth = people

    # Selection: accepted twice (first, second), referred to college (third, who came back), not accepted (fourth).
    event = SelectionEvent.objects.create(title="August selection", held_on=dt.date(2025, 8, 1))
    later = SelectionEvent.objects.create(title="September selection", held_on=dt.date(2025, 9, 5))
    SelectionResult.objects.create(event=event, candidate=first, outcome="accepted")
    SelectionResult.objects.create(event=event, candidate=second, outcome="accepted")
    referral = SelectionResult.objects.create(event=event, candidate=third, outcome="referred", referred_to="college")
    SelectionResult.objects.create(event=event, candidate=fourth, outcome="not_accepted")
    SelectionResult.objects.create(event=later, candidate=third, outcome="accepted", follows_referral=referral)

    # The first person on two cohorts of two streams: one course start, one completion.
    a = cohort(dt.date(2025, 7, 7), funding_stream=streams[0])
    b = cohort(dt.date(2025, 8, 4), funding_stream=streams[1])
    attribute(first, streams[0], dt.date(2025, 7, 7))
    attribute(first, streams[1], dt.date(2025, 8, 4))
    place(first, a, Status.COMPLETED, at(dt.date(2025, 7, 20)))
    place(first, b, Status.COMPLETED, at(dt.date(2025, 8, 20)))
    # The second withdrew from one cohort and completed a later one.
    place(second, a, Status.WITHDRAWN, at(dt.date(2025, 7, 10))).__class__.objects.filter(
        candidate=second, cohort=a
    ).update(status_reason="Moved house")
    place(second, b, Status.COMPLETED, at(dt.date(2025, 8, 20)))
    # The third did not complete; the sixth completed on the last evening of the quarter.
    place(third, b, Status.DID_NOT_COMPLETE, at(dt.date(2025, 8, 20)))
    place(sixth, b, Status.COMPLETED, at(dt.date(2025, 9, 30), 23, 30))

    session = SessionFactory.create(cohort=a, date=dt.date(2025, 7, 8))
    enrolment_a = Enrolment.objects.get(candidate=first, cohort=a)
    Attendance.objects.create(session=session, enrolment=enrolment_a, mark="present")
    Attendance.objects.create(
        session=session, enrolment=Enrolment.objects.get(candidate=second, cohort=a), mark="absent"
    )
    Feedback.objects.create(enrolment=enrolment_a, rating=5, submitted_at=at(dt.date(2025, 7, 20)))
    Feedback.objects.create(
        enrolment=Enrolment.objects.get(candidate=first, cohort=b), rating=4, submitted_at=at(dt.date(2025, 8, 20))
    )

    # DBS: three checks with certificates after 10, 20 and 30 days; two cleared in the quarter.
    for n, days in enumerate([10, 20, 30]):
        DbsCheck.objects.create(
            candidate=people[n],
            level="enhanced_adults",
            started_on=dt.date(2025, 7, 1),
            submitted_on=dt.date(2025, 7, 10),
            certificate_issued_on=dt.date(2025, 7, 10) + dt.timedelta(days=days),
            decision="suitable" if n < 2 else "",
            decision_on=dt.date(2025, 8, 15) if n < 2 else None,
            status="cleared" if n < 2 else "certificate_issued",
        )

    # Jobs: the first offered and started in care on the quarter's last day; the second started
    # outside care the day after the quarter (not counted); the fifth an apprenticeship.
    provider = ProviderFactory.create()
    application = JobApplicationFactory.create(
        candidate=first, vacancy__provider=provider, offered_at=at(dt.date(2025, 9, 1)), status="offered"
    )
    Interview.objects.create(application=application, starts_at=at(dt.date(2025, 8, 25)), outcome="successful")
    JobApplicationFactory.create(candidate=second, offered_at=at(dt.date(2025, 10, 1), 0, 30), status="offered")
    care_job = outcome(first, dt.date(2025, 9, 30), provider=provider)
    outcome(second, dt.date(2025, 10, 1), Outcome.Kind.OTHER_PAID_JOB)
    outcome(fifth, dt.date(2025, 8, 1), Outcome.Kind.APPRENTICESHIP)
    outcome(third, dt.date(2025, 8, 1), Outcome.Kind.LEARNING)
    outcome(fourth, dt.date(2025, 8, 1), Outcome.Kind.VOLUNTEERING)
    WorkPlacement.objects.create(
        candidate=first,
        provider=provider,
        cohort=a,
        start_date=dt.date(2025, 7, 14),
        end_date=dt.date(2025, 7, 17),
        planned_hours=Decimal("24"),
        supervisor_name="Sam Supervisor",
        status="signed_off",
    )
    # A job that started in January reached 26 weeks in July: still employed, sustained for S1.
    older = outcome(fifth, dt.date(2025, 1, 6))
    FollowUp.objects.create(
        outcome=older, stream=streams[0], week=26, due_on=dt.date(2025, 7, 7), result="still_employed"
    )
    FollowUp.objects.create(outcome=care_job, stream=streams[0], week=4, due_on=dt.date(2025, 10, 28))

    # Money: £100 paid (S1, transport), £50 approved (S2, lunch), £999 paid after the quarter.
    SupportPayment.objects.create(
        candidate=first,
        kind="transport",
        amount=Decimal("100.00"),
        status="paid",
        funding_stream=streams[0],
        paid_at=at(dt.date(2025, 7, 15)),
    )
    SupportPayment.objects.create(
        candidate=second,
        kind="lunch",
        amount=Decimal("50.00"),
        status="approved",
        funding_stream=streams[1],
        decided_at=at(dt.date(2025, 8, 15)),
    )
    SupportPayment.objects.create(
        candidate=second,
        kind="lunch",
        amount=Decimal("999.00"),
        status="paid",
        funding_stream=streams[1],
        paid_at=at(dt.date(2025, 10, 1), 0, 30),
    )
    return {"people": people, "late": late, "streams": streams, "provider": provider}


def test_every_figure_of_a_known_quarter(known: dict[str, object]) -> None:
    figures = values()
    expected = {
        # Six registered in the quarter and one at 23:30 on its last day; not the one at 23:30 the day before.
        "engagement.enquiries": 7,
        "engagement.registrations": 7,
        "engagement.unique_learners": 7,
        "engagement.source.jobcentre": 5,
        "engagement.source.website": 2,
        "engagement.group.men": 5,
        "engagement.group.men.share": 71,
        "engagement.group.care_leaver": "suppressed",
        "engagement.group.care_leaver.share": "suppressed",
        "learning.screened": 4,
        "learning.accepted": 3,
        "learning.accepted.share": 75,
        "learning.referred": 1,
        "learning.not_accepted": 1,
        "learning.course_starts": 4,
        "learning.completions": 3,
        "learning.withdrawals": 1,
        "learning.did_not_complete": 1,
        "learning.completion_rate": 75,
        "learning.college_referrals": 1,
        "learning.college_came_back": 1,
        "learning.attendance_rate": 50,
        "learning.course_rating": Decimal("4.5"),
        "learning.withdrawal_reason.1": 1,
        "dbs.started": 3,
        "dbs.cleared": 2,
        "dbs.turnaround_median": Decimal("20.0"),
        "dbs.turnaround_p90": Decimal("28.0"),
        "employment.placements_started": 1,
        "employment.placements_completed": 1,
        "employment.interviews": 1,
        "employment.offers": 1,
        "employment.job_starts": 2,
        "employment.job_starts_care": 1,
        "employment.job_starts_other": 0,
        "employment.apprenticeships": 1,
        "employment.into_learning": 1,
        "employment.into_volunteering": 1,
        "employment.sustained": 1,
        "employment.still_employed_26w": 1,
        "employment.still_employed_26w.share": 100,
        "employment.course_to_offer": 33,
        "employment.course_to_start": 33,
        "employment.retention_26w": 100,
        "money.spend": Decimal("150.00"),
        "money.spend.stream.S1": Decimal("100.00"),
        "money.spend.stream.S2": Decimal("50.00"),
        "money.spend.kind.transport": Decimal("100.00"),
        "money.cost_per_learner": Decimal("21.43"),
        "money.cost_per_completion": Decimal("50.00"),
        "money.cost_per_job_start": Decimal("75.00"),
        "money.cost_per_sustained_job": Decimal("150.00"),
        "money.target.S1.job_starts": 1,
    }
    assert {key: figures.get(key) for key in expected} == expected
    found = report_figures(QUARTER)
    assert found.figure("learning.withdrawal_reason.1").label == "Withdrew: Moved house"
    assert found.figure("learning.completion_rate").denominator == 4
    assert found.figure("engagement.group.men.share").denominator == 7
    assert found.figure("money.target.S1.job_starts").denominator == 10


def test_people_lists_match_their_figures(known: dict[str, object]) -> None:
    figures = report_figures(QUARTER)
    for key in ["engagement.enquiries", "learning.completions", "employment.job_starts", "dbs.cleared"]:
        people = figure_people(key, QUARTER)
        assert people is not None
        assert people.count() == figures.figure(key).value
    assert figure_people("engagement.group.men", QUARTER) is None


def test_a_person_in_two_cohorts_and_two_streams_counts_once_and_once_per_stream(known: dict[str, object]) -> None:
    s1, s2 = cast(list[FundingStream], known["streams"])
    assert values()["learning.course_starts"] == 4
    by_stream = [values(ReportScope(Q_START, Q_END, stream_id=s.pk)) for s in (s1, s2)]
    # Cohort A is S1's, cohort B is S2's: the first person started one course for each.
    assert [v["learning.course_starts"] for v in by_stream] == [2, 4]
    assert [v["learning.completions"] for v in by_stream] == [1, 3]
    assert [v["employment.job_starts"] for v in by_stream] == [1, 1]


def test_figures_do_not_change_when_a_learner_is_anonymised_after_the_quarter(known: dict[str, object]) -> None:
    before = values()
    manager = UserFactory.create(role=Role.MANAGER)
    for someone in known["people"][:2]:  # type: ignore[index]
        candidate_anonymise(candidate=someone, actor=manager)
    assert values() == before
    first = known["people"][0]  # type: ignore[index]
    first.refresh_from_db()
    assert first.groups_at_anonymisation == ",men,care_leaver,"
    assert not EqualityMonitoring.objects.filter(candidate=first).exists()


def test_an_event_just_after_midnight_local_time_is_in_the_next_quarter() -> None:
    # 00:30 on 1 October in London is 23:30 on 30 September in UTC.
    person(at(dt.date(2025, 10, 1), 0, 30))
    person(at(dt.date(2025, 7, 1), 0, 30))
    assert values()["engagement.enquiries"] == 1
    assert values(ReportScope(dt.date(2025, 10, 1), dt.date(2025, 12, 31)))["engagement.enquiries"] == 1


def test_a_learner_who_moved_counts_for_each_academy_and_once_for_the_region() -> None:
    north = Academy.objects.default()
    south = Academy.objects.create(name="South academy", slug="south")
    mover = person(at(dt.date(2025, 7, 3)))
    outcome(mover, dt.date(2025, 7, 4), Outcome.Kind.LEARNING)
    move(mover, south, at(dt.date(2025, 8, 1)))
    outcome(mover, dt.date(2025, 9, 1))
    figures = {
        name: values(ReportScope(Q_START, Q_END, academy_ids=ids))
        for name, ids in [("north", (north.pk,)), ("south", (south.pk,)), ("region", (north.pk, south.pk))]
    }
    assert [figures[n]["engagement.enquiries"] for n in ("north", "south", "region")] == [1, 0, 1]
    assert [figures[n]["employment.into_learning"] for n in ("north", "south", "region")] == [1, 0, 1]
    assert [figures[n]["employment.job_starts"] for n in ("north", "south", "region")] == [0, 1, 1]
    assert [figures[n]["engagement.unique_learners"] for n in ("north", "south", "region")] == [1, 0, 1]


def test_equality_figures_under_five_are_suppressed_and_five_are_shown() -> None:
    for n in range(5):
        equality(person(at(dt.date(2025, 8, 1 + n))), sex="male", refugee="yes" if n < 4 else "no")
    found = report_figures(QUARTER)
    assert found.figure("engagement.group.men").value == 5
    assert found.figure("engagement.group.men.share").display == "100%"
    assert found.figure("engagement.group.refugee").display == "fewer than 5"
    assert found.figure("engagement.group.refugee.share").display == "fewer than 5"
    assert found.figure("engagement.group.refugee.share").value is None


def test_merged_duplicates_count_once() -> None:
    from candidates.services.merge import candidate_merge

    manager = UserFactory.create(role=Role.MANAGER)
    kept = person(at(dt.date(2025, 7, 2)))
    duplicate = person(at(dt.date(2025, 7, 3)))
    outcome(kept, dt.date(2025, 8, 1))
    outcome(duplicate, dt.date(2025, 8, 2))
    assert values()["employment.job_starts"] == 2
    candidate_merge(survivor=kept, duplicate=duplicate, actor=manager, field_choices={})
    assert values()["employment.job_starts"] == 1


def _grow(n: int) -> None:
    stream = FundingStreamFactory.create(start_date=dt.date(2025, 4, 1), end_date=dt.date(2026, 3, 31))
    course = CourseFactory.create(kind=Course.Kind.CARE_CERTIFICATE)
    for i in range(n):
        someone = person(at(dt.date(2025, 7, 2 + i)))
        attribute(someone, stream, dt.date(2025, 7, 2))
        place(someone, cohort(dt.date(2025, 7, 7), course=course), Status.COMPLETED, at(dt.date(2025, 8, 1)))
        outcome(someone, dt.date(2025, 8, 2))
        JobApplicationFactory.create(candidate=someone, offered_at=at(dt.date(2025, 7, 20)), status="offered")
        SupportPayment.objects.create(
            candidate=someone,
            kind="transport",
            amount=Decimal("10"),
            status="paid",
            funding_stream=stream,
            paid_at=at(dt.date(2025, 7, 15)),
        )


def test_query_count_does_not_grow_with_rows() -> None:
    _grow(1)
    with CaptureQueriesContext(connection) as few:
        report_figures(QUARTER)
    _grow(4)
    with CaptureQueriesContext(connection) as many:
        figures = report_figures(QUARTER)
    assert figures.figure("learning.care_certificates").value == 5
    assert len(many.captured_queries) == len(few.captured_queries)


def test_trends_and_funnel_come_from_the_same_figures(known: dict[str, object]) -> None:
    found = trends(QUARTER, count=2)
    assert [q.start for q in found.quarters] == [dt.date(2025, 4, 1), Q_START]
    assert found.series()["Job starts"] == [0, 2]
    steps = dict(funnel(report_figures(QUARTER)))
    assert steps == {
        "Registered": 7,
        "Screened": 4,
        "Started a course": 4,
        "Completed a course": 3,
        "Offered a job": 1,
        "Started paid work": 2,
        "Sustained job": 1,
    }
