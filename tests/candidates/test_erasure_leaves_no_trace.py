"""After erasure no table holds the person's name, email, phone or postcode (issue 9, data protection).

A learner goes through everything the portal records, through its services (so the audit log is
written as in real use), then their deletion request is completed. Every text and JSON column of
every table is then scanned for them, the audit log included.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from axes.models import AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone

from academy.audit import audit_log
from academy.models import AuditEntry, Role, User
from candidates.forms.import_csv import read_csv
from candidates.models import (
    ActionPlanReview,
    Candidate,
    CandidateImport,
    ConsentKind,
    DbsCheck,
    DbsReminder,
    DbsStatusCheck,
    PipelineStage,
)
from candidates.services.casework import action_item_create, contact_log_create
from candidates.services.consent import consent_record
from candidates.services.dbs import dbs_check_view
from candidates.services.dbs_sharing import dbs_share_create
from candidates.services.documents import document_upload
from candidates.services.equality import equality_save
from candidates.services.imports import candidate_import_create
from candidates.services.pipeline import candidate_move_stage
from candidates.services.privacy import candidate_anonymise, data_request_complete, data_request_create
from candidates.services.records import candidate_create, candidate_set_barriers, candidate_update
from candidates.services.selection import (
    ResultData,
    selection_add_candidates,
    selection_event_create,
    selection_result_record,
)
from courses.models import Application, Questionnaire
from courses.services.applications import application_accept, application_decide, application_submit
from courses.services.attendance import RowMark, attendance_register_save
from courses.services.feedback import feedback_submit
from courses.services.outcomes import certificate_create, enrolment_record_outcome
from courses.services.payments import payment_decide, payment_mark_paid, payment_request
from tests.candidates.factories_dbs_records import at_status
from tests.candidates.factories_learner import make_document
from tests.courses.factories import CohortFactory, SessionFactory
from tests.courses.factories_applications import ScreeningQuestionFactory
from tests.factories import CandidateFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zebedee", "Quillfeather"
EMAIL = "zeb.quill@example.net"
PHONE = "07700 900461"
POSTCODE = "LS6 2QX"
# What must not survive, lower case: the name, the email (and its local part), the phone and the
# postcode, each as written and as stored normalised.
TRACES = [FIRST.lower(), LAST.lower(), EMAIL, "zeb.quill", PHONE, PHONE.replace(" ", ""), POSTCODE.lower()]

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def traces_left() -> list[str]:
    """Every "<app.Model>.<field> #pk: trace" where a text or JSON column still holds one of TRACES."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not names:
            continue
        for pk, *values in model._base_manager.values_list("pk", *names):
            for name, value in zip(names, values, strict=True):
                text = (value if isinstance(value, str) else json.dumps(value, default=str)).lower()
                found += [f"{model._meta.label}.{name} #{pk}: {t}" for t in TRACES if t in text]
    return found


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def went_through_everything(staff: User, manager: User) -> tuple[User, Candidate]:
    """A learner with a profile, screening, a course (application, attendance, outcome, certificate,
    feedback, questionnaire, a support payment), a DBS check shared with a provider, documents and notes."""
    user = UserFactory.create(email=EMAIL, full_name=f"{FIRST} {LAST}", role=Role.LEARNER)
    AccessLog.objects.create(username=EMAIL, ip_address="192.0.2.1", user_agent="Firefox", path_info="/login/")
    person = candidate_create(
        actor=user,
        user=user,
        data={"first_name": FIRST, "last_name": LAST, "email": EMAIL, "phone": PHONE, "postcode": POSTCODE},
    )
    candidate_update(candidate=person, actor=staff, data={"date_of_birth": dt.date(1980, 2, 3), "owner": staff})
    equality_save(candidate=person, actor=user, answers={"sex": "male"})
    candidate_set_barriers(candidate=person, actor=user, barriers={"transport": f"{FIRST} needs a bus pass"})
    consent_record(candidate=person, actor=user, kind=ConsentKind.SHARE_WITH_PROVIDERS, granted=True)
    document_upload(candidate=person, actor=user, kind="cv", file=pdf(f"{FIRST} {LAST} CV.pdf"))
    contact_log_create(candidate=person, actor=staff, kind="call", summary=f"Called {FIRST} on {PHONE}")
    action_item_create(candidate=person, actor=staff, goal=f"{FIRST} into care work", action="CV", owner=FIRST)
    ActionPlanReview.objects.create(candidate=person, review_on=timezone.localdate(), notes=f"{FIRST} doing well")
    candidate_move_stage(
        candidate=person, actor=staff, stage=PipelineStage.objects.get(slug="screening"), note=f"{FIRST} keen"
    )
    LogEntry.objects.create(
        user=manager,
        content_type=ContentType.objects.get_for_model(Candidate),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message="[]",
    )

    event = selection_event_create(actor=staff, title="Selection day", held_on=timezone.localdate())
    (result,) = selection_add_candidates(event=event, actor=staff, candidates=[person])
    selection_result_record(
        result=result,
        actor=staff,
        data=ResultData(
            values_score=8,
            literacy_level="level_1",
            numeracy_level="level_1",
            interview="passed",
            outcome="accepted",
            feedback=f"{FIRST} was warm with residents",
        ),
    )

    cohort = CohortFactory.create()
    question = ScreeningQuestionFactory.create(course=cohort.course)
    application = application_submit(
        cohort=cohort, candidate=person, actor=user, answers={str(question.pk): f"I am {FIRST} from {POSTCODE}"}
    )
    application = application_decide(application=application, actor=staff, decision=Application.Status.OFFERED)
    enrolment = application_accept(application=application, actor=user)
    session = SessionFactory.create(cohort=cohort, date=cohort.start_date)
    with time_machine.travel(dt.datetime.combine(cohort.start_date, dt.time(12), tzinfo=dt.UTC)):
        attendance_register_save(
            session=session,
            rows=[RowMark(enrolment=enrolment.public_id, mark="absent_reason", note=f"{FIRST} at hospital")],
            actor=staff,
        )
        payment = payment_request(
            cohort=cohort,
            enrolment=enrolment,
            actor=staff,
            kind="transport",
            amount=Decimal("12.50"),
            description=f"Bus fares for {FIRST} {LAST}",
        )
        payment = payment_decide(payment=payment, actor=manager, approve=True, reason=f"Fine for {FIRST}")
        payment_mark_paid(payment=payment, actor=manager)
    with time_machine.travel(dt.datetime.combine(cohort.end_date + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)):
        enrolment_record_outcome(enrolment=enrolment, actor=staff, status="completed")
        certificate_create(
            enrolment=enrolment,
            actor=staff,
            title="Introduction to care",
            issued_on=timezone.localdate(),
            file=pdf(f"{FIRST}-{LAST}-certificate.pdf"),
        )
        feedback_submit(enrolment=enrolment, actor=user, rating=5, comment=f"{FIRST} here: loved it")
    Questionnaire.objects.create(enrolment=enrolment, when="before", answers={"confidence": 3}, score=30)

    check = at_status(DbsCheck.Status.CLEARED, candidate=person, staff=staff, update_service_id="C0123456789")
    dbs_check_view(actor=staff, check=check, where="record")
    dbs_share_create(check=check, provider=ProviderFactory.create(), actor=staff)
    DbsStatusCheck.objects.create(
        dbs_check=check, checked_on=timezone.localdate(), checked_by=staff, result="no_new_info"
    )
    DbsReminder.objects.create(
        dbs_check=check,
        kind="recheck_due",
        recipient="learner",
        due_on=timezone.localdate(),
        recipient_email=EMAIL,
        status="sent",
        last_error=f"451 try again later for <{EMAIL}>",
    )
    audit_log(actor=user, action="candidate.data_export", obj=person, data={"format": "json"})
    # A referral file staff uploaded and have not imported yet names them too.
    referrals = f"first_name,last_name,email,phone,postcode\n{FIRST},{LAST},{EMAIL},{PHONE},{POSTCODE}\n"
    referrals += "Other,Person,other.person@example.org,07700 900999,LS1 1AA\n"
    candidate_import_create(actor=staff, file_name="referrals.csv", table=read_csv(referrals.encode(), max_rows=10))
    person.refresh_from_db()
    return user, person


