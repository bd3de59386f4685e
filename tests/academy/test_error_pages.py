"""Error pages speak as the service does, carry its header, and keep the console quiet for ordinary refusals."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from academy.errors import ClientErrorsWithoutTraceback, server_error
from academy.urls import handler500

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _not_debugging(settings) -> None:
    settings.DEBUG = False  # with DEBUG on, Django shows its technical pages instead


def test_page_not_found(client: Client, settings) -> None:
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found - " in page and settings.SITE_NAME in page
    assert "check you copied the entire address" in page


def test_no_access_for_a_signed_in_person_names_their_account(client_for: Callable[[str], Client]) -> None:
    response = client_for("learner").get(reverse("academy:audit-list"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "You do not have access to this page" in page and "learner@example.org" in page


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        entry = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", None, sys.exc_info())
    entry.status_code = status
    return entry


def test_the_console_logs_a_refusal_in_one_line_but_keeps_real_failures_tracebacks(settings) -> None:
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["client_errors"]
    refused, failed = _record(403), _record(500)
    assert ClientErrorsWithoutTraceback().filter(refused) and refused.exc_info is None
    assert ClientErrorsWithoutTraceback().filter(failed) and failed.exc_info is not None


def test_server_error_page_needs_no_database(settings, django_assert_num_queries) -> None:
    assert handler500 == "academy.errors.server_error"
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page and settings.SITE_NAME in page


def test_a_stale_form_says_the_session_ended(learner) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(reverse("account_logout"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Your session has ended" in page and "CSRF" not in page
