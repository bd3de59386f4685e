"""The learner's CV: saving it, staff's coaching comments, and recording a provider's download."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate
from candidates.models.choices import Interest
from placements.models import Cv, CvComment, JobApplication

MAX_WORK_HISTORY = 15
STATEMENT_MAX_LENGTH = 1500
COMMENT_MAX_LENGTH = 2000
# The keys of one work history entry (Cv.work_history); "from" and "to" are "YYYY-MM", "to" blank for now.
ENTRY_KEYS = ("employer", "role", "from", "to", "summary")


def cv_prefill(candidate: Candidate) -> Cv:
    """A new, unsaved CV with what the profile already says (interests in care, driving); the
    personal statement is left for the learner to write."""
    skills = []
    if candidate.driving_licence:
        skills.append("Full driving licence" + (", with use of a car" if candidate.has_car else ""))
    labels = dict(Interest.choices)
    interests = [labels[code] for code in candidate.interests or [] if code in labels]
    return Cv(
        candidate=candidate,
        personal_statement="",
        skills="\n".join(skills),
        interests=f"Interested in working in: {', '.join(interests).lower()}." if interests else "",
        work_history=[],
    )


def cv_for_candidate(candidate: Candidate) -> Cv:
    """The learner's saved CV, or a prefilled unsaved one."""
    return Cv.objects.filter(candidate=candidate).first() or cv_prefill(candidate)


def _month(value: str) -> dt.date:
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


def _clean_history(entries: list[dict[str, Any]], *, today: dt.date) -> list[dict[str, str]]:
    if len(entries) > MAX_WORK_HISTORY:
        raise ValidationError({"work_history": f"A CV can list up to {MAX_WORK_HISTORY} jobs or roles."})
    this_month = today.replace(day=1)
    cleaned = []
    for number, entry in enumerate(entries, start=1):
        item = {key: str(entry.get(key) or "").strip() for key in ENTRY_KEYS}
        if not item["employer"] or not item["role"] or not item["from"]:
            raise ValidationError({"work_history": f"Entry {number}: enter the employer, the role and when it began."})
        began = _month(item["from"])
        if began > this_month:
            raise ValidationError({"work_history": f"Entry {number}: the start cannot be in the future."})
        if item["to"]:
            ended = _month(item["to"])
            if ended < began:
                raise ValidationError({"work_history": f"Entry {number}: the end must be after the start."})
            if ended > this_month:
                raise ValidationError({"work_history": f"Entry {number}: the end cannot be in the future."})
        cleaned.append(item)
    # Newest first: current roles (no end) first, then by end, then by start.
    return sorted(cleaned, key=lambda e: (e["to"] == "", e["to"], e["from"]), reverse=True)


@transaction.atomic
def cv_save(
    *,
    candidate: Candidate,
    actor: User,
    personal_statement: str,
    work_history: list[dict[str, Any]],
    skills: str,
    interests: str,
    today: dt.date | None = None,
) -> Cv:
    """Save the learner's CV (created on first save); work history entries are checked and sorted newest first."""
    today = today or timezone.localdate()
    personal_statement = personal_statement.strip()
    if len(personal_statement) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            {"personal_statement": f"The personal statement must be {STATEMENT_MAX_LENGTH} characters or fewer."}
        )
    history = _clean_history(work_history, today=today)
    cv, created = Cv.objects.select_for_update().get_or_create(candidate=candidate)
    cv.personal_statement = personal_statement
    cv.work_history = history
    cv.skills = skills.strip()
    cv.interests = interests.strip()
    cv.save()
    audit_log(
        actor=actor,
        action="cv.create" if created else "cv.update",
        obj=cv,
        data={"work_history_entries": len(history)},
    )
    return cv


@transaction.atomic
def cv_comment_add(*, candidate: Candidate, actor: User, body: str) -> CvComment:
    """Staff coach on the learner's CV with a comment the learner sees on their CV page."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Enter your comment."})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError({"body": f"The comment must be {COMMENT_MAX_LENGTH} characters or fewer."})
    cv = Cv.objects.filter(candidate=candidate).first()
    if cv is None:
        raise ValidationError(f"{candidate.full_name} has not saved a CV yet, so there is nothing to comment on.")
    comment = CvComment.objects.create(cv=cv, author=actor, body=body)
    audit_log(actor=actor, action="cv.comment", obj=cv, data={"comment": str(comment.public_id)})
    return comment


@transaction.atomic
def cv_comment_resolve(*, comment: CvComment, actor: User) -> CvComment:
    """The learner marks a comment dealt with (once)."""
    resolved = CvComment.objects.filter(pk=comment.pk, resolved_at=None).update(resolved_at=timezone.now())
    if resolved != 1:
        raise ValidationError("You already marked this comment as dealt with.")
    comment.refresh_from_db()
    audit_log(actor=actor, action="cv.comment_resolve", obj=comment.cv, data={"comment": str(comment.public_id)})
    return comment


def cv_record_download(*, candidate: Candidate, actor: User, application: JobApplication | None = None) -> None:
    """Audit a download of someone's CV by staff or by a provider through an application."""
    audit_log(
        actor=actor,
        action="cv.provider_download" if application is not None else "cv.download",
        obj=candidate,
        data={"application": str(application.public_id)} if application is not None else {},
    )
