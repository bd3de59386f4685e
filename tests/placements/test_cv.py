"""The learner's CV: prefill, saving work history with checked dates, training from the courses area,
comments, the PDF, and a provider's download through an application (audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry
from courses.models import Enrolment
from placements.cv_pdf import cv_pdf_render
from placements.models import Cv, CvComment
from placements.selectors.cv import cv_page
from placements.services import cv as services
from tests.courses.factories import EnrolmentFactory
from tests.courses.factories_outcomes import CertificateFactory
from tests.factories import CandidateFactory
from tests.placements.factories_work import (
    CvCommentFactory,
    CvFactory,
    JobApplicationFactory,
    VacancyFactory,
    past_cohort,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 3, 15)


def _job(**overrides: str) -> dict[str, str]:
    return {"employer": "Asda", "role": "Checkout", "from": "2020-01", "to": "2022-06", "summary": "", **overrides}


def test_prefill_uses_the_profile_and_leaves_the_statement_blank():
    candidate = CandidateFactory.create(driving_licence=True, has_car=True, interests=["home_care", "nursing"])
    cv = services.cv_for_candidate(candidate)
    assert cv.pk is None and cv.personal_statement == ""
    assert cv.skills == "Full driving licence, with use of a car"
    assert cv.interests == "Interested in working in: home care, nursing homes."


def test_save_sorts_work_history_newest_first_and_audits(learner, candidate):
    cv = services.cv_save(
        candidate=candidate,
        actor=learner,
        personal_statement="  I want to care.  ",
        work_history=[_job(), _job(employer="Food bank", role="Volunteer", **{"from": "2023-02", "to": ""})],
        skills="Listening",
        interests="",
        today=TODAY,
    )
    assert cv.personal_statement == "I want to care."
    assert [job["employer"] for job in cv.work_history] == ["Food bank", "Asda"]
    assert AuditEntry.objects.filter(action="cv.create", actor=learner).exists()
    services.cv_save(
        candidate=candidate, actor=learner, personal_statement="", work_history=[], skills="", interests="", today=TODAY
    )
    assert Cv.objects.get().work_history == []
    assert AuditEntry.objects.filter(action="cv.update").exists()


@pytest.mark.parametrize(
    ("job", "message"),
    [
        (_job(**{"from": "2022-01", "to": "2021-12"}), "the end must be after the start"),
        (_job(**{"from": "2027-04", "to": ""}), "the start cannot be in the future"),
        (_job(**{"to": "2027-05"}), "the end cannot be in the future"),
        (_job(employer=""), "enter the employer"),
    ],
)
def test_save_refuses_bad_entries_and_saves_nothing(learner, candidate, job, message):
    with pytest.raises(ValidationError, match=message):
        services.cv_save(
            candidate=candidate,
            actor=learner,
            personal_statement="",
            work_history=[job],
            skills="",
            interests="",
            today=TODAY,
        )
    assert not Cv.objects.exists()


def test_training_comes_from_completed_courses_certificates_and_standards(candidate):
    done = EnrolmentFactory.create(
        candidate=candidate,
        cohort=past_cohort(days_ago=60),
        status=Enrolment.Status.COMPLETED,
        care_certificate_standards=15,
    )
    CertificateFactory.create(enrolment=done, title="Moving and handling")
    EnrolmentFactory.create(candidate=candidate, cohort=past_cohort(days_ago=20), status=Enrolment.Status.WITHDRAWN)
    page = cv_page(candidate)
    assert page.completed == [done]
    assert [c.title for c in page.completed[0].certificates.all()] == ["Moving and handling"]
    assert page.standards_met == 15


def test_comments_are_added_by_staff_and_resolved_once_by_the_learner(staff, learner, candidate):
    with pytest.raises(ValidationError, match="has not saved a CV yet"):
        services.cv_comment_add(candidate=candidate, actor=staff, body="Add dates")
    CvFactory.create(candidate=candidate)
    comment = services.cv_comment_add(candidate=candidate, actor=staff, body="Add dates")
    services.cv_comment_resolve(comment=comment, actor=learner)
    assert comment.resolved_at is not None
    with pytest.raises(ValidationError, match="already marked"):
        services.cv_comment_resolve(comment=comment, actor=learner)


def test_the_pdf_renders(candidate):
    CvFactory.create(candidate=candidate)
    pdf = cv_pdf_render(cv_page(candidate))
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000


def test_the_learner_downloads_their_own_pdf(client_for, candidate):
    CvFactory.create(candidate=candidate)
    response = client_for("learner").get(reverse("placements:cv-pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="cv-lena-learner.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_the_learner_edits_work_history_rows(client_for, candidate):
    client = client_for("learner")
    url = reverse("placements:cv-edit")
    base = {"personal_statement": "Hello", "skills": "", "interests": "", "jobs-INITIAL_FORMS": "0"}
    row = {"jobs-0-employer": "Asda", "jobs-0-role": "Checkout", "jobs-0-start": "01/2020", "jobs-0-end": "March 2021"}
    # Adding a row keeps what was typed and saves nothing.
    html = client.post(url, {**base, "jobs-TOTAL_FORMS": "1", **row, "add_job": "1"}).content.decode()
    assert 'name="jobs-1-employer"' in html and 'value="Asda"' in html
    assert not Cv.objects.exists()
    # A bad date re-shows the form with the error and the typed values.
    bad = {**row, "jobs-0-end": "sometime"}
    html = client.post(url, {**base, "jobs-TOTAL_FORMS": "1", **bad}).content.decode()
    assert "Enter the end as a month and year, like 03/2024" in html and 'value="Asda"' in html
    assert not Cv.objects.exists()
    # Saved, with the dates kept as months.
    assert client.post(url, {**base, "jobs-TOTAL_FORMS": "1", **row}).status_code == 302
    assert Cv.objects.get().work_history == [
        {"employer": "Asda", "role": "Checkout", "from": "2020-01", "to": "2021-03", "summary": ""}
    ]
    # Removing the row.
    remove = {**base, "jobs-TOTAL_FORMS": "1", "jobs-INITIAL_FORMS": "1", **row, "jobs-0-DELETE": "on"}
    assert client.post(url, remove).status_code == 302
    assert Cv.objects.get().work_history == []


def test_the_learner_sees_staff_comments_and_marks_one_dealt_with(client_for, candidate):
    comment = CvCommentFactory.create(cv=CvFactory.create(candidate=candidate), body="Say why you want to care.")
    client = client_for("learner")
    assert "Say why you want to care." in client.get(reverse("placements:cv-detail")).content.decode()
    url = reverse("placements:cv-comment-resolve", kwargs={"public_id": comment.public_id})
    assert client.post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_at is not None
    html = client.post(url, follow=True).content.decode()
    assert "already marked this comment" in html


def test_staff_comment_on_a_cv(client_for, candidate):
    CvFactory.create(candidate=candidate)
    url = reverse("placements:cv-comment-create", kwargs={"public_id": candidate.public_id})
    client = client_for("staff")
    assert "Enter your comment" in client.post(url, {"body": ""}).content.decode()
    assert client.post(url, {"body": "Good start"}).status_code == 302
    assert CvComment.objects.get().body == "Good start"


def test_provider_downloads_an_attached_cv_and_the_view_is_audited(client_for, provider_user, provider_a, walk_in):
    CvFactory.create(candidate=walk_in)
    application = JobApplicationFactory.create(vacancy=VacancyFactory.create(provider=provider_a), candidate=walk_in)
    url = reverse("placements:application-cv-pdf", kwargs={"public_id": application.public_id})
    response = client_for("provider_user").get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    entry = AuditEntry.objects.get(action="cv.provider_download")
    assert entry.actor == provider_user and entry.data == {"application": str(application.public_id)}


def test_no_cv_attached_or_not_shared_is_a_404(client_for, provider_user, provider_a, walk_in):
    vacancy = VacancyFactory.create(provider=provider_a)
    not_attached = JobApplicationFactory.create(vacancy=vacancy, candidate=walk_in, cv_attached=False)
    awaiting = JobApplicationFactory.create(
        vacancy=VacancyFactory.create(provider=provider_a),
        candidate=walk_in,
        status="awaiting_consent",
        consented_at=None,
    )
    client = client_for("provider_user")
    for application in (not_attached, awaiting):
        url = reverse("placements:application-cv-pdf", kwargs={"public_id": application.public_id})
        assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="cv.provider_download").exists()


def test_the_cv_page_runs_a_fixed_number_of_queries(candidate, django_assert_num_queries):
    cv = CvFactory.create(candidate=candidate)
    for days in (60, 90):
        enrolment = EnrolmentFactory.create(
            candidate=candidate, cohort=past_cohort(days_ago=days), status=Enrolment.Status.COMPLETED
        )
        CertificateFactory.create(enrolment=enrolment)
    CvCommentFactory.create_batch(3, cv=cv)
    with django_assert_num_queries(5):
        page = cv_page(candidate)
        [list(e.certificates.all()) for e in page.completed]
    assert timezone.localdate() > page.completed[0].cohort.end_date


def test_months_show_in_words_on_the_cv_and_as_typed_in_the_form(client_for, candidate):
    CvFactory.create(candidate=candidate, work_history=[_job(**{"from": "2020-01", "to": ""})])
    client = client_for("learner")
    assert "January 2020 to now" in client.get(reverse("placements:cv-detail")).content.decode()
    assert 'value="01/2020"' in client.get(reverse("placements:cv-edit")).content.decode()
