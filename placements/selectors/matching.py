"""Suggested vacancies for a learner and suggested learners for a vacancy, each with the reasons why.

Scoring (0-100, higher is better; each part says why in words):

- Setting, up to 35: the learner's interests (candidates Interest codes) against the vacancy's provider
  kind and job role (SETTING_MATCHES). 35 when one matches, 15 when the learner named no interests
  (nothing to go against), 0 when they named some and none matches.
- Travel, up to 30: straight-line distance between the learner's postcode centroid and the vacancy's
  (easting/northing, OS grid metres). Reach is 5 miles on public transport, 8 with a driving licence and
  15 with use of a car; the score falls linearly from 30 at 0 miles to 0 at the reach, and is -15 beyond it
  (out of reach outweighs a matching setting). Home care without a driving licence loses 10 (visits between
  homes usually need a driver). An unknown distance scores 10.
- Hours, up to 20: the vacancy's hours per week against the learner's availability (HOURS_FIT).
- Values, up to 15: the learner's best values case-study score (0-10, candidates SelectionResult.values_score)
  times 1.5; unknown scores 5. It is the same for every vacancy of one learner, so it orders learners for
  a vacancy, not vacancies for a learner.

Both lists score a bounded set in Python (MAX_SCORED rows read in a fixed number of queries) and return
the best `limit`: a learner sees open vacancies near them first (a box around their postcode when it is
known), a vacancy sees current learners who completed a course or are job ready, without an application
to it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, F, Max, Q, QuerySet
from django.utils import timezone

from academy.models import PostcodeCentroid
from academy.postcodes import METRES_PER_MILE, miles_between, postcode_normalise, postcode_outward
from candidates.models import Candidate, CandidateQuerySet
from candidates.models.choices import Availability, Interest, Milestone
from courses.models import Enrolment
from placements.models import JobApplication, Vacancy
from placements.models.choices import JobRole
from providers.models import Provider

MAX_SCORED = 400
BEYOND_REACH = -15
# A learner's reach in miles: on foot and public transport, with a licence (lifts, pool cars), with a car.
REACH_MILES = {"none": 5, "licence": 8, "car": 15}

# Interest code -> (provider kinds, job roles) that suit it.
SETTING_MATCHES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Interest.HOME_CARE: ((Provider.Kind.HOME_CARE,), (JobRole.PERSONAL_ASSISTANT,)),
    Interest.RESIDENTIAL: ((Provider.Kind.RESIDENTIAL,), ()),
    Interest.NURSING: ((Provider.Kind.NURSING,), (JobRole.NURSING_ASSISTANT,)),
    Interest.LEARNING_DISABILITY: (
        (Provider.Kind.SUPPORTED_LIVING, Provider.Kind.DAY_SERVICES),
        (JobRole.SUPPORT_WORKER,),
    ),
    Interest.MENTAL_HEALTH: ((Provider.Kind.SUPPORTED_LIVING,), (JobRole.COMMUNITY_SUPPORT,)),
    Interest.REABLEMENT: ((Provider.Kind.HOME_CARE,), (JobRole.CARE_COORDINATOR,)),
}


def _hours_fit(availability: str, weekly: Decimal) -> tuple[int, str]:
    """(score out of 20, reason) for a vacancy of `weekly` hours and the learner's availability."""
    hours = f"{Decimal(weekly).normalize():f}"  # 20.0 -> "20", 37.5 -> "37.5"
    label = Availability(availability).label if availability in Availability.values else ""
    if not availability:
        return 10, f"{hours} hours a week; availability not recorded"
    if availability == Availability.FLEXIBLE:
        return 20, f"{hours} hours a week suits '{label}'"
    if availability == Availability.FULL_TIME:
        if weekly >= 30:
            return 20, f"full-time ({hours} hours) suits '{label}'"
        return (10, f"{hours} hours a week is less than the full time they want")
    if availability == Availability.PART_TIME:
        if weekly <= 30:
            return 20, f"part-time ({hours} hours) suits '{label}'"
        return 5, f"{hours} hours a week is more than the part time they want"
    # Daytime only, evenings and weekends: the hours fit, the shift pattern needs checking.
    return 12, f"{hours} hours a week; check the shifts suit '{label}'"


