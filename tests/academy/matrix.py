from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from academy.models import Academy, FileJob
from tests.factories import InvitationFactory
from tests.matrix import MANAGER_ONLY, STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of


def _staff_export(fixture: Fixture) -> FileJob:
    """A finished export that belongs to the staff persona: nobody else may see or download it."""
    job = FileJob(
        kind="candidates.candidate_list",
        title="Candidate list (CSV)",
        requested_by=fixture("staff"),
        status=FileJob.Status.DONE,
        filename="candidates.csv",
        content_type="text/csv; charset=utf-8",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    job.file.save("candidates.csv", ContentFile(b"Reference\n"), save=False)
    job.save()
    return job


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _academy_with_logo() -> Academy:
    academy = Academy.objects.default()
    academy.logo.save("logo.png", ContentFile(PNG_BYTES))
    return academy


def objects(fixture: Fixture) -> Objects:
    return {
        "academy": _academy_with_logo(),
        "invitation": InvitationFactory.create(invited_by=fixture("manager")),
        "learner": fixture("learner"),
        "staff_export": _staff_export(fixture),
    }


ROWS = {
    "academy:home": Row(no_kwargs, "get", expect(200)),
    "academy:health": Row(no_kwargs, "get", expect(200, anonymous=200)),
    "academy:audit-list": Row(no_kwargs, "get", MANAGER_ONLY),
    "academy:user-list": Row(no_kwargs, "get", MANAGER_ONLY),
    "academy:user-detail": Row(public_id_of("learner"), "get", expect(404, manager=200)),
    "academy:user-deactivate": Row(public_id_of("learner"), "get", expect(404, manager=200)),
    "academy:user-reactivate": Row(public_id_of("learner"), "get", expect(404, manager=200)),
    "academy:invitation-list": Row(no_kwargs, "get", MANAGER_ONLY),
    "academy:invitation-create": Row(no_kwargs, "get", MANAGER_ONLY),
    "academy:invitation-revoke": Row(public_id_of("invitation"), "get", expect(404, manager=200)),
    "academy:invitation-resend": Row(public_id_of("invitation"), "post", expect(404, manager=302)),
    # An unknown token is a dead link for everybody, signed in or not.
    "academy:invitation-accept": Row(lambda objs: {"token": "not-a-real-token"}, "get", expect(410, anonymous=410)),
    "academy:academy-detail": Row(no_kwargs, "get", STAFF_ONLY),
    "academy:academy-edit": Row(no_kwargs, "get", MANAGER_ONLY),
    # Switching needs an academy of one's own: a POST naming none is refused as out of scope.
    "academy:academy-switch": Row(no_kwargs, "post", expect(403, staff=404, manager=404)),
    "academy:academy-logo": Row(public_id_of("academy"), "get", expect(404, staff=200, manager=200)),
    # Notify's receipts: POST only, with its bearer token; without it everyone is refused.
    "academy:notify-callback": Row(no_kwargs, "get", expect(405, anonymous=405), post=expect(403, anonymous=403)),
    "academy:file-job-list": Row(no_kwargs, "get", expect(200)),
    "academy:file-job-detail": Row(public_id_of("staff_export"), "get", expect(404, staff=200)),
    "academy:file-job-download": Row(public_id_of("staff_export"), "get", expect(404, staff=200)),
}
