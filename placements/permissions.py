"""Who may see and act on vacancies, job applications, interviews, folders, starts and placements.

Scope (the `*_visible_to` querysets) decides 404; the `can_*` predicates decide 403 in scope.
A provider user sees only their own provider's rows, and of job applications only those the learner
has agreed to share (JobApplication.VISIBLE_TO_PROVIDER). A learner sees only their own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from academy.models import FundingStream, User
from academy.permissions import is_academy_staff, is_manager
from academy.tenancy import academy_in_use_id
from candidates.models import EligibilityRule
from placements.models import (
    CvComment,
    FollowUp,
    Interview,
    JobApplication,
    JobStart,
    Outcome,
    ReadinessFeedback,
    Vacancy,
    WorkPlacement,
)
from providers.permissions import referred_by_academy


def is_provider_user(user: User, obj: Any = None) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_provider_user)


def is_learner_user(user: User, obj: Any = None) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_learner)


def _provider_filter(user: User, path: str) -> dict[str, Any]:
    """Rows whose provider (through `path`) is one the provider user is a member of."""
    return {f"{path}__memberships__user": user}


def vacancies_visible_to(user: User) -> QuerySet[Vacancy]:
    """Staff: every vacancy. Provider users: their provider's, in any status. Learners: published ones."""
    if is_academy_staff(user):
        return Vacancy.objects.filter(referred_by_academy(academy_in_use_id(user), "provider"))
    if is_provider_user(user):
        return Vacancy.objects.filter(**_provider_filter(user, "provider"))
    return Vacancy.objects.filter(status__in=Vacancy.OPEN)


def job_applications_visible_to(user: User) -> QuerySet[JobApplication]:
    """Staff: all. Provider users: their vacancies' applications the learner agreed to share. Learners: their own."""
    if is_academy_staff(user):
        return JobApplication.objects.filter(candidate__academy_id=academy_in_use_id(user))
    if is_provider_user(user):
        return JobApplication.objects.filter(
            status__in=JobApplication.VISIBLE_TO_PROVIDER, **_provider_filter(user, "vacancy__provider")
        )
    if is_learner_user(user):
        return JobApplication.objects.filter(candidate__user=user)
    return JobApplication.objects.none()


def interviews_visible_to(user: User) -> QuerySet[Interview]:
    return Interview.objects.filter(application__in=job_applications_visible_to(user))


def job_starts_visible_to(user: User) -> QuerySet[JobStart]:
    if is_academy_staff(user):
        return JobStart.objects.filter(candidate__academy_id=academy_in_use_id(user))
    if is_provider_user(user):
        return JobStart.objects.filter(**_provider_filter(user, "provider"))
    if is_learner_user(user):
        return JobStart.objects.filter(candidate__user=user)
    return JobStart.objects.none()


def work_placements_visible_to(user: User) -> QuerySet[WorkPlacement]:
    if is_academy_staff(user):
        return WorkPlacement.objects.filter(candidate__academy_id=academy_in_use_id(user))
    if is_provider_user(user):
        return WorkPlacement.objects.filter(**_provider_filter(user, "provider"))
    if is_learner_user(user):
        return WorkPlacement.objects.filter(candidate__user=user)
    return WorkPlacement.objects.none()


def readiness_feedback_visible_to(user: User) -> QuerySet[ReadinessFeedback]:
    """Staff see all; a provider user sees what their provider is asked for; learners none (it is for the academy)."""
    if is_academy_staff(user):
        in_use = academy_in_use_id(user)
        return ReadinessFeedback.objects.filter(
            Q(placement__candidate__academy_id=in_use) | Q(job_start__candidate__academy_id=in_use)
        )
    if is_provider_user(user):
        return ReadinessFeedback.objects.filter(**_provider_filter(user, "provider"))
    return ReadinessFeedback.objects.none()


# --- job applications and referrals ---------------------------------------------------------------


def can_apply_to_vacancy(user: User, obj: Vacancy | None = None) -> bool:
    """Learners apply for themselves (the vacancy's scope, published ones, is checked by the view)."""
    return is_learner_user(user)


def can_view_own_job_applications(user: User, obj: JobApplication | None = None) -> bool:
    """A learner's own applications and referrals (scope: job_applications_visible_to)."""
    return is_learner_user(user)


def can_refer_to_vacancy(user: User, obj: Vacancy | None = None) -> bool:
    """Academy staff refer learners to vacancies and see suggestions."""
    return is_academy_staff(user)


def can_view_all_job_applications(user: User, obj: JobApplication | None = None) -> bool:
    """Academy staff see every application (the staff list and detail)."""
    return is_academy_staff(user)


def can_view_provider_applicants(user: User, obj: JobApplication | None = None) -> bool:
    """A provider user sees their own vacancies' applicants who agreed to share (the scope does the rest)."""
    return is_provider_user(user)


