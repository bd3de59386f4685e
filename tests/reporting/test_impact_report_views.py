"""The impact reports pages: asking for a report, its status polled by htmx, the download and who may have it,
and the narrative, self-assessment and case-study forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy.models import Academy, AcademyMembership, AuditEntry, Region, RegionalViewer, Role, User
from academy.periods import Quarter
from candidates.models import Candidate, ConsentKind
from candidates.selectors.consent import current_consents
from candidates.services.consent import consent_record
from reporting.impact.selectors import case_studies_in_force
from reporting.impact.services import impact_report_build
from reporting.models import AssessmentArea, CaseStudy, ImpactReport, MaturityLevel, ReportNarrative, SelfAssessment
from tests.conftest import _with_totp, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LAST_QUARTER = Quarter.containing(timezone.localdate()).previous()


@pytest.fixture
def academy() -> Academy:
    return Academy.objects.default()


@pytest.fixture
def manager_client(manager: User) -> Client:
    return sign_in(Client(), manager)


def ready_report(academy: Academy, *, version: int = 1, quarter: Quarter = LAST_QUARTER) -> ImpactReport:
    report = ImpactReport(
        academy=academy,
        scope_key=f"academy:{academy.pk}",
        period_start=quarter.start,
        period_end=quarter.end,
        quarter_label=quarter.label,
        filters={"academy_ids": [academy.pk]},
        version=version,
        status=ImpactReport.Status.READY,
        filename=f"report-v{version}.pdf",
        sha256="a" * 64,
        size=9,
        page_count=3,
    )
    report.file.save(f"report-v{version}.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    report.save()
    return report


def test_a_manager_asks_for_last_quarters_report_and_watches_it_finish(
    figures_known, academy: Academy, manager: User, manager_client: Client, django_capture_on_commit_callbacks
) -> None:
    page = manager_client.get(reverse("reporting:impact-report-list"))
    assert page.status_code == 200
    assert f'value="{LAST_QUARTER.start.isoformat()}"' in page.content.decode()
    response = manager_client.post(
        reverse("reporting:impact-report-request"), {"quarter": LAST_QUARTER.start.isoformat(), "stream": ""}
    )
    report = ImpactReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:impact-report-status", kwargs={"public_id": report.public_id})
    assert report.requested_by == manager

    # While it waits, the fragment asks again every 2 seconds; without JavaScript the page offers a refresh link.
    status_url = reverse("reporting:impact-report-status", kwargs={"public_id": report.public_id})
    fragment = manager_client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert "<html" not in fragment
    full_page = manager_client.get(status_url).content.decode()
    assert "Refresh to see if it is ready" in full_page and "<html" in full_page

    impact_report_build(report_id=report.pk, task_id="t1")
    fragment = manager_client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment  # finished: no more polling
    assert reverse("reporting:impact-report-download", kwargs={"public_id": report.public_id}) in fragment

    download = manager_client.get(reverse("reporting:impact-report-download", kwargs={"public_id": report.public_id}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    entry = AuditEntry.objects.get(action="impact_report.download")
    assert entry.actor == manager and entry.data["sha256"] == ImpactReport.objects.get().sha256


def test_asking_without_a_quarter_shows_the_error(academy: Academy, manager_client: Client) -> None:
    response = manager_client.post(reverse("reporting:impact-report-request"), {"quarter": ""})
    assert response.status_code == 400
    assert "Select the quarter to report on" in response.content.decode()
    assert not ImpactReport.objects.exists()


def test_every_version_is_listed_newest_first(academy: Academy, manager_client: Client) -> None:
    old, new = ready_report(academy, version=1), ready_report(academy, version=2)
    ImpactReport.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(days=1))
    page = manager_client.get(reverse("reporting:impact-report-list")).content.decode()
    assert page.index(str(new.public_id)) < page.index(str(old.public_id))


def test_the_list_runs_the_same_number_of_queries_for_2_or_12_reports(academy: Academy, manager_client: Client) -> None:
    for version in (1, 2):
        ready_report(academy, version=version)
    url = reverse("reporting:impact-report-list")
    manager_client.get(url)  # session and access cached
    with CaptureQueriesContext(connection) as two:
        assert manager_client.get(url).status_code == 200
    for version in range(3, 13):
        ready_report(academy, version=version)
    with CaptureQueriesContext(connection) as twelve:
        assert manager_client.get(url).status_code == 200
    assert len(twelve) == len(two) == 7  # session, user, two-factor, academy, count, page, streams


def test_a_report_not_ready_cannot_be_downloaded(academy: Academy, manager_client: Client) -> None:
    report = ready_report(academy)
    ImpactReport.objects.filter(pk=report.pk).update(status=ImpactReport.Status.RUNNING)
    url = reverse("reporting:impact-report-download", kwargs={"public_id": report.public_id})
    assert manager_client.get(url).status_code == 404


def test_downloads_are_for_the_academys_managers_and_its_regions_viewers() -> None:
    north = Region.objects.create(name="North")
    ours = Academy.objects.default()
    ours.region = north
    ours.save()
    theirs = Academy.objects.create(name="Other Academy", slug="other")
    our_manager = _with_totp(UserFactory.create(role=Role.MANAGER))
    AcademyMembership.objects.create(user=our_manager, academy=ours)
    their_manager = _with_totp(UserFactory.create(role=Role.MANAGER))
    AcademyMembership.objects.create(user=their_manager, academy=theirs)
    regional = _with_totp(UserFactory.create(role=Role.STAFF))
    AcademyMembership.objects.create(user=regional, academy=theirs)
    RegionalViewer.objects.create(user=regional, region=north)
    our_staff = _with_totp(UserFactory.create(role=Role.STAFF))
    AcademyMembership.objects.create(user=our_staff, academy=ours)

    url = reverse("reporting:impact-report-download", kwargs={"public_id": ready_report(ours).public_id})
    assert sign_in(Client(), our_manager).get(url).status_code == 200
    assert sign_in(Client(), regional).get(url).status_code == 200  # views the region, read-only
    assert sign_in(Client(), their_manager).get(url).status_code == 404  # another academy's report
    assert sign_in(Client(), our_staff).get(url).status_code == 403  # in scope, not a manager
    assert AuditEntry.objects.filter(action="impact_report.download").count() == 2


def test_the_narrative_is_saved_with_consented_case_studies_only(
    academy: Academy, manager: User, manager_client: Client, candidate: Candidate, walk_in: Candidate
) -> None:
    agreed = CaseStudy.objects.create(academy=academy, candidate=candidate, title="Agreed", display_name="L", story="s")
    consent_record(candidate=candidate, actor=manager, kind=ConsentKind.CASE_STUDY, granted=True)
    not_agreed = CaseStudy.objects.create(
        academy=academy, candidate=walk_in, title="Not agreed", display_name="W", story="s"
    )
    url = reverse(
        "reporting:narrative-edit", kwargs={"year": LAST_QUARTER.financial_year, "number": LAST_QUARTER.number}
    )
    page = manager_client.get(url).content.decode()
    assert "Agreed" in page and "Not agreed" not in page

    empty = manager_client.post(url, {})
    assert empty.status_code == 200
    assert "Write at least one part of the narrative" in empty.content.decode()

    refused = manager_client.post(url, {"highlights": "Good.", "case_studies": [not_agreed.pk]})
    assert "Select a valid choice" in refused.content.decode()

    saved = manager_client.post(url, {"highlights": "Our best quarter.", "case_studies": [agreed.pk]})
    assert saved.status_code == 302
    narrative = ReportNarrative.objects.get()
    assert narrative.period_start == LAST_QUARTER.start
    assert narrative.highlights == "Our best quarter."
    assert list(narrative.case_studies.all()) == [agreed]
    assert AuditEntry.objects.filter(action="report_narrative.create", actor=manager).exists()


def test_no_such_quarter_is_404(manager_client: Client) -> None:
    assert (
        manager_client.get(reverse("reporting:narrative-edit", kwargs={"year": 2026, "number": 5})).status_code == 404
    )


def test_a_self_assessment_is_recorded_and_removed_after_confirmation(
    academy: Academy, manager: User, manager_client: Client
) -> None:
    strategic, integrated, _ = MaturityLevel.objects.order_by("rank")
    url = reverse("reporting:self-assessment-create")
    today = timezone.localdate()
    data = {
        "area": AssessmentArea.RECRUITMENT,
        "assessed_on_0": today.day,
        "assessed_on_1": today.month,
        "assessed_on_2": today.year,
        "level": integrated.pk,
        "target_level": strategic.pk,
        "evidence": "Six providers interview every completer.",
    }
    lower_target = manager_client.post(url, data)
    assert "The target level must be the same as the level now, or higher" in lower_target.content.decode()
    no_evidence = manager_client.post(url, {**data, "evidence": "", "target_level": ""})
    assert "Enter the evidence for this level" in no_evidence.content.decode()
    assert manager_client.post(url, {**data, "target_level": ""}).status_code == 302
    assessment = SelfAssessment.objects.get()
    assert (assessment.area, assessment.level, assessment.assessed_by) == ("recruitment", integrated, manager)
    assert "Integrated" in manager_client.get(reverse("reporting:self-assessment-list")).content.decode()

    delete_url = reverse("reporting:self-assessment-delete", kwargs={"public_id": assessment.public_id})
    confirm = manager_client.get(delete_url)
    assert "Yes, remove the assessment" in confirm.content.decode()
    assert SelfAssessment.objects.exists()  # asking is not removing
    assert manager_client.post(delete_url).status_code == 302
    assert not SelfAssessment.objects.exists()
    assert AuditEntry.objects.filter(action="self_assessment.delete").exists()


def test_a_case_study_records_the_learners_consent_and_can_be_withdrawn(
    academy: Academy, manager: User, manager_client: Client, candidate: Candidate
) -> None:
    url = reverse("reporting:case-study-create")
    data = {"learner_email": candidate.email, "title": "Back to work", "display_name": "Lena", "story": "Her story."}
    assert "Confirm the learner agreed" in manager_client.post(url, data).content.decode()
    unknown = manager_client.post(url, {**data, "learner_email": "nobody@example.org", "consent_given": "on"})
    assert "No learner of this academy has that email address" in unknown.content.decode()
    assert not CaseStudy.objects.exists()

    assert manager_client.post(url, {**data, "consent_given": "on"}).status_code == 302
    study = CaseStudy.objects.get()
    assert study.candidate == candidate
    consent = current_consents(candidate)[ConsentKind.CASE_STUDY]
    assert consent is not None and consent.granted and consent.recorded_by == manager

    withdraw = reverse("reporting:case-study-consent-withdraw", kwargs={"public_id": study.public_id})
    assert manager_client.post(withdraw).status_code == 302
    consent = current_consents(candidate)[ConsentKind.CASE_STUDY]
    assert consent is not None and not consent.granted
    assert "Withdrawn" in manager_client.get(reverse("reporting:case-study-list")).content.decode()

    delete_url = reverse("reporting:case-study-delete", kwargs={"public_id": study.public_id})
    assert "Yes, delete the case study" in manager_client.get(delete_url).content.decode()
    assert manager_client.post(delete_url).status_code == 302
    assert not CaseStudy.objects.exists()


def test_a_learner_can_withdraw_case_study_consent_on_their_consent_page(
    academy: Academy, manager: User, candidate: Candidate
) -> None:
    consent_record(candidate=candidate, actor=manager, kind=ConsentKind.CASE_STUDY, granted=True)
    assert candidate.user is not None
    learner = sign_in(Client(), candidate.user)
    page = learner.get(reverse("candidates:consent"))
    assert "Can we tell your story as a case study" in page.content.decode()
    study = CaseStudy.objects.create(academy=academy, candidate=candidate, title="Mine", display_name="L", story="s")
    assert list(case_studies_in_force(CaseStudy.objects.all())) == [study]
    response = learner.post(reverse("candidates:consent"), {"case_study": "no"})
    assert response.status_code == 302
    consent = current_consents(candidate)[ConsentKind.CASE_STUDY]
    assert consent is not None and not consent.granted and consent.recorded_by == candidate.user
    assert list(case_studies_in_force(CaseStudy.objects.all())) == []
