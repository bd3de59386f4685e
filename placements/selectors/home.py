"""What the placements part of the home pages reads (placements/home.py): a learner's job offers, a provider's
new applicants and this week's interviews, staff's follow-ups due, and the quarter for managers.

A fixed number of queries each, whatever the number of rows. People are counted once (distinct).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from academy.models import User
from academy.periods import quarter_of
from candidates.models import Candidate, current_q
from courses.models import Enrolment
from placements.models import Interview, JobApplication, JobStart
from placements.permissions import follow_ups_visible_to, interviews_visible_to, job_applications_visible_to
from placements.selectors.outcomes import follow_ups_due
from placements.selectors.starts import week_bounds

Status = JobApplication.Status

# A provider's applicants nobody has looked at yet: applied, or referred by the academy, not yet shortlisted
# or turned down.
NEW_APPLICANT_STATUSES = (Status.APPLIED, Status.REFERRED)


def job_offers_awaiting_reply(user: User) -> list[Any]:
    """The learner's own job offers not answered yet, oldest first, with vacancy and provider (one query)."""
    return list(
        job_applications_visible_to(user)
        .filter(status=Status.OFFERED)
        .select_related("vacancy__provider")
        .order_by("offered_at", "pk")
    )


def new_applicants_count(user: User) -> int:
    """Distinct people with an application the provider can see that is applied or referred (one query)."""
    applications = job_applications_visible_to(user).filter(status__in=NEW_APPLICANT_STATUSES)
    return int(applications.aggregate(n=Count("candidate", distinct=True))["n"])


def interviews_left_this_week(user: User, *, now: dt.datetime) -> int:
    """Interviews not yet held between now and the end of this week (Sunday), not cancelled (one query)."""
    _, week_end = week_bounds(timezone.localdate(now))
    return (
        interviews_visible_to(user)
        .filter(outcome=Interview.Outcome.PENDING, starts_at__gt=now, starts_at__lt=week_end)
        .count()
    )


def follow_ups_due_count(user: User, *, today: dt.date) -> int:
    """Follow-ups the follow-ups page lists now (unanswered, due by Sunday; one per person, job and day)."""
    return follow_ups_due(follow_ups_visible_to(user), today=today).count()


@dataclass(frozen=True)
class QuarterState:
    """This calendar quarter's figures, each counting distinct people."""

    start: dt.date
    end: dt.date
    registrations: int  # people whose record was created this quarter (current records)
    completions: int  # people who completed a course this quarter
    job_starts: int  # people who started a job this quarter


def quarter_state(*, today: dt.date, academy_id: int | None = None) -> QuarterState:
    """The state of the quarter `today` is in, for one academy's people (None: every academy's);
    three queries."""
    start, end = quarter_of(today)
    after = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    before = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    people = Q() if academy_id is None else Q(academy_id=academy_id)
    theirs = Q() if academy_id is None else Q(candidate__academy_id=academy_id)
    registrations = Candidate.objects.filter(current_q(), people, created_at__gte=after, created_at__lt=before).count()
    completions = Enrolment.objects.filter(
        current_q("candidate"), theirs, status=Enrolment.Status.COMPLETED, ended_at__gte=after, ended_at__lt=before
    ).aggregate(n=Count("candidate", distinct=True))["n"]
    starts = JobStart.objects.filter(current_q("candidate"), theirs, start_date__range=(start, end)).aggregate(
        n=Count("candidate", distinct=True)
    )["n"]
    return QuarterState(
        start=start, end=end, registrations=registrations, completions=int(completions), job_starts=int(starts)
    )
