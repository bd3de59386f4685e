"""Candidates' own section of the staff record page: the funding streams (found by record_sections).

Which streams the person is eligible for and why not for the others (candidates.selectors.eligibility),
and the streams they are attributed to. Fixed queries: streams with rules (2) and attributions (1).
"""

from __future__ import annotations

from academy.models import User
from academy.permissions import is_academy_staff
from candidates.models import Candidate
from candidates.permissions import can_attribute_to_streams
from candidates.selectors.eligibility import candidate_eligibility
from candidates.selectors.journey import RecordSection
from candidates.selectors.streams import candidate_attributions


def record_sections(*, candidate: Candidate, actor: User) -> list[RecordSection]:
    """The funding streams section of `candidate`'s record (academy staff only)."""
    if not is_academy_staff(actor):
        return []
    attributions = list(candidate_attributions(candidate))
    attributed = {attribution.stream_id for attribution in attributions}
    verdicts = candidate_eligibility(candidate)
    return [
        RecordSection(
            anchor="funding-streams",
            title="Funding streams",
            template="candidates/_record_funding.html",
            context={
                "attributions": attributions,
                "verdicts": [verdict for verdict in verdicts if verdict.stream.pk not in attributed],
                "can_attribute": can_attribute_to_streams(actor) and candidate.anonymised_at is None,
            },
        )
    ]
