"""Job application pages: the learner's apply, referral and withdraw pages, the provider's applicants,
staff's lists, the guaranteed interviews due, the record sections, scoping and query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, EqualityMonitoring, PipelineStage
from courses.models import Enrolment
from placements.models import InterviewDue, JobApplication
from providers.models import Provider
from tests.courses.factories import CohortFactory, EnrolmentFactory
from tests.factories import CandidateFactory
from tests.placements.factories_applications import JobApplicationFactory, PublishedVacancyFactory

pytestmark = pytest.mark.django_db

Status = JobApplication.Status


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def learner_client(candidate: Candidate, client_for: Callable[[str], Client]) -> Client:
    return client_for("learner")


@pytest.fixture
def provider_client(provider_user: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("provider_user")


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


# --- learner ---


def test_apply_page_shows_what_the_provider_will_see_and_applying_records_consent(
    learner_client: Client, candidate: Candidate, provider_a: Provider
) -> None:
    candidate.availability = "part_time"
    candidate.interests = ["home_care"]
    candidate.save()
    EnrolmentFactory.create(
        candidate=candidate,
        cohort=CohortFactory.create(course__title="Care skills starter"),
        status=Enrolment.Status.COMPLETED,
        ended_at=timezone.now(),
    )
    vacancy = PublishedVacancyFactory.create(provider=provider_a, title="Home care worker")
    url = reverse("placements:job-apply", kwargs={"public_id": vacancy.public_id})

    page = html(learner_client.get(url))
    assert "What Provider A will see" in page
    assert "Lena Learner" in page and "Part time" in page and "Home care" in page
    assert "Care skills starter" in page
    assert 'name="attach_cv"' not in page  # no CV yet
    assert "personnel folder" in page

    response = learner_client.post(url, {"supporting_statement": "I want to help.", "folder_release_consented": "on"})
    application = JobApplication.objects.get(candidate=candidate)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "placements:my-job-application-detail", kwargs={"public_id": application.public_id}
    )
    assert application.folder_release_consented and not application.cv_attached
    assert application.consented_at is not None


def test_apply_to_a_closed_vacancy_or_twice_says_why(
    learner_client: Client, candidate: Candidate, learner: User
) -> None:
    closed = PublishedVacancyFactory.create(status="closed", title="Closed job")
    page = html(learner_client.get(reverse("placements:job-apply", kwargs={"public_id": closed.public_id})))
    assert "You cannot apply for Closed job" in page and "has closed" in page
    response = learner_client.post(reverse("placements:job-apply", kwargs={"public_id": closed.public_id}), {})
    assert "has closed" in html(response)
    assert not JobApplication.objects.exists()

    applied = JobApplicationFactory.create(candidate=candidate)
    page = html(learner_client.get(reverse("placements:job-apply", kwargs={"public_id": applied.vacancy.public_id})))
    assert "You have already applied" in page


def test_a_draft_vacancy_is_not_found(learner_client: Client, candidate: Candidate) -> None:
    draft = PublishedVacancyFactory.create(status="draft")
    assert learner_client.get(reverse("placements:job-apply", kwargs={"public_id": draft.public_id})).status_code == 404


def test_my_applications_list_next_steps_and_referral_agree(
    learner_client: Client, candidate: Candidate, staff: User
) -> None:
    JobApplicationFactory.create(candidate=candidate, vacancy__title="Day centre worker")
    referral = JobApplicationFactory.create(
        candidate=candidate,
        vacancy__title="Support worker",
        route=JobApplication.Route.REFERRED,
        status=Status.AWAITING_CONSENT,
        consented_at=None,
        referral_note="You love music: they run music sessions.",
    )
    page = html(learner_client.get(reverse("placements:my-job-applications")))
    assert "Day centre worker" in page and "Support worker" in page
    assert "Agree or decline" in page
    assert "Tell us whether you want to be put forward." in page

    respond = reverse("placements:job-referral-respond", kwargs={"public_id": referral.public_id})
    page = html(learner_client.get(respond))
    assert "You love music: they run music sessions." in page
    # No answer chosen: the form comes back with the error.
    assert "Choose whether you want to be put forward" in html(learner_client.post(respond, {}))
    response = learner_client.post(respond, {"response": "agree"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.REFERRED and referral.consented_at is not None


def test_withdraw_asks_first_then_withdraws(learner_client: Client, candidate: Candidate) -> None:
    application = JobApplicationFactory.create(candidate=candidate)
    url = reverse("placements:job-application-withdraw", kwargs={"public_id": application.public_id})
    assert "Are you sure" in html(learner_client.get(url))
    application.refresh_from_db()
    assert application.status == Status.APPLIED
    learner_client.post(url)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    detail = html(
        learner_client.get(reverse("placements:my-job-application-detail", kwargs={"public_id": application.public_id}))
    )
    assert "Withdrawn by the learner." in detail
    assert "Withdraw this application" not in detail


def test_learner_cannot_see_another_learners_application(learner_client: Client, other_candidate: Candidate) -> None:
    theirs = JobApplicationFactory.create(candidate=other_candidate)
    url = reverse("placements:my-job-application-detail", kwargs={"public_id": theirs.public_id})
    assert learner_client.get(url).status_code == 404


# --- provider ---


def test_provider_sees_only_its_own_consented_applicants_with_counts(
    provider_client: Client, provider_a: Provider, provider_b: Provider
) -> None:
    mine = PublishedVacancyFactory.create(provider=provider_a, title="Ours")
    JobApplicationFactory.create(vacancy=mine, candidate=CandidateFactory.create(first_name="Ada", last_name="Shared"))
    JobApplicationFactory.create(
        vacancy=mine, status=Status.SHORTLISTED, candidate=CandidateFactory.create(first_name="Bo", last_name="Listed")
    )
    JobApplicationFactory.create(
        vacancy=mine,
        status=Status.AWAITING_CONSENT,
        consented_at=None,
        candidate=CandidateFactory.create(first_name="Cy", last_name="Waiting"),
    )
    JobApplicationFactory.create(
        vacancy=PublishedVacancyFactory.create(provider=provider_b, title="Theirs"),
        candidate=CandidateFactory.create(first_name="Di", last_name="Elsewhere"),
    )
    url = reverse("placements:provider-application-list")
    page = html(provider_client.get(url))
    assert "Ada Shared" in page and "Bo Listed" in page
    assert "Cy Waiting" not in page and "Di Elsewhere" not in page
    assert "Theirs" not in page
    assert "Applied</a>: 1" in page and "Shortlisted</a>: 1" in page

    page = html(provider_client.get(url, {"status": "shortlisted"}))
    assert "Bo Listed" in page and "Ada Shared" not in page
    page = html(provider_client.get(url, {"q": "ada shar"}))
    assert "Ada Shared" in page and "Bo Listed" not in page
    page = html(provider_client.get(url, {"vacancy": "not-a-vacancy"}))
    assert "Choose a vacancy from the list" in page


def test_provider_applicant_detail_shows_the_profile_never_equality_and_is_audited(
    provider_client: Client, provider_user: User, provider_a: Provider
) -> None:
    person = CandidateFactory.create(first_name="Eve", last_name="Applicant", phone="07700 900123", postcode="LS6 2AB")
    EqualityMonitoring.objects.create(candidate=person, religion="buddhist")
    application = JobApplicationFactory.create(vacancy__provider=provider_a, candidate=person)
    page = html(
        provider_client.get(
            reverse("placements:provider-application-detail", kwargs={"public_id": application.public_id})
        )
    )
    assert "Eve Applicant" in page and "07700 900123" in page and "LS6" in page
    assert "LS6 2AB" not in page
    assert "Buddhist" not in page and "buddhist" not in page
    assert "DBS" not in page
    assert AuditEntry.objects.filter(action="job_application.provider_view", actor=provider_user).count() == 1


def test_provider_b_gets_404_for_provider_as_applicants(
    client_for: Callable[[str], Client], other_provider_user: User, provider_a: Provider
) -> None:
    application = JobApplicationFactory.create(vacancy__provider=provider_a)
    client = client_for("other_provider_user")
    for name in ("provider-application-detail", "job-application-not-progressed"):
        assert client.get(reverse(f"placements:{name}", kwargs={"public_id": application.public_id})).status_code == 404
    url = reverse("placements:job-application-shortlist", kwargs={"public_id": application.public_id})
    assert client.post(url).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.APPLIED


def test_provider_never_sees_a_referral_awaiting_consent(provider_client: Client, provider_a: Provider) -> None:
    waiting = JobApplicationFactory.create(
        vacancy__provider=provider_a, status=Status.AWAITING_CONSENT, consented_at=None
    )
    url = reverse("placements:provider-application-detail", kwargs={"public_id": waiting.public_id})
    assert provider_client.get(url).status_code == 404


def test_provider_shortlists_then_turns_down_with_a_reason(provider_client: Client, provider_a: Provider) -> None:
    application = JobApplicationFactory.create(vacancy__provider=provider_a)
    detail = reverse("placements:provider-application-detail", kwargs={"public_id": application.public_id})
    response = provider_client.post(
        reverse("placements:job-application-shortlist", kwargs={"public_id": application.public_id})
    )
    assert response["Location"] == detail
    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED

    url = reverse("placements:job-application-not-progressed", kwargs={"public_id": application.public_id})
    page = html(provider_client.post(url, {"not_progressed_reason": "other", "reason": ""}))
    assert "Enter the reason: the learner will see it." in page
    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED
    provider_client.post(url, {"not_progressed_reason": "unsuccessful_interview"})
    application.refresh_from_db()
    assert application.status == Status.NOT_PROGRESSED
    assert application.not_progressed_reason == "unsuccessful_interview"


def _bulk_applications(provider: Provider, n: int) -> None:
    """`n` applications to one of `provider`'s vacancies, written in bulk (one person each)."""
    stage = PipelineStage.objects.get(slug="enquiry")
    vacancy = PublishedVacancyFactory.create(provider=provider)
    people = Candidate.objects.bulk_create(
        [Candidate(first_name=f"Bulk{i}", last_name="Person", stage=stage) for i in range(n)]
    )
    now = timezone.now()
    JobApplication.objects.bulk_create(
        [
            JobApplication(
                vacancy=vacancy,
                candidate=person,
                route=JobApplication.Route.APPLIED,
                status=Status.APPLIED if i % 3 else Status.SHORTLISTED,
                consented_at=now,
            )
            for i, person in enumerate(people)
        ]
    )


