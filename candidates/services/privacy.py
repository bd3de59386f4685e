"""A learner's data rights: recording exports, requests to delete, and anonymising a record.

Erasure anonymises rather than deletes, so aggregate figures stay intact: the record keeps its
pipeline stage and stage history, its source, its dates, the eligibility facts funders count and
an age band, and loses everything that identifies the person or tells their story.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.text import capfirst

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import AuditEntry, OutboxMessage, User
from candidates.models import Candidate, CandidateImport, DataRequest
from candidates.models.choices import AgeBand
from candidates.privacy import REMOVED_TEXT
from candidates.selectors.equality import equality_groups_of, groups_code
from candidates.selectors.learner import candidate_merged_records
from candidates.selectors.personal_data import personal_tables
from candidates.services.records import phone_key

ANONYMOUS_FIRST_NAME = "Anonymised"
ANONYMOUS_LAST_NAME = "learner"

# Record fields cleared on anonymisation (value to set). Everything not listed is kept for the
# figures: stage, stage dates, closed reason, source, created date, employment and benefit status,
# months out of work, Jobcentre referral, highest qualification and the owner (staff member).
CLEARED_FIELDS: dict[str, object] = {
    "first_name": ANONYMOUS_FIRST_NAME,
    "last_name": ANONYMOUS_LAST_NAME,
    "email": "",
    "phone": "",
    "phone_key": "",
    "postcode": "",
    "date_of_birth": None,
    "current_salary": None,
    "right_to_work": "",
    "work_coach_name": "",
    "caring_responsibilities": False,
    "interests": [],
    "availability": "",
    "driving_licence": False,
    "has_car": False,
    "profile_steps_done": [],
}


def anonymous_email(candidate: Candidate) -> str:
    """A placeholder that is unique, identifies nobody and can never receive mail (.invalid)."""
    return f"anonymised-{candidate.public_id.hex}@anonymised.invalid"


def data_export_record(*, candidate: Candidate, actor: User, fmt: str) -> None:
    """Call for every download of a learner's data (`fmt` is "json" or "html")."""
    audit_log(actor=actor, action="candidate.data_export", obj=candidate, data={"format": fmt})


@transaction.atomic
def data_request_create(*, candidate: Candidate, actor: User, reason: str = "") -> DataRequest:
    """Open a request to delete the learner's data; only one may be open at a time.

    Emails the learner an acknowledgement after commit.
    """
    if candidate.anonymised_at is not None:
        raise ValidationError("This record has already been anonymised.")
    open_request = candidate.data_requests.filter(status=DataRequest.Status.OPEN).first()
    if open_request is not None:
        raise ValidationError(
            "You already asked us to delete your data on "
            f"{dateformat.format(timezone.localtime(open_request.requested_at), 'j F Y')}. "
            "We are dealing with that request."
        )
    try:
        with transaction.atomic():
            data_request = DataRequest.objects.create(candidate=candidate, reason=reason.strip())
    except IntegrityError as exc:  # a second request submitted at the same moment
        raise ValidationError("You already asked us to delete your data. We are dealing with that request.") from exc
    audit_log(actor=actor, action="datarequest.create", obj=candidate, data={"request": str(data_request.public_id)})
    recipient = _contact_email(candidate)
    if recipient:
        email_enqueue(
            email_render(
                template_prefix="candidates/learner/email/erasure_received",
                to=[recipient],
                context={
                    "candidate": candidate,
                    "data_request": data_request,
                    "my_data_url": settings.SITE_URL + reverse("candidates:my-data"),
                },
            )
        )
    return data_request


@transaction.atomic
def data_request_complete(*, data_request: DataRequest, actor: User, note: str = "") -> DataRequest:
    """Complete an open deletion request by anonymising the record; emails the learner (before
    their address is removed) that it is done."""
    data_request = DataRequest.objects.select_for_update().select_related("candidate").get(pk=data_request.pk)
    if data_request.status != DataRequest.Status.OPEN:
        raise ValidationError("This request has already been dealt with.")
    candidate = data_request.candidate
    recipient = _contact_email(candidate)
    message = (
        email_render(
            template_prefix="candidates/learner/email/erasure_completed",
            to=[recipient],
            context={"first_name": candidate.first_name},
        )
        if recipient
        else None
    )
    candidate_anonymise(candidate=candidate, actor=actor)
    data_request.status = DataRequest.Status.COMPLETED
    data_request.resolved_at = timezone.now()
    data_request.resolved_by = actor
    data_request.resolution_note = note.strip()
    data_request.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
    audit_log(actor=actor, action="datarequest.complete", obj=candidate, data={"request": str(data_request.public_id)})
    if message is not None:
        email_enqueue(message)
    return data_request


