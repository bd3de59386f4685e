"""What the screening and selection screens read. No equality data here: these screens choose people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from candidates.models import Candidate, Milestone, PipelineStage, SelectionEvent, SelectionResult, SkillLevel

Outcome = SelectionResult.Outcome
ADD_CHOICES_LIMIT = 50


def levels_below_minimum() -> list[str]:
    """Skill levels below settings.SCREENING_MINIMUM_LEVEL (e.g. Entry 1 and 2 when the minimum is Entry 3)."""
    return list(SkillLevel.values)[: SkillLevel.rank(settings.SCREENING_MINIMUM_LEVEL)]


def minimum_level_label() -> str:
    return str(SkillLevel(settings.SCREENING_MINIMUM_LEVEL).label)


def _split_counts(prefix: str = "") -> dict[str, Count]:
    """Count(...) expressions for the outcome split; `prefix` is the path from the queried model to results."""
    path = f"{prefix}outcome"
    pk = f"{prefix}pk" if prefix else "pk"
    return {
        "screened_count": Count(pk, distinct=bool(prefix)),
        "accepted_count": Count(pk, filter=Q(**{path: Outcome.ACCEPTED}), distinct=bool(prefix)),
        "referred_count": Count(pk, filter=Q(**{path: Outcome.REFERRED}), distinct=bool(prefix)),
        "not_accepted_count": Count(pk, filter=Q(**{path: Outcome.NOT_ACCEPTED}), distinct=bool(prefix)),
        "pending_count": Count(pk, filter=Q(**{path: Outcome.PENDING}), distinct=bool(prefix)),
    }


def selection_event_list(*, events: QuerySet[SelectionEvent]) -> QuerySet[SelectionEvent]:
    """Events, latest first, each with its outcome split counted in SQL."""
    return events.annotate(**_split_counts("results__")).order_by("-held_on", "title")


@dataclass(frozen=True)
class SelectionSplit:
    screened: int
    accepted: int
    referred: int
    not_accepted: int
    pending: int


@dataclass(frozen=True)
class SelectionEventDetail:
    event: SelectionEvent
    split: SelectionSplit
    results: Sequence[SelectionResult]
    minimum_level: str


def selection_event_detail(event: SelectionEvent) -> SelectionEventDetail:
    """The event page: everyone's results (with below-minimum flags) and the outcome split, in two queries."""
    below = levels_below_minimum()
    results = list(
        event.results.select_related("candidate__stage")
        .annotate(
            literacy_below_minimum=ExpressionWrapper(Q(literacy_level__in=below), output_field=BooleanField()),
            numeracy_below_minimum=ExpressionWrapper(Q(numeracy_level__in=below), output_field=BooleanField()),
        )
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )
    counts = event.results.aggregate(**_split_counts())
    split = SelectionSplit(
        screened=counts["screened_count"],
        accepted=counts["accepted_count"],
        referred=counts["referred_count"],
        not_accepted=counts["not_accepted_count"],
        pending=counts["pending_count"],
    )
    return SelectionEventDetail(event=event, split=split, results=results, minimum_level=minimum_level_label())


@dataclass(frozen=True)
class AddChoices:
    people: list[Candidate]
    # More matched than ADD_CHOICES_LIMIT: the page asks for a narrower search.
    more: bool


def selection_add_choices(*, event: SelectionEvent, candidates: QuerySet[Candidate], search: str = "") -> AddChoices:
    """People who could be added to the event: those in the screening stage, or matches for `search`.

    Search is by name or email and finds anyone (for example someone referred away who has come
    back in another stage). People already at the event are left out. At most ADD_CHOICES_LIMIT.
    """
    qs = candidates.filter(anonymised_at__isnull=True).exclude(selection_results__event=event).select_related("stage")
    search = search.strip()
    if search:
        # Every word must match a first or last name ("jo bloggs"), or the whole text an email address.
        name_match = Q()
        for word in search.split():
            name_match &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        qs = qs.filter(Q(email__icontains=search) | name_match)
    else:
        qs = qs.filter(stage__milestone=Milestone.SCREENED)
    people = list(qs.order_by("last_name", "first_name", "pk")[: ADD_CHOICES_LIMIT + 1])
    return AddChoices(people=people[:ADD_CHOICES_LIMIT], more=len(people) > ADD_CHOICES_LIMIT)


def selection_next_stage(candidate: Candidate) -> PipelineStage | None:
    """The stage after the candidate's current one: the next active, not closed stage by position."""
    return (
        PipelineStage.objects.filter(is_active=True, is_closed=False, position__gt=candidate.stage.position)
        .order_by("position", "name")
        .first()
    )


def selection_result_for(*, event: SelectionEvent, candidate_public_id: UUID) -> QuerySet[SelectionResult]:
    """The one result of a person at an event, with what the result form shows."""
    return event.results.filter(candidate__public_id=candidate_public_id).select_related("candidate__stage", "event")
