"""WCAG 2.2 AA checks with axe-core in a real Chromium (Debian's), on each persona's key pages.

Marked `browser`: run by `make test-browser` and .ci/run, which install Chromium and build the
front end first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse

from academy.models import Academy, User
from candidates.models import Milestone, PipelineStage
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(autouse=True)
def _default_stages(transactional_db: None) -> None:
    """The pipeline's default stages, as migrations make them: some pages create a learner's record,
    and an earlier transactional test may have emptied the table (see tests/courses/test_outcomes_browser.py)."""
    if not PipelineStage.objects.exists():
        PipelineStage.objects.create(slug="enquiry", name="Enquiry", position=10, milestone=Milestone.REGISTERED)
    # Likewise the academy migrations make: managers' pages work in the academy in use.
    Academy.objects.default()


# (persona or None for anonymous, URL name)
PAGES = [
    (None, "account_login"),
    (None, "account_signup"),
    (None, "account_reset_password"),
    ("learner", "academy:home"),
    ("staff", "academy:home"),
    ("staff", "providers:provider-list"),
    ("staff", "providers:provider-import"),
    ("manager", "academy:home"),
    ("manager", "academy:user-list"),
    ("manager", "academy:invitation-create"),
    ("manager", "academy:audit-list"),
    ("provider_user", "academy:home"),
    ("learner", "placements:my-job-applications"),
    ("provider_user", "placements:provider-application-list"),
    ("staff", "placements:job-application-list"),
    ("staff", "placements:interviews-due"),
    ("staff", "placements:work-placement-list"),
    ("provider_user", "placements:feedback-due-list"),
    ("manager", "placements:readiness-results"),
    ("learner", "placements:cv-detail"),
    ("learner", "placements:cv-edit"),
    ("staff", "placements:outcome-list"),
    ("staff", "placements:outcome-create"),
    ("staff", "placements:follow-ups-due"),
    ("staff", "placements:retention"),
    ("learner", "placements:my-outcomes"),
    ("staff", "placements:stream-list"),
    ("manager", "placements:stream-create"),
    (None, "placements:job-board"),
    ("staff", "placements:vacancy-list"),
    ("provider_user", "placements:vacancy-create"),
    ("provider_user", "placements:interview-list"),
    ("staff", "placements:job-start-list"),
    ("manager", "reporting:dashboard"),
    ("manager", "reporting:impact-report-list"),
    ("manager", "reporting:self-assessment-list"),
    ("manager", "reporting:self-assessment-create"),
    ("manager", "reporting:case-study-list"),
    ("manager", "reporting:case-study-create"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are
    # still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _session_cookie(user: User, live_server_url: str) -> dict[str, str]:
    client = sign_in(Client(), user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server_url,
    }


@pytest.mark.parametrize(("persona", "url_name"), PAGES)
def test_page_has_no_wcag_violations(
    persona: str | None, url_name: str, browser, live_server, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(bypass_csp=True)  # lets axe's script run; CSP is tested elsewhere
    if persona:
        # Creating the persona also creates Provider A etc. as the fixtures do.
        context.add_cookies([_session_cookie(request.getfixturevalue(persona), live_server.url)])
    page = context.new_page()
    response = page.goto(live_server.url + reverse(url_name))
    assert response is not None and response.status == 200, page.url
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", "stylesheet did not load"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    context.close()
    assert results.violations_count == 0, results.generate_report()


SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
# What each kind of user meets first, and the error pages: (name, persona, path, expected status).
FIRST_IMPRESSIONS = [
    ("home-learner", "learner", "/", 200),
    ("home-staff", "staff", "/", 200),
    ("home-manager", "manager", "/", 200),
    ("home-provider", "provider_user", "/", 200),
    ("error-page-not-found", None, "/no-such-page/", 404),
    ("error-no-access", "learner", "/audit/", 403),
]


@pytest.mark.parametrize(("name", "persona", "path", "status"), FIRST_IMPRESSIONS)
def test_first_impressions_are_accessible_and_saved_as_screenshots(
    name: str, persona: str | None, path: str, status: int, browser, live_server, request, settings
) -> None:
    """Each role's home and each error page: axe finds nothing, and a screenshot is saved in var/screenshots."""
    settings.DEBUG = False  # Django's technical error pages otherwise
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    if persona:
        context.add_cookies([_session_cookie(request.getfixturevalue(persona), live_server.url)])
    page = context.new_page()
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == status, page.url
    assert "Care Career Academy" in page.content()  # the service's own header, not a bare error
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    context.close()
    assert results.violations_count == 0, results.generate_report()
    assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
