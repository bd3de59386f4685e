"""What the screening and selection screens read. No equality data here: these screens choose people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery

from academy.figures import percent
from candidates.models import (
    Candidate,
    CandidateQuerySet,
    Milestone,
    PipelineStage,
    SelectionEvent,
    SelectionResult,
    SkillLevel,
)

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
    """How many people an event screened (each person once) and each outcome's count and share of them."""

    screened: int
    accepted: int
    referred: int
    not_accepted: int
    pending: int

    @property
    def rows(self) -> list[tuple[str, int, int | None]]:
        """(outcome, people, whole-number percentage of those screened) for the split table."""
        return [
            (str(label), count, percent(count, self.screened))
            for label, count in (
                (Outcome.ACCEPTED.label, self.accepted),
                (Outcome.REFERRED.label, self.referred),
                (Outcome.NOT_ACCEPTED.label, self.not_accepted),
                (Outcome.PENDING.label, self.pending),
            )
        ]

    def share(self, count: int) -> int | None:
        return percent(count, self.screened)

    @property
    def accepted_percent(self) -> int | None:
        return self.share(self.accepted)

    @property
    def referred_percent(self) -> int | None:
        return self.share(self.referred)

    @property
    def not_accepted_percent(self) -> int | None:
        return self.share(self.not_accepted)

    @property
    def pending_percent(self) -> int | None:
        return self.share(self.pending)


@dataclass(frozen=True)
class ReferralFollowUp:
    """What became of an event's referrals, each person once: re-screened (by outcome there) or not yet."""

    referred: int
    accepted: int
    not_accepted: int
    referred_again: int
    undecided: int

    @property
    def rescreened(self) -> int:
        return self.accepted + self.not_accepted + self.referred_again + self.undecided

    @property
    def not_yet(self) -> int:
        return self.referred - self.rescreened


@dataclass(frozen=True)
class SelectionEventDetail:
    event: SelectionEvent
    split: SelectionSplit
    results: Sequence[SelectionResult]
    minimum_level: str
    referrals: ReferralFollowUp


def _rescreening(field: str) -> Subquery:
    """A SelectionResult annotation: `field` of the later result that re-screened this referral, if any."""
    return Subquery(SelectionResult.objects.filter(follows_referral=OuterRef("pk")).values(field)[:1])


def _referral_follow_up(results: Sequence[SelectionResult]) -> ReferralFollowUp:
    later = [r.rescreen_outcome for r in results if r.outcome == Outcome.REFERRED]  # type: ignore[attr-defined]
    return ReferralFollowUp(
        referred=len(later),
        accepted=later.count(Outcome.ACCEPTED),
        not_accepted=later.count(Outcome.NOT_ACCEPTED),
        referred_again=later.count(Outcome.REFERRED),
        undecided=later.count(Outcome.PENDING),
    )


def selection_event_detail(event: SelectionEvent) -> SelectionEventDetail:
    """The event page in two queries: everyone's results and the outcome split.

    Each result carries below-minimum flags, the earlier referral it follows (if any) and, for a
    referral, what its re-screening decided (`rescreen_outcome`, None while not re-screened).
    """
    below = levels_below_minimum()
    results = list(
        event.results.select_related("candidate__stage", "follows_referral__event")
        .annotate(
            literacy_below_minimum=ExpressionWrapper(Q(literacy_level__in=below), output_field=BooleanField()),
            numeracy_below_minimum=ExpressionWrapper(Q(numeracy_level__in=below), output_field=BooleanField()),
            rescreen_outcome=_rescreening("outcome"),
            rescreen_event_title=_rescreening("event__title"),
            rescreen_event_held_on=_rescreening("event__held_on"),
            rescreen_event_id=_rescreening("event__public_id"),
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
    return SelectionEventDetail(
        event=event,
        split=split,
        results=results,
        minimum_level=minimum_level_label(),
        referrals=_referral_follow_up(results),
    )


@dataclass(frozen=True)
class AddChoices:
    people: list[Candidate]
    # More matched than ADD_CHOICES_LIMIT: the page asks for a narrower search.
    more: bool


def selection_add_choices(*, event: SelectionEvent, candidates: CandidateQuerySet, search: str = "") -> AddChoices:
    """People who could be added to the event: those in the screening stage, or matches for `search`.

    Search is by name or email and finds anyone (for example someone referred away who has come
    back in another stage). People already at the event are left out. At most ADD_CHOICES_LIMIT.
    """
    qs = candidates.current().exclude(selection_results__event=event).select_related("stage")
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
