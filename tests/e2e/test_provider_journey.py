"""Journey 3 of issue 17 in a real Chromium: a provider user posts a vacancy, shortlists an applicant,
arranges an interview, confirms the start and, 26 weeks later, answers the follow-up.

What other people do in between (staff approve the vacancy, the learner applies and accepts the offer)
goes through the same services their pages call; the days between steps pass by moving the dates of the
interview and the follow-up, since the live server runs on the real clock. Every page is checked with
axe-core and saved as a screenshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from academy.models import User
from academy.postcodes import postcodes_load_demo
from candidates.models import Candidate
from placements.models import FollowUp, Interview, JobApplication, JobStart, Vacancy
from placements.services.job_applications import job_apply
from placements.services.offers import offer_accept
from placements.services.vacancies import vacancy_approve
from tests.courses.factories_applications import fill_application_profile
from tests.e2e.harness import Journey
from tests.factories_funding import FundingStreamFactory, StreamAttributionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_provider_posts_shortlists_interviews_starts_and_follows_up(
    journeys: Callable[..., Journey], provider_user: User, staff: User, candidate: Candidate, learner: User
) -> None:
    postcodes_load_demo()
    today = timezone.localdate()
    # The learner counts for a stream that asks about starters at 4, 13, 26 and 52 weeks.
    StreamAttributionFactory.create(candidate=candidate, stream=FundingStreamFactory.create())
    me = journeys("provider", user=provider_user)
    page = me.page
    me.go("/")
    me.step("provider home")

    # Posts a vacancy and sends it to the academy for approval.
    me.press(me.main.get_by_role("link", name="Post a vacancy"))
    me.step("post a vacancy")
    closing = today + dt.timedelta(days=14)
    me.check(page.locator("#id_kind_1"))  # a job
    me.fill(page.get_by_label("Title"), "Home care worker, days")
    me.select(page.get_by_label("Job role"), "Care worker")
    me.fill(page.get_by_label("Description"), "Supporting people in their own homes.")
    me.fill(page.get_by_label("Hours per week"), "30")
    me.select(page.get_by_label("Contract"), "Permanent")
    me.fill(page.get_by_label("Pay in pounds"), "12.60")
    me.check(page.locator("#id_pay_period_1"))  # an hour
    me.fill(page.get_by_label("Town or area"), "Harehills, Leeds")
    me.fill(page.get_by_label("Postcode"), "LS9 8AB")
    me.fill(page.locator("#id_closing_date_0"), str(closing.day))
    me.fill(page.locator("#id_closing_date_1"), str(closing.month))
    me.fill(page.locator("#id_closing_date_2"), str(closing.year))
    me.press(page.get_by_role("button", name="Save vacancy"))
    me.step("vacancy saved")
    me.press(page.get_by_role("button", name="Submit for approval"))
    me.step("vacancy submitted")
    vacancy = Vacancy.objects.get(title="Home care worker, days")
    assert vacancy.status == Vacancy.Status.SUBMITTED

    # The academy approves it and a learner applies.
    vacancy_approve(vacancy=vacancy, actor=staff)
    fill_application_profile(candidate)
    application = job_apply(vacancy=vacancy, candidate=candidate, actor=learner, folder_release_consented=True)

    # Shortlists the applicant and arranges an interview.
    me.go("/")
    me.step("provider home with an applicant")
    me.press(me.main.get_by_role("link", name="Look at your new applicants"))
    me.step("applicants")
    me.press(me.main.get_by_role("link", name=candidate.full_name))
    me.step("applicant")
    me.press(me.main.get_by_role("button", name="Shortlist"))
    me.step("shortlisted")
    application.refresh_from_db()
    assert application.status == JobApplication.Status.SHORTLISTED
    me.press(me.main.get_by_role("link", name="Arrange an interview"))
    me.step("arrange an interview")
    interview_day = today + dt.timedelta(days=3)
    me.fill(page.get_by_label("Day"), str(interview_day.day))
    me.fill(page.get_by_label("Month"), str(interview_day.month))
    me.fill(page.get_by_label("Year"), str(interview_day.year))
    me.fill(page.get_by_label("Start time"), "10am")
    me.fill(page.get_by_label("Place (optional if you give a video link)"), "Oak House, Leeds")
    me.press(page.get_by_role("button", name="Send the invitation"))
    me.step("interview arranged")
    interview = Interview.objects.get(application=application)

    # The day after the interview (its date moved back: the live server keeps the real clock), records it
    # went well and offers the job; the learner accepts.
    Interview.objects.filter(pk=interview.pk).update(starts_at=timezone.now() - dt.timedelta(days=1))
    me.go(f"/job-interviews/{interview.public_id}/")
    me.step("interview")
    me.press(me.main.get_by_role("link", name="Record the outcome"))
    me.step("interview outcome")
    me.check(page.locator("#id_outcome_1"))  # successful
    me.press(page.get_by_role("button", name="Save the outcome"))
    me.step("interview outcome recorded")
    me.go(f"/provider/applicants/{application.public_id}/")
    me.press(me.main.get_by_role("link", name="Offer the place"))
    me.step("offer the place")
    start_day = today + dt.timedelta(days=10)
    me.fill(page.get_by_label("Day"), str(start_day.day))
    me.fill(page.get_by_label("Month"), str(start_day.month))
    me.fill(page.get_by_label("Year"), str(start_day.year))
    me.press(page.get_by_role("button", name="Make the offer"))
    me.step("offer made")
    application.refresh_from_db()
    offer_accept(application=application, actor=learner)

    # Confirms the start.
    me.go(f"/provider/applicants/{application.public_id}/")
    me.step("applicant who accepted")
    me.press(me.main.get_by_role("link", name="Confirm the start"))
    me.step("confirm the start")
    me.press(page.get_by_role("button", name="Confirm the start"))
    me.step("start confirmed")
    start = JobStart.objects.get(application=application)
    assert start.provider == vacancy.provider

    # 26 weeks later (the follow-up's due date moved to today), says the starter is still with them.
    follow_up = FollowUp.objects.get(week=26)
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=today)
    me.go("/")
    me.press(me.main.get_by_role("link", name="Follow-ups: are your starters still with you?"))
    me.step("follow-ups due")
    me.press(me.main.locator(f'a[href="/follow-ups/{follow_up.public_id}/"]'))
    me.step("26-week follow-up")
    me.press(page.get_by_role("button", name="Yes, still employed"))
    me.step("follow-up answered")
    follow_up.refresh_from_db()
    assert follow_up.result == FollowUp.Result.STILL_EMPLOYED and follow_up.answered_at is not None
    assert len(me.steps) == 21
