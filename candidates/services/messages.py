"""Sending a person a message by their channel: every app's one way to notify a learner."""

from __future__ import annotations

import datetime as dt
from typing import Any

from academy.models import OutboxMessage
from academy.notifications.recipients import ALL_CHANNELS
from academy.notifications.services import notify
from candidates.models import Candidate, CandidateMessage
from candidates.selectors.contact import candidate_recipient


def candidate_notify(
    *,
    candidate: Candidate,
    template: str,
    context: dict[str, Any],
    channels: tuple[str, ...] = ALL_CHANNELS,
    attachments: list[dict[str, Any]] | None = None,
    now: dt.datetime | None = None,
) -> list[OutboxMessage]:
    """Write `template` to the outbox for `candidate` by the channels they chose; listed on their record.

    Call it in the transaction of the change it tells about. Records not in use (merged, anonymised)
    get nothing. Returns the outbox rows.
    """
    if not candidate.is_current:
        return []
    rows = notify(
        template=template,
        recipient=candidate_recipient(candidate),
        context={"candidate": candidate, "first_name": candidate.first_name, **context},
        channels=channels,
        attachments=attachments,
        now=now,
    )
    CandidateMessage.objects.bulk_create(CandidateMessage(candidate=candidate, message=row) for row in rows)
    return rows
