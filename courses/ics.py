"""An iCalendar file (RFC 5545) of a cohort's sessions, for learners' and staff's own calendars.

Times are written in UTC ("Z"), so no VTIMEZONE block is needed and every calendar app places
them right, British Summer Time included. Each session keeps the same UID for ever, so importing
the file again updates events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings

from courses.models import Cohort, Session

PRODID = "-//Care Career Academy//Course sessions//EN"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, continuation lines starting with a space."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            # Continuation lines begin with a space, which counts towards their 75 octets.
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def local_to_utc(day: dt.date, time: dt.time) -> str:
    """A date and wall-clock time in the academy's time zone, as a UTC iCalendar DATE-TIME."""
    return utc_stamp(dt.datetime.combine(day, time, tzinfo=ZoneInfo(settings.TIME_ZONE)))


def uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "care-career-academy.invalid"


def _event(session: Session, cohort: Cohort, *, number: int, total: int, stamp: str, domain: str) -> list[str]:
    title = session.topic or f"session {number} of {total}"
    location = session.venue or cohort.venue or ("Online" if session.online_link else "")
    description = [cohort.name]
    if session.tutor:
        description.append(f"Tutor: {session.tutor}")
    if session.online_link:
        description.append(f"Join online: {session.online_link}")
    lines = [
        "BEGIN:VEVENT",
        f"UID:session-{session.public_id}@{domain}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{local_to_utc(session.date, session.start_time)}",
        f"DTEND:{local_to_utc(session.date, session.end_time)}",
        f"SUMMARY:{escape_text(f'{cohort.course.title}: {title}')}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if session.online_link:
        # A URI is not escaped, but it must never break out of its line.
        lines.append("URL:" + "".join(session.online_link.split()))
    lines.append("STATUS:CANCELLED" if cohort.status == Cohort.Status.CANCELLED else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def cohort_calendar(*, cohort: Cohort, sessions: Iterable[Session], now: dt.datetime) -> str:
    """The iCalendar text for `cohort`'s `sessions` (CRLF line ends, folded lines)."""
    sessions = list(sessions)
    stamp, domain = utc_stamp(now), uid_domain()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'{cohort.course.title}: {cohort.name}')}",
    ]
    for number, session in enumerate(sessions, start=1):
        lines += _event(session, cohort, number=number, total=len(sessions), stamp=stamp, domain=domain)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