def _queries(client: Client, url: str) -> int:
    client.get(url)  # the first request after signing in also saves the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_provider_list_queries_do_not_grow_at_5000_applications(provider_client: Client, provider_a: Provider) -> None:
    url = reverse("placements:provider-application-list")
    _bulk_applications(provider_a, 2)
    few = _queries(provider_client, url)
    _bulk_applications(provider_a, 5000)
    many = _queries(provider_client, url)
    # session, user, two-factor, vacancies for the filter, counts by status, page count, page rows
    assert few == many == 7


# --- staff ---


def test_staff_list_filters_and_detail_shows_history(staff_client: Client, staff: User, provider_a: Provider) -> None:
    referral = JobApplicationFactory.create(
        vacancy__provider=provider_a,
        status=Status.AWAITING_CONSENT,
        consented_at=None,
        route=JobApplication.Route.REFERRED,
        referred_by=staff,
        referral_note="Good with people.",
        candidate=CandidateFactory.create(first_name="Flo", last_name="Referred"),
    )
    JobApplicationFactory.create(candidate=CandidateFactory.create(first_name="Gus", last_name="Applied"))
    url = reverse("placements:job-application-list")
    page = html(staff_client.get(url))
    assert "Flo Referred" in page and "Gus Applied" in page
    page = html(staff_client.get(url, {"provider": str(provider_a.public_id)}))
    assert "Flo Referred" in page and "Gus Applied" not in page
    page = html(staff_client.get(url, {"status": "awaiting_consent"}))
    assert "Gus Applied" not in page
    page = html(staff_client.get(url, {"vacancy": str(referral.vacancy.public_id)}))
    assert "Flo Referred" in page and "Gus Applied" not in page

    detail = html(
        staff_client.get(reverse("placements:job-application-detail", kwargs={"public_id": referral.public_id}))
    )
    assert "Good with people." in detail and "Not yet: the provider cannot see this referral." in detail


