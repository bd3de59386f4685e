"""The HTTP side of interviews, offers, folders, the checklist and starts: forms, 404s, audit, query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry, User
from candidates.models import Candidate, DbsCheck
from placements.models import FolderRelease, Interview, JobApplication, JobStart
from placements.selectors.starts import starts_actions
from providers.models import Provider
from tests.candidates.factories_dbs_records import at_status, consent_to_sharing, shared
from tests.factories import CandidateFactory
from tests.placements.factories_starts import InterviewFactory, application_for, offered

Status = JobApplication.Status
pytestmark = pytest.mark.django_db


def _date_post(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_arranging_an_interview_in_the_past_re_shows_the_form(
    client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate
) -> None:
    application = application_for(provider_a, walk_in)
    url = reverse("placements:interview-create", kwargs={"public_id": application.public_id})
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = {**_date_post("date", yesterday), "time": "10am", "duration_minutes": "45", "location": "Oak House"}
    response = client_for("provider_user").post(url, data)
    assert response.status_code == 200
    assert "The interview must be in the future" in response.content.decode()
    assert 'value="Oak House"' in response.content.decode()  # nothing typed is lost
    assert not Interview.objects.exists()
    data.update(_date_post("date", timezone.localdate() + dt.timedelta(days=2)))
    response = client_for("provider_user").post(url, data)
    interview = Interview.objects.get()
    assert response["Location"] == reverse("placements:interview-detail", kwargs={"public_id": interview.public_id})


def test_the_interview_page_offers_the_calendar_file(
    client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate
) -> None:
    interview = InterviewFactory.create(application=application_for(provider_a, walk_in, status=Status.INTERVIEW))
    client = client_for("provider_user")
    page = client.get(reverse("placements:interview-detail", kwargs={"public_id": interview.public_id}))
    ics_url = reverse("placements:interview-ics", kwargs={"public_id": interview.public_id})
    assert ics_url in page.content.decode()
    response = client.get(ics_url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"UID:interview-{interview.public_id}@" in response.content.decode()


def test_cancelling_asks_first(client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate) -> None:
    interview = InterviewFactory.create(application=application_for(provider_a, walk_in, status=Status.INTERVIEW))
    url = reverse("placements:interview-cancel", kwargs={"public_id": interview.public_id})
    client = client_for("provider_user")
    assert "Are you sure" in client.get(url).content.decode()
    interview.refresh_from_db()
    assert interview.outcome == Interview.Outcome.PENDING
    client.post(url, {"reason": ""})
    interview.refresh_from_db()
    assert interview.outcome == Interview.Outcome.CANCELLED


def test_the_learner_accepts_the_offer(
    client_for: Callable[[str], Client], candidate: Candidate, provider_a: Provider
) -> None:
    application = offered(provider_a, candidate)
    url = reverse("placements:offer-respond", kwargs={"public_id": application.public_id})
    client = client_for("learner")
    assert "Select whether you accept" in client.post(url, {}).content.decode()
    client.post(url, {"response": "accept"})
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


# --- the folder: 404 without consent and release, every view audited -----------------------------


def _folder_url(application: JobApplication) -> str:
    return reverse("placements:folder-detail", kwargs={"public_id": application.public_id})


def test_a_provider_cannot_open_a_folder_without_consent_or_release(
    client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate
) -> None:
    client = client_for("provider_user")
    no_consent = offered(provider_a, walk_in, folder_release_consented=False)
    FolderRelease.objects.create(
        application=no_consent, released_at=timezone.now()
    )  # e.g. before consent was withdrawn
    not_released = offered(provider_a, walk_in, folder_release_consented=True)
    assert client.get(_folder_url(no_consent)).status_code == 404
    assert client.get(_folder_url(not_released)).status_code == 404
    assert not AuditEntry.objects.filter(action="folder.view").exists()


def test_another_provider_gets_404_and_staff_see_it(
    client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate
) -> None:
    application = offered(provider_a, walk_in, folder_release_consented=True)
    FolderRelease.objects.create(application=application, released_at=timezone.now())
    assert client_for("other_provider_user").get(_folder_url(application)).status_code == 404
    assert client_for("staff").get(_folder_url(application)).status_code == 200


def test_each_view_of_a_released_folder_is_audited_with_the_shared_dbs(
    client_for: Callable[[str], Client], provider_a: Provider, provider_user: User, walk_in: Candidate, staff: User
) -> None:
    consent_to_sharing(walk_in)
    check = shared(at_status(DbsCheck.Status.CLEARED, candidate=walk_in, staff=staff), provider_a).dbs_check
    application = offered(provider_a, walk_in, folder_release_consented=True)
    FolderRelease.objects.create(application=application, released_at=timezone.now())
    client = client_for("provider_user")
    for _ in range(2):
        page = client.get(_folder_url(application)).content.decode()
    assert "DBS cleared" in page
    views = AuditEntry.objects.filter(action="folder.view", actor=provider_user, object_id=str(application.pk))
    assert views.count() == 2
    dbs_views = AuditEntry.objects.filter(action="dbs.view_shared", actor=provider_user)
    assert dbs_views.count() == 2 and dbs_views.first().data["checks"] == [str(check.public_id)]  # type: ignore[union-attr]


def test_a_provider_never_sees_an_unshared_dbs_outcome(
    client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate, staff: User
) -> None:
    at_status(DbsCheck.Status.CLEARED, candidate=walk_in, staff=staff)  # clear, but not shared (no consent)
    application = offered(provider_a, walk_in, folder_release_consented=True)
    FolderRelease.objects.create(application=application, released_at=timezone.now())
    page = client_for("provider_user").get(_folder_url(application)).content.decode()
    assert "DBS cleared" not in page and "No DBS outcome has been shared with you" in page


# --- the checklist and the start ------------------------------------------------------------------


def test_the_checklist_page_marks_training_and_the_start_is_confirmed(
    client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate
) -> None:
    application = offered(provider_a, walk_in, status=Status.ACCEPTED)
    client = client_for("provider_user")
    page = client.get(reverse("placements:checklist", kwargs={"public_id": application.public_id})).content.decode()
    assert "0 of 5 items met" in page
    client.post(reverse("placements:checklist-training", kwargs={"public_id": application.public_id}), {"met": "1"})
    page = client.get(reverse("placements:checklist", kwargs={"public_id": application.public_id})).content.decode()
    assert "1 of 5 items met" in page
    start = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        reverse("placements:job-start-confirm", kwargs={"public_id": application.public_id}),
        {
            "job_role": "care_worker",
            "hours_per_week": "37.5",
            "contract_type": "permanent",
            **_date_post("start_date", start),
        },
    )
    assert response.status_code == 302
    job_start = JobStart.objects.get()
    assert (job_start.hours_per_week, job_start.start_date) == (Decimal("37.5"), start)


def test_hours_above_the_weekly_maximum_are_refused(
    client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate
) -> None:
    application = offered(provider_a, walk_in, status=Status.ACCEPTED)
    response = client_for("provider_user").post(
        reverse("placements:job-start-confirm", kwargs={"public_id": application.public_id}),
        {
            "job_role": "care_worker",
            "hours_per_week": "70",
            "contract_type": "permanent",
            **_date_post("start_date", timezone.localdate()),
        },
    )
    assert "Hours per week must be 60 or less" in response.content.decode()
    assert not JobStart.objects.exists()


# --- lists: a fixed number of queries ------------------------------------------------------------


def _add_interviews(provider: Provider, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        application = application_for(provider, status=Status.INTERVIEW)
        InterviewFactory.create(application=application, starts_at=now + dt.timedelta(days=1 + i % 20, minutes=i))
        InterviewFactory.create(
            application=application_for(provider, status=Status.INTERVIEW), starts_at=now - dt.timedelta(hours=i + 1)
        )


def _add_starts(provider: Provider, n: int) -> None:
    for _ in range(n):
        JobStart.objects.create(
            candidate=CandidateFactory.create(),
            provider=provider,
            employer_name=provider.name,
            job_role="care_worker",
            hours_per_week=Decimal("30"),
            contract_type="permanent",
            start_date=timezone.localdate(),
            confirmed_at=timezone.now(),
        )


# Session, user, MFA and the page's own: three interview lists (this week, later with its count, awaiting outcome).
@pytest.mark.parametrize(
    ("url_name", "persona", "add_rows", "expected"),
    [
        ("placements:interview-list", "provider_user", _add_interviews, 7),
        ("placements:interview-list", "staff", _add_interviews, 7),
        ("placements:job-start-list", "provider_user", _add_starts, 5),
        # Staff also get the provider filter's choices (and the session's idle expiry).
        ("placements:job-start-list", "staff", _add_starts, 7),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    url_name: str,
    persona: str,
    add_rows: Callable[[Provider, int], None],
    expected: int,
    provider_a: Provider,
    client_for: Callable[[str], Client],
    django_assert_num_queries,
) -> None:
    client = client_for(persona)
    url = reverse(url_name)
    client.get(url)
    add_rows(provider_a, 2)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    add_rows(provider_a, 25)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_staff_see_the_folder_on_the_record_and_opening_it_is_audited(
    client_for: Callable[[str], Client], staff: User, walk_in: Candidate
) -> None:
    client = client_for("staff")
    record = client.get(walk_in.get_absolute_url()).content.decode()
    folder_url = reverse("placements:folder-edit", kwargs={"public_id": walk_in.public_id})
    assert folder_url in record and "Personnel folder and job starts" in record
    assert client.get(folder_url).status_code == 200
    entry = AuditEntry.objects.get(action="folder.view", actor=staff)
    assert entry.data["candidate"] == str(walk_in.public_id)
    response = client.post(
        reverse("placements:reference-create", kwargs={"public_id": walk_in.public_id}),
        {"referee_name": "Rita Referee", "relationship": "Last employer", "status": "requested"},
    )
    assert response["Location"] == folder_url
    assert "Rita Referee" in client.get(folder_url).content.decode()


def test_the_application_page_links_follow_the_status_and_the_viewer(
    provider_user: User, learner: User, candidate: Candidate, provider_a: Provider, walk_in: Candidate
) -> None:
    shortlisted = application_for(provider_a, walk_in)
    actions = starts_actions(application=shortlisted, viewer=provider_user)
    assert (actions.can_schedule, actions.can_offer, actions.has_checklist, actions.can_open_folder) == (
        True,
        True,
        False,
        False,
    )
    accepted = offered(provider_a, walk_in, status=Status.ACCEPTED, folder_release_consented=True)
    FolderRelease.objects.create(application=accepted, released_at=timezone.now())
    actions = starts_actions(application=accepted, viewer=provider_user)
    assert (actions.can_schedule, actions.can_confirm_start, actions.can_open_folder) == (False, True, True)
    own = offered(provider_a, candidate)
    learner_actions = starts_actions(application=own, viewer=learner)
    assert learner_actions.can_respond and not learner_actions.can_offer and not learner_actions.has_checklist
    html = render_to_string("placements/_starts_actions.html", {"starts_actions": actions})
    assert reverse("placements:job-start-confirm", kwargs={"public_id": accepted.public_id}) in html


def test_the_provider_and_staff_application_pages_show_these_links(
    client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate
) -> None:
    """Found by the provider journey (tests/e2e): the pages never included them, so no link led to an interview."""
    shortlisted = application_for(provider_a, walk_in)
    arrange = reverse("placements:interview-create", kwargs={"public_id": shortlisted.public_id})
    for persona, page in (
        ("provider_user", "placements:provider-application-detail"),
        ("staff", "placements:job-application-detail"),
    ):
        html = client_for(persona).get(reverse(page, kwargs={"public_id": shortlisted.public_id})).content.decode()
        assert f'href="{arrange}"' in html, persona


def test_the_staff_job_start_list_filters_and_says_what_is_wrong(
    client_for: Callable[[str], Client], provider_a: Provider, provider_b: Provider
) -> None:
    _add_starts(provider_a, 2)
    _add_starts(provider_b, 1)
    client = client_for("staff")
    url = reverse("placements:job-start-list")
    page = client.get(url, {"provider": str(provider_b.public_id)}).content.decode()
    assert "1 start." in page
    page = client.get(url, {"month": "2027-13"}).content.decode()
    assert "Enter the month like 2027-03" in page
    month = timezone.localdate().strftime("%Y-%m")
    assert "3 starts." in client.get(url, {"month": month}).content.decode()
    assert "No starts match these filters." in client.get(url, {"q": "Nobody"}).content.decode()


def test_the_record_section_reads_a_fixed_number_of_queries(
    client_for: Callable[[str], Client], staff: User, walk_in: Candidate, provider_a: Provider
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from placements.services.folders import reference_add

    client = client_for("staff")
    url = walk_in.get_absolute_url()
    client.get(url)

    def add(n: int) -> None:
        for i in range(n):
            reference_add(candidate=walk_in, actor=staff, referee_name=f"Referee {i}", relationship="Tutor")
            JobStart.objects.create(
                candidate=walk_in,
                employer_name="Elsewhere Ltd",
                job_role="care_worker",
                hours_per_week=Decimal("16"),
                contract_type="bank",
                start_date=timezone.localdate(),
                confirmed_at=timezone.now(),
                confirmed_by=staff,
            )

    add(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(5)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "0 satisfactory of 6" in page and page.count("Elsewhere Ltd") >= 6


def test_the_learner_sees_their_own_interview_and_its_calendar_but_cannot_change_it(
    client_for: Callable[[str], Client], candidate: Candidate, provider_a: Provider
) -> None:
    interview = InterviewFactory.create(application=application_for(provider_a, candidate, status=Status.INTERVIEW))
    client = client_for("learner")
    page = client.get(
        reverse("placements:interview-detail", kwargs={"public_id": interview.public_id})
    ).content.decode()
    assert "Add to your calendar" in page
    assert reverse("placements:interview-cancel", kwargs={"public_id": interview.public_id}) not in page
    assert client.get(reverse("placements:interview-ics", kwargs={"public_id": interview.public_id})).status_code == 200
    assert (
        client.get(reverse("placements:interview-cancel", kwargs={"public_id": interview.public_id})).status_code == 403
    )
    assert (
        client_for("other_learner")
        .get(reverse("placements:interview-detail", kwargs={"public_id": interview.public_id}))
        .status_code
        == 404
    )


def test_staff_opening_a_folder_with_a_dbs_outcome_is_logged_as_a_dbs_view(
    client_for: Callable[[str], Client], provider_a: Provider, walk_in: Candidate, staff: User
) -> None:
    check = at_status(DbsCheck.Status.CLEARED, candidate=walk_in, staff=staff)
    application = offered(provider_a, walk_in)
    assert "DBS cleared" in client_for("staff").get(_folder_url(application)).content.decode()
    assert AuditEntry.objects.filter(action="dbs.view", actor=staff, object_id=str(check.pk)).count() == 1
