"""Job alerts' part of `seed_demo`: the first demo learner chose texts and saved a search near Harehills; the
second gets a weekly email alert. Idempotent: each learner's alert and choice are made once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from candidates.models import Candidate
from candidates.services.contact import contact_channels_set
from placements.models import JobAlert, JobRole

ALERTS: dict[str, tuple[str, dict[str, Any]]] = {
    "learner@demo.academy": ("text", {"where": "LS9 8AB", "radius_miles": 5, "job_role": JobRole.CARE_WORKER}),
    "learner2@demo.academy": ("email", {"text": "care", "where": "LS6 3HN", "frequency": JobAlert.Frequency.WEEKLY}),
}


@transaction.atomic
def seed(*, now: dt.datetime) -> str:
    made = 0
    for email, (channel, search) in ALERTS.items():
        candidate = Candidate.objects.filter(user__email=email).select_related("user").first()
        if candidate is None or JobAlert.objects.filter(candidate=candidate).exists():
            continue
        if channel != "email" and candidate.phone and candidate.user is not None:
            contact_channels_set(candidate=candidate, actor=candidate.user, choice=channel)
        # Saved a week ago, so vacancies published since are new to it at the next morning's run.
        JobAlert.objects.create(candidate=candidate, created_at=now - dt.timedelta(days=7), **search)
        made += 1
    return f"{made} job alerts" if made else f"{JobAlert.objects.count()} job alerts"
