"""Applications in a real Chromium: WCAG checks on every page, and the whole journey without JavaScript.

Marked `browser` like tests/test_accessibility.py, whose Chromium fixture these tests share.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, Milestone, PipelineStage
from courses.models import Application, Enrolment
from tests.courses.factories import ApplicationFactory, CohortFactory
from tests.courses.factories_applications import (
    ChoiceQuestionFactory,
    ScreeningQuestionFactory,
    fill_application_profile,
)
from tests.test_accessibility import WCAG_TAGS, _session_cookie, browser  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = Application.Status


@pytest.fixture
def stages() -> None:
    # Transactional tests empty the database after each test, data migrations' stages included; code moves
    # people by milestone, so the stages carry theirs even when an earlier test left them without one.
    stages = [("enquiry", "Enquiry", Milestone.REGISTERED), ("on_course", "On course", Milestone.ON_COURSE)]
    for position, (slug, name, milestone) in enumerate(stages, start=1):
        stage, _ = PipelineStage.objects.get_or_create(slug=slug, defaults={"name": name, "position": position * 10})
        PipelineStage.objects.filter(milestone=milestone).exclude(pk=stage.pk).update(milestone="")
        PipelineStage.objects.filter(pk=stage.pk).update(milestone=milestone)


def _axe(browser, live_server, user: User, url: str, *, post: dict | None = None) -> None:  # noqa: F811
    context = browser.new_context(bypass_csp=True)  # lets axe's script run
    context.add_cookies([_session_cookie(user, live_server.url)])
    page = context.new_page()
    response = page.goto(live_server.url + url)
    assert response is not None and response.status == 200, page.url
    if post is not None:  # submit the form as it is, to check the page with its errors
        page.get_by_role("button", name=post["button"]).click()
        assert page.title().startswith("Error: ")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    context.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("with_errors", [False, True])
def test_learner_pages_have_no_wcag_violations(
    stages: None,
    candidate: Candidate,
    learner: User,
    browser,  # noqa: F811
    live_server,
    with_errors: bool,
) -> None:
    cohort = CohortFactory.create()
    ScreeningQuestionFactory.create(course=cohort.course)
    ChoiceQuestionFactory.create(course=cohort.course)
    offer = ApplicationFactory.create(candidate=candidate, status=Status.OFFERED, offered_at=timezone.now())
    ApplicationFactory.create(candidate=candidate, status=Status.WAITING_LIST, waiting_since=timezone.now())
    fill_application_profile(candidate)
    apply = reverse("courses:application-create", kwargs={"public_id": cohort.public_id})
    respond = reverse("courses:application-respond", kwargs={"public_id": offer.public_id})
    if with_errors:
        _axe(browser, live_server, learner, apply, post={"button": "Continue"})
        _axe(browser, live_server, learner, respond, post={"button": "Send my answer"})
    else:
        _axe(browser, live_server, learner, apply)
        _axe(browser, live_server, learner, respond)
        _axe(browser, live_server, learner, reverse("courses:my-applications"))


def test_staff_pages_have_no_wcag_violations(
    stages: None,
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    cohort = CohortFactory.create()
    ScreeningQuestionFactory.create(course=cohort.course)
    application = ApplicationFactory.create(cohort=cohort)
    ApplicationFactory.create(cohort=cohort, status=Status.WAITING_LIST, waiting_since=timezone.now())
    _axe(browser, live_server, staff, reverse("courses:application-list", kwargs={"public_id": cohort.public_id}))
    detail = reverse("courses:application-detail", kwargs={"public_id": application.public_id})
    _axe(browser, live_server, staff, detail)
    _axe(browser, live_server, staff, detail, post={"button": "Save decision"})


def test_apply_offer_and_accept_without_javascript(
    stages: None,
    candidate: Candidate,
    learner: User,
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    """The journey from the issue, as a new user would try it, with JavaScript switched off."""
    cohort = CohortFactory.create(capacity=12)
    fill_application_profile(candidate)
    ScreeningQuestionFactory.create(course=cohort.course, text="Why do you want to work in care?")
    ChoiceQuestionFactory.create(course=cohort.course, text="Can you attend every weekday?")

    learner_context = browser.new_context(java_script_enabled=False)
    learner_context.add_cookies([_session_cookie(learner, live_server.url)])
    page = learner_context.new_page()
    page.goto(live_server.url + reverse("courses:application-create", kwargs={"public_id": cohort.public_id}))
    page.get_by_label("Why do you want to work in care?").fill("I cared for my grandad and loved it.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    assert "Check your answers before sending your application" in page.content()
    assert "I cared for my grandad and loved it." in page.content()
    page.get_by_role("button", name="Send application").click()
    assert "has been sent" in page.content()
    application = Application.objects.get(cohort=cohort, candidate=candidate)

    staff_context = browser.new_context(java_script_enabled=False)
    staff_context.add_cookies([_session_cookie(staff, live_server.url)])
    staff_page = staff_context.new_page()
    staff_page.goto(live_server.url + reverse("courses:application-list", kwargs={"public_id": cohort.public_id}))
    staff_page.get_by_role("link", name=candidate.full_name).click()
    assert "I cared for my grandad and loved it." in staff_page.content()
    staff_page.get_by_label("Offer a place").check()
    staff_page.get_by_role("button", name="Save decision").click()
    assert "has been offered a place" in staff_page.content()

    page.goto(live_server.url + reverse("courses:my-applications"))
    page.get_by_role("link", name="Accept or decline").click()
    page.get_by_label("Yes, I accept the place").check()
    page.get_by_role("button", name="Send my answer").click()
    assert "You have accepted your place" in page.content()
    assert Enrolment.objects.filter(application=application, status=Enrolment.Status.ENROLLED).exists()
    candidate.refresh_from_db()
    assert candidate.stage.slug == "on_course"
    learner_context.close()
    staff_context.close()