@pytest.mark.parametrize("rows", [2, 40])
def test_staff_list_query_count_does_not_grow(staff_client: Client, rows: int, django_assert_num_queries) -> None:
    JobApplicationFactory.create_batch(rows)
    url = reverse("placements:job-application-list")
    staff_client.get(url)
    # session, user, two-factor, providers for the filter, counts by status, page count, page rows
    with django_assert_num_queries(7):
        staff_client.get(url)


def test_staff_refer_from_the_vacancy(staff_client: Client, candidate: Candidate, provider_a: Provider) -> None:
    vacancy = PublishedVacancyFactory.create(provider=provider_a, title="Activities worker")
    url = reverse("placements:job-refer", kwargs={"public_id": vacancy.public_id})
    page = html(staff_client.get(url, {"q": "lena"}))
    assert "Refer Lena Learner" in page
    page = html(staff_client.get(url, {"candidate": str(candidate.public_id)}))
    assert "Why this is a good match" in page
    page = html(staff_client.post(url, {"candidate": str(candidate.public_id), "note": ""}))
    assert "Enter why this is a good match" in page
    assert not JobApplication.objects.exists()
    response = staff_client.post(url, {"candidate": str(candidate.public_id), "note": "Loves crafts."})
    referral = JobApplication.objects.get()
    assert response["Location"] == reverse(
        "placements:job-application-detail", kwargs={"public_id": referral.public_id}
    )
    assert referral.status == Status.AWAITING_CONSENT


