"""Work placement and readiness feedback pages: the HTTP contract, forms that keep what was typed,
the cohort page's placement column, and list query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry
from courses.models import Enrolment
from placements.models import ReadinessFeedback, WorkPlacement
from tests.courses.factories import EnrolmentFactory
from tests.placements.factories_work import ReadinessFeedbackFactory, WorkPlacementFactory, past_cohort

Status = WorkPlacement.Status
pytestmark = pytest.mark.django_db


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_staff_arrange_a_placement_from_the_cohort(client_for, staff, provider_a):
    cohort = past_cohort(days_ago=5)
    enrolment = EnrolmentFactory.create(cohort=cohort)
    url = reverse("placements:work-placement-create", kwargs={"public_id": cohort.public_id})
    data = {
        "candidate": enrolment.candidate.pk,
        "provider": provider_a.pk,
        **_date("start_date", cohort.end_date - dt.timedelta(days=3)),
        **_date("end_date", cohort.end_date),
        "planned_hours": "28",
        "supervisor_name": "Sam Supervisor",
    }
    response = client_for("staff").post(url, data)
    placement = WorkPlacement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "placements:work-placement-detail", kwargs={"public_id": placement.public_id}
    )
    assert placement.provider == provider_a and placement.planned_hours == Decimal("28")


def test_a_withdrawn_learner_is_refused_with_the_form_kept(client_for, staff, provider_a):
    cohort = past_cohort(days_ago=5)
    enrolment = EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    url = reverse("placements:work-placement-create", kwargs={"public_id": cohort.public_id})
    data = {
        "candidate": enrolment.candidate.pk,
        "provider": provider_a.pk,
        **_date("start_date", cohort.end_date),
        **_date("end_date", cohort.end_date),
        "planned_hours": "7.5",
        "supervisor_name": "Sam Supervisor",
    }
    response = client_for("staff").post(url, data)
    assert response.status_code == 200
    assert "only learners on the course or who completed it can be placed" in response.content.decode()
    assert 'value="7.5"' in response.content.decode()
    assert not WorkPlacement.objects.exists()


def test_provider_records_hours_and_too_many_are_refused_on_the_form(client_for, provider_user, provider_a):
    placement = WorkPlacementFactory.create(provider=provider_a, status=Status.IN_PROGRESS)
    url = reverse("placements:work-placement-hours", kwargs={"public_id": placement.public_id})
    client = client_for("provider_user")
    response = client.post(url, {"worked_hours": "99"})
    assert response.status_code == 200
    assert "Hours worked must be 35.0 or fewer" in response.content.decode()
    response = client.post(url, {"worked_hours": "-2"})
    assert "cannot be below 0" in response.content.decode()
    response = client.post(url, {"worked_hours": "26.5"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.worked_hours == Decimal("26.5")


def test_provider_signs_off_a_completed_placement(client_for, provider_user, provider_a):
    placement = WorkPlacementFactory.create(provider=provider_a, status=Status.COMPLETED, worked_hours=Decimal("28"))
    url = reverse("placements:work-placement-sign-off", kwargs={"public_id": placement.public_id})
    client = client_for("provider_user")
    assert "Enter a short review" in client.post(url, {"review": ""}).content.decode()
    assert client.post(url, {"review": "Warm with residents."}).status_code == 302
    placement.refresh_from_db()
    assert placement.status == Status.SIGNED_OFF and placement.review == "Warm with residents."


def test_a_move_refused_by_the_service_comes_back_as_a_message(client_for, staff):
    placement = WorkPlacementFactory.create(status=Status.IN_PROGRESS)
    url = reverse("placements:work-placement-complete", kwargs={"public_id": placement.public_id})
    response = client_for("staff").post(url, follow=True)
    assert "Record the hours worked before marking the placement completed" in response.content.decode()
    placement.refresh_from_db()
    assert placement.status == Status.IN_PROGRESS


def test_the_cohort_page_shows_each_learners_placement(client_for, staff):
    cohort = past_cohort(days_ago=20)
    placed = WorkPlacementFactory.create(cohort=cohort, status=Status.SIGNED_OFF)
    EnrolmentFactory.create(cohort=cohort)
    response = client_for("staff").get(cohort.get_absolute_url())
    html = response.content.decode()
    assert "Work placement</th>" in html
    assert reverse("placements:work-placement-detail", kwargs={"public_id": placed.public_id}) in html
    assert 'govuk-tag--green">Signed off' in html
    assert reverse("placements:cohort-placements", kwargs={"public_id": cohort.public_id}) in html


def test_the_placement_list_searches_and_filters(client_for, staff):
    WorkPlacementFactory.create(candidate__first_name="Amira", candidate__last_name="Khan", status=Status.PLANNED)
    WorkPlacementFactory.create(candidate__first_name="Ben", candidate__last_name="Jones", status=Status.SIGNED_OFF)
    client = client_for("staff")
    html = client.get(reverse("placements:work-placement-list"), {"q": "khan"}).content.decode()
    assert "Amira Khan" in html and "Ben Jones" not in html
    html = client.get(reverse("placements:work-placement-list"), {"status": "signed_off"}).content.decode()
    assert "Ben Jones" in html and "Amira Khan" not in html


def test_a_provider_lists_only_its_own_placements(client_for, provider_user, provider_a, provider_b):
    WorkPlacementFactory.create(provider=provider_a, candidate__first_name="Own", candidate__last_name="Learner")
    WorkPlacementFactory.create(provider=provider_b, candidate__first_name="Theirs", candidate__last_name="Learner")
    html = client_for("provider_user").get(reverse("placements:work-placement-list")).content.decode()
    assert "Own Learner" in html and "Theirs Learner" not in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The page's queries: session and user, the count, the rows with their joins, and the header's links.
@pytest.mark.parametrize(("persona", "expected"), [("staff", 5), ("provider_user", 5)])
def test_the_placement_list_query_count_does_not_grow(client_for, persona, expected, provider_a):
    client = client_for(persona)
    url = reverse("placements:work-placement-list")
    WorkPlacementFactory.create(provider=provider_a)
    client.get(url)  # the first request of a staff session writes its idle expiry once
    assert _queries(client, url) == expected
    for _ in range(6):
        WorkPlacementFactory.create(provider=provider_a)
    assert _queries(client, url) == expected


def test_the_feedback_due_list_query_count_does_not_grow(client_for, provider_user, provider_a):
    client = client_for("provider_user")
    url = reverse("placements:feedback-due-list")
    ReadinessFeedbackFactory.create(placement__provider=provider_a)
    client.get(url)
    few = _queries(client, url)
    for _ in range(5):
        ReadinessFeedbackFactory.create(placement__provider=provider_a)
    assert _queries(client, url) == few == 5
    assert "6 to answer" in client.get(url).content.decode()


def test_provider_answers_feedback_once_and_a_second_answer_is_refused(client_for, provider_user, provider_a):
    feedback = ReadinessFeedbackFactory.create(placement__provider=provider_a)
    url = reverse("placements:feedback-answer", kwargs={"public_id": feedback.public_id})
    client = client_for("provider_user")
    assert "Choose a rating from 1 to 5" in client.post(url, {"comment": "kept"}).content.decode()
    response = client.post(url, {"rating": "4", "comment": "Ready with support"})
    assert response.status_code == 302
    response = client.post(url, {"rating": "1", "comment": "changed my mind"}, follow=True)
    html = response.content.decode()
    assert "already given" in html and "An answer cannot be changed" in html
    feedback.refresh_from_db()
    assert (feedback.rating, feedback.comment) == (4, "Ready with support")
    assert AuditEntry.objects.filter(action="readiness_feedback.answer").count() == 1


def test_readiness_results_page_states_denominators(client_for, manager):
    cohort = past_cohort(days_ago=40)
    for rating in (5, 4, 4):
        fb = ReadinessFeedbackFactory.create(placement__cohort=cohort)
        ReadinessFeedback.objects.filter(pk=fb.pk).update(
            rating=rating, answered_at=timezone.now(), comment=f"Comment rated {rating}"
        )
    ReadinessFeedbackFactory.create(placement__cohort=cohort)
    html = client_for("manager").get(reverse("placements:readiness-results")).content.decode()
    assert "3 of 4 (75%)" in html
    assert "4.3 out of 5" in html
    assert cohort.course.title in html
    assert "Comment rated 5" in html


def test_the_learner_sees_their_placement_and_review_on_their_courses_page(client_for, candidate):
    placement = WorkPlacementFactory.create(candidate=candidate, status=Status.SIGNED_OFF, review="Kind to everyone.")
    WorkPlacementFactory.create(candidate__first_name="Someone", candidate__last_name="Else")
    html = client_for("learner").get(reverse("courses:my-enrolments")).content.decode()
    assert "Your work placements" in html and "Kind to everyone." in html and placement.provider.name in html
    assert "Someone Else" not in html
    assert (
        client_for("learner")
        .get(reverse("placements:work-placement-detail", kwargs={"public_id": placement.public_id}))
        .status_code
        == 200
    )


def test_staff_change_a_placement_and_errors_keep_the_form(client_for, staff):
    placement = WorkPlacementFactory.create()
    url = reverse("placements:work-placement-update", kwargs={"public_id": placement.public_id})
    client = client_for("staff")
    assert 'value="Sam Supervisor"' in client.get(url).content.decode()
    data = {
        "provider": placement.provider.pk,
        **_date("start_date", placement.start_date),
        **_date("end_date", placement.end_date),
        "planned_hours": "61",
        "supervisor_name": "Pat Newman",
    }
    html = client.post(url, data).content.decode()
    assert "at most 60 hours a week" in html and 'value="Pat Newman"' in html
    assert client.post(url, {**data, "planned_hours": "30"}).status_code == 302
    placement.refresh_from_db()
    assert (placement.planned_hours, placement.supervisor_name) == (Decimal("30"), "Pat Newman")
