"""An interview as an iCalendar invitation (RFC 5545 / iTIP RFC 5546), attached to emails and downloadable.

One interview keeps one UID for ever; its SEQUENCE (Interview.sequence) is bumped on every
reschedule and on cancellation, so a calendar replaces the event it already holds instead of
adding a second one. METHOD:REQUEST invites (and updates); METHOD:CANCEL removes it.
Times are in UTC, as for course sessions (courses.ics), so no VTIMEZONE block is needed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from courses.ics import escape_text, fold, uid_domain, utc_stamp
from placements.models import Interview

PRODID = "-//Care Career Academy//Job interviews//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def interview_uid(interview: Interview) -> str:
    return f"interview-{interview.public_id}@{uid_domain()}"


def interview_ends_at(interview: Interview) -> dt.datetime:
    return interview.starts_at + dt.timedelta(minutes=interview.duration_minutes)


def interview_calendar(*, interview: Interview, method: str = REQUEST, now: dt.datetime) -> str:
    """The iCalendar text (CRLF line ends, folded) for `interview`; `method` is REQUEST or CANCEL.

    Reads interview.application.vacancy.provider and the candidate (select them first).
    """
    application = interview.application
    vacancy = application.vacancy
    provider = vacancy.provider
    candidate = application.candidate
    summary = f"Interview: {vacancy.title} at {provider.name}"
    description = [f"Interview with {provider.name} for {candidate.full_name}: {vacancy.title}."]
    if interview.video_link:
        description.append(f"Join by video: {interview.video_link}")
    if interview.notes:
        description.append(interview.notes)
    location = interview.location or ("Video call" if interview.video_link else "")
    cancelled = method == CANCEL or interview.outcome == Interview.Outcome.CANCELLED
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{CANCEL if cancelled else REQUEST}",
        "BEGIN:VEVENT",
        f"UID:{interview_uid(interview)}",
        f"SEQUENCE:{interview.sequence}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(interview.starts_at)}",
        f"DTEND:{utc_stamp(interview_ends_at(interview))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        # The organiser is the academy's sending address, so replies never reach a person's inbox by surprise.
        f"ORGANIZER;CN={_param(settings.SITE_NAME)}:mailto:{_address(settings.DEFAULT_FROM_EMAIL)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if interview.video_link:
        lines.append("URL:" + "".join(interview.video_link.split()))
    lines += [
        "STATUS:CANCELLED" if cancelled else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)


def interview_calendar_attachment(*, interview: Interview, method: str, now: dt.datetime) -> dict[str, Any]:
    """The invitation as an outbox attachment (academy.mail.text_attachment)."""
    return {
        "filename": "cancelled-interview.ics" if method == CANCEL else "interview.ics",
        "content": interview_calendar(interview=interview, method=method, now=now),
        "mimetype": "text/calendar",
        "method": method,
    }


def _param(value: str) -> str:
    """A parameter value: quoted, without the characters a quoted parameter cannot hold (RFC 5545 3.1)."""
    return '"' + "".join(ch for ch in value if ch not in '"\r\n') + '"'


def _address(from_email: str) -> str:
    """The bare address of "Name <address>"."""
    start, end = from_email.rfind("<"), from_email.rfind(">")
    return from_email[start + 1 : end] if 0 <= start < end else from_email.strip()