def test_interviews_due_lists_completers_waiting_past_the_setting(
    staff_client: Client, settings, candidate: Candidate
) -> None:
    settings.GUARANTEED_INTERVIEW_DUE_DAYS = 10
    today = timezone.localdate()
    long_wait = EnrolmentFactory.create(candidate=candidate, cohort=CohortFactory.create(name="Long wait cohort"))
    recent = EnrolmentFactory.create(cohort=CohortFactory.create(name="Recent cohort"))
    InterviewDue.objects.create(candidate=candidate, enrolment=long_wait, due_since=today - dt.timedelta(days=12))
    InterviewDue.objects.create(candidate=recent.candidate, enrolment=recent, due_since=today - dt.timedelta(days=3))
    met = EnrolmentFactory.create(cohort=CohortFactory.create(name="Met cohort"))
    InterviewDue.objects.create(
        candidate=met.candidate, enrolment=met, due_since=today - dt.timedelta(days=20), met_at=timezone.now()
    )
    page = html(staff_client.get(reverse("placements:interviews-due")))
    assert "Long wait cohort" in page and ">12<" in page
    assert "Recent cohort" not in page and "Met cohort" not in page
    assert "1 person still owed an interview, for 1 completed course." in page


def test_record_page_shows_applications_and_suggested_vacancies(
    staff_client: Client, candidate: Candidate, provider_a: Provider
) -> None:
    JobApplicationFactory.create(candidate=candidate, vacancy__title="Applied job")
    PublishedVacancyFactory.create(provider=provider_a, title="Suggested job")
    page = html(staff_client.get(reverse("candidates:candidate-detail", kwargs={"public_id": candidate.public_id})))
    assert 'id="job-applications"' in page and "Applied job" in page
    assert 'id="suggested-vacancies"' in page and "Suggested job" in page
    assert "Score " in page


