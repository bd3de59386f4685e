"""Matching: suggested vacancies for a learner and suggested learners for a vacancy, ranked, with reasons."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from academy.models import PostcodeCentroid
from candidates.models import Candidate, PipelineStage
from candidates.models.choices import Milestone
from courses.models import Enrolment
from placements.models import Vacancy
from placements.selectors.matching import suggested_candidates, suggested_vacancies
from providers.models import Provider
from tests.candidates.factories_casework import SelectionResultFactory
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory, ProviderFactory
from tests.placements.factories_applications import JobApplicationFactory, PublishedVacancyFactory

pytestmark = pytest.mark.django_db

HOME = (430000, 433000)  # the learner's postcode centroid (OS grid metres)
MILE = 1609.344


@pytest.fixture(autouse=True)
def centroids(db: None) -> None:
    """The postcode centroid table: LS1 1AA is HOME, LS2 2BB is 10 miles east."""
    PostcodeCentroid.objects.create(postcode="LS11AA", outward="LS1", easting=HOME[0], northing=HOME[1])
    PostcodeCentroid.objects.create(
        postcode="LS22BB", outward="LS2", easting=HOME[0] + int(10 * MILE), northing=HOME[1]
    )


def at(miles: float, **kwargs: object) -> Vacancy:
    """A published vacancy `miles` north of HOME."""
    return PublishedVacancyFactory.create(easting=HOME[0], northing=HOME[1] + int(miles * MILE), **kwargs)


def ready(stage_milestone: str = Milestone.JOB_READY, **kwargs: object) -> Candidate:
    return CandidateFactory.create(stage=PipelineStage.objects.get(milestone=stage_milestone), **kwargs)


def test_vacancies_rank_by_setting_travel_and_hours_and_say_why() -> None:
    person = CandidateFactory.create(postcode="LS1 1AA", interests=["home_care"], availability="part_time")
    home_care = ProviderFactory.create(kind=Provider.Kind.HOME_CARE)
    nursing = ProviderFactory.create(kind=Provider.Kind.NURSING)
    near_match = at(3, provider=home_care, title="Near home care", hours_per_week=20)
    near_other = at(3, provider=nursing, title="Near nursing", hours_per_week=20)
    far_match = at(8, provider=home_care, title="Far home care", hours_per_week=20)
    at(12, provider=home_care, title="Beyond twice the reach")  # not considered at all
    suggestions = suggested_vacancies(candidate=person)
    assert [s.vacancy for s in suggestions] == [near_match, near_other, far_match]
    best = suggestions[0]
    assert best.why.startswith("Home care matches their interest in home care; 3.0 miles, within their 5-mile reach")
    assert "part-time (20 hours) suits 'Part time'" in best.why
    assert "home care usually needs a driver" in best.why
    assert "is not a setting they chose" in suggestions[1].why
    assert "beyond their 5-mile reach" in suggestions[2].why


def test_a_car_extends_reach() -> None:
    vacancy = at(10, provider=ProviderFactory.create(kind=Provider.Kind.RESIDENTIAL))
    walker = CandidateFactory.create(postcode="LS1 1AA")
    driver = CandidateFactory.create(postcode="LS1 1AA", driving_licence=True, has_car=True)
    on_foot = suggested_vacancies(candidate=walker)[0]
    by_car = suggested_vacancies(candidate=driver)[0]
    assert on_foot.vacancy == by_car.vacancy == vacancy
    assert "within their 15-mile reach (has a car)" in by_car.why
    assert by_car.score > on_foot.score


def test_vacancies_already_applied_closed_or_ring_fenced_are_not_suggested() -> None:
    person = CandidateFactory.create(postcode="LS1 1AA")
    applied = at(1)
    JobApplicationFactory.create(vacancy=applied, candidate=person)
    at(1, status=Vacancy.Status.CLOSED)
    at(1, places=1, places_filled=1)
    fenced_cohort = CohortFactory.create()
    fenced = at(1, ring_fenced_cohort=fenced_cohort)
    unknown_place = PublishedVacancyFactory.create(title="No centroid")
    assert [s.vacancy for s in suggested_vacancies(candidate=person)] == [unknown_place]
    assert "distance unknown" in suggested_vacancies(candidate=person)[0].why
    EnrolmentFactory.create(cohort=fenced_cohort, candidate=person, status=Enrolment.Status.COMPLETED)
    assert fenced in [s.vacancy for s in suggested_vacancies(candidate=person)]


def test_learners_for_a_vacancy_are_ready_ones_without_an_application_ranked_by_values() -> None:
    vacancy = at(2, provider=ProviderFactory.create(kind=Provider.Kind.RESIDENTIAL))
    strong = ready(first_name="Strong", postcode="LS1 1AA")
    SelectionResultFactory.create(candidate=strong, values_score=9)
    weak = ready(first_name="Weak", postcode="LS1 1AA")
    SelectionResultFactory.create(candidate=weak, values_score=2)
    completer = CandidateFactory.create(first_name="Completer", postcode="LS1 1AA")
    EnrolmentFactory.create(candidate=completer, status=Enrolment.Status.COMPLETED)
    CandidateFactory.create(first_name="Newcomer")  # registered only: not ready
    applied = ready(first_name="Applied")
    JobApplicationFactory.create(vacancy=vacancy, candidate=applied)
    suggestions = suggested_candidates(vacancy=vacancy, candidates=Candidate.objects.all())
    names = [s.candidate.first_name for s in suggestions]
    assert names == ["Strong", "Completer", "Weak"]
    assert "values score 9/10" in suggestions[0].why
    assert "no values score yet" in suggestions[1].why


@pytest.mark.parametrize("rows", [2, 25])
def test_suggestions_read_a_fixed_number_of_queries(rows: int) -> None:
    for i in range(rows):
        person = ready(postcode="LS1 1AA")
        SelectionResultFactory.create(candidate=person, values_score=i % 10)
        at(i % 7)
    vacancy = Vacancy.objects.select_related("provider").first()
    someone = Candidate.objects.first()
    assert vacancy is not None and someone is not None
    with CaptureQueriesContext(connection) as by_vacancy:
        suggested_candidates(vacancy=vacancy, candidates=Candidate.objects.all())
    with CaptureQueriesContext(connection) as by_person:
        suggested_vacancies(candidate=someone)
    # Vacancy: the learners, their centroids. Learner: their centroid, the vacancies, their values score.
    assert (len(by_vacancy), len(by_person)) == (2, 3)


def test_a_postcode_missing_from_the_table_uses_its_district() -> None:
    PostcodeCentroid.objects.create(postcode="LS12CC", outward="LS1", easting=HOME[0] + 2000, northing=HOME[1])
    person = CandidateFactory.create(postcode="ls1 9zz")  # not in the table: LS1's mean is HOME + 1 km east
    vacancy = at(0)
    suggestion = suggested_vacancies(candidate=person)[0]
    assert suggestion.vacancy == vacancy
    assert "0.6 miles" in suggestion.why
