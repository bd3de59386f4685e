"""Catalogue pages in a real Chromium: WCAG checks with axe-core, and the course finder on a 320px-wide phone.

Marked `browser` like tests/test_accessibility.py, whose Chromium fixture these tests share.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from candidates.models import PipelineStage
from courses.models import Course
from tests.courses.factories import CohortFactory, CourseFactory, SessionFactory
from tests.courses.factories_catalogue import QuestionFactory, take_seats
from tests.test_accessibility import WCAG_TAGS, _session_cookie, browser  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def catalogue() -> dict[str, Any]:
    # Transactional tests empty the database after each test, data migrations' stages included.
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    course = CourseFactory.create(
        title="Introduction to care: a two-week course with a long title that has to wrap on a phone",
        entry_requirements="Aged 18 or over.",
        attendance_bursary_amount="60.00",
    )
    QuestionFactory.create(course=course, text="Why care?")
    QuestionFactory.create(course=course, text="Can you attend?", kind="choice", choices="Yes\nNo")
    cohort = CohortFactory.create(course=course, name="Leeds, March")
    SessionFactory.create_batch(1, cohort=cohort, topic="Safeguarding adults")
    take_seats(cohort, 3)
    CohortFactory.create(course=CourseFactory.create(kind=Course.Kind.REFRESHER), town="Bradford")
    return {"course": course, "cohort": cohort, "session": cohort.sessions.get()}


def _url(name: str, objs: dict[str, Any]) -> str:
    kwargs = {
        "courses:course-public": objs["course"],
        "courses:course-detail": objs["course"],
        "courses:course-update": objs["course"],
        "courses:question-create": objs["course"],
        "courses:session-list": objs["cohort"],
        "courses:session-create": objs["cohort"],
        "courses:cohort-update": objs["cohort"],
    }
    obj = kwargs.get(name)
    return reverse(name, kwargs={"public_id": obj.public_id}) if obj else reverse(name)


PAGES = [
    (None, "courses:finder"),
    (None, "courses:course-public"),
    ("learner", "courses:finder"),
    ("manager", "courses:course-list"),
    ("manager", "courses:course-detail"),
    ("manager", "courses:course-create"),
    ("manager", "courses:question-create"),
    ("staff", "courses:cohort-list"),
    ("staff", "courses:cohort-create"),
    ("staff", "courses:cohort-update"),
    ("staff", "courses:session-list"),
    ("staff", "courses:session-create"),
]


@pytest.mark.parametrize(("persona", "url_name"), PAGES)
@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_catalogue_pages_have_no_wcag_violations(
    persona: str | None,
    url_name: str,
    viewport: dict[str, int] | None,
    catalogue: dict[str, Any],
    browser,  # noqa: F811
    live_server,
    request: pytest.FixtureRequest,
) -> None:
    context = browser.new_context(bypass_csp=True, viewport=viewport)  # lets axe's script run
    if persona:
        context.add_cookies([_session_cookie(request.getfixturevalue(persona), live_server.url)])
    page = context.new_page()
    response = page.goto(live_server.url + _url(url_name, catalogue))
    assert response is not None and response.status == 200
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    context.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("persona", [None, "learner"])
@pytest.mark.parametrize("url_name", ["courses:finder", "courses:course-public"])
def test_public_pages_fit_a_phone_without_sideways_scrolling(
    persona: str | None,
    url_name: str,
    catalogue: dict[str, Any],
    browser,  # noqa: F811
    live_server,
    request: pytest.FixtureRequest,
) -> None:
    """WCAG 1.4.10 reflow at 320 CSS pixels: the page never scrolls sideways."""
    context = browser.new_context(viewport=PHONE)
    if persona:
        context.add_cookies([_session_cookie(request.getfixturevalue(persona), live_server.url)])
    page = context.new_page()
    page.goto(live_server.url + _url(url_name, catalogue))
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= PHONE["width"], f"{url_name} scrolls sideways on a phone ({width}px)"


@pytest.mark.parametrize(
    ("persona", "url_name"), [("manager", "courses:course-create"), ("staff", "courses:session-create")]
)
def test_form_errors_have_no_wcag_violations_and_link_to_fields(
    persona: str,
    url_name: str,
    catalogue: dict[str, Any],
    browser,  # noqa: F811
    live_server,
    request: pytest.FixtureRequest,
) -> None:
    context = browser.new_context(bypass_csp=True, java_script_enabled=True)
    context.add_cookies([_session_cookie(request.getfixturevalue(persona), live_server.url)])
    page = context.new_page()
    page.goto(live_server.url + _url(url_name, catalogue))
    inputs = page.locator("main form[method=post] input[type=text]")
    for index in range(inputs.count()):
        inputs.nth(index).fill("")  # every text box empty: as many errors as the form can show
    page.locator("main form[method=post] button.govuk-button").last.click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    links = page.locator(".govuk-error-summary__list a")
    assert links.count() > 0
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert page.locator(href).count() == 1, f"the error summary links to {href}, which is not on the page"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_finder_filters_work_without_javascript_on_a_phone(
    catalogue: dict[str, Any],
    browser,  # noqa: F811
    live_server,
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("courses:finder"))
    assert page.locator(".govuk-summary-card").count() == 2
    page.select_option("#id_town", "Bradford")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "town=Bradford" in page.url
    assert page.locator(".govuk-summary-card").count() == 1
    page.locator(".govuk-summary-card__title a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() != ""
    context.close()
