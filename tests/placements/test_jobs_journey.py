"""The jobs journey of issue 12, through the pages as people use them, one step after another:

a provider user posts a vacancy, staff approve it, it is on the board near a learner's postcode, the
learner applies (sharing their folder on an offer), the provider shortlists, arranges an interview
(the .ics opens in a calendar), offers, the folder is released, the checklist shows what is pending,
the start is confirmed and the person is in work. Provider B sees none of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry
from candidates.models import Candidate, Milestone
from placements.models import FolderRelease, Interview, JobApplication, JobStart, Vacancy
from tests.placements.factories_vacancies import postcode_centroids  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postcode_centroids")]


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _ok(response, status: int = 302) -> None:
    assert response.status_code == status, response.content.decode()[:3000]


def test_from_posting_to_job_start(client_for: Callable[[str], Client], candidate: Candidate) -> None:
    provider, other_provider, staff, learner = (
        client_for("provider_user"),
        client_for("other_provider_user"),
        client_for("staff"),
        client_for("learner"),
    )
    today = timezone.localdate()

    # A provider user posts a vacancy and sends it for approval.
    posting = {
        "kind": "job",
        "title": "Home care worker, days",
        "job_role": "care_worker",
        "description": "Supporting people in their own homes.",
        "hours_per_week": "30",
        "contract_type": "permanent",
        "pay_amount": "12.60",
        "pay_period": "hour",
        "place": "Harehills, Leeds",
        "postcode": "LS9 8AB",
        "places": "1",
        **_date("closing_date", today + dt.timedelta(days=14)),
        "start_date_0": "",
        "start_date_1": "",
        "start_date_2": "",
        "ring_fenced_cohort": "",
    }
    _ok(provider.post(reverse("placements:vacancy-create"), posting))
    vacancy = Vacancy.objects.get(title="Home care worker, days")
    _ok(provider.post(reverse("placements:vacancy-submit", kwargs={"public_id": vacancy.public_id})))
    board = reverse("placements:job-board")
    assert "Home care worker, days" not in Client().get(board).content.decode()  # not before approval

    # Staff approve it; it is on the public board, near a learner's postcode, with its distance.
    _ok(staff.post(reverse("placements:vacancy-approve", kwargs={"public_id": vacancy.public_id})))
    nearby = Client().get(board, {"where": "LS9 7AA"}).content.decode()
    assert "Home care worker, days" in nearby and "miles" in nearby

    # The learner applies, agreeing that their folder goes to the provider if they are offered the job.
    apply_url = reverse("placements:job-apply", kwargs={"public_id": vacancy.public_id})
    assert "What Provider A will see" in learner.get(apply_url).content.decode()  # before anything is shared
    _ok(learner.post(apply_url, {"supporting_statement": "I cared for my nan.", "folder_release_consented": "on"}))
    application = JobApplication.objects.get(vacancy=vacancy, candidate=candidate)
    assert application.status == JobApplication.Status.APPLIED and application.consented_at is not None

    # The provider sees the applicant (provider B does not) and shortlists them.
    detail = reverse("placements:provider-application-detail", kwargs={"public_id": application.public_id})
    assert candidate.first_name in provider.get(reverse("placements:provider-application-list")).content.decode()
    assert other_provider.get(detail).status_code == 404
    assert (
        candidate.first_name not in other_provider.get(reverse("placements:provider-application-list")).content.decode()
    )
    _ok(provider.post(reverse("placements:job-application-shortlist", kwargs={"public_id": application.public_id})))

    # They arrange an interview; the calendar file is a real invitation.
    interview_day = today + dt.timedelta(days=3)
    _ok(
        provider.post(
            reverse("placements:interview-create", kwargs={"public_id": application.public_id}),
            {**_date("date", interview_day), "time": "10am", "duration_minutes": "45", "location": "Oak House"},
        )
    )
    interview = Interview.objects.get(application=application)
    ics = provider.get(reverse("placements:interview-ics", kwargs={"public_id": interview.public_id})).content.decode()
    assert "BEGIN:VCALENDAR" in ics and "METHOD:REQUEST" in ics and "DTSTART" in ics
    assert (
        other_provider.get(
            reverse("placements:interview-detail", kwargs={"public_id": interview.public_id})
        ).status_code
        == 404
    )
    # The day after the interview, its outcome is recorded and the rest follows.
    with time_machine.travel(
        dt.datetime.combine(interview_day + dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC), tick=True
    ):
        _ok(
            provider.post(
                reverse("placements:interview-outcome", kwargs={"public_id": interview.public_id}),
                {"outcome": "successful", "notes": ""},
            )
        )

        # An offer: the folder is released to this provider, and only to it.
        _ok(
            provider.post(
                reverse("placements:offer-create", kwargs={"public_id": application.public_id}),
                _date("start_date", today + dt.timedelta(days=10)),
            )
        )
        assert FolderRelease.objects.filter(application=application).exists()
        folder = reverse("placements:folder-detail", kwargs={"public_id": application.public_id})
        assert provider.get(folder).status_code == 200
        assert AuditEntry.objects.filter(action__startswith="folder.").exists()
        assert other_provider.get(folder).status_code == 404

        # The learner accepts; the checklist shows what is still pending.
        _ok(
            learner.post(
                reverse("placements:offer-respond", kwargs={"public_id": application.public_id}), {"response": "accept"}
            )
        )
        checklist = provider.get(
            reverse("placements:checklist", kwargs={"public_id": application.public_id})
        ).content.decode()
        assert "pending" in checklist.lower()

        # The provider confirms the start: a job start, the vacancy filled, the person in work.
        _ok(
            provider.post(
                reverse("placements:job-start-confirm", kwargs={"public_id": application.public_id}),
                {
                    "job_role": "care_worker",
                    "hours_per_week": "30",
                    "contract_type": "permanent",
                    **_date("start_date", today + dt.timedelta(days=10)),
                },
            )
        )
        start = JobStart.objects.get(application=application)
        assert start.provider == vacancy.provider
        application.refresh_from_db()
        vacancy.refresh_from_db()
        candidate.refresh_from_db()
        assert application.status == JobApplication.Status.STARTED
        assert vacancy.status == Vacancy.Status.FILLED
        assert candidate.stage.milestone == Milestone.IN_WORK
        # Every step has its history row.
        assert [c.to_status for c in application.status_changes.order_by("changed_at", "pk")] == [
            "applied",
            "shortlisted",
            "interview",
            "offered",
            "accepted",
            "started",
        ]
        # Provider B saw none of it.
        assert candidate.first_name not in other_provider.get(reverse("placements:job-start-list")).content.decode()
        assert candidate.first_name not in other_provider.get(reverse("placements:interview-list")).content.decode()
