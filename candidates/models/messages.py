"""Which outbox messages went to which person, so their record lists what was sent and whether it arrived."""

from __future__ import annotations

from django.db import models

from academy.models import OutboxMessage
from candidates.models.candidate import Candidate


class CandidateMessage(models.Model):
    """One message (email or text) sent to a person through academy.notifications; deleted with the message."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="messages")
    message = models.OneToOneField(OutboxMessage, on_delete=models.CASCADE, related_name="candidate_link")

    class Meta:
        indexes = [models.Index(fields=["candidate", "message"], name="candidates_message_person_idx")]

    def __str__(self) -> str:
        return f"Message {self.message_id} to candidate {self.candidate_id}"