def can_progress_job_application(user: User, obj: JobApplication | None = None) -> bool:
    """Shortlist or turn down an applicant: the provider's users for their own, and academy staff."""
    return is_provider_user(user) or is_academy_staff(user)


def can_view_interviews_due(user: User, obj: object = None) -> bool:
    """Staff follow up the guaranteed interviews owed to completers."""
    return is_academy_staff(user)


# --- work placements, readiness feedback and the CV (placements/views/work.py, feedback.py, cv.py) ---


def can_run_placements(user: User, obj: Any = None) -> bool:
    """Staff arrange placements and see them by cohort and across cohorts."""
    return is_academy_staff(user)


def can_list_work_placements(user: User, obj: Any = None) -> bool:
    """Staff see every placement; a provider user their provider's (the scope decides which)."""
    return is_academy_staff(user) or is_provider_user(user)


def can_view_work_placement(user: User, obj: WorkPlacement | None = None) -> bool:
    """Anyone whose scope holds the placement: staff, its provider's users, the learner on it."""
    return is_academy_staff(user) or is_provider_user(user) or is_learner_user(user)


def can_move_work_placement(user: User, obj: WorkPlacement | None = None) -> bool:
    """Staff and the placement's provider start it, complete it, end it early and record hours."""
    return is_academy_staff(user) or is_provider_user(user)


def can_sign_off_work_placement(user: User, obj: WorkPlacement | None = None) -> bool:
    """Only the provider that hosted the placement signs it off with its review."""
    return is_provider_user(user)


def can_list_feedback_due(user: User, obj: Any = None) -> bool:
    """Provider users see what their provider is asked for; staff see what every provider owes."""
    return is_academy_staff(user) or is_provider_user(user)


def can_answer_readiness_feedback(user: User, obj: ReadinessFeedback | None = None) -> bool:
    """The provider answers; staff may not answer for it."""
    return is_provider_user(user)


def can_view_readiness_results(user: User, obj: Any = None) -> bool:
    """Staff and managers compare cohorts and courses."""
    return is_academy_staff(user)


def can_edit_own_cv(user: User, obj: Any = None) -> bool:
    """A learner builds, edits and downloads their own CV."""
    return is_learner_user(user)


def can_coach_on_cv(user: User, obj: Any = None) -> bool:
    """Staff read any learner's CV, download it and comment on it."""
    return is_academy_staff(user)


def cv_comments_visible_to(user: User) -> QuerySet[CvComment]:
    """Staff: every comment. A learner: the comments on their own CV."""
    if is_academy_staff(user):
        return CvComment.objects.filter(cv__candidate__academy_id=academy_in_use_id(user))
    if is_learner_user(user):
        return CvComment.objects.filter(cv__candidate__user=user)
    return CvComment.objects.none()


def can_resolve_cv_comment(user: User, obj: CvComment | None = None) -> bool:
    """The learner marks a comment on their CV as dealt with."""
    return is_learner_user(user)


def application_cvs_visible_to(user: User) -> QuerySet[JobApplication]:
    """Applications whose CV the user may download: those in their scope the learner attached a CV to."""
    return job_applications_visible_to(user).filter(cv_attached=True)


def can_download_application_cv(user: User, obj: JobApplication | None = None) -> bool:
    """The provider the learner applied to (with the CV attached), and staff."""
    return is_academy_staff(user) or is_provider_user(user)


# Outcomes and sustained-employment follow-ups ------------------------------------------------------


def outcomes_visible_to(user: User) -> QuerySet[Outcome]:
    """Staff: every outcome. Learners: their own. Providers answer follow-ups, not outcomes: none."""
    if is_academy_staff(user):
        return Outcome.objects.filter(candidate__academy_id=academy_in_use_id(user))
    if is_learner_user(user):
        return Outcome.objects.filter(candidate__user=user)
    return Outcome.objects.none()


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    """Staff: every follow-up. Provider users: follow-ups of their own provider's starters only."""
    if is_academy_staff(user):
        return FollowUp.objects.filter(outcome__candidate__academy_id=academy_in_use_id(user))
    if is_provider_user(user):
        return FollowUp.objects.filter(**_provider_filter(user, "outcome__provider"))
    return FollowUp.objects.none()


def can_work_on_outcomes(user: User, obj: Any = None) -> bool:
    """Staff record and follow up outcomes, and read retention."""
    return is_academy_staff(user)


def can_answer_follow_up(user: User, obj: FollowUp | None = None) -> bool:
    """Staff, or a user of the provider that employs the person (scope already limits them to their starters)."""
    return is_academy_staff(user) or is_provider_user(user)


def can_view_own_outcomes(user: User, obj: Any = None) -> bool:
    """A learner's own outcomes page."""
    return is_learner_user(user)


# --- funding streams (placements/views/funding.py) ---


