"""The placements app's tables that hold a person's data: how each merges, exports and is anonymised.

Collected by candidates.services.personal_data (discovered, never imported by candidates). Erasure
keeps what the figures need (statuses, dates, hours, ratings, roles, employers) and clears what
identifies the person or tells their story (statements, notes, reasons, references, the CV).
"""

from __future__ import annotations

from typing import Any

from academy.models import User
from academy.personal_data import ExportSection, PersonalTable, clear, delete, keep, move_all, move_unless_taken
from candidates.models import Candidate
from placements.models import (
    Cv,
    CvComment,
    FolderRelease,
    FollowUp,
    FollowUpReminder,
    Interview,
    InterviewDue,
    JobAlert,
    JobAlertVacancy,
    JobApplication,
    JobApplicationStatusChange,
    JobStart,
    Outcome,
    PersonnelFolder,
    ReadinessFeedback,
    Reference,
    WorkPlacement,
    WorkPlacementStatusChange,
)


def _export_job_applications(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    applications = JobApplication.objects.filter(candidate=candidate).select_related("vacancy__provider")
    return [
        {
            "vacancy": a.vacancy.title,
            "provider": a.vacancy.provider.name,
            "how": a.get_route_display(),
            "status": a.get_status_display(),
            "reason": a.get_not_progressed_reason_display() if a.not_progressed_reason else "",
            "you_agreed_to_share": a.consented_at,
            "cv_attached": a.cv_attached,
            "folder_goes_to_provider_on_offer": a.folder_release_consented,
            "your_statement": a.supporting_statement,
            "offered": a.offered_at,
            "applied": a.created_at,
        }
        for a in applications.order_by("created_at", "pk")
    ]


def _export_job_application_history(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    changes = JobApplicationStatusChange.objects.filter(application__candidate=candidate).select_related(
        "application__vacancy", "changed_by"
    )
    return [
        {
            "vacancy": c.application.vacancy.title,
            "from": c.get_from_status_display() if c.from_status else "",
            "to": c.get_to_status_display(),
            "when": c.changed_at,
        }
        for c in changes.order_by("changed_at", "pk")
    ]


def _export_interviews(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    interviews = Interview.objects.filter(application__candidate=candidate).select_related("application__vacancy")
    return [
        {
            "vacancy": i.application.vacancy.title,
            "when": i.starts_at,
            "place": i.location or i.video_link,
            "outcome": i.get_outcome_display(),
        }
        for i in interviews.order_by("starts_at", "pk")
    ]


def _export_job_alerts(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    alerts = JobAlert.objects.filter(candidate=candidate).order_by("created_at", "pk")
    return [
        {
            "saved": a.created_at,
            "looking_for": a.text,
            "job_role": a.get_job_role_display() if a.job_role else "",
            "hours": a.hours,
            "near": a.where,
            "within_miles": a.radius_miles,
            "how_often": a.get_frequency_display(),
            "stopped": a.stopped_at,
        }
        for a in alerts
    ]


def _export_folder(candidate: Candidate, you: User | None) -> dict[str, Any] | None:
    folder = PersonnelFolder.objects.filter(candidate=candidate).first()
    if folder is None:
        return None
    return {
        "employment_history": folder.employment_history,
        "right_to_work_evidence": folder.get_right_to_work_evidence_display(),
        "right_to_work_seen_on": folder.right_to_work_seen_on,
        "references": [
            {"referee": r.referee_name, "relationship": r.relationship, "status": r.get_status_display()}
            for r in folder.references.all()
        ],
    }


def _export_job_starts(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    return [
        {
            "employer": s.employer_name,
            "role": s.get_job_role_display(),
            "hours_per_week": s.hours_per_week,
            "contract": s.get_contract_type_display(),
            "started": s.start_date,
        }
        for s in JobStart.objects.filter(candidate=candidate).order_by("start_date", "pk")
    ]


def _export_placements(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    placements = WorkPlacement.objects.filter(candidate=candidate).select_related("provider")
    return [
        {
            "provider": p.provider.name,
            "from": p.start_date,
            "to": p.end_date,
            "planned_hours": p.planned_hours,
            "hours_worked": p.worked_hours,
            "status": p.get_status_display(),
            "review": p.review,
        }
        for p in placements.order_by("start_date", "pk")
    ]


def _export_cv(candidate: Candidate, you: User | None) -> dict[str, Any] | None:
    cv = Cv.objects.filter(candidate=candidate).first()
    if cv is None:
        return None
    return {
        "personal_statement": cv.personal_statement,
        "work_history": cv.work_history,
        "skills": cv.skills,
        "interests": cv.interests,
        "comments": [{"comment": c.body, "when": c.created_at} for c in cv.comments.all()],
    }


def _export_outcomes(candidate: Candidate, you: User | None) -> list[dict[str, Any]]:
    outcomes = Outcome.objects.filter(candidate=candidate).select_related("provider").prefetch_related("follow_ups")
    return [
        {
            "what": o.get_kind_display(),
            "employer": o.employer,
            "role": o.role,
            "started": o.start_date,
            "hours_per_week": o.hours_per_week,
            "left": o.left_on,
            "why_you_left": o.get_leaving_reason_display() if o.leaving_reason else "",
            "follow_ups": "; ".join(
                f"{f.week} weeks ({f.due_on:%-d %B %Y}): {f.get_result_display()}"
                for f in sorted(o.follow_ups.all(), key=lambda f: (f.due_on, f.pk))
            ),
        }
        for o in outcomes.order_by("start_date", "pk")
    ]


PERSONAL_TABLES = [
    PersonalTable(
        model=JobAlert,
        person="candidate",
        label="Job alerts",
        merge=move_all,
        anonymise=delete,
        export=(ExportSection("job_alerts", "Your job alerts", _export_job_alerts),),
    ),
    PersonalTable(
        model=JobAlertVacancy,
        person="alert__candidate",
        label="Vacancies sent by job alerts",
        merge=None,
        anonymise=delete,
        not_exported="Which vacancies an alert already listed: bookkeeping so none is sent twice.",
    ),
    PersonalTable(
        model=JobApplication,
        person="candidate",
        label="Job applications and referrals",
        # One live application per vacancy: where both records applied, the survivor's counts.
        merge=move_unless_taken("vacancy"),
        anonymise=clear(supporting_statement="", referral_note="", status_reason=""),
        export=(
            ExportSection("job_applications", "Your job applications and referrals", _export_job_applications),
            ExportSection(
                "job_application_history", "How your job applications moved", _export_job_application_history
            ),
        ),
    ),
    PersonalTable(
        model=JobApplicationStatusChange,
        person="application__candidate",
        label="Job application history",
        merge=None,
        anonymise=clear(reason=""),
        export=(),
        not_exported="Exported with the job applications (job_application_history).",
    ),
    PersonalTable(
        model=Interview,
        person="application__candidate",
        label="Job interviews",
        merge=None,
        anonymise=clear(notes="", outcome_notes=""),
        export=(ExportSection("job_interviews", "Your job interviews", _export_interviews),),
    ),
    PersonalTable(
        model=InterviewDue,
        person="candidate",
        label="Guaranteed interviews owed",
        merge=move_all,
        anonymise=keep("Only dates and keys: the figure of completers still waiting for an interview."),
        not_exported="A date the academy owes you an interview; your courses and interviews are in their sections.",
    ),
    PersonalTable(
        model=PersonnelFolder,
        person="candidate",
        label="Personnel folder",
        # One folder per person: the survivor's stays; the duplicate's remains with the merged record.
        merge=move_unless_taken(),
        anonymise=clear(employment_history="", right_to_work_evidence=""),
        export=(ExportSection("personnel_folder", "Your personnel folder", _export_folder),),
    ),
    PersonalTable(
        model=Reference,
        person="folder__candidate",
        label="References",
        merge=None,
        anonymise=delete,
        not_exported="Exported with the personnel folder.",
    ),
    PersonalTable(
        model=FolderRelease,
        person="application__candidate",
        label="Personnel folder releases",
        merge=None,
        anonymise=keep("Only when the folder went to which application's provider: the audit trail of the release."),
        not_exported="Which provider received your folder is shown on each job application.",
    ),
    PersonalTable(
        model=JobStart,
        person="candidate",
        label="Job starts",
        merge=move_all,
        anonymise=keep("Employer, role, hours, contract and date: the job-start figures funders are paid on."),
        export=(ExportSection("job_starts", "Your job starts", _export_job_starts),),
    ),
    PersonalTable(
        model=WorkPlacement,
        person="candidate",
        label="Work placements",
        merge=move_all,
        anonymise=clear(review="", status_reason="", supervisor_phone=""),
        export=(ExportSection("work_placements", "Your work placements", _export_placements),),
    ),
    PersonalTable(
        model=WorkPlacementStatusChange,
        person="placement__candidate",
        label="Work placement history",
        merge=None,
        anonymise=clear(reason=""),
        not_exported="Each placement's status and dates are in the work placements section.",
    ),
    PersonalTable(
        model=ReadinessFeedback,
        person="placement__candidate",
        label="Providers' readiness feedback after a placement",
        merge=None,
        anonymise=clear(comment=""),
        not_exported="A provider's view of the course, for the academy; your placement is in its own section.",
    ),
    PersonalTable(
        model=ReadinessFeedback,
        person="job_start__candidate",
        label="Providers' readiness feedback after a job start",
        merge=None,
        anonymise=clear(comment=""),
        not_exported="A provider's view of the course, for the academy; your job start is in its own section.",
    ),
    PersonalTable(
        model=Cv,
        person="candidate",
        label="CV",
        merge=move_unless_taken(),
        anonymise=delete,
        export=(ExportSection("cv", "Your CV and the academy's comments on it", _export_cv),),
    ),
    PersonalTable(
        model=CvComment,
        person="cv__candidate",
        label="Comments on the CV",
        merge=None,
        anonymise=delete,
        not_exported="Exported with the CV.",
    ),
    PersonalTable(
        model=Outcome,
        person="candidate",
        label="Outcomes (jobs, learning, volunteering)",
        merge=move_all,
        anonymise=clear(leaving_note="", role=""),
        export=(ExportSection("outcomes", "What you went on to, and the follow-ups", _export_outcomes),),
    ),
    PersonalTable(
        model=FollowUp,
        person="outcome__candidate",
        label="Sustained-employment follow-ups",
        merge=None,
        anonymise=keep("Only weeks, dates and results: the sustained-job figures funders are paid on."),
        not_exported="Exported with the outcomes.",
    ),
    PersonalTable(
        model=FollowUpReminder,
        person="outcome__candidate",
        label="Follow-up reminders",
        merge=None,
        anonymise=keep("Sent to the employer and staff, not to the person: dates, rounds and statuses only."),
        not_exported="The academy's own chasing of the employer; the follow-ups are with the outcomes.",
    ),
]
