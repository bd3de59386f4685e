"""Who a message goes to and by which channels, decided by the caller's app (academy knows no person)."""

from __future__ import annotations

from dataclasses import dataclass

from academy.models import OutboxMessage

EMAIL = OutboxMessage.Channel.EMAIL.value
SMS = OutboxMessage.Channel.SMS.value
ALL_CHANNELS = (EMAIL, SMS)


@dataclass(frozen=True)
class Recipient:
    """Addresses and the channels the person wants, in order of preference.

    `channels` holds only channels they agreed to and have an address for; email is the fallback
    for a message that cannot go by any of them (notify decides). `on_record` marks a person whose
    messages are listed on their record (a learner), so the rows are kept longer.
    """

    email: str = ""
    phone: str = ""
    channels: tuple[str, ...] = (EMAIL,)
    on_record: bool = False

    def address(self, channel: str) -> str:
        return self.phone if channel == SMS else self.email