def _normalise(postcode: str) -> str:
    return postcode_normalise(postcode)


def postcode_grids(postcodes: Iterable[str]) -> dict[str, tuple[int, int]]:
    """{normalised postcode: (easting, northing)} for many postcodes in two queries, whatever their number.

    A postcode's own centroid from academy's PostcodeCentroid table (loaded by `manage.py load_postcodes`),
    else the mean of its district's centroids (as academy.postcodes.postcode_locate does for one), else
    absent: that distance is unknown and scored as such.
    """
    wanted = {_normalise(p) for p in postcodes if p and p.strip()}
    if not wanted:
        return {}
    grids = {
        code: (e, n)
        for code, e, n in PostcodeCentroid.objects.filter(postcode__in=wanted).values_list(
            "postcode", "easting", "northing"
        )
    }
    missing = {code: postcode_outward(code) for code in wanted - grids.keys()}
    outwards = {o for o in missing.values() if o}
    if outwards:
        districts = {
            row["outward"]: (round(row["e"]), round(row["n"]))
            for row in PostcodeCentroid.objects.filter(outward__in=outwards)
            .values("outward")
            .annotate(e=Avg("easting"), n=Avg("northing"))
        }
        grids.update({code: districts[o] for code, o in missing.items() if o in districts})
    return grids


def postcode_grid(postcode: str) -> tuple[int, int] | None:
    """The (easting, northing) of one postcode's centroid (or its district's), or None when it is not known."""
    return postcode_grids([postcode]).get(_normalise(postcode))


def distance_miles(a: tuple[int, int], b: tuple[int, int]) -> float:
    return miles_between(a, b)


def _reach(candidate: Candidate) -> tuple[int, str]:
    if candidate.has_car:
        return REACH_MILES["car"], "has a car"
    if candidate.driving_licence:
        return REACH_MILES["licence"], "drives"
    return REACH_MILES["none"], "no car"


@dataclass
class Suggestion:
    """One suggested vacancy (for a learner) or learner (for a vacancy), its score and why."""

    vacancy: Vacancy
    candidate: Candidate
    score: int
    reasons: list[str] = field(default_factory=list)
    miles: float | None = None

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)


def match_score(
    *, candidate: Candidate, vacancy: Vacancy, grid: tuple[int, int] | None, values_score: int | None
) -> Suggestion:
    """Score one pairing as the module docstring says; `grid` is the learner's postcode centroid."""
    reasons: list[str] = []
    score = 0
    kinds_roles = [SETTING_MATCHES[i] for i in candidate.interests if i in SETTING_MATCHES]
    matched = [
        Interest(i).label
        for i in candidate.interests
        if i in SETTING_MATCHES
        and (vacancy.provider.kind in SETTING_MATCHES[i][0] or vacancy.job_role in SETTING_MATCHES[i][1])
    ]
    if matched:
        score += 35
        reasons.append(f"{vacancy.provider.get_kind_display()} matches their interest in {matched[0].lower()}")
    elif not kinds_roles:
        score += 15
        reasons.append("no preferred setting recorded")
    else:
        reasons.append(f"{vacancy.provider.get_kind_display()} is not a setting they chose")

    miles = None
    reach, how = _reach(candidate)
    if grid is not None and vacancy.easting is not None and vacancy.northing is not None:
        miles = distance_miles(grid, (vacancy.easting, vacancy.northing))
        score += round(30 * (1 - miles / reach)) if miles <= reach else BEYOND_REACH
        within = "within" if miles <= reach else "beyond"
        reasons.append(f"{miles:.1f} miles, {within} their {reach}-mile reach ({how})")
    else:
        score += 10
        reasons.append("distance unknown")
    if vacancy.provider.kind == Provider.Kind.HOME_CARE and not candidate.driving_licence:
        score -= 10
        reasons.append("home care usually needs a driver")

    hours_score, hours_reason = _hours_fit(candidate.availability, vacancy.hours_per_week)
    score += hours_score
    reasons.append(hours_reason)

    if values_score is None:
        score += 5
        reasons.append("no values score yet")
    else:
        score += round(values_score * 1.5)
        reasons.append(f"values score {values_score}/10")
    return Suggestion(vacancy=vacancy, candidate=candidate, score=max(score, 0), reasons=reasons, miles=miles)


