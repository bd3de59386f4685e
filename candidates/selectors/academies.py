"""Which academy a person was with when something happened: figures for one academy or a region.

A learner who moves is transferred with their history (`AcademyTransfer`). Each event counts for
the academy the person was with at the time: the `from_academy` of their first transfer after it,
else their current academy. A region's figures count each person once, however often they moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import F, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from candidates.models import AcademyTransfer

M = TypeVar("M", bound=Model)


def academy_at(candidate: str, at: str) -> Coalesce:
    """An expression: the academy id of the person at `candidate` (a path from the queried model,
    "" for Candidate itself) at the moment in field `at`."""
    person = candidate or "pk"
    current = f"{candidate}__academy_id" if candidate else "academy_id"
    moved_later = (
        AcademyTransfer.objects.filter(candidate=OuterRef(person), changed_at__gt=OuterRef(at))
        .order_by("changed_at", "id")
        .values("from_academy")[:1]
    )
    return Coalesce(Subquery(moved_later), F(current), output_field=IntegerField())


def events_in_academies(
    events: QuerySet[M], academy_ids: Iterable[int] | None, *, candidate: str, at: str
) -> QuerySet[M]:
    """Only the events of people who were with one of `academy_ids` when they happened (None: all)."""
    if academy_ids is None:
        return events
    return events.alias(_event_academy=academy_at(candidate, at)).filter(_event_academy__in=list(academy_ids))
