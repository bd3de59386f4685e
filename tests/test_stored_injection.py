"""Text people type is shown as text: each page that once rendered it as HTML, tried as an attacker would.

The crawl over every page and persona is tests/test_injection_crawl.py; these pin the known paths
(email previews from `autoescape off` templates, form labels and hints, which crispy-forms-gds
renders as HTML).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from candidates.models import Candidate, Consent, ConsentKind, SelectionResult
from courses.models import Course
from tests.candidates.factories_casework import SelectionEventFactory
from tests.courses.factories import CohortFactory, CourseFactory
from tests.courses.factories_applications import (
    ChoiceQuestionFactory,
    ScreeningQuestionFactory,
    fill_application_profile,
)
from tests.courses.factories_delivery import running_cohort
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert(1)</script><b>x</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"


def assert_shown_as_text(page: str) -> None:
    assert "<script>alert(1)" not in page and "<b>x</b>" not in page
    assert ESCAPED in page


def test_bulk_email_preview_shows_the_first_name_and_message_as_text(client_for: Callable[[str], Client]) -> None:
    person = CandidateFactory.create(first_name=MARKUP, email="mallory@example.org")
    Consent.objects.create(candidate=person, kind=ConsentKind.CONTACT_EMAIL, granted=True)
    data = {"candidates": [str(person.public_id)], "action": "email", "subject": "Open day", "message": MARKUP}

    response = client_for("staff").post(reverse("candidates:candidate-bulk"), data)

    page = response.content.decode()
    assert "Check the email before you send it" in page
    assert_shown_as_text(page)
    assert f"Dear {ESCAPED}," in page


def test_cohort_message_preview_shows_the_first_name_and_message_as_text(
    client_for: Callable[[str], Client],
) -> None:
    run = running_cohort(learners=1, sessions=0)
    candidate = run.enrolments[0].candidate
    candidate.first_name = MARKUP
    candidate.save(update_fields=["first_name"])
    url = reverse("courses:cohort-message", kwargs={"public_id": run.cohort.public_id})

    response = client_for("staff").post(url, {"subject": "Room change", "body": MARKUP})

    page = response.content.decode()
    assert "Check the message before you send it" in page
    assert_shown_as_text(page)
    assert f"Dear {ESCAPED}," in page


def test_selection_result_label_shows_the_name_as_text(client_for: Callable[[str], Client]) -> None:
    person = CandidateFactory.create(first_name=MARKUP, last_name="Smith")
    event = SelectionEventFactory.create()
    SelectionResult.objects.create(event=event, candidate=person)
    url = reverse(
        "candidates:selection-result", kwargs={"public_id": event.public_id, "candidate_id": person.public_id}
    )

    page = client_for("staff").get(url).content.decode()

    assert "Also move" in page
    assert_shown_as_text(page)


def test_screening_questions_are_shown_to_learners_as_text(
    client_for: Callable[[str], Client], candidate: Candidate
) -> None:
    fill_application_profile(candidate)
    course = CourseFactory.create(status=Course.Status.PUBLISHED)
    ScreeningQuestionFactory.create(course=course, text=MARKUP, required=False)
    ChoiceQuestionFactory.create(course=course, text=MARKUP, choices=f"Yes\n{MARKUP}")
    cohort = CohortFactory.create(course=course)

    page = client_for("learner").get(reverse("courses:application-create", kwargs={"public_id": cohort.public_id}))

    html = page.content.decode()
    assert page.status_code == 200
    assert_shown_as_text(html)
    assert f"{ESCAPED} (optional)" in html


def test_error_messages_naming_a_question_are_text(client_for: Callable[[str], Client], candidate: object) -> None:
    course = CourseFactory.create(status=Course.Status.PUBLISHED)
    ScreeningQuestionFactory.create(course=course, text=MARKUP)
    cohort = CohortFactory.create(course=course)

    page = client_for("learner").post(reverse("courses:application-create", kwargs={"public_id": cohort.public_id}))

    html = page.content.decode()
    assert "Answer the question" in html
    assert_shown_as_text(html)


def test_session_venue_hint_shows_the_cohort_venue_as_text(client_for: Callable[[str], Client]) -> None:
    cohort = CohortFactory.create(venue=MARKUP)

    page = client_for("staff").get(reverse("courses:session-create", kwargs={"public_id": cohort.public_id}))

    html = page.content.decode()
    assert "Leave blank for the cohort" in html
    assert_shown_as_text(html)


# --- guards: where text may be marked safe -----------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
OUR_CODE = ("academy", "providers", "candidates", "courses", "placements", "reporting")
# Each place our code may emit markup unescaped, and why it is safe.
MARKED_SAFE = {
    "templates/allauth/elements/img.html": "allauth's TOTP QR code: an SVG allauth draws from the secret, no user text",
    "academy/mail.py": "an email's HTML part: urlize(autoescape=True) escapes the text before <br> tags are added "
    "(tests/academy/test_account_emails.py puts markup through it)",
    "reporting/impact/pdf.py": "the impact report's charts: SVG our own code draws (report_charts), never user text",
    "reporting/charts.py": "SVG charts: every label and number goes through html.escape first "
    "(tests/reporting/test_report_charts.py puts markup through it)",
    "reporting/selectors/dashboard.py": "the dashboard's charts, typed as the SafeString reporting.charts returns",
}


def test_autoescape_is_off_only_in_plain_text_emails() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*")
        if path.is_file()
        and "autoescape off" in path.read_text(errors="replace")
        and not (path.suffix == ".txt" and "email" in path.parent.parts)
    ]
    assert offenders == []


def test_email_text_templates_are_never_included_in_pages() -> None:
    pages = [path for path in (ROOT / "templates").rglob("*.html") if "email" not in path.parts]
    assert not [str(p.relative_to(ROOT)) for p in pages if re.search(r"{%\s*include\s+\S*email/", p.read_text())]


def test_nothing_else_is_marked_safe() -> None:
    pattern = re.compile(r"\|\s*safe\b|mark_safe|SafeString|{%\s*autoescape off")
    files = [p for p in (ROOT / "templates").rglob("*.html")]
    files += [p for app in OUR_CODE for p in (ROOT / app).rglob("*.py")]
    found = {str(p.relative_to(ROOT)) for p in files if pattern.search(p.read_text(errors="replace"))}
    assert found == set(MARKED_SAFE)