def _contact_email(candidate: Candidate) -> str:
    return candidate.email or (candidate.user.email if candidate.user_id and candidate.user else "")


@transaction.atomic
def candidate_anonymise(*, candidate: Candidate, actor: User) -> Candidate:
    """Remove everything that identifies the person, keeping what aggregate figures need.

    Covers the record and every record merged into it (the same person's earlier records). Each
    table pointing at the person is cleared as its app declares (`<app>/privacy.py`: equality
    answers, barriers, consents and documents deleted, free text blanked, DBS certificate details
    purged and sharing stopped, stage history kept). Deactivates and unlinks the learner's account,
    with its email replaced by a placeholder, renames every audit entry about the record or a row
    it owns and blanks their row in uploads not yet imported, so no name, email, phone or postcode
    is left (tests/candidates/test_erasure_leaves_no_trace.py scans every table).
    """
    if candidate.anonymised_at is not None:
        raise ValidationError("This record has already been anonymised.")
    earlier = [r for r in candidate_merged_records(candidate) if r.anonymised_at is None]
    accounts_closed = 0
    for record in (candidate, *earlier):
        accounts_closed += _anonymise_record(record)
    audit_log(
        actor=actor,
        action="candidate.anonymise",
        obj=candidate,
        data={"earlier_records": len(earlier), "accounts_closed": accounts_closed},
    )
    return candidate


def _anonymise_record(record: Candidate) -> int:
    """Anonymise one record; returns 1 if it had an account that was closed."""
    record.age_band_at_registration = AgeBand.for_age(record.age_on(timezone.localdate(record.created_at)))
    record.groups_at_anonymisation = groups_code(equality_groups_of(record))
    # Every row the person owns, found before any is deleted: audit entries about them are renamed below.
    tables = [table for table in personal_tables() if table.model is not Candidate]
    owned: dict[type[Model], list[Any]] = {Candidate: [record.pk]}
    for table in tables:
        owned.setdefault(table.model, []).extend(table.rows(record).values_list("pk", flat=True))
    for table in tables:
        table.anonymise(table.rows(record))

    user = record.user
    identifying = _identifying_pattern(record, user)
    _forget_in_uploads(record)
    _forget_in_unsent_emails(record, user, identifying)
    for name, value in CLEARED_FIELDS.items():
        setattr(record, name, value)
    record.user = None
    record.anonymised_at = timezone.now()
    record.save()
    _rename_log_entries(owned)
    _scrub_log_data(owned, user, identifying)
    if user is None:
        return 0
    _anonymise_account(user, placeholder=anonymous_email(record))
    return 1


def _rename_log_entries(owned: dict[type[Model], list[Any]]) -> None:
    """Entries about the person's rows stay (what happened, when, by whom); the names they were shown
    under go. Each is renamed to what its row reads as now, anonymised, or to its kind if it was deleted."""
    for model, pks in owned.items():
        if not pks:
            continue
        content_type = ContentType.objects.get_for_model(model)
        ids = [str(pk) for pk in pks]
        for log in (AuditEntry, LogEntry):
            entries = log.objects.filter(content_type=content_type, object_id__in=ids)
            named = set(entries.values_list("object_id", flat=True))
            if not named:
                continue
            remaining = {str(pk): row for pk, row in model._default_manager.in_bulk(list(pks)).items()}
            removed = f"{capfirst(model._meta.verbose_name)} (removed when the record was anonymised)"
            for object_id in named:
                row = remaining.get(object_id)
                entries.filter(object_id=object_id).update(object_repr=str(row)[:200] if row else removed)