def test_after_erasure_no_table_holds_the_persons_name_email_phone_or_postcode(
    staff: User, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    user, person = went_through_everything(staff, manager)
    assert len(traces_left()) > 20  # the scan finds them while they are there
    assert AuditEntry.objects.filter(object_repr__icontains=FIRST).exclude(content_type__model="candidate").exists()

    with django_capture_on_commit_callbacks(execute=True):
        data_request = data_request_create(candidate=person, actor=user, reason=f"{FIRST} is moving away")
        data_request_complete(data_request=data_request, actor=staff, note="Done")

    assert traces_left() == []
    # What happened stays on the log, under the anonymised names.
    enrolment_entries = AuditEntry.objects.filter(content_type__model="enrolment")
    assert enrolment_entries.exists()
    assert all(e.object_repr.startswith("Anonymised learner on ") for e in enrolment_entries)
    assert AuditEntry.objects.filter(action="application.submit", object_repr__startswith="Anonymised learner for ")
    assert AuditEntry.objects.get(action="payment.approve").data == {
        "amount": "12.50",
        "reason": "Removed when the record was anonymised.",
    }
    assert LogEntry.objects.get().object_repr == "Anonymised learner"
    # Someone else's row in the same upload is left alone.
    (upload,) = CandidateImport.objects.all()
    assert upload.rows[1]["email"] == "other.person@example.org"


def test_an_entry_about_a_row_erasure_deletes_keeps_its_kind_only(staff: User) -> None:
    person = CandidateFactory.create(first_name=FIRST, last_name=LAST)
    document = make_document(person, staff, name=f"{FIRST} {LAST} CV.pdf")
    audit_log(actor=staff, action="document.check", obj=document)
    candidate_anonymise(candidate=person, actor=staff)
    entry = AuditEntry.objects.get(action="document.check")
    assert entry.object_repr == "Document (removed when the record was anonymised)"
