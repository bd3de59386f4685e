"""Outreach and engagement pages in a real Chromium: WCAG checks (with data and with form errors), and the
phone form at an event keeping a person typed while offline and sending them once back online.

Marked `browser` like tests/test_accessibility.py, whose Chromium fixture these tests share.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from academy.models import User
from academy.periods import previous_quarter
from candidates.models import Candidate, EventEnquiry, OutreachEvent, PipelineStage
from candidates.services.outreach import event_enquiry_record
from providers.models import Provider, ProviderContact, ProviderSurvey
from tests.test_accessibility import WCAG_TAGS, _session_cookie, browser  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _stages(transactional_db: None) -> None:
    PipelineStage.objects.get_or_create(slug="enquiry", defaults={"name": "Enquiry", "position": 10})
    ContentType.objects.clear_cache()


@pytest.fixture
def fair(staff: User, provider_a: Provider) -> OutreachEvent:
    event = OutreachEvent.objects.create(
        title="Leeds jobs fair",
        kind=OutreachEvent.Kind.JOB_FAIR,
        held_on=timezone.localdate(),
        place="Leeds Town Hall",
        is_public=True,
        description="Meet local care employers.",
        cost=Decimal("300"),
    )
    event.providers_attending.add(provider_a)
    event.staff_present.add(staff)
    event_enquiry_record(
        event=event, actor=staff, channel="at_event", first_name="Pat", last_name="Phone", phone="07700 900111"
    )
    ProviderContact.objects.create(provider=provider_a, kind="visit", occurred_on=timezone.localdate())
    ProviderSurvey.objects.create(
        provider=provider_a,
        quarter_start=previous_quarter(timezone.localdate())[0],  # this quarter's is still to answer
        readiness=4,
        values=4,
        retention=3,
        support=5,
    )
    return event


def _open(browser, live_server, user: User | None, url: str):  # noqa: F811
    context = browser.new_context(bypass_csp=True)  # lets axe's script run; CSP is tested elsewhere
    if user is not None:
        context.add_cookies([_session_cookie(user, live_server.url)])
    page = context.new_page()
    response = page.goto(live_server.url + url)
    assert response is not None and response.status == 200, url
    return context, page


def _check(page) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


PAGES = [
    (None, "candidates:outreach-public-list", False, False),
    (None, "candidates:outreach-interest", True, True),
    ("staff", "candidates:outreach-list", False, False),
    ("staff", "candidates:outreach-create", False, True),
    ("staff", "candidates:outreach-detail", True, False),
    ("staff", "candidates:outreach-stall", True, False),
    ("staff", "providers:engagement-list", False, False),
    ("staff", "providers:provider-engagement", "provider", False),
    ("staff", "providers:survey-list", False, False),
    ("provider_user", "providers:survey-answer", False, True),
]


@pytest.mark.parametrize(("persona", "url_name", "needs_object", "submit_empty"), PAGES)
def test_outreach_pages_have_no_wcag_violations(
    persona: str | None,
    url_name: str,
    needs_object: bool | str,
    submit_empty: bool,
    fair: OutreachEvent,
    provider_a: Provider,
    browser,  # noqa: F811
    live_server,
    request: pytest.FixtureRequest,
) -> None:
    kwargs = {}
    if needs_object:
        kwargs = {"public_id": (provider_a if needs_object == "provider" else fair).public_id}
    user = request.getfixturevalue(persona) if persona else None
    context, page = _open(browser, live_server, user, reverse(url_name, kwargs=kwargs))
    _check(page)
    if submit_empty:
        page.click("main form[method=post] #id_submit")
        page.wait_for_load_state()
        assert page.locator(".govuk-error-summary").count() == 1, page.content()[:3000]
        _check(page)
    context.close()


def test_the_phone_form_keeps_a_person_typed_offline_and_sends_them_when_back_online(
    fair: OutreachEvent,
    staff: User,
    browser,  # noqa: F811
    live_server,
) -> None:
    url = reverse("candidates:outreach-stall", kwargs={"public_id": fair.public_id})
    context, page = _open(browser, live_server, staff, url)
    page.fill("#id_first_name", "Olive")
    page.fill("#id_last_name", "Offline")
    page.fill("#id_phone", "07700 900999")
    context.set_offline(True)
    page.click("form[data-stall-form] #id_submit")
    page.wait_for_selector("text=is kept on this phone and will be sent")
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('outreach-stall:{fair.public_id}'))")
    assert [item["values"]["last_name"] for item in kept] == ["Offline"]
    assert page.input_value("#id_first_name") == ""  # ready for the next person
    assert not Candidate.objects.filter(last_name="Offline").exists()

    assert page.is_visible("#stall-queue")
    context.set_offline(False)  # the browser's "online" event sends what was kept
    page.wait_for_selector("#stall-status:has-text('Olive Offline added')")
    assert page.evaluate(f"localStorage.getItem('outreach-stall:{fair.public_id}')") is None
    assert page.is_hidden("#stall-queue")
    # Sent once more (a retry whose first answer was lost): the same submission key, the same person.
    page.evaluate(
        """async (key) => {
            const form = document.querySelector('form[data-stall-form]');
            const body = new URLSearchParams({
                csrfmiddlewaretoken: form.querySelector('[name=csrfmiddlewaretoken]').value,
                first_name: 'Olive', last_name: 'Offline', phone: '07700 900999', submission_key: key,
            });
            await fetch(location.href, {method: 'POST', body, headers: {Accept: 'application/json'}});
        }""",
        str(EventEnquiry.objects.get(candidate__last_name="Offline").submission_key),
    )
    context.close()
    assert Candidate.objects.filter(last_name="Offline").count() == 1
    assert EventEnquiry.objects.filter(event=fair, candidate__last_name="Offline").count() == 1
