"""The consent in force: one rule read by the learner's pages, the staff record and the DBS screens."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from candidates.models import Candidate, Consent, ConsentKind


def current_consents(candidate: Candidate) -> dict[ConsentKind, Consent | None]:
    """The consent in force for each kind (None if never asked), in one query."""
    newest_of_kind = (
        Consent.objects.filter(candidate=candidate, kind=OuterRef("kind"))
        .order_by("-recorded_at", "-id")
        .values("id")[:1]
    )
    rows = Consent.objects.filter(candidate=candidate, id=Subquery(newest_of_kind))
    found = {row.kind: row for row in rows}
    return {kind: found.get(kind.value) for kind in ConsentKind}


def consent_history(candidate: Candidate) -> QuerySet[Consent]:
    """Every consent given or withdrawn, newest first, with who recorded it."""
    return Consent.objects.filter(candidate=candidate).select_related("recorded_by").order_by("-recorded_at", "-id")
