"""Journey 1 of issue 17 in a real Chromium: a learner registers, confirms their email from the link in the
message, completes their profile, applies to a course, accepts the place, and later applies to a job near
their postcode.

Run three ways: with a mouse on a desktop window, by keyboard alone (Tab, arrows, Space, Enter), and in a
320 px wide window (no sideways scrolling). Every page is checked with axe-core and saved as a screenshot.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from academy.models import User
from academy.postcodes import postcodes_load_demo
from candidates.models import Candidate
from courses.models import Application, Enrolment
from courses.services.applications import application_decide
from placements.models import JobApplication
from providers.models import Provider
from tests.courses.factories import CohortFactory
from tests.courses.factories_applications import ChoiceQuestionFactory, ScreeningQuestionFactory
from tests.e2e.conftest import email_link
from tests.e2e.harness import Journey
from tests.placements.factories_vacancies import VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-42"

# How the learner uses the portal: (window width, keyboard only).
MODES: dict[str, tuple[int, bool]] = {"mouse": (1280, False), "keyboard": (1280, True), "narrow": (320, False)}


@pytest.mark.parametrize("mode", list(MODES))
def test_learner_registers_applies_to_a_course_and_then_to_a_job_nearby(
    mode: str, journeys: Callable[..., Journey], staff: User, provider_a: Provider
) -> None:
    cohort = CohortFactory.create(course__title="Introduction to adult social care", town="Leeds")
    ScreeningQuestionFactory.create(course=cohort.course, text="Why do you want to work in care?")
    ChoiceQuestionFactory.create(course=cohort.course, text="Can you attend every weekday?")
    postcodes_load_demo()  # centroids for the distances
    VacancyFactory.create(provider=provider_a, title="Home care worker, days", postcode="LS9 8AB")
    VacancyFactory.create(title="Nursing assistant, Plymouth", postcode="PL4 6QT", easting=249000, northing=55000)
    # New each run: allauth limits confirmation emails per address in the cache, which on Redis outlives a run.
    email = f"new.{mode}.{uuid.uuid4().hex[:8]}@example.org"
    me = journeys(f"learner-{mode}", width=MODES[mode][0], keyboard_only=MODES[mode][1])
    page = me.page

    # Registers.
    me.go("/accounts/signup/")
    me.step("create an account")
    me.fill(page.get_by_label("Email address"), email)
    me.fill(page.get_by_label("Create a password"), PASSWORD)
    me.fill(page.get_by_label("Confirm your password"), PASSWORD)
    me.press(page.get_by_role("button", name="Create an account"))
    me.step("check your email")

    # Confirms the email from the link in the message.
    me.go(email_link(email, r"/accounts/confirm-email/[^\s]+"))
    me.step("confirm your email")
    me.press(page.get_by_role("button", name="Confirm"))
    me.step("home after confirming")

    # Completes the profile, step by step.
    me.press(page.get_by_role("link", name="Finish your profile"))
    me.step("profile")
    me.press(page.get_by_role("link", name="About you"))
    me.step("profile about you")
    me.fill(page.get_by_label("First name"), "Nadia")
    me.fill(page.get_by_label("Last name"), "Newcomer")
    me.fill(page.get_by_label("UK phone number"), "07700 900982")
    me.fill(page.get_by_label("Postcode"), "LS9 7AA")
    me.fill(page.get_by_label("Day"), "27")
    me.fill(page.get_by_label("Month"), "3")
    me.fill(page.get_by_label("Year"), "1990")
    me.choose_first("Do you have the right to work in the UK?")
    me.choose_first("How did you hear about the academy?")
    me.press(page.get_by_role("button", name="Save and continue"))
    me.step("profile work")
    me.choose_first("What is your work situation now?")
    me.fill(page.get_by_label("How many months have you been out of work?"), "6")
    me.choose_first("Are you getting any benefits?")
    me.check(page.get_by_role("group", name="Did Jobcentre Plus send you to us?").get_by_label("No"))
    me.choose_first("What is your highest qualification?")
    me.check(
        page.get_by_role("group", name="Do you look after anyone, such as children or a relative?").get_by_label("No")
    )
    me.press(page.get_by_role("button", name="Save and continue"))
    me.step("profile support")
    me.check(page.get_by_label("None of these"))
    me.press(page.get_by_role("button", name="Save and continue"))
    me.step("profile interests")
    me.check(page.get_by_role("group", name="What kind of care work interests you?").get_by_role("checkbox").first)
    me.choose_first("When can you work?")
    me.choose_first("Do you have a full UK driving licence?")
    me.choose_first("Do you have the use of a car?")
    me.press(page.get_by_role("button", name="Save and continue"))
    me.step("profile complete")

    # Finds a course and applies.
    me.go("/")
    me.press(me.main.get_by_role("link", name="Find a course"))
    me.step("course finder")
    me.press(page.get_by_role("link", name="Introduction to adult social care"))
    me.step("course")
    me.press(me.main.get_by_role("button", name="Apply for Introduction to adult social care"))
    me.step("course application")
    me.fill(page.get_by_label("Why do you want to work in care?"), "I cared for my grandad and loved it.")
    me.check(page.get_by_role("group", name="Can you attend every weekday?").get_by_label("Yes"))
    me.press(page.get_by_role("button", name="Continue"))
    me.step("check your answers")
    me.press(page.get_by_role("button", name="Send application"))
    me.step("application sent")
    candidate = Candidate.objects.get(user__email=email)
    application = Application.objects.get(cohort=cohort, candidate=candidate)

    # Staff offer a place (journey 2 does this through the pages); the learner accepts it.
    application_decide(application=application, actor=staff, decision=Application.Status.OFFERED)
    me.go("/")
    me.press(me.main.get_by_role("link", name="Your applications"))
    me.step("your applications")
    me.press(me.main.get_by_role("link", name="Accept or decline"))
    me.step("accept or decline")
    me.check(page.get_by_label("Yes, I accept the place"))
    me.press(page.get_by_role("button", name="Send my answer"))
    me.step("place accepted")
    assert "You have accepted your place" in page.content()
    assert Enrolment.objects.filter(application=application, status=Enrolment.Status.ENROLLED).exists()

    # Later, looks for a job near their postcode and applies.
    me.go("/")
    me.press(me.main.get_by_role("link", name="Find a job in care"))
    me.step("job board")
    me.fill(page.get_by_label("Postcode or town"), "LS9 7AA")
    me.select(page.get_by_label("Distance"), "Within 10 miles")
    me.press(page.get_by_role("button", name="Search"))
    me.step("jobs near my postcode")
    results = me.main.inner_text()
    assert "Home care worker, days" in results and "miles" in results
    assert "Nursing assistant, Plymouth" not in results  # 200 miles away
    me.press(me.main.get_by_role("link", name="Home care worker, days"))
    me.step("job")
    me.press(me.main.get_by_role("button", name="Apply"))
    me.step("job application")
    me.fill(page.get_by_label("Why you would like this job (optional)"), "I enjoyed my placement in home care.")
    me.check(page.locator("#id_folder_release_consented"))
    me.press(page.get_by_role("button", name="Send my application"))
    me.step("job application sent")
    job_application = JobApplication.objects.get(candidate=candidate)
    assert job_application.vacancy.title == "Home care worker, days"
    assert job_application.status == JobApplication.Status.APPLIED and job_application.consented_at is not None
    assert len(me.steps) == 23  # every page above was checked with axe and saved
