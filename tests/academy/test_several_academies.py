"""Several academies in one portal: each academy's staff see only its people; a region sees both.

Staff of academy A must see none of academy B's learners, cohorts, DBS checks or payments: in
lists, search, exports and home counts. A regional manager sees both, read-only. A learner who
moves is transferred with their history, and counted once by the region.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.account_forms import academy_for_postcode
from academy.models import Academy, AcademyMembership, FileJob, Region, RegionalViewer, Role, User
from academy.tenancy import academy_in_use_id, use_academy
from candidates.models import AcademyTransfer, Candidate, StageChange
from candidates.selectors.academies import events_in_academies
from candidates.services.transfers import candidate_transfer
from courses.models import SupportPayment
from tests.candidates.factories_dbs_records import DbsCheckFactory
from tests.conftest import _with_totp, sign_in
from tests.courses.factories import CohortFactory, CourseFactory
from tests.courses.factories_outcomes import SupportPaymentFactory
from tests.factories import CandidateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region() -> Region:
    return Region.objects.create(name="Northern partnership")


@pytest.fixture
def city(region: Region) -> Academy:
    academy = Academy.objects.default()
    academy.name, academy.region, academy.postcode_areas = "City Academy", region, "LS WF"
    academy.save()
    return academy


@pytest.fixture
def coast(region: Region) -> Academy:
    return Academy.objects.create(name="Coast Academy", slug="coast", region=region, postcode_areas="FY PR1")


def _member(email: str, role: str, academy: Academy) -> User:
    user = _with_totp(UserFactory.create(email=email, role=role))
    AcademyMembership.objects.create(user=user, academy=academy)
    return user


@pytest.fixture
def city_staff(city: Academy) -> User:
    return _member("city.staff@example.org", Role.STAFF, city)


@pytest.fixture
def coast_manager(coast: Academy) -> User:
    return _member("coast.manager@example.org", Role.MANAGER, coast)


@pytest.fixture
def people(city: Academy, coast: Academy) -> dict[str, Candidate]:
    """One learner in each academy, with a DBS check, a cohort place and a support payment each."""
    made = {}
    for key, academy, name in (("city", city, "Carys Citywide"), ("coast", coast, "Seren Seaside")):
        first, last = name.split()
        person = CandidateFactory.create(first_name=first, last_name=last, academy=academy)
        DbsCheckFactory.create(candidate=person)
        cohort = CohortFactory.create(course=CourseFactory.create(academy=academy), name=f"{academy.name} cohort")
        SupportPaymentFactory.create(candidate=person, cohort=cohort, status=SupportPayment.Status.REQUESTED)
        made[key] = person
    return made


def _client(user: User) -> Client:
    return sign_in(Client(), user)


@pytest.mark.parametrize(
    "url",
    [
        reverse("candidates:candidate-list"),
        reverse("candidates:candidate-list") + "?q=Seaside",
        reverse("candidates:dbs-dashboard"),
        reverse("courses:cohort-list"),
        reverse("courses:payment-approvals"),
        reverse("academy:home"),
    ],
)
def test_staff_see_only_their_academys_people(
    url: str, people: dict[str, Candidate], city_staff: User, coast_manager: User
) -> None:
    city_page = _client(city_staff).get(url).content.decode()
    coast_page = _client(coast_manager).get(url).content.decode()
    assert "Seren Seaside" not in city_page and "Coast Academy cohort" not in city_page
    assert "Carys Citywide" not in coast_page and "City Academy cohort" not in coast_page


def test_each_academy_finds_its_own_learner(people: dict[str, Candidate], city_staff: User) -> None:
    page = _client(city_staff).get(reverse("candidates:candidate-list") + "?q=Citywide").content.decode()
    assert "Citywide" in page


def test_another_academys_record_is_not_found(people: dict[str, Candidate], city_staff: User) -> None:
    client = _client(city_staff)
    assert client.get(people["coast"].get_absolute_url()).status_code == 404
    assert client.get(people["city"].get_absolute_url()).status_code == 200


def test_an_export_is_built_for_the_academy_in_use_when_asked(
    people: dict[str, Candidate], city: Academy, coast: Academy, region: Region, django_capture_on_commit_callbacks
) -> None:
    both = _member("both@example.org", Role.STAFF, city)
    AcademyMembership.objects.create(user=both, academy=coast)
    client = _client(both)
    client.post(reverse("academy:academy-switch"), {"academy": coast.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidates:candidate-export"))
    job = FileJob.objects.get(requested_by=both)
    assert job.academy == coast and job.status == FileJob.Status.DONE
    content = job.file.read().decode()
    assert "Seaside" in content and "Citywide" not in content


def test_the_switcher_offers_only_ones_own_academies(city: Academy, coast: Academy, city_staff: User) -> None:
    client = _client(city_staff)
    assert client.post(reverse("academy:academy-switch"), {"academy": coast.pk}).status_code == 404
    page = client.get(reverse("academy:home")).content.decode()
    assert "Working in" in page and "City Academy" in page and "Coast Academy" not in page


def test_a_regional_manager_reads_every_academy_of_the_region_but_changes_none(
    people: dict[str, Candidate], region: Region, coast: Academy
) -> None:
    regional = _with_totp(UserFactory.create(email="region@example.org", role=Role.MANAGER))
    RegionalViewer.objects.create(user=regional, region=region)
    client = _client(regional)
    assert "Citywide" in client.get(reverse("candidates:candidate-list")).content.decode()
    client.post(reverse("academy:academy-switch"), {"academy": coast.pk})
    page = client.get(reverse("candidates:candidate-list")).content.decode()
    assert "Seaside" in page and "View only" in page
    response = client.post(
        reverse("candidates:candidate-update", kwargs={"public_id": people["coast"].public_id}),
        {"first_name": "Changed", "last_name": "Name"},
    )
    assert response.status_code == 403
    assert "only its own staff and managers can change them" in response.content.decode()
    people["coast"].refresh_from_db()
    assert people["coast"].first_name == "Seren"


def test_a_learner_who_moves_takes_their_history_and_is_counted_once_by_the_region(
    people: dict[str, Candidate], city: Academy, coast: Academy, city_staff: User
) -> None:
    mover = people["city"]
    registered = StageChange.objects.filter(candidate=mover)
    registered.update(changed_at=timezone.now() - dt.timedelta(days=30))
    response = _client(city_staff).post(
        reverse("candidates:candidate-transfer", kwargs={"public_id": mover.public_id}),
        {"to_academy": coast.pk, "reason": "Moved to Blackpool", "confirm": "on"},
    )
    assert response.status_code == 302
    mover.refresh_from_db()
    assert mover.academy == coast
    assert _client(city_staff).get(mover.get_absolute_url()).status_code == 404
    assert AcademyTransfer.objects.get(candidate=mover).from_academy == city
    # After the move, a new step of theirs belongs to the coast; the earlier one stays with the city.
    StageChange.objects.create(candidate=mover, to_stage=mover.stage, changed_at=timezone.now())
    changes = StageChange.objects.filter(candidate=mover)

    def people_in(ids: list[int]) -> int:
        scoped = events_in_academies(changes, ids, candidate="candidate", at="changed_at")
        return scoped.values("candidate").distinct().count()

    assert (people_in([city.pk]), people_in([coast.pk]), people_in([city.pk, coast.pk])) == (1, 1, 1)
    assert events_in_academies(changes, [city.pk], candidate="candidate", at="changed_at").count() == 1


def test_a_transfer_stays_in_the_region(people: dict[str, Candidate], city_staff: User) -> None:
    elsewhere = Academy.objects.create(name="Elsewhere", slug="elsewhere")
    with pytest.raises(Exception, match="same region"):
        candidate_transfer(candidate=people["city"], to_academy=elsewhere, actor=city_staff, reason="Moved")


def test_new_records_belong_to_the_academy_in_use(city: Academy, coast: Academy) -> None:
    both = _member("both@example.org", Role.STAFF, city)
    AcademyMembership.objects.create(user=both, academy=coast)
    client = _client(both)
    client.post(reverse("academy:academy-switch"), {"academy": coast.pk})
    client.post(reverse("candidates:candidate-create"), {"first_name": "Nia", "last_name": "Newcomer"})
    assert Candidate.objects.get(last_name="Newcomer").academy == coast
    use_academy(both, city.pk)
    assert academy_in_use_id(both) == city.pk


def test_signing_up_suggests_the_academy_from_the_postcode(city: Academy, coast: Academy) -> None:
    assert academy_for_postcode("FY1 1AA") == coast
    assert academy_for_postcode("PR1 2HE") == coast
    assert academy_for_postcode("PR25 1AB") is None  # PR1 is a district, not the PR area
    assert academy_for_postcode("LS1 4AP") == city
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "three random words",
            "password2": "three random words",
            "postcode": "fy1 1aa",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").home_academy == coast


def test_signing_up_with_an_unknown_postcode_asks_for_the_academy(city: Academy, coast: Academy) -> None:
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "three random words",
            "password2": "three random words",
            "postcode": "SW1A 1AA",
        },
    )
    assert response.status_code == 200
    assert "No academy covers this postcode" in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_courses_shared_with_the_region_are_offered_to_its_learners(city: Academy, coast: Academy) -> None:
    from courses.permissions import courses_visible_to

    own = CourseFactory.create(academy=coast, status="published", title="Coast only")
    shared = CourseFactory.create(academy=city, status="published", title="Shared", shared_with_region=True)
    CourseFactory.create(academy=city, status="published", title="City only")
    learner = UserFactory.create(role=Role.LEARNER, home_academy=coast)
    assert set(courses_visible_to(learner)) == {own, shared}


def test_an_academy_may_keep_its_own_dbs_policy(city: Academy, coast: Academy, coast_manager: User) -> None:
    """The portal's policy rules every academy until one saves its own; the sweep then chases each
    academy's checks by its own rules."""
    from candidates.models import DbsPolicy, DbsReminder
    from candidates.services.dbs_policy import dbs_policy_update
    from candidates.services.dbs_reminders import dbs_reminders_create
    from tests.candidates.factories_dbs_reminders import DbsCheckFactory as StartedCheck

    portal = DbsPolicy.current()
    assert DbsPolicy.current(coast.pk) == portal and portal.chase_application_days == 5
    dbs_policy_update(actor=coast_manager, data={"chase_application_days": 2}, academy_id=coast.pk, own=True)
    assert DbsPolicy.current(coast.pk).chase_application_days == 2
    assert DbsPolicy.current(city.pk).chase_application_days == 5  # the city keeps the portal's

    started = dt.date(2026, 11, 2)
    city_check = StartedCheck.create(candidate=CandidateFactory.create(academy=city), started_on=started)
    coast_check = StartedCheck.create(candidate=CandidateFactory.create(academy=coast), started_on=started)
    dbs_reminders_create(today=started + dt.timedelta(days=3), now=timezone.now())
    assert set(DbsReminder.objects.values_list("dbs_check_id", flat=True)) == {coast_check.pk}
    dbs_reminders_create(today=started + dt.timedelta(days=5), now=timezone.now())
    assert set(DbsReminder.objects.values_list("dbs_check_id", flat=True)) == {coast_check.pk, city_check.pk}


def test_the_dbs_policy_page_says_when_an_academy_follows_the_portals(coast: Academy, coast_manager: User) -> None:
    page = _client(coast_manager).get(reverse("candidates:dbs-policy")).content.decode()
    assert "Your academy follows the portal" in page