def test_home_pages_link_job_applications_with_their_counts(
    client_for: Callable[[str], Client], candidate: Candidate, provider_a: Provider, provider_user: User, staff: User
) -> None:
    JobApplicationFactory.create(
        candidate=candidate, status=Status.AWAITING_CONSENT, consented_at=None, route=JobApplication.Route.REFERRED
    )
    JobApplicationFactory.create(vacancy__provider=provider_a)
    JobApplicationFactory.create(vacancy__provider=provider_a, status=Status.SHORTLISTED)
    home = reverse("academy:home")
    assert "1 referral waiting for your answer" in html(client_for("learner").get(home))
    staff_home = html(client_for("staff").get(home))
    assert "Guaranteed interviews due</a>" in staff_home and "people waiting" not in staff_home  # nobody owed one


@pytest.mark.parametrize("rows", [2, 30])
def test_learner_list_query_count_does_not_grow(
    learner_client: Client, candidate: Candidate, rows: int, django_assert_num_queries
) -> None:
    for _ in range(rows):
        JobApplicationFactory.create(candidate=candidate)
    url = reverse("placements:my-job-applications")
    learner_client.get(url)
    # session, user, page count, page rows with vacancy and provider
    with django_assert_num_queries(4):
        assert learner_client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
def test_interviews_due_query_count_does_not_grow(staff_client: Client, rows: int, django_assert_num_queries) -> None:
    old = timezone.localdate() - dt.timedelta(days=30)
    for enrolment in EnrolmentFactory.create_batch(rows, status=Enrolment.Status.COMPLETED):
        InterviewDue.objects.create(candidate=enrolment.candidate, enrolment=enrolment, due_since=old)
    url = reverse("placements:interviews-due")
    staff_client.get(url)
    # session, user, two-factor, page count, people count, page rows with person, cohort and course
    with django_assert_num_queries(6):
        page = html(staff_client.get(url))
    assert page.count('govuk-table__cell--numeric">30<') == min(rows, 25)


def test_record_page_queries_do_not_grow_with_job_applications(
    staff_client: Client, candidate: Candidate, provider_a: Provider
) -> None:
    url = reverse("candidates:candidate-detail", kwargs={"public_id": candidate.public_id})
    JobApplicationFactory.create(candidate=candidate)
    PublishedVacancyFactory.create(provider=provider_a)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for _ in range(8):
        JobApplicationFactory.create(candidate=candidate, status=Status.SHORTLISTED)
        PublishedVacancyFactory.create(provider=provider_a)
    with CaptureQueriesContext(connection) as many:
        page = html(staff_client.get(url))
    assert len(few) == len(many)
    assert page.count("Shortlisted") >= 8


def test_provider_gets_the_attached_cv_link_only_when_attached(provider_client: Client, provider_a: Provider) -> None:
    with_cv = JobApplicationFactory.create(vacancy__provider=provider_a, cv_attached=True)
    without = JobApplicationFactory.create(vacancy__provider=provider_a)
    page = html(
        provider_client.get(reverse("placements:provider-application-detail", kwargs={"public_id": with_cv.public_id}))
    )
    assert reverse("placements:application-cv-pdf", kwargs={"public_id": with_cv.public_id}) in page
    page = html(
        provider_client.get(reverse("placements:provider-application-detail", kwargs={"public_id": without.public_id}))
    )
    assert "cv.pdf" not in page


def test_an_offered_application_links_the_reply(learner_client: Client, candidate: Candidate) -> None:
    application = JobApplicationFactory.create(candidate=candidate, status=Status.OFFERED, offered_at=timezone.now())
    url = reverse("placements:my-job-application-detail", kwargs={"public_id": application.public_id})
    page = html(learner_client.get(url))
    assert reverse("placements:offer-respond", kwargs={"public_id": application.public_id}) in page
    assert "Withdraw this application" in page