def _names_person(row: dict[str, Any], record: Candidate) -> bool:
    email, phone = str(row.get("email", "")).strip().lower(), phone_key(str(row.get("phone", "")))
    names = (str(row.get("first_name", "")).strip().lower(), str(row.get("last_name", "")).strip().lower())
    return bool(
        (record.email and email == record.email.lower())
        or (record.phone_key and phone == record.phone_key)
        or (record.first_name and names == (record.first_name.lower(), record.last_name.lower()))
    )


EMAIL_TEXTS = ("subject", "body", "html")


def _forget_in_unsent_emails(record: Candidate, user: User | None, identifying: re.Pattern[str] | None) -> None:
    """Emails still in the outbox (sent ones keep no content): those to the person are dropped, and
    their name is taken out of any other. The notice that erasure is done is written afterwards."""
    addresses = {a.strip().lower() for a in (record.email, user.email if user else "") if a.strip()}
    for message in OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT):
        if addresses & {str(a).strip().lower() for a in message.to}:
            message.delete()
        elif identifying is not None:
            texts = {name: identifying.sub("[name removed]", getattr(message, name)) for name in EMAIL_TEXTS}
            # An attached file (a calendar invitation) that names them is dropped: its lines are folded,
            # so it is read unfolded, and a file cannot be edited safely here.
            attachments = [
                a
                for a in message.attachments
                if not identifying.search(str(a.get("content", "")).replace("\r\n ", "").replace("\r\n\t", ""))
            ]
            if attachments != message.attachments or any(texts[name] != getattr(message, name) for name in texts):
                OutboxMessage.objects.filter(pk=message.pk).update(**texts, attachments=attachments)


def _forget_in_uploads(record: Candidate) -> None:
    """Uploaded files not yet imported (kept 30 days) lose the person's row: its values are blanked,
    so committing the file asks for it again rather than create a record of them."""
    for upload in CandidateImport.objects.exclude(status=CandidateImport.Status.IMPORTED).exclude(rows=[]):
        lines = {row.get("line") for row in upload.rows if isinstance(row, dict) and _names_person(row, record)}
        if not lines:
            continue
        upload.rows = [
            {key: value if key == "line" else "" for key, value in row.items()} if row.get("line") in lines else row
            for row in upload.rows
        ]
        upload.errors = [e for e in upload.errors if e.get("line") not in lines]
        upload.duplicates = [d for d in upload.duplicates if d.get("line") not in lines]
        upload.save(update_fields=["rows", "errors", "duplicates"])


def _identifying_pattern(record: Candidate, user: User | None) -> re.Pattern[str] | None:
    """The person's name, email, phone and postcode as whole words (the record's and the account's)."""
    values = {record.first_name, record.last_name, record.email, record.phone, record.phone_key, record.postcode}
    if user is not None:
        values |= {user.email, *user.full_name.split()}
    words = sorted((v.strip() for v in values if len(v.strip()) > 1), key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in words), re.IGNORECASE)


def _scrubbed(value: Any, identifying: re.Pattern[str]) -> Any:
    if isinstance(value, dict):
        return {key: _scrubbed(item, identifying) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item, identifying) for item in value]
    if isinstance(value, str) and identifying.search(value):
        return REMOVED_TEXT
    return value


def _scrub_log_data(
    owned: dict[type[Model], list[Any]], user: User | None, identifying: re.Pattern[str] | None
) -> None:
    """Free text an entry about the person copied into its data (a reason, a note) goes if it names them."""
    if identifying is None:
        return
    about = Q(actor=user) if user is not None else Q(pk__in=[])
    for model, pks in owned.items():
        if pks:
            content_type = ContentType.objects.get_for_model(model)
            about |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    changed = []
    for entry in AuditEntry.objects.filter(about).only("pk", "data"):
        data = _scrubbed(entry.data, identifying)
        if data != entry.data:
            entry.data = data
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["data"])


def _anonymise_account(user: User, *, placeholder: str) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    old_email = user.email
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=old_email).delete()
    user.email = placeholder
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    AuditEntry.objects.filter(actor=user).update(actor_label=placeholder)
    user_type = ContentType.objects.get_for_model(User)
    for log in (AuditEntry, LogEntry):
        log.objects.filter(content_type=user_type, object_id=str(user.pk)).update(object_repr=placeholder)