def funding_streams_visible_to(user: User) -> QuerySet[FundingStream]:
    """Academy staff and managers see their academy's streams and those paying for every academy."""
    if not is_academy_staff(user):
        return FundingStream.objects.none()
    return FundingStream.objects.filter(Q(academy_id=academy_in_use_id(user)) | Q(academy__isnull=True))


def can_view_funding_streams(user: User, obj: Any = None) -> bool:
    """Staff and managers see streams, their budgets, rules and who counts for them."""
    return is_academy_staff(user)


def can_manage_funding_streams(user: User, obj: Any = None) -> bool:
    """Managers set streams up: dates, budget, targets, follow-up points and eligibility rules."""
    return is_manager(user)


def eligibility_rules_visible_to(user: User) -> QuerySet[EligibilityRule]:
    """The rules of the streams the user can see."""
    return EligibilityRule.objects.filter(stream__in=funding_streams_visible_to(user))


# --- vacancies and the job board --------------------------------------------------------------


def can_post_vacancy(user: User, obj: Any = None) -> bool:
    """Provider users linked to a provider post vacancies for it."""
    return is_provider_user(user) and hasattr(user, "provider_membership")


def can_view_vacancy(user: User, obj: Any = None) -> bool:
    """The management page of a vacancy (status, history): staff, and the provider's own users (scoped)."""
    return is_academy_staff(user) or is_provider_user(user)


def can_edit_vacancy(user: User, obj: Any = None) -> bool:
    """Editing, submitting and withdrawing are the provider's; the service checks the status allows it."""
    return is_provider_user(user)


def can_close_vacancy(user: User, obj: Any = None) -> bool:
    """The provider closes or withdraws its own; staff may close any (for example a complaint)."""
    return is_academy_staff(user) or is_provider_user(user)


def can_approve_vacancy(user: User, obj: Any = None) -> bool:
    """Staff and managers approve vacancies for the job board or ask for changes."""
    return is_academy_staff(user)


# --- interviews, offers, the personnel folder, the checklist and job starts ----------------------


def is_staff_or_provider(user: User, obj: Any = None) -> bool:
    """Academy staff and managers, and provider users (their scope limits them to their own provider)."""
    return is_academy_staff(user) or is_provider_user(user)


def can_list_interviews(user: User, obj: Any = None) -> bool:
    """Staff see every interview; a provider user their provider's."""
    return is_staff_or_provider(user)


def can_schedule_interview(user: User, application: JobApplication | None = None) -> bool:
    """Staff, or the provider's users for their own applicants (scope: job_applications_visible_to)."""
    return is_staff_or_provider(user)


def can_view_interview(user: User, interview: Interview | None = None) -> bool:
    """Staff, the provider's users and the learner themself (scope: interviews_visible_to)."""
    return is_staff_or_provider(user) or is_learner_user(user)


def can_manage_interview(user: User, interview: Interview | None = None) -> bool:
    """Reschedule, cancel and record the outcome: staff and the provider's users."""
    return is_staff_or_provider(user)


def can_make_offer(user: User, application: JobApplication | None = None) -> bool:
    """Staff, or the provider's users, offer the vacancy's place."""
    return is_staff_or_provider(user)


def can_respond_to_offer(user: User, application: JobApplication | None = None) -> bool:
    """Only the learner accepts or declines their own offer (scope: their applications)."""
    return is_learner_user(user)


def folder_applications_visible_to(user: User) -> QuerySet[JobApplication]:
    """Applications whose folder a user may open: staff all; a provider user only those released to it with consent."""
    if is_academy_staff(user):
        return JobApplication.objects.filter(candidate__academy_id=academy_in_use_id(user))
    if is_provider_user(user):
        return job_applications_visible_to(user).filter(folder_release_consented=True, folder_release__isnull=False)
    return JobApplication.objects.none()


def can_view_folder(user: User, application: JobApplication | None = None) -> bool:
    """Staff, and the provider's users once the folder was released to them (scope decides which)."""
    return is_staff_or_provider(user)


def can_edit_folder(user: User, obj: Any = None) -> bool:
    """Only academy staff keep a person's personnel folder."""
    return is_academy_staff(user)


def can_work_on_checklist(user: User, application: JobApplication | None = None) -> bool:
    """Staff and the provider's users see the ready-to-start checklist and mark its manual items."""
    return is_staff_or_provider(user)


def can_confirm_job_start(user: User, application: JobApplication | None = None) -> bool:
    """Staff, or the provider's users, confirm the learner started."""
    return is_staff_or_provider(user)


def can_record_job_start(user: User, obj: Any = None) -> bool:
    """Staff record a start with an employer outside the academy's vacancies."""
    return is_academy_staff(user)


def can_list_job_starts(user: User, obj: Any = None) -> bool:
    """Staff see every start; a provider user their own starters."""
    return is_staff_or_provider(user)
