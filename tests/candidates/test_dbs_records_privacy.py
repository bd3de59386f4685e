"""DBS data and data rights: the learner's download includes it; anonymisation purges the details."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from academy.models import User
from candidates.models import Candidate, DbsCheck, DbsReminder, DbsShare, DbsStatusCheck
from candidates.selectors.learner import learner_data_export, learner_data_sections
from candidates.services.privacy import candidate_anonymise
from tests.candidates.factories_dbs_records import TODAY, at_status, consent_to_sharing, shared
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

Status = DbsCheck.Status


@pytest.fixture
def cleared(candidate: Candidate, staff: User) -> DbsCheck:
    check = at_status(
        Status.CLEARED,
        candidate=candidate,
        staff=staff,
        update_service_id="C0123456789",
        update_service_subscribed_on=TODAY - timedelta(days=20),
        status_check_consent=True,
    )
    DbsStatusCheck.objects.create(dbs_check=check, checked_on=TODAY, checked_by=staff, result="no_new_info")
    consent_to_sharing(candidate)
    shared(check, ProviderFactory.create(name="Riverside Home Care"), by=staff)
    return check


def test_the_download_includes_dbs_checks_status_checks_and_sharing(cleared: DbsCheck, staff: User) -> None:
    data = learner_data_export(cleared.candidate)
    (check,) = data["dbs_checks"]
    assert check["level"] == "Enhanced with adults' barred list"
    assert check["status"] == "Cleared"
    assert check["outcome"] == "DBS cleared"
    assert check["decision_by"] == staff.get_full_name()
    assert check["certificate_number"] == "001234567890"
    assert check["certificate_details_removed"] is None
    assert "disclosure_notes" not in check
    assert data["dbs_status_checks"] == [
        {"date": TODAY, "result": "No new information", "check_started": cleared.started_on}
    ]
    assert data["dbs_sharing"][0]["provider"] == "Riverside Home Care"
    titles = [section.title for section in learner_data_sections(data)]
    assert "Your DBS checks" in titles
    assert "Care providers who could see your DBS outcome" in titles


def test_a_purged_certificate_number_is_not_in_the_download(candidate: Candidate, staff: User) -> None:
    at_status(Status.CLEARED, candidate=candidate, staff=staff, details_purged_at=timezone.now())
    (check,) = learner_data_export(candidate)["dbs_checks"]
    assert check["certificate_number"] == ""
    assert check["certificate_details_removed"] is not None


def test_anonymising_purges_certificate_details_and_keeps_the_figures(cleared: DbsCheck, staff: User) -> None:
    pending = DbsReminder.objects.create(
        dbs_check=cleared, kind="recheck_due", recipient="learner", due_on=TODAY, recipient_email="learner@example.org"
    )
    candidate_anonymise(candidate=cleared.candidate, actor=staff)
    cleared.refresh_from_db()
    assert (cleared.certificate_number, cleared.application_reference, cleared.disclosure_notes) == ("", "", "")
    assert (cleared.original_seen_by, cleared.original_seen_at) == (None, None)
    assert cleared.update_service_id == ""
    assert cleared.details_purged_at is not None
    # What the figures need stays.
    assert cleared.level == DbsCheck.Level.ENHANCED_ADULTS
    assert cleared.certificate_issued_on is not None
    assert (cleared.decision, cleared.decision_by) == (DbsCheck.Decision.SUITABLE, staff)
    assert not DbsShare.objects.filter(revoked_at__isnull=True).exists()
    pending.refresh_from_db()
    assert (pending.status, pending.recipient_email) == (DbsReminder.Status.SKIPPED, "")
