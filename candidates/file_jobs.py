"""Files the candidates app builds in the background (academy/file_jobs.py): the candidate list as CSV.

The filters are the list's query string, kept on the job; the worker re-reads them with the requester's
rights at the time it runs (equality answers only if they may still export them), so the file holds the
rows the list would show them then, however many there are.
"""

from __future__ import annotations

import io
from typing import IO

from django.http import QueryDict
from django.utils import timezone

from academy.file_jobs import FileBuilder, Progress
from academy.models import FileJob, User
from academy.tenancy import academy_in_use_id
from candidates.forms.candidate_list import CandidateFilterForm
from candidates.permissions import (
    can_export_equality,
    can_view_equality,
    can_work_on_candidates,
    can_work_on_dbs,
    candidates_visible_to,
)
from candidates.selectors.candidate_list import candidate_list_for_staff, candidate_list_options
from candidates.services.candidate_export import CHUNK_SIZE, candidate_export_csv

CANDIDATE_LIST = "candidates.candidate_list"


def candidate_list_query(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values)
    return query


def _write_candidate_list(job: FileJob, out: IO[bytes], progress: Progress) -> None:
    actor: User = job.requested_by
    form = CandidateFilterForm(
        candidate_list_query(job.params),
        options=candidate_list_options(actor),
        actor=actor,
        can_filter_equality=can_view_equality(actor),
        can_filter_dbs=can_work_on_dbs(actor),
    )
    form.is_valid()
    filters = form.filters()
    candidates = candidate_list_for_staff(
        candidates=candidates_visible_to(actor), filters=filters, academy_id=academy_in_use_id(actor)
    )
    total = candidates.count()
    progress(0, total)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    lines = candidate_export_csv(
        actor=actor, candidates=candidates, filters=filters, include_equality=can_export_equality(actor)
    )
    written = -1  # the header line is not a row
    for line in lines:
        text.write(line)
        written += 1
        if written and written % CHUNK_SIZE == 0:
            progress(written, total)
    text.flush()
    text.detach()  # leave `out` open for the caller, which stores it
    progress(max(written, 0), max(written, 0))


FILE_BUILDERS = [
    FileBuilder(
        kind=CANDIDATE_LIST,
        title="Candidate list (CSV)",
        content_type="text/csv; charset=utf-8",
        filename=lambda job: f"candidates-{timezone.localtime(job.created_at):%Y-%m-%d-%H%M}.csv",
        may_have=can_work_on_candidates,
        write=_write_candidate_list,
    ),
]
