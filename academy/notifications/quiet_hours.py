"""No texts at night: one sent between 20:00 and 08:00 (UK time) waits until 08:00."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
MORNING = dt.time(8, 0)
EVENING = dt.time(20, 0)


def sms_send_time(at: dt.datetime) -> dt.datetime:
    """The earliest time at or after `at` when a text may be sent (aware, UK local rules incl. summer time)."""
    local = at.astimezone(UK)
    if MORNING <= local.time() < EVENING:
        return at
    day = local.date() if local.time() < MORNING else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, MORNING, tzinfo=UK)
