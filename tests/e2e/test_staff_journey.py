"""Journey 2 of issue 17 in a real Chromium: staff review course applications, take a register, record a
learner's DBS steps, refer a learner to a provider's vacancy, and record a course completion.

Staff sign in with two-factor authentication: the session is made as the portal's sign-in makes it (the
shared `sign_in` helper). Every page is checked with axe-core and saved as a screenshot.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from academy.models import User
from candidates.models import DbsCheck
from courses.models import Application, Attendance, Enrolment
from placements.models import JobApplication
from providers.models import Provider
from tests.courses.factories import ApplicationFactory, CohortFactory
from tests.courses.factories_applications import fill_application_profile
from tests.courses.factories_delivery import running_cohort
from tests.e2e.harness import Journey
from tests.placements.factories_vacancies import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_review_register_dbs_refer_and_complete(
    journeys: Callable[..., Journey], staff: User, provider_a: Provider
) -> None:
    upcoming = CohortFactory.create(course__title="Introduction to adult social care", name="January cohort")
    applicant = ApplicationFactory.create(
        cohort=upcoming, candidate__first_name="Amira", candidate__last_name="Applicant"
    )
    fill_application_profile(applicant.candidate)
    run = running_cohort(learners=4, sessions=2)
    learner = run.enrolments[0].candidate
    VacancyFactory.create(provider=provider_a, title="Home care worker, days")

    me = journeys("staff", user=staff)
    page = me.page
    me.go("/")
    me.step("staff home")

    # Reviews the new course applications and offers a place.
    me.press(me.main.get_by_role("link", name="Decide on new course applications"))
    me.step("new course applications")
    me.press(me.main.get_by_role("link", name="Amira Applicant"))
    me.step("course application")
    me.check(page.get_by_label("Offer a place"))
    me.press(page.get_by_role("button", name="Save decision"))
    me.step("place offered")
    applicant.refresh_from_db()
    assert applicant.status == Application.Status.OFFERED

    # Takes the register of today's session.
    me.go("/")
    me.press(me.main.get_by_role("link", name="Take the register"))
    me.step("register")
    absent = page.get_by_role("group", name=run.enrolments[3].candidate.full_name).get_by_role("radio").nth(3)
    me.check(absent)
    page.locator(f"#row-{run.enrolments[3].public_id}").get_by_text("Saved").wait_for()  # htmx saved the row
    me.press(page.get_by_role("button", name="Save, marking everyone not marked as present"))
    me.step("register saved")
    assert "4 learners marked (3 present, 1 absent without reason)" in page.content()
    assert Attendance.objects.filter(session=run.sessions[1], mark=Attendance.Mark.PRESENT).count() == 3

    # Starts the DBS check of one learner and records its steps.
    me.go(f"/candidates/{learner.public_id}/")
    me.step("learner record")
    me.press(me.main.get_by_role("link", name="Start a DBS check"))
    me.step("start a DBS check")
    me.check(page.locator("#id_level_4"))  # enhanced, adults' barred list
    me.check(page.locator("#id_workforce_1"))
    me.check(page.locator("#id_paid_by_1"))
    me.press(page.get_by_role("button", name="Start the check"))
    me.step("DBS check started")
    me.press(me.main.get_by_role("button", name="Record: ID verified"))
    me.step("DBS step ID verified")
    me.press(page.get_by_role("button", name="Save"))
    me.step("DBS ID verified recorded")
    me.press(me.main.get_by_role("button", name="Record: Application submitted"))
    me.step("DBS step application submitted")
    me.fill(page.get_by_label("Application reference"), "E0001234567")
    me.press(page.get_by_role("button", name="Save"))
    me.step("DBS application submitted recorded")
    check = DbsCheck.objects.get(candidate=learner)
    assert check.status == DbsCheck.Status.SUBMITTED and check.application_reference == "E0001234567"

    # Refers the learner to a provider's vacancy.
    me.go("/")
    me.press(me.main.get_by_role("link", name="All vacancies"))
    me.step("vacancies")
    me.press(me.main.get_by_role("link", name="Home care worker, days"))
    me.step("vacancy")
    me.press(me.main.get_by_role("link", name="Suggested learners: refer someone"))
    me.step("refer a learner")
    me.fill(page.get_by_label("Search for a learner by name or email"), learner.first_name)
    me.press(page.get_by_role("button", name="Search"))
    me.step("refer search results")
    me.press(me.main.get_by_role("link", name=f"Refer {learner.full_name}"))
    me.step("referral note")
    me.fill(page.get_by_label("Why this is a good match"), "Finished the course with full attendance; lives nearby.")
    me.press(page.get_by_role("button", name="Send the referral to the learner"))
    me.step("referral sent")
    referral = JobApplication.objects.get(candidate=learner)
    assert referral.vacancy.provider == provider_a

    # Records that the learner completed the course.
    me.go(f"/manage/cohorts/{run.cohort.public_id}/")
    me.step("cohort")
    me.press(me.main.locator(f'a[href="/manage/enrolments/{run.enrolments[0].public_id}/complete/"]'))
    me.step("record outcome")
    me.check(page.locator("#id_status_1"))  # completed
    me.press(page.get_by_role("button", name="Save outcome"))
    me.step("outcome before the course is over")  # the course ends in two weeks: staff must confirm why
    me.check(page.locator("#id_confirm_early"))
    me.fill(page.locator("#id_early_reason"), "Finished every unit early to start a job.")
    me.press(page.get_by_role("button", name="Save outcome"))
    me.step("outcome recorded")
    enrolment = Enrolment.objects.get(pk=run.enrolments[0].pk)
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert len(me.steps) == 23