def _open_vacancies() -> QuerySet[Vacancy]:
    today = timezone.localdate()
    return Vacancy.objects.filter(
        status__in=Vacancy.OPEN, closing_date__gte=today, places_filled__lt=F("places")
    ).select_related("provider")


def _best_values_score(candidate: Candidate) -> int | None:
    best = candidate.selection_results.aggregate(best=Max("values_score"))["best"]
    return int(best) if best is not None else None


def suggested_vacancies(*, candidate: Candidate, limit: int = 10) -> list[Suggestion]:
    """Open vacancies for `candidate` they have not applied to, best first; four queries whatever the size.

    Ring-fenced vacancies are offered only to that cohort's completers. With a known postcode, vacancies
    with a known place more than twice the learner's reach away are not considered.
    """
    grid = postcode_grid(candidate.postcode)
    vacancies = _open_vacancies().exclude(applications__candidate=candidate)
    completed_cohorts = Enrolment.objects.filter(candidate=candidate, status=Enrolment.Status.COMPLETED).values(
        "cohort_id"
    )
    vacancies = vacancies.filter(Q(ring_fenced_cohort__isnull=True) | Q(ring_fenced_cohort__in=completed_cohorts))
    if grid is not None:
        box = int(_reach(candidate)[0] * 2 * METRES_PER_MILE)
        vacancies = vacancies.filter(
            Q(easting__isnull=True)
            | Q(northing__isnull=True)
            | Q(easting__range=(grid[0] - box, grid[0] + box), northing__range=(grid[1] - box, grid[1] + box))
        )
    values = _best_values_score(candidate)
    scored = [
        match_score(candidate=candidate, vacancy=v, grid=grid, values_score=values)
        for v in vacancies.order_by("closing_date", "pk")[:MAX_SCORED]
    ]
    scored.sort(key=lambda s: (-s.score, s.miles if s.miles is not None else math.inf, s.vacancy.closing_date))
    return scored[:limit]


# The journey points from which someone is ready to be put forward for work.
READY_MILESTONES = (Milestone.COMPLETED_COURSE, Milestone.DBS, Milestone.JOB_READY)


def suggested_candidates(*, vacancy: Vacancy, candidates: CandidateQuerySet, limit: int = 20) -> list[Suggestion]:
    """Current learners who completed a course or are job ready, without an application to `vacancy`, best first.

    A ring-fenced vacancy suggests only its cohort's completers. Three queries whatever the size.
    """
    completers = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
    if vacancy.ring_fenced_cohort_id is not None:
        completers = completers.filter(cohort_id=vacancy.ring_fenced_cohort_id)
        ready = Q(pk__in=completers.values("candidate_id"))
    else:
        ready = Q(stage__milestone__in=READY_MILESTONES) | Q(pk__in=completers.values("candidate_id"))
    suggested = list(
        candidates.current()
        .filter(ready)
        .exclude(pk__in=JobApplication.objects.filter(vacancy=vacancy).values("candidate_id"))
        .annotate(best_values=Max("selection_results__values_score"))
        .order_by("-stage_entered_at", "pk")[:MAX_SCORED]
    )
    grids = postcode_grids(c.postcode for c in suggested)
    scored = [
        match_score(
            candidate=c,
            vacancy=vacancy,
            grid=grids.get(_normalise(c.postcode)),
            values_score=c.best_values,  # type: ignore[attr-defined]
        )
        for c in suggested
    ]
    scored.sort(key=lambda s: (-s.score, s.miles if s.miles is not None else math.inf, s.candidate.full_name))
    return scored[:limit]
