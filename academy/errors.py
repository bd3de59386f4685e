"""Error pages in the service's own words and header (GOV.UK Design System patterns), and quiet logs for them.

Django renders templates/404.html and 403.html itself, with the request's context. The 500 page is
rendered without touching the database (the database may be what failed), and a failed CSRF check,
almost always a page left open across a sign-in in another tab, says the session ended.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    template = loader.get_template("500.html")
    # No request context: context processors would query the database and the session.
    return HttpResponseServerError(template.render({"site_name": settings.SITE_NAME}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "csrf_failure.html", status=403)


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused or missing page (403, 404) is an ordinary event: log its one line, not a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
