"""What the interviews, folder, checklist and job-start pages read, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from academy.models import User
from academy.permissions import is_academy_staff
from candidates.models import Candidate, DbsCheck
from candidates.selectors.dbs import NEWEST_FIRST, dbs_is_shareable, dbs_outcome_label
from candidates.selectors.dbs_sharing import dbs_shared_with_provider
from courses.models import Enrolment
from placements.models import Interview, JobApplication, JobStart, PersonnelFolder, Reference
from placements.permissions import (
    can_confirm_job_start,
    can_make_offer,
    can_respond_to_offer,
    can_schedule_interview,
    folder_applications_visible_to,
)
from placements.services.interviews import INTERVIEWABLE
from placements.services.offers import OFFERABLE
from providers.models import Provider

Outcome = Interview.Outcome


# --- interviews ---------------------------------------------------------------------------------


def interview_scope(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    return interviews.select_related("application__vacancy__provider", "application__candidate__user")


def week_bounds(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00 of `today`'s week, in the academy's time zone."""
    monday = today - dt.timedelta(days=today.weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    return start, start + dt.timedelta(days=7)


@dataclass(frozen=True)
class InterviewLists:
    this_week: list[Interview]
    later: QuerySet[Interview]  # paginated by the view
    awaiting_outcome: list[Interview]


def interview_lists(*, interviews: QuerySet[Interview], now: dt.datetime) -> InterviewLists:
    """Interviews not yet held this week, later ones (to paginate), and past ones still without an outcome."""
    pending = interview_scope(interviews.filter(outcome=Outcome.PENDING))
    _, week_end = week_bounds(timezone.localdate(now))
    return InterviewLists(
        this_week=list(pending.filter(starts_at__gt=now, starts_at__lt=week_end).order_by("starts_at")),
        later=pending.filter(starts_at__gte=week_end).order_by("starts_at", "pk"),
        awaiting_outcome=list(pending.filter(starts_at__lte=now).order_by("-starts_at")[:100]),
    )


# --- the folder ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FolderPage:
    candidate: Candidate
    folder: PersonnelFolder | None
    references: list[Reference]
    dbs_outcome: str  # "" when there is none the viewer may see
    dbs_check: DbsCheck | None  # the check whose outcome is shown (for the audit entry)
    satisfactory_references: int


def folder_page(*, candidate: Candidate, viewer: User, provider: Provider | None) -> FolderPage:
    """The folder as `viewer` may see it: staff see the current DBS outcome; a provider only one shared with it."""
    folder = PersonnelFolder.objects.filter(candidate=candidate).select_related("right_to_work_seen_by").first()
    references = list(folder.references.all()) if folder is not None else []
    check: DbsCheck | None
    if is_academy_staff(viewer):
        check = candidate.dbs_checks.order_by(*NEWEST_FIRST).first()
    else:
        share = dbs_shared_with_provider(provider).filter(dbs_check__candidate=candidate).first()
        check = share.dbs_check if share is not None else None
    return FolderPage(
        candidate=candidate,
        folder=folder,
        references=references,
        dbs_outcome=dbs_outcome_label(check) if check is not None else "",
        dbs_check=check,
        satisfactory_references=sum(1 for r in references if r.status == Reference.Status.RECEIVED),
    )


# --- the ready-to-start checklist ---------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    met: bool
    detail: str
    manual: bool = False


@dataclass(frozen=True)
class Checklist:
    application: JobApplication
    items: list[ChecklistItem] = field(default_factory=list)

    @property
    def met_count(self) -> int:
        return sum(1 for item in self.items if item.met)

    @property
    def ready(self) -> bool:
        return all(item.met for item in self.items)


def ready_to_start_checklist(*, application: JobApplication, viewer: User) -> Checklist:
    """Each pre-start item, met or pending. A provider sees the DBS item met only through a shared outcome."""
    candidate = application.candidate
    folder = PersonnelFolder.objects.filter(candidate=candidate).first()
    satisfactory = Reference.objects.filter(folder=folder, status=Reference.Status.RECEIVED).count() if folder else 0
    check = candidate.dbs_checks.order_by(*NEWEST_FIRST).first()
    clear = check is not None and dbs_is_shareable(check)
    # The DBS area's own rule for what a provider may see (active share, consent in force).
    shared = clear and dbs_shared_with_provider(application.vacancy.provider).filter(dbs_check=check).exists()
    if is_academy_staff(viewer):
        dbs_met = clear
        dbs_detail = (
            f"{dbs_outcome_label(check)}{'' if shared else ' (not shared with the provider)'}"
            if clear and check is not None
            else "No clear DBS outcome on record yet"
        )
    else:
        dbs_met = shared
        dbs_detail = "A clear outcome is shared with you" if shared else "No DBS outcome shared with you yet"
    completed_course = Enrolment.objects.filter(candidate=candidate, status=Enrolment.Status.COMPLETED).exists()
    training_met = application.mandatory_training_met_at is not None or completed_course
    if application.mandatory_training_met_at is not None:
        training_detail = f"Confirmed on {timezone.localtime(application.mandatory_training_met_at):%-d %B %Y}"
    elif completed_course:
        training_detail = "Completed an academy course"
    else:
        training_detail = "Not confirmed yet"
    rtw_met = folder is not None and bool(folder.right_to_work_evidence) and folder.right_to_work_seen_on is not None
    items = [
        ChecklistItem("dbs", "DBS check", dbs_met, dbs_detail),
        ChecklistItem(
            "right_to_work",
            "Right to work seen",
            rtw_met,
            f"{folder.get_right_to_work_evidence_display()}, seen on {folder.right_to_work_seen_on:%-d %B %Y}"
            if rtw_met and folder is not None and folder.right_to_work_seen_on
            else "Not seen yet",
        ),
        ChecklistItem("references", "Two satisfactory references", satisfactory >= 2, f"{satisfactory} of 2 received"),
        ChecklistItem("training", "Mandatory training", training_met, training_detail, manual=True),
        ChecklistItem(
            "start_date",
            "Start date agreed",
            application.start_date_agreed is not None,
            f"{application.start_date_agreed:%-d %B %Y}" if application.start_date_agreed else "Not agreed yet",
            manual=True,
        ),
    ]
    return Checklist(application=application, items=items)


# --- job starts ---------------------------------------------------------------------------------


def job_start_list(
    *, starts: QuerySet[JobStart], month: dt.date | None = None, provider_id: int | None = None, search: str = ""
) -> QuerySet[JobStart]:
    """Starts newest first, filtered by the month they began in, the provider and the person's name."""
    rows = starts.select_related("candidate", "provider")
    if month is not None:
        rows = rows.filter(start_date__year=month.year, start_date__month=month.month)
    if provider_id is not None:
        rows = rows.filter(provider_id=provider_id)
    for word in search.split()[:4]:
        rows = rows.filter(Q(candidate__first_name__icontains=word) | Q(candidate__last_name__icontains=word))
    return rows.order_by("-start_date", "-pk")


def application_scope(applications: QuerySet[JobApplication]) -> QuerySet[JobApplication]:
    """The application pages of this area look one up here (vacancy, provider and person joined)."""
    return applications.select_related("vacancy__provider", "candidate__user", "folder_release")


# --- what the job application page offers from this area ---------------------------------------


@dataclass(frozen=True)
class StartsActions:
    """Links the application page shows for interviews, the offer, the folder, the checklist and the start."""

    application: JobApplication
    interviews: list[Interview]
    can_schedule: bool
    can_offer: bool
    can_respond: bool
    has_checklist: bool
    can_open_folder: bool
    can_confirm_start: bool


def starts_actions(*, application: JobApplication, viewer: User) -> StartsActions:
    """For the job application page (include placements/_starts_actions.html with `starts_actions`).

    `application` must come from the viewer's scope (placements.permissions.job_applications_visible_to).
    """
    status = application.status
    provider_side = can_make_offer(viewer, application)
    return StartsActions(
        application=application,
        interviews=list(application.interviews.order_by("-starts_at")),
        can_schedule=can_schedule_interview(viewer, application) and status in INTERVIEWABLE,
        can_offer=provider_side and status in OFFERABLE,
        can_respond=can_respond_to_offer(viewer, application) and status == JobApplication.Status.OFFERED,
        has_checklist=provider_side
        and status in (JobApplication.Status.OFFERED, JobApplication.Status.ACCEPTED, JobApplication.Status.STARTED),
        can_open_folder=provider_side and folder_applications_visible_to(viewer).filter(pk=application.pk).exists(),
        can_confirm_start=can_confirm_job_start(viewer, application) and status == JobApplication.Status.ACCEPTED,
    )
